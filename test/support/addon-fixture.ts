import type { App } from 'aws-cdk-lib';
import { Stack, Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

import type { AddOnContext, PlatformAddOn } from '../../addons/core/addon';
import { helmDelivery } from '../../addons/core/helm-delivery';
import { functionLogRemovalPolicy, ownFunctionLogGroups } from '../../lib/core/compliance/function-log-groups';
import { composePlan } from '../../lib/stacks/plan';
import { deployAddOns } from '../../lib/stacks/platform/addon-deployment';
import { ImportedCluster } from '../../lib/stacks/platform/imported-cluster';
import { testApp } from '../helpers';

/*
 * A test about one add-on builds that add-on, not the platform: a bare stack with the imported
 * cluster, the AddOnContext and the tags PlatformStack would give it, and nothing else (no
 * InfraStack, no other add-ons, teams or workloads, no cdk-nag). The configuration is the plan's
 * (composePlan, so e.g. the ops group is dedicated only when an add-on adds nodes), and a plan
 * problem throws as it would in a synth. Checks across add-ons (dependencies, conflicts, capacity)
 * are plan tests: composePlan, or `synth` in test/helpers.ts.
 */

export interface AddOnFixture {
  /** The fixture's app (what `nagFindings` checks). */
  readonly app: App;
  readonly stack: Stack;
  readonly context: AddOnContext;
  /** The stack's template, synthesized once on first read. */
  readonly template: Template;
}

/**
 * Deploys `addons` (ordered by their dependencies, as the plan orders them) into a fixture stack,
 * with the configuration `context` gives (as `-c key=value` would; `addons` there is ignored).
 */
export function deployAlone(addons: PlatformAddOn | readonly PlatformAddOn[], context: Record<string, unknown> = {}): AddOnFixture {
  const list = Array.isArray(addons) ? addons : [addons as PlatformAddOn];
  // The sample workloads need controllers this fixture does not deploy.
  const plan = composePlan({ sampleWorkloads: false, ...context, addons: '' }, { addons: list });
  const config = plan.config;
  const app = testApp();
  const stack = new Stack(app, 'AddOnFixture', { env: { account: config.account, region: config.region } });
  const imported = new ImportedCluster(stack, 'Cluster', { config });
  const fixtureContext: AddOnContext = {
    cluster: imported.cluster,
    vpc: imported.vpc,
    config,
    names: plan.names,
    platformNamespaces: [...new Set(plan.addons.flatMap((a) => a.namespaces))].sort(),
    logsKey: imported.logsKey,
    oidcIssuerUrl: imported.oidcIssuerUrl,
    helmRecovery: () => imported.helmRecovery(),
    releaseChart: helmDelivery({ cluster: imported.cluster, helmRecovery: () => imported.helmRecovery() }),
  };
  deployAddOns(stack, plan.addons, fixtureContext, plan.capacityWaits);
  // As PlatformStack tags itself: an add-on's own tags (e.g. the one down.sh keeps by) sit beside these.
  for (const [key, value] of Object.entries({ ...config.tags, 'platform:environment': config.environment })) {
    Tags.of(stack).add(key, value);
  }
  // As PlatformStack finishes itself: every function logs to a group of its own stack.
  ownFunctionLogGroups(stack, {
    encryptionKeyArn: imported.logsKey.keyArn,
    retentionDays: config.logRetentionDays,
    removalPolicy: functionLogRemovalPolicy(config.profile),
  });
  let template: Template | undefined;
  return {
    app,
    stack,
    context: fixtureContext,
    get template(): Template {
      template ??= Template.fromStack(stack);
      return template;
    },
  };
}
