import { Template } from 'aws-cdk-lib/assertions';
import type { PlatformAddOn } from '../../addons/core/addon';
import { buildPlatformApp } from '../../lib/app';
import { environmentNames } from '../../lib/config';
import type { ComputeMode } from '../../lib/config';
import type { WorkloadsConfig } from '../../lib/config/workload-rules';
import { SampleWorkloads } from '../../lib/workloads/sample-workloads';
import { CDK_JSON_CONTEXT } from '../helpers';
import type { SynthesizedApp } from '../helpers';

/** A synthesized app with the sample workloads, and the workloads construct. */
export interface WorkloadsApp extends SynthesizedApp {
  readonly workloads: SampleWorkloads;
}

/**
 * The app with only the given add-ons (none from configuration, no configured workloads) plus a
 * `SampleWorkloads` built from `workloads`, as PlatformStack will build it once the `workloads`
 * key is wired into the configuration.
 */
export function buildWorkloads(compute: ComputeMode, addons: readonly PlatformAddOn[], workloads: WorkloadsConfig, context: Record<string, unknown> = {}): WorkloadsApp {
  const built = buildPlatformApp(
    { context: { ...CDK_JSON_CONTEXT, compute, addons: '', sampleWorkloads: false, ...context } },
    { compliancePacks: false, addons },
  );
  const { platform, config } = built;
  const sample = new SampleWorkloads(platform, 'SampleWorkloads', {
    context: { cluster: platform.imported.cluster, vpc: platform.imported.vpc, config, names: environmentNames(config.environment) },
    addons: platform.addons,
    workloads,
  });
  return { ...built, workloads: sample, infraTemplate: Template.fromStack(built.infra), platformTemplate: Template.fromStack(platform) };
}
