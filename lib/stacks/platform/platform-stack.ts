import type { StackProps } from 'aws-cdk-lib';
import { CfnOutput, Stack, Tags } from 'aws-cdk-lib';
import { Construct } from 'constructs';

import type { AddOnContext } from '../../../addons/core/addon';
import { helmDelivery } from '../../../addons/core/helm-delivery';
import { functionLogRemovalPolicy, ownFunctionLogGroups } from '../../core/compliance/function-log-groups';
import type { TeamConfig } from '../../core/config';
import { hasWorkloads } from '../../core/config';
import { importInfraValue } from '../contract';
import type { PlatformPlan } from '../plan';
import { ApplicationTeam } from '../teams/application-team';
import { NetworkPolicyEnforcement } from '../teams/network-policy-enforcement';
import { SampleWorkloads } from '../workloads/sample-workloads';
import { deployAddOns } from './addon-deployment';
import { EnvironmentInfo } from './environment-info';
import { ImportedCluster } from './imported-cluster';
import { publishTeardown } from './teardown-output';

/** Props for {@link PlatformStack}. */
export interface PlatformStackProps extends StackProps {
  /** The composed and checked plan (see `composePlan`): add-ons, teams and workloads. */
  readonly plan: PlatformPlan;
}

/**
 * The platform team's stack: everything applied through the Kubernetes API. It knows InfraStack
 * only through the named exports of `lib/stacks/contract.ts`.
 */
export class PlatformStack extends Stack {
  readonly imported: ImportedCluster;
  /** What every add-on (and the sample workloads) is deployed with. */
  readonly context: AddOnContext;
  /** The scope of every deployed add-on, by id; workloads depend on the controllers they need. */
  readonly addons: ReadonlyMap<string, Construct>;
  /** The application teams, from configuration and code. */
  readonly teams: readonly TeamConfig[];

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    const { config, names, teams } = props.plan;
    super(scope, id, {
      stackName: names.platformStackName,
      description: `cdk-eks-platform add-ons, teams and workloads of ${config.environment}`,
      ...props,
    });
    this.imported = new ImportedCluster(this, 'Cluster', { config });
    new EnvironmentInfo(this, 'EnvironmentInfo', { cluster: this.imported.cluster, vpc: this.imported.vpc, config });

    const platformNamespaces = [...new Set(props.plan.addons.flatMap((a) => a.namespaces))].sort();
    const context: AddOnContext = (this.context = {
      cluster: this.imported.cluster,
      vpc: this.imported.vpc,
      config,
      names,
      platformNamespaces,
      logsKey: this.imported.logsKey,
      oidcIssuerUrl: this.imported.oidcIssuerUrl,
      helmRecovery: () => this.imported.helmRecovery(),
      // Helm unless the delivery is gitops: deployAddOns then gives each add-on Argo CD's instead.
      releaseChart: helmDelivery({ cluster: this.imported.cluster, helmRecovery: () => this.imported.helmRecovery() }),
    });
    const deployed = deployAddOns(this, props.plan.addons, context, props.plan.capacityWaits);
    this.addons = deployed.scopes;
    publishTeardown(this, props.plan.addons, context);

    this.teams = teams;
    if (teams.length > 0) {
      const enforcement = new NetworkPolicyEnforcement(this, 'NetworkPolicyEnforcement', {
        cluster: this.imported.cluster,
        compute: config.compute,
      });
      const perTeam = props.plan.addons.filter((a) => a.deployTeam !== undefined);
      for (const team of teams) {
        const applicationTeam = new ApplicationTeam(this, `Team-${team.name}`, { cluster: this.imported.cluster, team });
        applicationTeam.node.addDependency(enforcement);
        for (const addon of perTeam) {
          // Inside the team's scope, after its namespaces and after the add-on (its CRDs, its controller).
          const addonScope = new Construct(applicationTeam, `AddOn-${addon.id}`);
          addonScope.node.addDependency(applicationTeam.namespaces, this.addons.get(addon.id) as Construct);
          addon.deployTeam?.(addonScope, deployed.contexts.get(addon.id) ?? context, team);
        }
      }
    }
    new CfnOutput(this, 'TeamNamespaces', {
      value: this.teams.flatMap((t) => t.namespaces).join(',') || 'none',
      description: 'Namespaces of the application teams',
    });

    if (hasWorkloads(config.workloads)) {
      new SampleWorkloads(this, 'Workloads', { context, addons: { planned: props.plan.addons, scopes: this.addons } });
    }

    new CfnOutput(this, 'KubeconfigCommand', {
      value: `aws eks update-kubeconfig --name ${names.clusterName} --region ${this.region} --alias ${names.clusterName}`,
    });
    for (const [key, value] of Object.entries({ ...config.tags, 'platform:environment': config.environment })) {
      Tags.of(this).add(key, value);
    }
    // Last: every function built above, the add-ons' included.
    ownFunctionLogGroups(this, {
      encryptionKeyArn: importInfraValue(names, 'logsKeyArn'),
      retentionDays: config.logRetentionDays,
      removalPolicy: functionLogRemovalPolicy(config.profile),
    });
  }
}
