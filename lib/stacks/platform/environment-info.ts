import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';

import type { PlatformConfig } from '../../core/config';
import { PLATFORM_NAMESPACE } from '../../core/config';

export { PLATFORM_NAMESPACE };

/** Props for {@link EnvironmentInfo}. */
export interface EnvironmentInfoProps {
  readonly cluster: eks.ICluster;
  readonly config: PlatformConfig;
  /** The cluster's VPC; controllers such as the AWS Load Balancer Controller need its id. */
  readonly vpc: ec2.IVpc;
}

/**
 * The platform's namespace and a ConfigMap describing the environment, so that workloads and
 * humans on the cluster can read what they run on (and so the kubectl wiring is proven end to end).
 */
export class EnvironmentInfo extends Construct {
  readonly manifest: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: EnvironmentInfoProps) {
    super(scope, id);
    const { config } = props;
    const labels = { 'app.kubernetes.io/part-of': 'cdk-eks-platform', 'app.kubernetes.io/managed-by': 'cdk' };
    this.manifest = new eks.KubernetesManifest(this, 'Manifest', {
      cluster: props.cluster,
      overwrite: true,
      manifest: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: PLATFORM_NAMESPACE, labels } },
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'platform-environment', namespace: PLATFORM_NAMESPACE, labels },
          data: {
            environment: config.environment,
            profile: config.profile,
            region: config.region,
            kubernetesVersion: config.kubernetesVersion,
            compute: config.compute,
            availabilityZones: config.availabilityZones.join(','),
            vpcId: props.vpc.vpcId,
          },
        },
      ],
    });
  }
}
