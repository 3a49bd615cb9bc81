import { CfnOutput, Stack, Tags } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { createAddOns } from '../../addons/catalog';
import type { AddOnContext, PlatformAddOn } from '../../addons/core/addon';
import { addOnNamespaces } from '../../addons/catalog';
import { checkUniquePrincipals, environmentNames, hasWorkloads, Problems, readTeams, SYSTEM_NAMESPACES, workloadNamespaces } from '../config';
import type { PlatformConfig, TeamConfig, TeamInput } from '../config';
import { ApplicationTeam } from '../teams/application-team';
import { NetworkPolicyEnforcement } from '../teams/network-policy-enforcement';
import { SampleWorkloads } from '../workloads/sample-workloads';
import { deployAddOns } from './addon-deployment';
import { EnvironmentInfo } from './environment-info';
import { ImportedCluster } from './imported-cluster';

/** Props for {@link PlatformStack}. */
export interface PlatformStackProps extends StackProps {
  /** The validated configuration (see `loadConfig`). */
  readonly config: PlatformConfig;
  /**
   * Add-ons passed in code, deployed together with those selected in configuration (`addons`).
   * @default []
   */
  readonly addons?: readonly PlatformAddOn[];
  /**
   * Application teams passed in code, in addition to those in configuration (`teams`); validated
   * the same way (unique principals and namespaces across the app).
   * @default []
   */
  readonly teams?: readonly TeamInput[];
}

/**
 * The platform team's stack: everything applied through the Kubernetes API. It knows InfraStack
 * only through the named exports of `lib/contract.ts`.
 */
export class PlatformStack extends Stack {
  readonly imported: ImportedCluster;
  /** The scope of every deployed add-on, by id; workloads depend on the controllers they need. */
  readonly addons: ReadonlyMap<string, Construct>;
  /** The application teams, from configuration and code. */
  readonly teams: readonly TeamConfig[];

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    const { config } = props;
    const names = environmentNames(config.environment);
    super(scope, id, {
      stackName: names.platformStackName,
      description: `cdk-eks-platform add-ons, teams and workloads of ${config.environment}`,
      ...props,
    });
    this.imported = new ImportedCluster(this, 'Cluster', { config });
    new EnvironmentInfo(this, 'EnvironmentInfo', { cluster: this.imported.cluster, vpc: this.imported.vpc, config });

    const context: AddOnContext = { cluster: this.imported.cluster, vpc: this.imported.vpc, config, names };
    const problems = new Problems();
    const configured = createAddOns(problems, config.addons);
    problems.throwIfAny();
    this.addons = deployAddOns(this, [...configured, ...(props.addons ?? [])], context);

    this.teams = this.validatedTeams(config, props.teams ?? []);
    if (this.teams.length > 0) {
      const enforcement = new NetworkPolicyEnforcement(this, 'NetworkPolicyEnforcement', { cluster: this.imported.cluster, compute: config.compute });
      for (const team of this.teams) {
        new ApplicationTeam(this, `Team-${team.name}`, { cluster: this.imported.cluster, team }).node.addDependency(enforcement);
      }
    }
    new CfnOutput(this, 'TeamNamespaces', {
      value: this.teams.flatMap((t) => t.namespaces).join(',') || 'none',
      description: 'Namespaces of the application teams',
    });

    if (hasWorkloads(config.workloads)) {
      new SampleWorkloads(this, 'Workloads', { context, addons: this.addons });
    }

    new CfnOutput(this, 'KubeconfigCommand', {
      value: `aws eks update-kubeconfig --name ${names.clusterName} --region ${this.region} --alias ${names.clusterName}`,
    });
    for (const [key, value] of Object.entries({ ...config.tags, 'platform:environment': config.environment })) {
      Tags.of(this).add(key, value);
    }
  }

  /** Configuration teams plus code teams, checked together against every other access entry. */
  private validatedTeams(config: PlatformConfig, codeTeams: readonly TeamInput[]): TeamConfig[] {
    const p = new Problems();
    const teams = readTeams(p, [...config.teams, ...codeTeams], [...SYSTEM_NAMESPACES, ...addOnNamespaces(config.addons), ...workloadNamespaces(config.workloads)], 'teams (configuration and code)');
    checkUniquePrincipals(p, [
      ...config.clusterAdmins.map((principalArn, i) => ({ key: `clusterAdmins[${i}]`, principalArn })),
      ...config.accessEntries.map((e, i) => ({ key: `accessEntries[${i}].principalArn`, principalArn: e.principalArn })),
      ...teams.flatMap((t) => t.principals.map((principalArn) => ({ key: `team "${t.name}" principals`, principalArn }))),
    ]);
    p.throwIfAny();
    return teams;
  }
}
