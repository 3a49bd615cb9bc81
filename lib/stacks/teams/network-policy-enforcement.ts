import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';

import type { ComputeMode } from '../../core/config';

/** Props for {@link NetworkPolicyEnforcement}. */
export interface NetworkPolicyEnforcementProps {
  readonly cluster: eks.ICluster;
  readonly compute: ComputeMode;
}

/**
 * Makes NetworkPolicies take effect. EKS Auto Mode enforces them only once the network policy
 * controller is switched on by this ConfigMap; on node groups InfraStack enables the VPC CNI's
 * network policy agent in the vpc-cni add-on configuration, so nothing is needed here.
 */
export class NetworkPolicyEnforcement extends Construct {
  constructor(scope: Construct, id: string, props: NetworkPolicyEnforcementProps) {
    super(scope, id);
    if (props.compute !== 'auto') {
      return;
    }
    new eks.KubernetesManifest(this, 'AutoModeController', {
      cluster: props.cluster,
      overwrite: true,
      manifest: [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'amazon-vpc-cni', namespace: 'kube-system' },
          data: { 'enable-network-policy-controller': 'true' },
        },
      ],
    });
  }
}
