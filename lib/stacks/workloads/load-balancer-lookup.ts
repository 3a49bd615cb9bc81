import { join } from 'node:path';

import { CustomResource, Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

import { acknowledge, wildcardFinding } from '../../core/compliance/acknowledge';
import { acknowledgeCustomResourceHandler, lambdaVpcNetworkingStatement } from '../../core/compliance/custom-resource-handler';

/** Props for {@link LoadBalancerLookup}. */
export interface LoadBalancerLookupProps {
  /** The VPC whose private subnets the function runs in (they reach the ELB API through NAT). */
  readonly vpc: ec2.IVpc;
  /** The name a Service gave its load balancer (`service.beta.kubernetes.io/aws-load-balancer-name`). */
  readonly loadBalancerName: string;
  /**
   * A value that changes when the load balancer is replaced, e.g. its DNS name read from the
   * Service status; a change makes the lookup run again.
   */
  readonly trigger: string;
  /** Key of the function's log group. */
  readonly logsKey: kms.IKey;
  /** Retention of the function's log group. */
  readonly logRetention: logs.RetentionDays;
  /**
   * How long to wait for the load balancer to become active.
   * @default Duration.minutes(14)
   */
  readonly timeout?: Duration;
}

/**
 * Finds a load balancer that a controller in the cluster created (so CloudFormation does not know
 * it) by its fixed name, waits until it is active and returns its ARN and DNS name.
 *
 * An `AwsCustomResource` calling `DescribeLoadBalancers` would return the ARN while the NLB is
 * still provisioning, and API Gateway fails a VPC link to such an NLB ("NLB is not in active
 * state"); this single function polls until it is active instead.
 */
export class LoadBalancerLookup extends Construct {
  /** The load balancer's ARN (deploy-time token). */
  readonly loadBalancerArn: string;
  /** The load balancer's DNS name (deploy-time token). */
  readonly dnsName: string;
  readonly function: lambda.Function;

  constructor(scope: Construct, id: string, props: LoadBalancerLookupProps) {
    super(scope, id);
    const timeout = props.timeout ?? Duration.minutes(14);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: props.logsKey,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `Find load balancer ${props.loadBalancerName} by name, log, and run in the VPC`,
      statements: [
        new iam.PolicyStatement({
          sid: 'DescribeLoadBalancers',
          actions: ['elasticloadbalancing:DescribeLoadBalancers'],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'WriteOwnLogs',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [logGroup.logGroupArn],
        }),
        new iam.PolicyStatement({
          sid: 'XRayTracing',
          actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
          resources: ['*'],
        }),
        lambdaVpcNetworkingStatement('LambdaVpcNetworking'),
      ],
    });
    acknowledge(
      policy,
      'elasticloadbalancing:DescribeLoadBalancers, the X-Ray trace upload actions and the EC2 network-interface ' +
        'actions a VPC-attached Lambda needs do not support resource-level permissions (the ENI actions are limited ' +
        'to this region); the function can only read load balancers and write its own log group and traces.',
      [wildcardFinding('Resource', '*')],
    );
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Load balancer lookup of ${props.loadBalancerName} (deployment-time only)`,
      managedPolicies: [policy],
    });
    this.function = new lambda.Function(this, 'Function', {
      description: `Waits until load balancer ${props.loadBalancerName} is active and returns its ARN (CloudFormation custom resource)`,
      runtime: lambda.Runtime.NODEJS_LATEST,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(join(__dirname, 'load-balancer-lookup-handler'), { exclude: ['*.d.cts'] }),
      // Polling happens inside one invocation; the function keeps 30 s to answer CloudFormation.
      timeout: timeout.plus(Duration.seconds(30)),
      memorySize: 256,
      // Immutable: every permission is in the customer-managed policy above, none added implicitly
      // (inline statements, the AWS managed VPC access policy).
      role: role.withoutPolicyUpdates(),
      vpc: props.vpc,
      vpcSubnets: { subnets: props.vpc.privateSubnets },
      logGroup,
      tracing: lambda.Tracing.ACTIVE,
    });
    // The function exists only after its role can create network interfaces.
    this.function.node.addDependency(policy);
    acknowledgeCustomResourceHandler(this.function);
    const lookup = new CustomResource(this, 'Resource', {
      serviceToken: this.function.functionArn,
      resourceType: 'Custom::LoadBalancerLookup',
      properties: { LoadBalancerName: props.loadBalancerName, Trigger: props.trigger },
      serviceTimeout: timeout.plus(Duration.minutes(1)),
    });
    this.loadBalancerArn = lookup.getAttString('Arn');
    this.dnsName = lookup.getAttString('DNSName');
  }
}
