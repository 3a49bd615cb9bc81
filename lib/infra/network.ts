import { CfnResource, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge, ruleIds, wildcardFinding } from '../compliance/acknowledge';
import { lambdaVpcNetworkingStatement } from '../compliance/custom-resource-handler';

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
   * AWS Control Tower CT.LAMBDA.PR.3 refuses Lambda functions outside a VPC, and the function that
   * closes the default security group (restrictDefaultSecurityGroup) is one: aws-cdk-lib creates it
   * as a singleton CustomResourceProvider without VPC options. Its raw resources are configured here
   * instead: the private subnets with an HTTPS-only security group (it calls the EC2 API through the
   * NAT gateway), the ENI permissions Lambda checks when the function is created, and the NAT routes
   * before it runs (it also runs on stack deletion, before the routes go).
   */
  private runDefaultSecurityGroupHandlerInVpc(): void {
    const provider = Stack.of(this).node.tryFindChild('Custom::VpcRestrictDefaultSGCustomResourceProvider');
    const handler = provider?.node.tryFindChild('Handler');
    const role = provider?.node.tryFindChild('Role');
    const invocation = this.vpc.node.tryFindChild('RestrictDefaultSecurityGroupCustomResource');
    if (!(handler instanceof CfnResource && role instanceof CfnResource && invocation)) {
      throw new Error('aws-cdk-lib no longer creates the restrict-default-security-group handler this construct puts into the VPC; review ClusterNetwork');
    }
    const securityGroup = new ec2.SecurityGroup(this, 'DefaultSecurityGroupHandlerSecurityGroup', {
      vpc: this.vpc,
      description: 'Lambda that removes the rules of the default security group: HTTPS to the EC2 API only',
      allowAllOutbound: false,
    });
    securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'EC2 API through the NAT gateway');
    const vpcAccess = new iam.ManagedPolicy(this, 'DefaultSecurityGroupHandlerVpcAccess', {
      description: 'Network interfaces of the default-security-group Lambda in the private subnets',
      statements: [lambdaVpcNetworkingStatement()],
      roles: [iam.Role.fromRoleName(this, 'DefaultSecurityGroupHandlerRole', role.ref)],
    });
    acknowledge(
      vpcAccess,
      'The EC2 network-interface actions a VPC-attached Lambda needs have no resource-level permissions; they are ' +
        'limited to this region, and the role is that of the one function that closes the default security group.',
      [wildcardFinding('Resource', '*')],
    );
    handler.addPropertyOverride('VpcConfig', {
      SubnetIds: this.vpc.privateSubnets.map((subnet) => subnet.subnetId),
      SecurityGroupIds: [securityGroup.securityGroupId],
    });
    handler.addResourceDependency(vpcAccess.node.defaultChild as CfnResource);
    invocation.node.addDependency(...this.vpc.privateSubnets.map((subnet) => subnet.internetConnectivityEstablished));
  }
}
