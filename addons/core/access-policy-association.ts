import { Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledge, wildcardFinding } from '../../lib/compliance/acknowledge';
import { acknowledgeCustomResourceHandler, lambdaVpcNetworkingStatement } from '../../lib/compliance/custom-resource-handler';
import type { EnvironmentNames } from '../../lib/config';

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
 * eks:AssociateAccessPolicy on create and update and eks:DisassociateAccessPolicy on delete. The
 * handler runs in the VPC's private subnets and logs to a group encrypted with the logs key.
 */
export class AccessPolicyAssociation extends Construct {
  readonly resource: cr.AwsCustomResource;

  constructor(scope: Construct, id: string, props: AccessPolicyAssociationProps) {
    super(scope, id);
    const clusterName = props.cluster.clusterName;
    const policyArn = `arn:${Aws.PARTITION}:eks::aws:cluster-access-policy/${props.policyName}`;
    const accessScope = props.namespaces?.length
      ? { type: 'namespace', namespaces: [...props.namespaces] }
      : { type: 'cluster' };
    const logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: props.logsKey,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `Associate ${props.policyName} with an access entry of cluster ${props.names.clusterName}`,
      statements: [
        new iam.PolicyStatement({
          sid: 'AssociateAccessPolicy',
          actions: ['eks:AssociateAccessPolicy', 'eks:DisassociateAccessPolicy'],
          // access-entry/<cluster>/<type>/<account>/<name>/<uuid>: the uuid is known only to EKS.
          resources: [`arn:${Aws.PARTITION}:eks:${Aws.REGION}:${Aws.ACCOUNT_ID}:access-entry/${props.names.clusterName}/*`],
        }),
        new iam.PolicyStatement({
          sid: 'WriteOwnLogs',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [logGroup.logGroupArn],
        }),
        lambdaVpcNetworkingStatement('LambdaVpcNetworking'),
      ],
    });
    acknowledge(
      policy,
      'The access entry\'s ARN ends in a uuid only EKS knows, so the EKS actions name every access entry of this ' +
        'cluster; the EC2 network-interface actions a VPC-attached Lambda needs do not support resource-level ' +
        'permissions (they are limited to this region).',
      [wildcardFinding('Resource', `arn:<AWS::Partition>:eks:<AWS::Region>:<AWS::AccountId>:access-entry/${props.names.clusterName}/*`), wildcardFinding('Resource', '*')],
    );
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Associates ${props.policyName} with an access entry (deployment-time only)`,
      managedPolicies: [policy],
    });
    const call = (action: string, parameters: Record<string, unknown>): cr.AwsSdkCall => ({
      service: 'EKS',
      action,
      parameters: { clusterName, principalArn: props.principalArn, policyArn, ...parameters },
      physicalResourceId: cr.PhysicalResourceId.of(`${props.policyName}`),
    });
    this.resource = new cr.AwsCustomResource(this, 'Resource', {
      resourceType: 'Custom::EksAccessPolicyAssociation',
      onCreate: call('AssociateAccessPolicy', { accessScope }),
      onUpdate: call('AssociateAccessPolicy', { accessScope }),
      onDelete: call('DisassociateAccessPolicy', {}),
      // Immutable: every permission is in the customer-managed policy above.
      role: role.withoutPolicyUpdates(),
      vpc: props.vpc,
      vpcSubnets: { subnets: props.vpc.privateSubnets },
      logGroup,
      installLatestAwsSdk: false,
    });
    this.resource.node.addDependency(policy);
    // The handler is a stack-wide singleton (one per stack for every AwsCustomResource).
    const handler = Stack.of(this).node.tryFindChild(SINGLETON_ID);
    if (handler instanceof lambda.Function && !acknowledged.has(handler)) {
      acknowledged.add(handler);
      acknowledgeCustomResourceHandler(handler);
    }
  }
}

/** The construct id aws-cdk-lib gives the AwsCustomResource singleton function (its uuid). */
const SINGLETON_ID = 'AWS679f53fac002430cb0da5b7982bd2287';
const acknowledged = new WeakSet<lambda.Function>();
