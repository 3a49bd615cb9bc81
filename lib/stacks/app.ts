import type { App } from 'aws-cdk-lib';
import { Annotations } from 'aws-cdk-lib';

import { addCompliancePacks } from '../core/compliance/nag-packs';
import type { PlatformConfig } from '../core/config';
import { InfraStack } from './infra/infra-stack';
import { limitManagedPoliciesPerRole } from './infra/managed-policy-quota';
import type { PlanInputs, PlatformPlan } from './plan';
import { composePlan } from './plan';
import { PlatformStack } from './platform/platform-stack';

/** The assembled app; tests build it the same way `bin/app.ts` does. */
export interface PlatformApp {
  readonly app: App;
  /** What both stacks were built from. */
  readonly plan: PlatformPlan;
  /** `plan.config`. */
  readonly config: PlatformConfig;
  readonly infra: InfraStack;
  readonly platform: PlatformStack;
}

/** Options for {@link buildPlatformApp}: the plan's code inputs, and the compliance packs. */
export interface BuildOptions extends PlanInputs {
  /**
   * Register the cdk-nag packs as synth-time validation plugins. Tests that inspect templates turn
   * this off and run the packs explicitly where compliance is what they check.
   * @default true
   */
  readonly compliancePacks?: boolean;
}

/**
 * Builds both stacks into `app` (the caller's, so a consumer can add their own stacks beside
 * them) from its context and `options`. The plan is composed and checked before any construct
 * exists, so bad input never produces a partial template: a `ConfigError` lists every problem.
 */
export function buildPlatformApp(app: App, options: BuildOptions = {}): PlatformApp {
  const plan = composePlan(app.node.getAllContext(), options);
  const { config } = plan;
  const env = { account: config.account, region: config.region };
  // The CLI names stay InfraStack / PlatformStack; the CloudFormation names carry the environment.
  const infra = new InfraStack(app, 'InfraStack', { config, env });
  const platform = new PlatformStack(app, 'PlatformStack', { plan, env });
  platform.addStackDependency(infra, 'PlatformStack imports InfraStack named exports');
  limitManagedPoliciesPerRole(infra);
  limitManagedPoliciesPerRole(platform);
  for (const warning of plan.warnings) {
    Annotations.of(infra.platformCluster.cluster).addWarningV2('cdk-eks-platform:kubernetes-version-support', warning);
  }
  if (options.compliancePacks ?? true) {
    addCompliancePacks(app);
  }
  return { app, plan, config, infra, platform };
}
