import { RemovalPolicy } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

import type { AddOnContext } from '../../../addons/core/addon';
import { acknowledge, managedPolicyFinding, ruleIds } from '../../core/compliance/acknowledge';
import { importInfraValue } from '../contract';
import { logRetention } from '../infra/log-retention';
import { LoadBalancerLookup } from './load-balancer-lookup';

/** Props for {@link PetstoreApi}. */
export interface PetstoreApiProps {
  /** Cluster, VPC, configuration and names of the environment. */
  readonly context: AddOnContext;
  /** The fixed name the petstore Service gives its NLB. */
  readonly loadBalancerName: string;
  /** The NLB's DNS name read from the Service status; the lookup waits for it and reruns when it changes. */
  readonly loadBalancerHostname: string;
  /**
   * Stage name (the last part of the base URL).
   * @default 'prod'
   */
  readonly stageName?: string;
  /**
   * Steady-state requests per second the stage accepts (burst: twice as many).
   * @default 50
   */
  readonly rateLimit?: number;
}

/**
 * A REST API in front of the petstore NLB: `ANY /` and `ANY /{proxy+}` are HTTP proxies over a VPC
 * link, so the internal NLB never needs to be public. The NLB belongs to the cluster, so its ARN
 * is looked up (and awaited) at deploy time by its fixed name.
 */
export class PetstoreApi extends Construct {
  readonly api: apigateway.RestApi;
  readonly vpcLink: apigateway.VpcLink;
  readonly lookup: LoadBalancerLookup;
  /** The stage URL, ending in `/`. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: PetstoreApiProps) {
    super(scope, id);
    const { config, names, vpc } = props.context;
    const stageName = props.stageName ?? 'prod';
    const rateLimit = props.rateLimit ?? 50;
    const retention = logRetention(config.logRetentionDays);
    const logsKey = kms.Key.fromKeyArn(this, 'LogsKey', importInfraValue(names, 'logsKeyArn'));

    this.lookup = new LoadBalancerLookup(this, 'LoadBalancer', {
      vpc,
      loadBalancerName: props.loadBalancerName,
      trigger: props.loadBalancerHostname,
      logsKey,
      logRetention: retention,
    });
    this.vpcLink = new apigateway.VpcLink(this, 'VpcLink', {
      vpcLinkName: props.loadBalancerName,
      description: `API Gateway to the petstore NLB of ${names.clusterName}`,
      targets: [elbv2.NetworkLoadBalancer.fromNetworkLoadBalancerAttributes(this, 'Nlb', { loadBalancerArn: this.lookup.loadBalancerArn })],
    });

    const account = this.cloudWatchLoggingRole();
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { encryptionKey: logsKey, retention, removalPolicy: RemovalPolicy.DESTROY });
    this.api = new apigateway.RestApi(this, 'Api', {
      restApiName: props.loadBalancerName,
      description: `Swagger Petstore sample on ${names.clusterName}, through a VPC link to the NLB of the petstore Service`,
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      // The account-level logging role is created explicitly below (customer decision, retained).
      cloudWatchRole: false,
      deployOptions: {
        stageName,
        accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        // Request and response bodies stay out of the logs.
        dataTraceEnabled: false,
        metricsEnabled: true,
        tracingEnabled: true,
        throttlingRateLimit: rateLimit,
        throttlingBurstLimit: rateLimit * 2,
      },
    });
    // API Gateway would otherwise create the execution log group itself: unencrypted, kept forever.
    const executionLogs = new logs.LogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.api.restApiId}/${stageName}`,
      encryptionKey: logsKey,
      retention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.api.deploymentStage.node.addDependency(account, executionLogs);

    const validator = this.api.addRequestValidator('RequestValidator', { validateRequestBody: true, validateRequestParameters: true });
    const viaVpcLink = (path: string, requestParameters?: Record<string, string>): apigateway.Integration =>
      new apigateway.Integration({
        type: apigateway.IntegrationType.HTTP_PROXY,
        integrationHttpMethod: 'ANY',
        uri: `http://${this.lookup.dnsName}${path}`,
        options: { connectionType: apigateway.ConnectionType.VPC_LINK, vpcLink: this.vpcLink, requestParameters },
      });
    const methods = [
      this.api.root.addMethod('ANY', viaVpcLink('/'), {
        requestValidator: validator,
        authorizationType: apigateway.AuthorizationType.NONE,
      }),
      this.api.root
        .addResource('{proxy+}')
        .addMethod('ANY', viaVpcLink('/{proxy}', { 'integration.request.path.proxy': 'method.request.path.proxy' }), {
          requestValidator: validator,
          requestParameters: { 'method.request.path.proxy': true },
          authorizationType: apigateway.AuthorizationType.NONE,
        }),
    ];
    for (const method of methods) {
      acknowledge(
        method,
        'A public sample API that workshop participants open in a browser, so it takes no API key, IAM or Cognito ' +
          'authorization. It only serves the Swagger Petstore demo data (kept in memory, reset on restart), the ' +
          'stage throttles every method, and its backend NLB is internal and reachable only through this VPC link.',
        ['AwsSolutions-APIG4', 'AwsSolutions-COG4'],
      );
    }
    acknowledge(
      this.api.deploymentStage,
      'Workshop sample with demo data only. WAF: the stage is throttled; a WAFv2 web ACL (billed monthly per ACL and ' +
        'rule) belongs to production APIs, not this throwaway sample. Cache: caching would serve stale results of a ' +
        'CRUD demo and bills a cache cluster hourly; without a cache there is no cached data to encrypt. Client ' +
        'certificate: the integration is HTTP over PrivateLink to an internal NLB, and API Gateway presents client ' +
        'certificates only to HTTPS backends, so one would protect nothing; clients reach the stage over HTTPS only.',
      [
        'AwsSolutions-APIG3',
        ...ruleIds('APIGWAssociatedWithWAF', 'nist', 'pci'),
        ...ruleIds('APIGWCacheEnabledAndEncrypted', 'nist', 'hipaa', 'pci'),
        ...ruleIds('APIGWSSLEnabled', 'nist', 'hipaa', 'pci'),
      ],
    );
    // The app URL is the AppUrlPetstore output; drop RestApi's own copy of it.
    this.api.node.tryRemoveChild('Endpoint');
    this.url = this.api.url;
  }

  /**
   * Execution logging needs the account's API Gateway CloudWatch role (one per account and region,
   * shared by every REST API there). It is retained on deletion: other APIs in the region log
   * through it too.
   */
  private cloudWatchLoggingRole(): apigateway.CfnAccount {
    const role = new iam.Role(this, 'CloudWatchRole', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: 'API Gateway account-level role for CloudWatch Logs (shared by every REST API in this region)',
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonAPIGatewayPushToCloudWatchLogs')],
    });
    role.applyRemovalPolicy(RemovalPolicy.RETAIN);
    acknowledge(
      role,
      'This is the account-and-region-wide API Gateway CloudWatch role (AWS::ApiGateway::Account): every REST API in ' +
        'the region writes execution and access logs through it into log groups API Gateway names itself, so it ' +
        'cannot be narrowed to this API. The AWS managed policy is the one API Gateway documents for this role.',
      [managedPolicyFinding('service-role/AmazonAPIGatewayPushToCloudWatchLogs')],
    );
    const account = new apigateway.CfnAccount(this, 'Account', { cloudWatchRoleArn: role.roleArn });
    account.applyRemovalPolicy(RemovalPolicy.RETAIN);
    return account;
  }
}
