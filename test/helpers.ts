import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { buildPlatformApp } from '../lib/app';
import type { PlatformApp } from '../lib/app';
import { createCompliancePacks } from '../lib/compliance/nag-packs';

/** The feature flags of cdk.json, so tests synthesize exactly what `cdk synth` does. */
export const CDK_JSON_CONTEXT: Record<string, unknown> = JSON.parse(
  readFileSync(join(__dirname, '..', 'cdk.json'), 'utf8'),
).context;

export interface SynthesizedApp extends PlatformApp {
  readonly infraTemplate: Template;
  readonly platformTemplate: Template;
}

const cache = new Map<string, SynthesizedApp>();

/** Builds and synthesizes the app for `context` (memoized: tests only read the result). */
export function synth(context: Record<string, unknown> = {}): SynthesizedApp {
  const key = JSON.stringify(context);
  const cached = cache.get(key);
  if (cached) {
    return cached;
  }
  const built = buildPlatformApp({ context: { ...CDK_JSON_CONTEXT, ...context } }, { compliancePacks: false });
  const result = {
    ...built,
    infraTemplate: Template.fromStack(built.infra),
    platformTemplate: Template.fromStack(built.platform),
  };
  cache.set(key, result);
  return result;
}

/** Every unacknowledged cdk-nag finding of the app, as "rule at path" lines. */
export function nagFindings(app: SynthesizedApp): string[] {
  return createCompliancePacks().flatMap((pack) =>
    pack.validateScope(app.app).violations.flatMap((v) =>
      v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`),
    ),
  );
}

/** Resources of one type in a template, by logical id. */
export function resourcesOfType(template: Template, type: string): Record<string, { Properties?: Record<string, unknown>; DependsOn?: string[] }> {
  return template.findResources(type);
}

/** A Kubernetes object as rendered into a manifest custom resource. */
export interface RenderedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
  readonly [field: string]: unknown;
}

/**
 * The Kubernetes objects of a `Custom::AWSCDK-EKS-KubernetesResource` Manifest property. Deploy-time
 * values (Fn::Join parts that are not strings) become the placeholder `<deploy-time>`.
 */
export function renderManifest(manifest: unknown): RenderedObject[] {
  const text = typeof manifest === 'string'
    ? manifest
    : ((manifest as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1])
        .map((part) => (typeof part === 'string' ? part : '<deploy-time>'))
        .join('');
  return JSON.parse(text) as RenderedObject[];
}

/** All Kubernetes objects a stack template applies through its kubectl handler. */
export function kubernetesObjects(template: Template): RenderedObject[] {
  return Object.values(template.findResources('Custom::AWSCDK-EKS-KubernetesResource'))
    .flatMap((resource) => renderManifest(resource.Properties.Manifest));
}
