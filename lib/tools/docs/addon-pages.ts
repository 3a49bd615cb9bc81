import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import type { z } from 'zod';

import type { PlatformAddOn } from '../../../addons/core/addon';
import type { AdditionalChart, HelmChartSpec } from '../../../addons/core/helm-addon';
import type { EksAddonSpec } from '../../../addons/core/install-method';
import { HELM_OPTIONS } from '../../../addons/core/options';
import type { AddOnRegistration } from '../../../addons/core/registration';
import { defaultOf, docOf } from '../../core/config';

/*
 * One page per add-on, docs/addons/<id>.md, written from its registration: the facts from the code,
 * the prose from its docs facet. `npm run docs` writes the first-party pages with it, and a
 * consumer's add-on gets the same page from the same functions (the package exports them).
 */

/** Text for a Markdown table cell. */
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (text: string): string => `\`${text}\``;

/** The options of an add-on's schema (a strict object), in declaration order. */
export function optionShape(registration: AddOnRegistration): Record<string, z.ZodType> {
  const shape = (registration.options as unknown as { shape?: Record<string, z.ZodType> }).shape;
  if (!shape) {
    throw new Error(`${registration.id}: the options schema is not an object schema (use strictObject)`);
  }
  return shape;
}

export const OPTIONS_HEADER = ['| option | default | allowed | what it does |', '| --- | --- | --- | --- |'];

/** A schema default as JSON (`2`, `"alb"`, `[]`); empty when the option has none. */
function defaultCell(schema: z.ZodType): string {
  const found = defaultOf(schema);
  return found ? code(JSON.stringify(found.value)) : '';
}

/** One row per option: the default column shows the schema's `.default()`, so it is written once. */
export function optionRows(options: Readonly<Record<string, z.ZodType>>): string[] {
  return Object.entries(options).map(([name, schema]) => {
    const doc = docOf(schema);
    const required = schema.safeParse(undefined).success ? '' : ' (required)';
    return `| \`${name}\`${required} | ${cell(defaultCell(schema))} | ${cell(doc.allowed ?? '')} | ${cell(doc.description ?? '')} |`;
  });
}

/** What a Helm add-on exposes about its chart (HelmAddOn's public fields), read without instanceof. */
interface Delivered {
  readonly chart?: HelmChartSpec;
  readonly additionalCharts?: readonly Pick<AdditionalChart, 'spec' | 'order'>[];
  readonly eksAddon?: EksAddonSpec;
  readonly addonName?: string;
}

const release = (chart: HelmChartSpec, extra = ''): string =>
  `Helm chart ${code(chart.chart)} ${chart.version} from ${chart.repository} (release ${code(chart.release)} in ${code(chart.namespace)}${extra})`;

/** Every chart in install order: the additional ones before the main chart, the main chart, those after it. */
function delivery(addon: PlatformAddOn): string {
  const { chart, additionalCharts = [], eksAddon, addonName } = addon as PlatformAddOn & Delivered;
  const parts: string[] = [];
  const side = (order: AdditionalChart['order']): string[] =>
    additionalCharts.filter((c) => c.order === order).map((c) => release(c.spec, `, ${order} ${code(chart?.chart ?? '')}`));
  if (chart) parts.push(...side('before'), release(chart), ...side('after'));
  if (eksAddon) parts.push(`with \`install: "eks-addon"\`, the EKS add-on ${code(eksAddon.addonName)}`);
  if (addonName) parts.push(`the EKS add-on ${code(addonName)}, EKS's default version for the cluster unless \`version\` is set`);
  return parts.length > 0 ? parts.join('; ') : 'AWS resources and Kubernetes objects (no chart)';
}

function versions(addon: PlatformAddOn): string {
  const range = addon.kubernetesVersions;
  if (!range) return 'every version the platform offers';
  const span = `${range.min ?? 'any'} to ${range.max ?? 'any'}`;
  return `${span} (${range.source})`;
}

const list = (ids: readonly string[] | undefined): string => (ids && ids.length > 0 ? ids.map(code).join(', ') : '(none)');

/** How a page presents the options every Helm add-on takes. */
export interface AddOnPageOptions {
  /**
   * A page that documents the options every Helm add-on takes: a Helm add-on's page links to it and
   * lists only its own options. This repository's pages link to docs/addons.md.
   * @default - none: the page lists them in its own table, so a consumer's page needs no other
   */
  readonly helmOptionsLink?: string;
}

/** The page of one add-on. `root` is the repository root, for the paths the page names. */
export function addOnPage(registration: AddOnRegistration, root: string, options: AddOnPageOptions = {}): string {
  const addon = registration.create(registration.docs?.example ?? {});
  const facts = [
    [
      'compute modes',
      addon.computeModes.join(', ') + (addon.autoModeBuiltIn ? ` (built into EKS Auto Mode: ${addon.autoModeBuiltIn})` : ''),
    ],
    ['installs', delivery(addon)],
    ['Kubernetes versions', versions(addon)],
    ['namespaces', list(addon.namespaces)],
    ['depends on', list(addon.dependsOn)],
    ['conflicts with', list(addon.conflictsWith)],
  ];
  const shape = optionShape(registration);
  const helm = HELM_OPTIONS as Readonly<Record<string, z.ZodType>>;
  const link = options.helmOptionsLink;
  const inherited = link !== undefined && Object.keys(helm).every((name) => shape[name] !== undefined);
  const own = inherited ? Object.fromEntries(Object.entries(shape).filter(([name, schema]) => helm[name] !== schema)) : shape;
  const rows = optionRows(own);
  const prosePath = registration.docs?.prose;
  const prose = prosePath ? readFileSync(prosePath, 'utf8').trim() : undefined;
  const sources = [`its registration`, ...(prosePath ? [`${relative(root, prosePath)}`] : [])].join(' and ');
  return [
    `<!-- Generated by \`npm run docs\` from ${sources}: edit those, not this page. -->`,
    `# \`${registration.id}\``,
    '',
    `${registration.summary}.`,
    '',
    '| | |',
    '| --- | --- |',
    ...facts.map(([k, v]) => `| ${k} | ${cell(v)} |`),
    ...(prose ? ['', prose] : []),
    '',
    '## Options',
    '',
    ...(inherited ? [`It takes the [options every Helm add-on takes](${link}), and these:`, ''] : []),
    ...(rows.length > 0 ? [...OPTIONS_HEADER, ...rows] : ['No options of its own.']),
    '',
  ].join('\n');
}

/** The options every Helm add-on takes, for the index page. */
export function helmOptionsTable(): string {
  return [...OPTIONS_HEADER, ...optionRows(HELM_OPTIONS as Readonly<Record<string, z.ZodType>>)].join('\n');
}

/**
 * Writes `<dir>/<id>.md` for each registration and returns the paths written. `root` is what the
 * pages name the prose files relative to (a repository root).
 */
export function writeAddOnPages(
  registrations: readonly AddOnRegistration[],
  dir: string,
  root: string,
  options: AddOnPageOptions = {},
): string[] {
  mkdirSync(dir, { recursive: true });
  return registrations.map((registration) => {
    const path = join(dir, `${registration.id}.md`);
    writeFileSync(path, addOnPage(registration, root, options));
    return path;
  });
}
