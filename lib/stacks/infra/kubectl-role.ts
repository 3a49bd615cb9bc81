import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';

import { acknowledge, wildcardFinding } from '../../core/compliance/acknowledge';
import { lambdaVpcNetworkingStatement } from '../../core/compliance/custom-resource-handler';

/** Props for {@link KubectlRole}. */
export interface KubectlRoleProps {
  readonly cluster: eks.Cluster;
}

/**
 * The role PlatformStack's kubectl handler runs as, and its Helm release recovery (which needs the
 * same cluster access, no more). It lives here because cluster-wide access is the infrastructure
 * team's decision: PlatformStack can apply manifests only through this role.
 * Its permissions are customer-managed (not inline, not AWS-managed) so they are reviewable here.
 */
export class KubectlRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: KubectlRoleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const ecrRepositories = stack.formatArn({ service: 'ecr', resource: 'repository', resourceName: '*' });
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
          resources: [
            stack.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: '/aws/lambda/*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          ],
        }),
        lambdaVpcNetworkingStatement('LambdaVpcNetworking'),
        // The handler logs in to ECR Public before it pulls oci://public.ecr.aws charts (Karpenter).
        new iam.PolicyStatement({ sid: 'EcrPublicLogin', actions: ['ecr-public:GetAuthorizationToken'], resources: ['*'] }),
        new iam.PolicyStatement({
          sid: 'EcrPublicBearerToken',
          actions: ['sts:GetServiceBearerToken'],
          resources: ['*'],
          conditions: { StringEquals: { 'sts:AWSServiceName': 'ecr-public.amazonaws.com' } },
        }),
        // For oci://<account>.dkr.ecr.<region>.amazonaws.com charts the handler runs `aws ecr
        // get-login-password` (GetAuthorizationToken, which has no resource-level permissions) and helm
        // then reads the chart's manifest and layers: the pull actions of AmazonEC2ContainerRegistryPullOnly,
        // limited to this account's repositories in this region.
        new iam.PolicyStatement({ sid: 'EcrLogin', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }),
        new iam.PolicyStatement({
          sid: 'PullChartsFromEcr',
          actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
          resources: [ecrRepositories],
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
        'the latter are limited to this region. The ECR and ECR Public logins that helm needs for oci:// charts ' +
        'have no resource-level permissions either (the ECR Public bearer token is limited to ecr-public); chart ' +
        'pulls from private ECR are limited to repositories of this account and region, whose names are the ' +
        "charts' and only known when an add-on is configured.",
      [
        wildcardFinding('Resource', `${nagArnPrefix(stack, 'logs')}:log-group:/aws/lambda/*`),
        wildcardFinding('Resource', `${nagArnPrefix(stack, 'ecr')}:repository/*`),
        wildcardFinding('Resource', '*'),
      ],
    );
  }
}

/** How cdk-nag prints the start of an ARN of this stack (literal partition and region when they are known). */
function nagArnPrefix(stack: Stack, service: string): string {
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  return `arn:${RegionInfo.get(stack.region).partition ?? '<AWS::Partition>'}:${service}:${region}:<AWS::AccountId>`;
}
