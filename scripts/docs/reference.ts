import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { FIRST_PARTY_ADDONS } from '../../addons/catalog';
import type { AddOnRegistration } from '../../addons/core/registration';
import type { ConfigKey, Profile } from '../../lib/core/config';
import { CONFIG_KEYS, CONFIG_SHAPE, DEFAULT_ADDON_IDS, docOf, PROFILE_NAMES, PROFILES } from '../../lib/core/config';
import { INFRA_CONTRACT } from '../../lib/stacks/contract';
import { ASSUMPTIONS_SCHEMA, defaultAssumptions, estimateEnvironment, formatEstimate, PRICE_TABLES } from '../../lib/tools/cost';
import { addOnPage, helmOptionsTable } from '../../lib/tools/docs/addon-pages';
import { cdkJsonContext } from '../cdk-json';

/*
 * The generated blocks of README.md and docs/: the configuration reference, the add-on index and
 * options tables, the export contract and the cost example, rendered from the schemas and the code
 * so the documentation cannot drift from what the code accepts. `npm run docs` rewrites them;
 * test/docs.test.ts fails when one is out of date.
 */

/** The repository root; page paths are relative to it. */
export const ROOT = join(__dirname, '..', '..');

/** A generated block: `<!-- generated:NAME -->` ... `<!-- /generated:NAME -->`. */
const begin = (name: string): string => `<!-- generated:${name} (npm run docs) -->`;
const end = (name: string): string => `<!-- /generated:${name} -->`;

/** Text for a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function code(value: unknown): string {
  return `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;
}

/** A profile's default of a key, as a reader wants it (derived keys say what they derive from). */
function profileDefault(key: ConfigKey, profile: Profile): string {
  const d = PROFILES[profile];
  switch (key) {
    case 'profile':
      return profile === 'workshop' ? '`workshop` (the default)' : '`production`';
    case 'account':
      return '(unset: account-agnostic)';
    case 'availabilityZones':
      return 'the first `azCount` committed AZs of the region';
    case 'natGateways':
      return d.natGateways === 'per-az' ? 'one per AZ' : code(d.natGateways);
    case 'nodeGroups':
      return 'the `ops` group (see Node groups)';
    case 'addons':
      return `per compute mode: ${Object.entries(DEFAULT_ADDON_IDS)
        .map(([mode, ids]) => `${mode} ${ids.map(code).join(', ')}`)
        .join('; ')}`;
    case 'teams':
      return '(none)';
    case 'rollbackTimeoutMinutes':
      return d.rollbackTimeoutMinutes === undefined ? '(unset: EKS default 720)' : code(d.rollbackTimeoutMinutes);
    case 'workloads':
      return 'from `sampleWorkloads`';
    default: {
      const value = d[key as keyof typeof d];
      if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.map(code).join(', ');
      return typeof value === 'object' ? code(value) : code(value);
    }
  }
}

/** The configuration keys: what each accepts, its defaults per profile and what it does. */
export function configurationTable(): string {
  const profiles = PROFILE_NAMES;
  const rows = CONFIG_KEYS.map((key) => {
    const doc = docOf(CONFIG_SHAPE[key]);
    const defaults = profiles.map((profile) => cell(profileDefault(key, profile)));
    return `| \`${key}\` | ${defaults.join(' | ')} | ${cell(doc.allowed ?? '')} | ${cell(doc.description ?? '')} |`;
  });
  return [
    `| key | ${profiles.map((p) => `${p} default`).join(' | ')} | allowed | what it does |`,
    `| --- | ${profiles.map(() => '---').join(' | ')} | --- | --- |`,
    ...rows,
  ].join('\n');
}

/** The add-ons, one line each, linking to their pages. `pages` is the path from the page to docs/addons/. */
export function addOnIndex(pages: string, registrations: readonly AddOnRegistration[] = FIRST_PARTY_ADDONS): string {
  const rows = registrations.map((r) => `| [\`${r.id}\`](${pages}${r.id}.md) | ${cell(r.summary)} |`);
  return ['| add-on | what it installs |', '| --- | --- |', ...rows].join('\n');
}

