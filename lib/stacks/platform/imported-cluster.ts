import type { CfnElement } from 'aws-cdk-lib';
import { Annotations, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

import type { HelmRecoveryFunctionProps } from '../../../addons/core/helm-recovery-function';
import { HelmRecoveryFunction } from '../../../addons/core/helm-recovery-function';
import { acknowledge, managedPolicyFinding, ruleIds } from '../../core/compliance/acknowledge';
import { acknowledgeLatestNodeRuntime } from '../../core/compliance/lambda-runtime';
import type { PlatformConfig } from '../../core/config';
import { environmentNames, kubernetesVersionInfo } from '../../core/config';
import { importInfraList, importInfraValue } from '../contract';

/** Props for {@link ImportedCluster}. */
export interface ImportedClusterProps {
  readonly config: PlatformConfig;
}

/**
 * The cluster as PlatformStack sees it: rebuilt from InfraStack's named exports, with this
 * stack's own kubectl handler attached.
 *
 * `fromClusterAttributes({ kubectlProviderOptions })` is silently ignored for imported clusters,
 * so the provider is built against a bare handle first and then attached to the handle that every
 * add-on, team and workload uses.
 */
export class ImportedCluster extends Construct {
  readonly cluster: eks.ICluster;
  readonly vpc: ec2.IVpc;
  readonly kubectlProvider: eks.KubectlProvider;
  /** The environment's CloudWatch Logs key. */
  readonly logsKey: kms.IKey;
  /** The cluster's OIDC issuer URL. */
  readonly oidcIssuerUrl: string;
  private readonly recoveryProps: HelmRecoveryFunctionProps;
  private recovery?: HelmRecoveryFunction;

  constructor(scope: Construct, id: string, props: ImportedClusterProps) {
    super(scope, id);
    const { config } = props;
    const names = environmentNames(config.environment);
    this.vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
      vpcId: importInfraValue(names, 'vpcId'),
      availabilityZones: [...config.availabilityZones],
      privateSubnetIds: importInfraList(names, 'privateSubnetIds', config.azCount),
    });
    Annotations.of(this.vpc).acknowledgeWarning(
      '@aws-cdk/aws-ec2:noSubnetRouteTableId',
      'PlatformStack only places Lambda functions in these subnets and never reads their route tables',
    );
    const attributes: eks.ClusterAttributes = {
      clusterName: importInfraValue(names, 'clusterName'),
      clusterSecurityGroupId: importInfraValue(names, 'clusterSecurityGroupId'),
      vpc: this.vpc,
    };
    const bare = eks.Cluster.fromClusterAttributes(this, 'ClusterRef', attributes);
    // InfraStack owns this role and its cluster-admin access entry; it stays immutable here.
    const role = iam.Role.fromRoleArn(this, 'KubectlRole', importInfraValue(names, 'kubectlRoleArn'), { mutable: false });
    const kubectlLayer = kubernetesVersionInfo(config.kubernetesVersion).kubectlLayer(this, 'KubectlLayer');
    this.kubectlProvider = new eks.KubectlProvider(this, 'KubectlProvider', {
      cluster: bare,
      role,
      kubectlLayer,
      // The API server is private or CIDR-restricted: the handler must run inside the VPC.
      privateSubnets: this.vpc.privateSubnets,
    });
    this.logsKey = kms.Key.fromKeyArn(this, 'LogsKey', importInfraValue(names, 'logsKeyArn'));
    this.oidcIssuerUrl = importInfraValue(names, 'oidcIssuerUrl');
    acknowledgeProviderFindings(this.kubectlProvider);
    // aws-eks-v2 adds this condition for an ECR Public policy on the handler role it would create
    // itself; on the imported, immutable role nothing uses it (CloudFormation Validate W8001).
    this.node.tryRemoveChild('HasEcrPublic');
    this.recoveryProps = {
      role,
      kubectlLayer,
      // The provider's own AWS CLI layer (aws-eks-v2 kubectl-provider.js: `new AwsCliLayer(this, "AwsCliLayer")`).
      awscliLayer: this.kubectlProvider.node.findChild('AwsCliLayer') as lambda.ILayerVersion,
      vpc: this.vpc,
      // What the provider gives its handler when it runs in private subnets.
      securityGroups: bare.clusterSecurityGroup ? [bare.clusterSecurityGroup] : [],
      logGroupName: `/aws/lambda/${names.platformStackName}-helm-recovery`,
      logsKey: this.logsKey,
      logRetention: config.logRetentionDays,
    };

    this.cluster = eks.Cluster.fromClusterAttributes(this, 'Cluster', {
      ...attributes,
      kubectlProvider: this.kubectlProvider,
    });
  }

  /**
   * Recovers pending Helm releases with this handler's role, layers and network; created on first
   * use, so a stack without Helm charts has no such function.
   */
  helmRecovery(): HelmRecoveryFunction {
    this.recovery ??= new HelmRecoveryFunction(this, 'HelmRecovery', this.recoveryProps);
    return this.recovery;
  }
}

/** Findings inside aws-cdk-lib's kubectl provider that configuration cannot change. */
function acknowledgeProviderFindings(provider: eks.KubectlProvider): void {
  const handler = provider.node.findChild('Handler');
  const framework = provider.node.findChild('Provider').node.findChild('framework-onEvent') as lambda.Function;
  for (const fn of [handler, framework]) {
    acknowledge(
      fn,
      'Invoked only by CloudFormation custom resources during deployments. Failures are returned to ' +
        'CloudFormation synchronously (a DLQ would never receive an event), and reserved concurrency would ' +
        'throttle parallel manifest deployments into failed stack updates.',
      [...ruleIds('LambdaDLQ', 'nist', 'hipaa'), ...ruleIds('LambdaConcurrency', 'nist', 'hipaa')],
    );
  }
  acknowledge(
    handler,
    'The kubectl handler runtime is chosen by aws-cdk-lib, which ships and tests the handler code with it; it ' +
      'moves forward with aws-cdk-lib upgrades rather than being overridden here.',
    ['AwsSolutions-L1'],
  );
  acknowledgeLatestNodeRuntime(framework);
  acknowledge(
    framework,
    "The custom resource provider framework role of aws-cdk-lib: it may only invoke this provider's own " +
      'handler (the :* covers its versions) and uses the AWS managed Lambda execution policies for logs and ' +
      'VPC networking. The construct offers no way to replace them.',
    [
      `AwsSolutions-IAM5[Resource::<${Stack.of(handler).getLogicalId(handler.node.defaultChild as CfnElement)}.Arn>:*]`,
      managedPolicyFinding('service-role/AWSLambdaBasicExecutionRole'),
      managedPolicyFinding('service-role/AWSLambdaVPCAccessExecutionRole'),
      ...ruleIds('IAMNoInlinePolicy', 'nist', 'hipaa', 'pci'),
    ],
  );
}
