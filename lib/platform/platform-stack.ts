import { CfnOutput, Stack, Tags } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { environmentNames } from '../config';
import type { PlatformConfig } from '../config';
import { EnvironmentInfo } from './environment-info';
import { ImportedCluster } from './imported-cluster';

/** Props for {@link PlatformStack}. */
export interface PlatformStackProps extends StackProps {
  /** The validated configuration (see `loadConfig`). */
  readonly config: PlatformConfig;
}

/**
 * The platform team's stack: everything applied through the Kubernetes API. It knows InfraStack
 * only through the named exports of `lib/contract.ts`.
 */
export class PlatformStack extends Stack {
  readonly imported: ImportedCluster;

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

    new CfnOutput(this, 'KubeconfigCommand', {
      value: `aws eks update-kubeconfig --name ${names.clusterName} --region ${this.region} --alias ${names.clusterName}`,
    });
    for (const [key, value] of Object.entries({ ...config.tags, 'platform:environment': config.environment })) {
      Tags.of(this).add(key, value);
    }
  }
}
