import type { PlanInputs, PlatformPlan } from '../../lib/stacks/plan';
import type { SynthesizedStack } from '../../lib/tools/synthesize';
import { synthesizeInMemory } from '../../lib/tools/synthesize';

/*
 * The diagram is drawn from what synth really produces: the plan both stacks were built from, and
 * the two templates, each resource with its construct path (so resources can be grouped by the
 * add-on, team or workload whose scope created them).
 */

/** One CloudFormation resource of a synthesized template. */
export interface Resource {
  readonly logicalId: string;
  readonly type: string;
  /** Construct path below the stack, e.g. `AddOns/karpenter/InterruptionQueue/Resource`. */
  readonly path: string;
  readonly properties: Readonly<Record<string, unknown>>;
}

export interface StackTemplate {
  /** The CloudFormation stack name (`dev-infra`). */
  readonly stackName: string;
  readonly resources: readonly Resource[];
  /** Outputs by logical id: the value and, for the contract, the export name. */
  readonly outputs: Readonly<Record<string, { readonly Value: unknown; readonly Export?: { readonly Name: string } }>>;
}

export interface SynthesizedEnvironment {
  readonly plan: PlatformPlan;
  readonly infra: StackTemplate;
  readonly platform: StackTemplate;
}

interface RawTemplate {
  readonly Resources?: Record<string, { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }>;
  readonly Outputs?: StackTemplate['outputs'];
}

/** The app for `context` as synth builds it (see `synthesizeInMemory`), resources with their construct paths. */
export function synthesize(context: Readonly<Record<string, unknown>>, inputs: PlanInputs = {}): SynthesizedEnvironment {
  const { plan, infra, platform } = synthesizeInMemory(context, inputs);
  const read = ({ stackName, constructId, template }: SynthesizedStack): StackTemplate => {
    const raw = template as RawTemplate;
    const resources = Object.entries(raw.Resources ?? {}).map(([logicalId, r]) => ({
      logicalId,
      type: r.Type,
      path: String(r.Metadata?.['aws:cdk:path'] ?? logicalId).replace(new RegExp(`^${constructId}/`), ''),
      properties: r.Properties ?? {},
    }));
    return { stackName, resources, outputs: raw.Outputs ?? {} };
  };
  return { plan, infra: read(infra), platform: read(platform) };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Calls `visit` on every object inside a value (intrinsics are objects). */
function eachObject(value: unknown, visit: (object: Record<string, unknown>) => void): void {
  if (Array.isArray(value)) {
    value.forEach((v) => eachObject(v, visit));
  } else if (isObject(value)) {
    visit(value);
    Object.values(value).forEach((v) => eachObject(v, visit));
  }
}

/** Logical ids a value refers to (`Ref`, `Fn::GetAtt`), anywhere inside it. */
export function referencedIds(value: unknown): string[] {
  const found = new Set<string>();
  eachObject(value, (o) => {
    if (typeof o.Ref === 'string' && !o.Ref.startsWith('AWS::')) found.add(o.Ref);
    const getAtt = o['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') found.add(getAtt[0]);
  });
  return [...found].sort();
}

/** Export names a value imports (`Fn::ImportValue`), anywhere inside it. */
export function importedExports(value: unknown): string[] {
  const found = new Set<string>();
  eachObject(value, (o) => {
    if (typeof o['Fn::ImportValue'] === 'string') found.add(o['Fn::ImportValue']);
  });
  return [...found].sort();
}

/**
 * A value as text for a label: strings as they are, `Fn::Join` with its deploy-time parts as
 * `<placeholder>`; anything else unknown (`undefined`).
 */
export function text(value: unknown, placeholder = '*'): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (isObject(value) && Array.isArray(value['Fn::Join'])) {
    const [separator, parts] = value['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => text(part, placeholder) ?? placeholder).join(separator);
  }
  return undefined;
}

/** A property path read from a resource, e.g. `prop(r, 'ScalingConfig', 'MaxSize')`. */
export function prop(resource: Resource, ...keys: string[]): unknown {
  let value: unknown = resource.properties;
  for (const key of keys) {
    value = isObject(value) ? value[key] : undefined;
  }
  return value;
}

/** The value of a CloudFormation tag of a resource. */
export function tag(resource: Resource, key: string): string | undefined {
  const tags = resource.properties.Tags;
  if (!Array.isArray(tags)) return undefined;
  const found = tags.find((t): t is { Key: string; Value: unknown } => isObject(t) && t.Key === key);
  return found ? text(found.Value) : undefined;
}

/** The Kubernetes objects a `Custom::AWSCDK-EKS-KubernetesResource` applies. */
export interface KubernetesObject {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly annotations?: Record<string, string> };
  readonly spec?: Record<string, unknown>;
}

export function kubernetesObjects(resource: Resource): KubernetesObject[] {
  // Deploy-time values of a manifest sit inside its JSON strings, so a bare placeholder keeps it valid.
  const manifest = text(resource.properties.Manifest, '<deploy-time>');
  return manifest === undefined ? [] : (JSON.parse(manifest) as KubernetesObject[]);
}
