import { Aws } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

import { acknowledge, wildcardFinding } from '../../lib/core/compliance/acknowledge';
import type { EnvironmentNames } from '../../lib/core/config';
import { SdkCall } from './sdk-call';

/** Props for {@link AccessPolicyAssociation}. */
export interface AccessPolicyAssociationProps {
  readonly cluster: eks.ICluster;
  readonly vpc: ec2.IVpc;
  readonly names: EnvironmentNames;
  /** The key the handler's log group is encrypted with. */
  readonly logsKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  /** The principal of an access entry that EKS (not this app) created, e.g. a capability role. */
  readonly principalArn: string;
  /** The access policy's name, e.g. AmazonEKSSecretReaderPolicy. */
  readonly policyName: string;
  /** @default - cluster-wide */
  readonly namespaces?: readonly string[];
}

/**
 * An EKS access policy associated with an access entry this app does not own. CloudFormation has
 * `AWS::EKS::AccessEntry` (with its policies) but no resource for associating a policy with an
 * entry someone else created, such as the one EKS creates for a capability role; this calls
 * eks:AssociateAccessPolicy on create and update and eks:DisassociateAccessPolicy on delete, through
 * the stack's one AWS SDK call handler ({@link SdkCall}).
 */
export class AccessPolicyAssociation extends Construct {
  readonly resource: cr.AwsCustomResource;

  constructor(scope: Construct, id: string, props: AccessPolicyAssociationProps) {
    super(scope, id);
    const clusterName = props.cluster.clusterName;
    const policyArn = `arn:${Aws.PARTITION}:eks::aws:cluster-access-policy/${props.policyName}`;
    const accessScope = props.namespaces?.length ? { type: 'namespace', namespaces: [...props.namespaces] } : { type: 'cluster' };
    // access-entry/<cluster>/<type>/<account>/<name>/<uuid>: the uuid is known only to EKS.
    const accessEntries = `arn:${Aws.PARTITION}:eks:${Aws.REGION}:${Aws.ACCOUNT_ID}:access-entry/${props.names.clusterName}/*`;
    const call = (action: string, parameters: Record<string, unknown>): cr.AwsSdkCall => ({
      service: 'EKS',
      action,
      parameters: { clusterName, principalArn: props.principalArn, policyArn, ...parameters },
      physicalResourceId: cr.PhysicalResourceId.of(`${props.policyName}`),
    });
    const sdkCall = new SdkCall(this, 'Call', {
      vpc: props.vpc,
      names: props.names,
      logsKey: props.logsKey,
      logRetention: props.logRetention,
      resourceType: 'Custom::EksAccessPolicyAssociation',
      purpose: `Associate ${props.policyName} with an access entry of cluster ${props.names.clusterName}`,
      statements: [
        new iam.PolicyStatement({
          sid: 'AssociateAccessPolicy',
          actions: ['eks:AssociateAccessPolicy', 'eks:DisassociateAccessPolicy'],
          resources: [accessEntries],
        }),
      ],
      onCreate: call('AssociateAccessPolicy', { accessScope }),
      onUpdate: call('AssociateAccessPolicy', { accessScope }),
      onDelete: call('DisassociateAccessPolicy', {}),
    });
    acknowledge(
      sdkCall.policy,
      "The access entry's ARN ends in a uuid only EKS knows, so the EKS actions name every access entry of this cluster.",
      [wildcardFinding('Resource', `arn:<AWS::Partition>:eks:<AWS::Region>:<AWS::AccountId>:access-entry/${props.names.clusterName}/*`)],
    );
    this.resource = sdkCall.resource;
  }
}
