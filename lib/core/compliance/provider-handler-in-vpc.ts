import { CfnResource, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

import { acknowledge, wildcardFinding } from './acknowledge';
import { lambdaVpcNetworkingStatement } from './custom-resource-handler';

/** Props for {@link runProviderHandlerInVpc}. */
export interface ProviderHandlerInVpcProps {
  /** Construct id of the singleton CustomResourceProvider in its stack. */
  readonly providerId: string;
  readonly vpc: ec2.IVpc;
  /** Private subnets with a route to the internet (the handler answers CloudFormation over HTTPS). */
  readonly subnets: readonly ec2.ISubnet[];
  /** Prefix of the ids of what this creates in `scope`. */
  readonly idPrefix: string;
  /** A short name of the function, e.g. `default-security-group`. */
  readonly name: string;
  /** What the function does, e.g. `removes the rules of the default security group`. */
  readonly purpose: string;
  /** Where its HTTPS calls go, e.g. `EC2 API`. */
  readonly egress: string;
}

/**
 * AWS Control Tower CT.LAMBDA.PR.3 refuses Lambda functions outside a VPC, and aws-cdk-lib's
 * singleton CustomResourceProviders (the restrict-default-security-group handler, the CfnJson
 * resolver) have no VPC options. Their raw resources are configured instead: the given subnets with
 * an HTTPS-only security group, and the network-interface permissions Lambda checks when the function
 * is created (the handler depends on them, so they also outlive it on deletion).
 * Returns the policy, for callers that order more around it.
 */
export function runProviderHandlerInVpc(scope: Construct, props: ProviderHandlerInVpcProps): iam.ManagedPolicy {
  const provider = Stack.of(scope).node.tryFindChild(props.providerId);
  const handler = provider?.node.tryFindChild('Handler');
  const role = provider?.node.tryFindChild('Role');
  if (!(handler instanceof CfnResource && role instanceof CfnResource)) {
    throw new Error(`aws-cdk-lib no longer creates ${props.providerId}/Handler and /Role as raw resources; review runProviderHandlerInVpc`);
  }
  const securityGroup = new ec2.SecurityGroup(scope, `${props.idPrefix}SecurityGroup`, {
    vpc: props.vpc,
    description: `Lambda that ${props.purpose}: HTTPS to the ${props.egress} only`,
    allowAllOutbound: false,
  });
  securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), `${props.egress} through the NAT gateway`);
  const vpcAccess = new iam.ManagedPolicy(scope, `${props.idPrefix}VpcAccess`, {
    description: `Network interfaces of the ${props.name} Lambda in the private subnets`,
    statements: [lambdaVpcNetworkingStatement()],
    roles: [iam.Role.fromRoleName(scope, `${props.idPrefix}Role`, role.ref)],
  });
  acknowledge(
    vpcAccess,
    'The EC2 network-interface actions a VPC-attached Lambda needs have no resource-level permissions; they are ' +
      `limited to this region, and the role is that of the one function that ${props.purpose}.`,
    [wildcardFinding('Resource', '*')],
  );
  handler.addPropertyOverride('VpcConfig', {
    SubnetIds: props.subnets.map((subnet) => subnet.subnetId),
    SecurityGroupIds: [securityGroup.securityGroupId],
  });
  handler.addResourceDependency(vpcAccess.node.defaultChild as CfnResource);
  return vpcAccess;
}