let costExampleText: string | undefined;

/**
 * `npm run cost` for the default configuration, priced on the day its table was read so the block
 * changes only when the configuration, the templates or the prices do. Memoized: it synthesizes.
 */
export function costExample(): string {
  if (costExampleText === undefined) {
    const region = PROFILES.workshop.region;
    const asOf = PRICE_TABLES.get(region)?.asOf;
    const estimate = estimateEnvironment(cdkJsonContext(), { today: asOf });
    costExampleText = ['```text', '$ npm run cost', formatEstimate(estimate).trimEnd(), '```'].join('\n');
  }
  return costExampleText;
}

/** The cost estimate's usage assumptions, from their schema. */
export function costAssumptionsTable(): string {
  const defaults = defaultAssumptions();
  const rows = Object.entries(ASSUMPTIONS_SCHEMA.shape).map(([key, schema]) => {
    const doc = docOf(schema);
    return `| \`${key}\` | ${code(defaults[key as keyof typeof defaults])} | ${cell(doc.allowed ?? '')} | ${cell(doc.description ?? '')} |`;
  });
  return ['| assumption | default | allowed | what it is |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** The values that cross the stack boundary, from the contract itself. */
export function contractTable(): string {
  const rows = Object.values(INFRA_CONTRACT).map((e) => `| \`${e.name}\` | ${cell(e.value)} | ${cell(e.usedFor)} |`);
  return ['| export | value | used by PlatformStack for |', '| --- | --- | --- |', ...rows].join('\n');
}

/** Every page with generated blocks, and the blocks it holds. */
export const GENERATED_PAGES: Readonly<Record<string, Readonly<Record<string, () => string>>>> = {
  'README.md': { 'addon-index': () => addOnIndex('docs/addons/') },
  'docs/configuration.md': { configuration: configurationTable },
  'docs/addons.md': { 'addon-index': () => addOnIndex('addons/'), 'helm-options': helmOptionsTable },
  'docs/architecture.md': { 'export-contract': contractTable },
  'docs/cost.md': { 'cost-example': costExample, 'cost-assumptions': costAssumptionsTable },
};

/** A page with every generated block rendered anew; throws when a block's markers are missing. */
export function renderPage(page: string, text: string): string {
  let result = text;
  for (const [name, render] of Object.entries(GENERATED_PAGES[page] ?? {})) {
    const start = result.indexOf(begin(name));
    const stop = result.indexOf(end(name));
    if (start < 0 || stop < start) {
      throw new Error(`${page} has no generated block "${name}": add the lines ${begin(name)} and ${end(name)}`);
    }
    result = `${result.slice(0, start)}${begin(name)}\n${render()}\n${result.slice(stop)}`;
  }
  return result;
}

/** Where docs/addons.md lists the options every Helm add-on takes, as the add-on pages link to it. */
const HELM_OPTIONS_LINK = '../addons.md#options-of-every-helm-add-on';

/** Every add-on's page, by path from the repository root. */
export function addOnPages(registrations: readonly AddOnRegistration[] = FIRST_PARTY_ADDONS): ReadonlyMap<string, string> {
  return new Map(registrations.map((r) => [`docs/addons/${r.id}.md`, addOnPage(r, ROOT, { helmOptionsLink: HELM_OPTIONS_LINK })]));
}

if (require.main === module) {
  for (const [page, text] of addOnPages()) {
    const path = join(ROOT, page);
    const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    if (current !== text) writeFileSync(path, text);
    process.stdout.write(`${page}: ${current === text ? 'up to date' : 'written'}\n`);
  }
  for (const page of Object.keys(GENERATED_PAGES)) {
    const path = join(ROOT, page);
    const current = readFileSync(path, 'utf8');
    const next = renderPage(page, current);
    if (next !== current) writeFileSync(path, next);
    process.stdout.write(`${page}: generated blocks ${next === current ? 'are up to date' : 'updated'}\n`);
  }
}
