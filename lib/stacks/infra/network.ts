import { RemovalPolicy, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

import { acknowledge, ruleIds } from '../../core/compliance/acknowledge';
import { runProviderHandlerInVpc } from '../../core/compliance/provider-handler-in-vpc';

/** Props for {@link ClusterNetwork}. */
export interface ClusterNetworkProps {
  /** IPv4 CIDR of the VPC (/16 to /20). */
  readonly cidr: string;
  /** The AZs to span, 2 or 3. */
  readonly availabilityZones: readonly string[];
  /** NAT gateways, from 1 (cheap) to one per AZ (no cross-AZ dependency). */
  readonly natGateways: number;
  /** Cluster name, for the `karpenter.sh/discovery` subnet tag. */
  readonly clusterName: string;
  /** Key that encrypts the flow-log group. */
  readonly logsKey: kms.IKey;
  /** Flow-log retention. */
  readonly logRetention: logs.RetentionDays;
}

/**
 * The cluster's VPC: a public and a private subnet in every AZ, NAT for egress, all traffic
 * logged, and the tags by which EKS, the load balancer controllers and Karpenter find subnets.
 */
export class ClusterNetwork extends Construct {
  readonly vpc: ec2.Vpc;

  constructor(scope: Construct, id: string, props: ClusterNetworkProps) {
    super(scope, id);
    const prefix = Number(props.cidr.split('/')[1]);
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(props.cidr),
      availabilityZones: [...props.availabilityZones],
      natGateways: props.natGateways,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      restrictDefaultSecurityGroup: true,
      subnetConfiguration: [
        // Load balancers only: small, and no instance gets a public IP by accident.
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: prefix + 5, mapPublicIpOnLaunch: false },
        // Nodes and pods (VPC CNI gives every pod a VPC address): the bulk of the space.
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: prefix + 3 },
      ],
    });

    const flowLogGroup = new logs.LogGroup(this, 'FlowLogGroup', {
      encryptionKey: props.logsKey,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // A customer-managed policy instead of the inline one the FlowLog construct would add; the
    // role handed over ignores further grants, so the policy below is all it can do.
    const flowLogRole = new iam.Role(this, 'FlowLogRole', {
      assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com'),
      description: 'Delivers VPC flow logs to CloudWatch Logs',
      managedPolicies: [
        new iam.ManagedPolicy(this, 'FlowLogPolicy', {
          description: 'VPC flow logs: write to the flow-log group only',
          statements: [
            new iam.PolicyStatement({
              actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
              resources: [flowLogGroup.logGroupArn],
            }),
          ],
        }),
      ],
    });
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup, flowLogRole.withoutPolicyUpdates()),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });

    for (const subnet of this.vpc.publicSubnets) {
      Tags.of(subnet).add('kubernetes.io/role/elb', '1');
      acknowledge(
        subnet,
        'Public subnets exist to hold internet-facing load balancers and the NAT gateways; their default ' +
          'route to the internet gateway is what makes them public. No instance or pod runs here ' +
          '(mapPublicIpOnLaunch is false, nodes use the private subnets).',
        ruleIds('VPCNoUnrestrictedRouteToIGW', 'nist', 'hipaa', 'pci'),
      );
    }
    for (const subnet of this.vpc.privateSubnets) {
      Tags.of(subnet).add('kubernetes.io/role/internal-elb', '1');
      Tags.of(subnet).add('karpenter.sh/discovery', props.clusterName);
    }
    this.runDefaultSecurityGroupHandlerInVpc();
  }

  /**
   * The function that closes the default security group (restrictDefaultSecurityGroup) runs in the
   * private subnets (CT.LAMBDA.PR.3); it calls the EC2 API through the NAT gateway, so its invocation
   * waits for the NAT routes (it also runs on stack deletion, before the routes go).
   */
  private runDefaultSecurityGroupHandlerInVpc(): void {
    const invocation = this.vpc.node.tryFindChild('RestrictDefaultSecurityGroupCustomResource');
    if (!invocation) {
      throw new Error('aws-cdk-lib no longer creates the restrict-default-security-group custom resource; review ClusterNetwork');
    }
    runProviderHandlerInVpc(this, {
      providerId: 'Custom::VpcRestrictDefaultSGCustomResourceProvider',
      vpc: this.vpc,
      subnets: this.vpc.privateSubnets,
      idPrefix: 'DefaultSecurityGroupHandler',
      name: 'default-security-group',
      purpose: 'removes the rules of the default security group',
      egress: 'EC2 API',
    });
    invocation.node.addDependency(...this.vpc.privateSubnets.map((subnet) => subnet.internetConnectivityEstablished));
  }
}
