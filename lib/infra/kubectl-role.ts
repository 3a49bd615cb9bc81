import { ArnFormat, Aws, Stack } from 'aws-cdk-lib';
import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { acknowledge, wildcardFinding } from '../compliance/acknowledge';

/** Props for {@link KubectlRole}. */
export interface KubectlRoleProps {
  readonly cluster: eks.Cluster;
}

/**
 * The role PlatformStack's kubectl handler runs as. It lives here because cluster-wide access is
 * the infrastructure team's decision: PlatformStack can apply manifests only through this role.
 * Its permissions are customer-managed (not inline, not AWS-managed) so they are reviewable here.
 */
export class KubectlRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: KubectlRoleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const policy = new iam.ManagedPolicy(this, 'Policy', {
      description: 'kubectl handler: find the cluster, log, and run in the VPC',
      statements: [
        new iam.PolicyStatement({
          sid: 'DescribeCluster',
          actions: ['eks:DescribeCluster'],
          resources: [props.cluster.clusterArn],
        }),
        new iam.PolicyStatement({
          sid: 'WriteOwnLogs',
          actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '/aws/lambda/*', arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
        }),
        new iam.PolicyStatement({
          sid: 'LambdaVpcNetworking',
          actions: [
            'ec2:CreateNetworkInterface',
            'ec2:DescribeNetworkInterfaces',
            'ec2:DescribeSubnets',
            'ec2:DeleteNetworkInterface',
            'ec2:AssignPrivateIpAddresses',
            'ec2:UnassignPrivateIpAddresses',
          ],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:RequestedRegion': Aws.REGION } },
        }),
        // The handler logs in to ECR Public before it pulls oci://public.ecr.aws charts (Karpenter).
        new iam.PolicyStatement({ sid: 'EcrPublicLogin', actions: ['ecr-public:GetAuthorizationToken'], resources: ['*'] }),
        new iam.PolicyStatement({
          sid: 'EcrPublicBearerToken',
          actions: ['sts:GetServiceBearerToken'],
          resources: ['*'],
          conditions: { StringEquals: { 'sts:AWSServiceName': 'ecr-public.amazonaws.com' } },
        }),
      ],
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `kubectl handler of the PlatformStack for cluster ${props.cluster.clusterName}`,
      managedPolicies: [policy],
    });
    props.cluster.grantClusterAdmin('KubectlRoleAccess', this.role.roleArn);

    acknowledge(
      policy,
      'Lambda creates its log group by name at first invocation (/aws/lambda/<function>, unknown here), and the ' +
        'EC2 network-interface actions a VPC-attached Lambda needs do not support resource-level permissions; ' +
        'the latter are limited to this region. The ECR Public login that helm needs to pull oci://public.ecr.aws ' +
        'charts has no resource-level permissions either (and its bearer token is limited to ecr-public).',
      [
        wildcardFinding('Resource', `arn:${RegionInfo.get(stack.region).partition ?? '<AWS::Partition>'}:logs:${stack.region}:<AWS::AccountId>:log-group:/aws/lambda/*`),
        wildcardFinding('Resource', '*'),
      ],
    );
  }
}
