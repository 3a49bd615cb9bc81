import { join } from 'node:path';

import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

import { acknowledge } from '../../lib/core/compliance/acknowledge';
import { acknowledgeCustomResourceHandler } from '../../lib/core/compliance/custom-resource-handler';
import { KUBECTL_HANDLER_LIMIT } from './helm-release-behaviour';

/** Props for {@link HelmRecoveryFunction}: what the stack's kubectl handler runs with. */
export interface HelmRecoveryFunctionProps {
  /** The kubectl handler's role: cluster-admin through its access entry, eks:DescribeCluster, VPC networking. */
  readonly role: iam.IRole;
  /** The kubectl layer of the handler (helm at /opt/helm). */
  readonly kubectlLayer: lambda.ILayerVersion;
  /** The AWS CLI layer of the handler (`aws eks update-kubeconfig` and the cluster token). */
  readonly awscliLayer: lambda.ILayerVersion;
  readonly vpc: ec2.IVpc;
  /** The handler's security groups (the cluster security group: the API server admits it). */
  readonly securityGroups: ec2.ISecurityGroup[];
  /**
   * Name of the function's log group; the kubectl role may write only to `/aws/lambda/*`.
   */
  readonly logGroupName: string;
  readonly logsKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
}

/**
 * The function behind every {@link HelmReleaseRecovery} of a stack: the Python handler in
 * helm-recovery-handler/, with the kubectl handler's role, layers, subnets and security groups, so
 * it reaches the cluster exactly as the HelmCharts' handler does and needs no access of its own.
 */
export class HelmRecoveryFunction extends Construct {
  readonly function: lambda.Function;
  /** How long a custom resource may wait for it. */
  readonly serviceTimeout: Duration;

  constructor(scope: Construct, id: string, props: HelmRecoveryFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: props.logGroupName,
      encryptionKey: props.logsKey,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.function = new lambda.Function(this, 'Function', {
      description: 'Recovers a Helm release left pending-* before its HelmChart runs (CloudFormation custom resource)',
      // Like the kubectl handler (aws-eks-v2 kubectl-provider.js): the AWS CLI layer needs Python.
      runtime: lambda.Runtime.determineLatestPythonRuntime(this),
      handler: 'index.handler',
      code: lambda.Code.fromAsset(join(__dirname, 'helm-recovery-handler')),
      layers: [props.awscliLayer, props.kubectlLayer],
      timeout: KUBECTL_HANDLER_LIMIT,
      memorySize: 1024,
      role: props.role,
      vpc: props.vpc,
      vpcSubnets: { subnets: props.vpc.privateSubnets },
      securityGroups: props.securityGroups,
      environment: { AWS_STS_REGIONAL_ENDPOINTS: 'regional' },
      logGroup,
    });
    this.serviceTimeout = KUBECTL_HANDLER_LIMIT.plus(Duration.minutes(1));
    acknowledgeCustomResourceHandler(this.function);
    acknowledge(
      this.function,
      "Runs aws-cdk-lib's choice for the kubectl handler (Runtime.determineLatestPythonRuntime), whose AWS CLI " +
        'layer it shares; it moves forward with aws-cdk-lib upgrades together with the handler.',
      ['AwsSolutions-L1'],
    );
  }
}
