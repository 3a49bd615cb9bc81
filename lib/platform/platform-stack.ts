import { CfnOutput, Stack, Tags } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { createAddOns } from '../../addons/catalog';
import type { AddOnContext, PlatformAddOn } from '../../addons/core/addon';
import { environmentNames, Problems } from '../config';
import type { PlatformConfig } from '../config';
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
}

/**
 * The platform team's stack: everything applied through the Kubernetes API. It knows InfraStack
 * only through the named exports of `lib/contract.ts`.
 */
export class PlatformStack extends Stack {
  readonly imported: ImportedCluster;
  /** The scope of every deployed add-on, by id; workloads depend on the controllers they need. */
  readonly addons: ReadonlyMap<string, Construct>;

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

    new CfnOutput(this, 'KubeconfigCommand', {
      value: `aws eks update-kubeconfig --name ${names.clusterName} --region ${this.region} --alias ${names.clusterName}`,
    });
    for (const [key, value] of Object.entries({ ...config.tags, 'platform:environment': config.environment })) {
      Tags.of(this).add(key, value);
    }
  }
}
