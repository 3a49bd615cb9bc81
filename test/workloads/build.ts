import { Template } from 'aws-cdk-lib/assertions';

import type { PlatformAddOn } from '../../addons/core/addon';
import type { ComputeMode, WorkloadsConfig } from '../../lib/core/config';
import type { SampleWorkloads } from '../../lib/stacks/workloads/sample-workloads';
import type { SynthesizedApp } from '../helpers';
import { buildTestApp } from '../helpers';

/** A synthesized app with the sample workloads, and the workloads construct. */
export interface WorkloadsApp extends SynthesizedApp {
  readonly workloads: SampleWorkloads;
}

/**
 * The app with only the given add-ons (none from configuration) and the given workloads, as the
 * `workloads` key: the plan checks them against the add-ons and PlatformStack builds them.
 */
export function buildWorkloads(
  compute: ComputeMode,
  addons: readonly PlatformAddOn[],
  workloads: WorkloadsConfig,
  context: Record<string, unknown> = {},
): WorkloadsApp {
  const built = buildTestApp({ compute, addons: '', sampleWorkloads: false, workloads, ...context }, { addons });
  const sample = built.platform.node.findChild('Workloads') as SampleWorkloads;
  return {
    ...built,
    workloads: sample,
    infraTemplate: Template.fromStack(built.infra),
    platformTemplate: Template.fromStack(built.platform),
  };
}
