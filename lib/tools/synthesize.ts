import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Stack } from 'aws-cdk-lib';
import { App } from 'aws-cdk-lib';

import { buildPlatformApp } from '../stacks/app';
import type { PlanInputs, PlatformPlan } from '../stacks/plan';

/** One stack's template as synth writes it. */
export interface SynthesizedStack {
  /** The CloudFormation stack name (`dev-infra`). */
  readonly stackName: string;
  /** The stack's construct id (`InfraStack`), the first part of its resources' construct paths. */
  readonly constructId: string;
  readonly template: Readonly<Record<string, unknown>>;
}

/** Both templates, with the plan they were built from. */
export interface SynthesizedPlatform {
  readonly plan: PlatformPlan;
  readonly infra: SynthesizedStack;
  readonly platform: SynthesizedStack;
}

/**
 * Builds and synthesizes the app for `context` (cdk.json's context, then `-c` values, as `cdk synth`
 * sees them) for tools that read what synth produces, such as the cost estimate and the diagram.
 * The assembly goes to a temporary directory that is removed afterwards (the user's cdk.out is never
 * touched); assets are not staged, the compliance packs stay off (they do not change templates), and
 * each resource carries its construct path (`aws:cdk:path`) so it can be traced to its scope.
 * aws-cdk-lib's built-in CloudFormation Validate plugin stays off too: it only reports on the
 * templates, `cdk synth` runs it on every synth anyway, and it costs the tools about a second each
 * (docs/benchmarks.md).
 */
export function synthesizeInMemory(context: Readonly<Record<string, unknown>>, inputs: PlanInputs = {}): SynthesizedPlatform {
  const outdir = mkdtempSync(join(tmpdir(), 'cdk-eks-platform-synth-'));
  try {
    const app = new App({
      outdir,
      context: { ...context, 'aws:cdk:disable-asset-staging': true, 'aws:cdk:enable-path-metadata': true },
      builtinCloudFormationValidation: false,
    });
    const built = buildPlatformApp(app, { ...inputs, compliancePacks: false });
    const assembly = app.synth();
    const read = (stack: Stack): SynthesizedStack => ({
      stackName: stack.stackName,
      constructId: stack.node.id,
      template: assembly.getStackArtifact(stack.artifactId).template as Record<string, unknown>,
    });
    return { plan: built.plan, infra: read(built.infra), platform: read(built.platform) };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
