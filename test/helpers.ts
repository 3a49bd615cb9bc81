import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

import type { PlatformAddOn } from '../addons/core/addon';
import { createCompliancePacks } from '../lib/core/compliance/nag-packs';
import { ConfigError, Problems } from '../lib/core/config';
import type { BuildOptions, PlatformApp } from '../lib/stacks/app';
import { buildPlatformApp } from '../lib/stacks/app';
import { composePlan } from '../lib/stacks/plan';

/** The feature flags of cdk.json, so tests synthesize exactly what `cdk synth` does. */
export const CDK_JSON_CONTEXT: Record<string, unknown> = JSON.parse(readFileSync(join(__dirname, '..', 'cdk.json'), 'utf8')).context;

/** How a test app differs from the one `cdk synth` runs. */
export interface TestAppOptions {
  /**
   * Runs aws-cdk-lib's built-in CloudFormation Validate plugin on the synth. Off by default: it
   * costs about a second of WebAssembly start-up per test process (docs/benchmarks.md) and checks
   * nothing a test asserts; test/cloudformation-validate.test.ts runs it on every configuration CI
   * synthesizes, and `cdk synth` always runs it.
   * @default false
   */
  readonly cloudFormationValidation?: boolean;
}

/**
 * An App as `cdk synth` makes it (cdk.json's feature flags, then `context`), except that it does
 * not copy asset files into its assembly (templates are the same, and a test app no longer writes
 * the 57 MB of kubectl and AWS CLI layers) and, unless asked, skips the CloudFormation Validate plugin.
 */
export function testApp(context: Record<string, unknown> = {}, options: TestAppOptions = {}): App {
  return new App({
    context: { ...CDK_JSON_CONTEXT, 'aws:cdk:disable-asset-staging': true, ...context },
    builtinCloudFormationValidation: options.cloudFormationValidation ?? false,
  });
}

/** The platform app built into {@link testApp}, without the compliance packs unless asked for. */
export function buildTestApp(context: Record<string, unknown> = {}, options: BuildOptions & TestAppOptions = {}): PlatformApp {
  const { cloudFormationValidation, ...build } = options;
  return buildPlatformApp(testApp(context, { cloudFormationValidation }), { compliancePacks: false, ...build });
}

export interface SynthesizedApp extends PlatformApp {
  readonly infraTemplate: Template;
  readonly platformTemplate: Template;
}

const cache = new Map<string, SynthesizedApp>();

/**
 * Builds and synthesizes the app for `context`, plus add-ons passed in code. Memoized when no
 * add-on instances are passed: tests only read the result.
 */
export function synth(context: Record<string, unknown> = {}, addons?: readonly PlatformAddOn[]): SynthesizedApp {
  const key = JSON.stringify(context);
  const cached = addons ? undefined : cache.get(key);
  if (cached) {
    return cached;
  }
  // A test that picks its own add-ons tests those; the sample workloads would need their controllers.
  const workloadsOff =
    context.addons !== undefined && context.sampleWorkloads === undefined && context.workloads === undefined
      ? { sampleWorkloads: false }
      : {};
  const built = buildTestApp({ ...workloadsOff, ...context }, { addons });
  const result = {
    ...built,
    infraTemplate: Template.fromStack(built.infra),
    platformTemplate: Template.fromStack(built.platform),
  };
  if (!addons) {
    cache.set(key, result);
  }
  return result;
}

/** Every unacknowledged cdk-nag finding of the app, as "rule at path" lines. */
export function nagFindings(app: Pick<SynthesizedApp, 'app'>): string[] {
  return createCompliancePacks().flatMap((pack) =>
    pack.validateScope(app.app).violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`)),
  );
}

/** Resources of one type in a template, by logical id. */
export function resourcesOfType(
  template: Template,
  type: string,
): Record<string, { Properties?: Record<string, unknown>; DependsOn?: string[] }> {
  return template.findResources(type);
}

/** A Kubernetes object as rendered into a manifest custom resource. */
export interface RenderedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  readonly [field: string]: unknown;
}

/** What a deploy-time value (an Fn::Join part that is not a string) is rendered as. */
export type DeployTimePlaceholder = (part: unknown) => string;

/** Every deploy-time value the same: `<deploy-time>`. */
const DEPLOY_TIME: DeployTimePlaceholder = () => '<deploy-time>';

/**
 * Each deploy-time value as itself, e.g. `<{'Fn::GetAtt':['RoleX','Arn']}>` (quotes made single so
 * it stays inside a JSON string): two renderings name the same value the same way.
 */
export const NAMED_DEPLOY_TIME: DeployTimePlaceholder = (part) => `<${JSON.stringify(part).replace(/["\\]/g, "'")}>`;

/**
 * The Kubernetes objects of a `Custom::AWSCDK-EKS-KubernetesResource` Manifest property. Deploy-time
 * values (Fn::Join parts that are not strings) become the placeholder `<deploy-time>` unless told.
 */
export function renderManifest(manifest: unknown, deployTime: DeployTimePlaceholder = DEPLOY_TIME): RenderedObject[] {
  const text = typeof manifest === 'string' ? manifest : (renderJoin(manifest, deployTime) as string);
  return JSON.parse(text) as RenderedObject[];
}

/** All Kubernetes objects a stack template applies through its kubectl handler. */
export function kubernetesObjects(template: Template, deployTime: DeployTimePlaceholder = DEPLOY_TIME): RenderedObject[] {
  return Object.values(template.findResources('Custom::AWSCDK-EKS-KubernetesResource')).flatMap((resource) =>
    renderManifest(resource.Properties.Manifest, deployTime),
  );
}

/** Helm releases of a template: chart, version, namespace and parsed values, by release name. */
export function helmReleases(
  template: Template,
  deployTime: DeployTimePlaceholder = DEPLOY_TIME,
): Record<
  string,
  {
    Chart: string;
    Version: string;
    Repository: string;
    Namespace: string;
    Values: Record<string, unknown>;
    SkipCrds?: boolean;
    /** Helm's `--wait`, `--atomic` and `--timeout` (e.g. "360s"), as the handler receives them. */
    Wait?: boolean;
    Atomic?: boolean;
    Timeout?: string;
    logicalId: string;
    DependsOn?: string[];
  }
> {
  const releases: ReturnType<typeof helmReleases> = {};
  for (const [logicalId, resource] of Object.entries(template.findResources('Custom::AWSCDK-EKS-HelmChart'))) {
    const props = resource.Properties;
    const values = typeof props.Values === 'string' ? props.Values : renderJoin(props.Values, deployTime);
    releases[props.Release] = { ...props, Values: values ? JSON.parse(values) : {}, logicalId, DependsOn: resource.DependsOn };
  }
  return releases;
}

function renderJoin(value: unknown, deployTime: DeployTimePlaceholder): string | undefined {
  if (value === undefined) return undefined;
  return (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1]
    .map((part) => (typeof part === 'string' ? part : deployTime(part)))
    .join('');
}

/** The problems of a configuration, as composing its plan reports them (the empty list when it is accepted). */
export function planProblems(context: Record<string, unknown>): readonly string[] {
  try {
    composePlan(context);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

/** The problem lines a reader reports (none when it reports nothing). */
export function problemLines(read: (p: Problems) => void): string[] {
  const p = new Problems();
  read(p);
  try {
    p.throwIfAny();
    return [];
  } catch (error) {
    if (error instanceof ConfigError) {
      return [...error.problems];
    }
    throw error;
  }
}
