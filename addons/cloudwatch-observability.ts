import { join } from 'node:path';

import { Aws, RemovalPolicy, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

import { acknowledge, wildcardFinding } from '../lib/core/compliance/acknowledge';
import { ConfigError, documented, flag, strictObject } from '../lib/core/config';
import { ingestionLine } from '../lib/core/cost/ledger';
import type { AddOnContext } from './core/addon';
import type { AddOnCost, AddOnCostContext } from './core/cost';
import { MANAGED_ADDON_OPTIONS, ManagedAddOn } from './core/managed-addon';
import type { OptionsInput } from './core/options';
import { addOnOptions } from './core/options';
import { PodIdentity } from './core/pod-identity';
import type { AddOnRegistration } from './core/registration';
import { registerAddOn } from './core/registration';
import type { AddOnTeardown } from './core/teardown';
import { keptTag } from './core/teardown';

/*
 * Sources (read 2026-12-01):
 * - Add-on name, namespace and service account: the EKS user guide, "AWS add-ons"
 *   (awsdocs/amazon-eks-user-guide latest/ug/workloads/workloads-add-ons-available-eks.adoc,
 *   #amazon-cloudwatch-observability: `--name cloudwatch-agent --namespace amazon-cloudwatch`), and the
 *   CloudWatch user guide "Quick start with the Amazon CloudWatch Observability EKS add-on"
 *   (Container-Insights-setup-EKS-addon: `--pod-identity-associations serviceAccount=cloudwatch-agent`,
 *   Pod Identity from add-on version 3.1.0). Fluent Bit runs as the same service account: the add-on's
 *   chart (aws-observability/helm-charts charts/amazon-cloudwatch-observability
 *   templates/linux/fluent-bit-daemonset.yaml, `serviceAccountName: cloudwatch-agent.serviceAccountName`).
 * - `containerLogs.enabled`: the same chart gates the Fluent Bit DaemonSet and its ConfigMap on it
 *   (`{{- if .Values.containerLogs.enabled }}`); EKS builds the add-on's configuration schema from that
 *   chart's values. The key is the only configuration value this add-on sets.
 * - Log group names: CloudWatch user guide "Set up Fluent Bit as a DaemonSet to send logs to CloudWatch
 *   Logs" (Container-Insights-setup-logs-FluentBit: application, host, dataplane) and "Container Insights
 *   performance log reference" (performance).
 * - Permissions: see {@link cloudWatchAgentStatements}.
 */

/** The agent's service account; Fluent Bit and the agent both run as it. */
const CLOUDWATCH_AGENT_SERVICE_ACCOUNT = { namespace: 'amazon-cloudwatch', name: 'cloudwatch-agent' } as const;

/** The oldest add-on version that accepts EKS Pod Identity (CloudWatch user guide, quick start). */
const POD_IDENTITY_SINCE: readonly [number, number, number] = [3, 1, 0];

/** Log groups Fluent Bit writes (container, node system and data-plane logs). */
const FLUENT_BIT_LOG_GROUPS = ['application', 'dataplane', 'host'] as const;
/** The log group of Container Insights' performance log events (metrics as EMF). */
const PERFORMANCE_LOG_GROUP = 'performance';

/**
 * The log group Application Signals writes its data to, one per account and Region. Sources (read
 * 2026-12-07): CloudWatch user guide "Enable CloudWatch Application Signals"
 * (docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Agent-Application_Signals.html:
 * with the Amazon CloudWatch Observability EKS add-on the agent receives Application Signals metrics
 * and traces by default) and the AWS managed policies for Application Signals (e.g.
 * CloudWatchLambdaApplicationSignalsExecutionRolePolicy: logs:CreateLogGroup/PutLogEvents on
 * log-group:/aws/application-signals/data). A group the agent creates has no KMS key and never expires.
 */
export const APPLICATION_SIGNALS_LOG_GROUP = '/aws/application-signals/data';
/** What the kept tag of that log group names (its value is `<environment>/<this>`). */
const APPLICATION_SIGNALS_KEPT = 'application-signals-log-group';

/** Options of {@link CloudWatchObservabilityAddOn}, in configuration and in code. */
export const CLOUDWATCH_OBSERVABILITY_OPTIONS = strictObject(
  {
    ...MANAGED_ADDON_OPTIONS,
    createApplicationSignalsLogGroup: documented(flag(), {
      description:
        `Create ${APPLICATION_SIGNALS_LOG_GROUP} (Application Signals, on by default in the add-on, writes there) with the logs key ` +
        'and logRetentionDays, kept when the stack is deleted. The name is fixed for the whole account and Region: set false when the group ' +
        'exists already (another cluster, an earlier deployment), or the deployment fails.',
    }).default(true),
    containerLogs: documented(flag(), {
      description:
        "Fluent Bit ships container, host and data-plane logs to CloudWatch Logs (the add-on's `containerLogs.enabled`); " +
        'false keeps Container Insights metrics only.',
    }).default(true),
  },
  'an object {version?, configurationValues?, containerLogs?, createApplicationSignalsLogGroup?}',
);

/** Props for {@link CloudWatchObservabilityAddOn}. */
export type CloudWatchObservabilityAddOnProps = OptionsInput<typeof CLOUDWATCH_OBSERVABILITY_OPTIONS>;

/**
 * CloudWatch Container Insights with enhanced observability and Fluent Bit application logs, as the
 * EKS managed add-on `amazon-cloudwatch-observability`. Its log groups are created first, encrypted
 * with the environment's logs key and kept for `logRetentionDays`, so the agent never creates
 * unencrypted ones that live forever; CloudFormation deletes them with the add-on.
 */
export class CloudWatchObservabilityAddOn extends ManagedAddOn {
  static readonly ID = 'cloudwatch-observability';
  static readonly registration: AddOnRegistration = registerAddOn({
    id: CloudWatchObservabilityAddOn.ID,
    summary: 'CloudWatch Container Insights (enhanced observability) and Fluent Bit container logs, as the EKS add-on',
    options: CLOUDWATCH_OBSERVABILITY_OPTIONS,
    create: (props) => new CloudWatchObservabilityAddOn(props),
    docs: { prose: join(__dirname, 'cloudwatch-observability.md') },
  });

  readonly id = CloudWatchObservabilityAddOn.ID;
  /** Nothing of it is built into Auto Mode, and the EKS guide lists it for EC2 and Auto Mode. */
  readonly computeModes = ['auto', 'nodegroups'] as const;
  readonly namespaces = [CLOUDWATCH_AGENT_SERVICE_ACCOUNT.namespace];
  readonly serviceAccounts = [CLOUDWATCH_AGENT_SERVICE_ACCOUNT];

  /** Whether Fluent Bit runs (and so whether its log groups exist). */
  readonly containerLogs: boolean;
  /** Whether this add-on creates the account's Application Signals log group. */
  readonly createApplicationSignalsLogGroup: boolean;

  constructor(props: CloudWatchObservabilityAddOnProps = {}) {
    const options = addOnOptions(CloudWatchObservabilityAddOn.ID, CLOUDWATCH_OBSERVABILITY_OPTIONS, props);
    checkPodIdentityVersion(options.version);
    super('amazon-cloudwatch-observability', {
      version: options.version,
      configurationValues: withContainerLogs(options.configurationValues, options.containerLogs),
    });
    this.containerLogs = options.containerLogs;
    this.createApplicationSignalsLogGroup = options.createApplicationSignalsLogGroup;
  }

  /** Log group names (`/aws/containerinsights/<cluster>/<kind>`) this add-on writes. */
  logGroupNames(clusterName: string): string[] {
    const kinds = this.containerLogs ? [...FLUENT_BIT_LOG_GROUPS, PERFORMANCE_LOG_GROUP] : [PERFORMANCE_LOG_GROUP];
    return kinds.map((kind) => `/aws/containerinsights/${clusterName}/${kind}`);
  }

  /**
   * Fluent Bit's logs are ingested at the standard CloudWatch Logs price; Container Insights with
   * enhanced observability is billed per observation (https://aws.amazon.com/cloudwatch/pricing/),
   * which depends on how many pods and containers run, so it is listed as not priced.
   */
  costLines({ prices: { logs }, assumptions }: AddOnCostContext): AddOnCost[] {
    const containerLogs = ingestionLine('Container logs (Fluent Bit)', assumptions.containerLogsGbPerDay, logs.ingestionPerGb, logs.source);
    return [
      ...(this.containerLogs ? [{ ...containerLogs, section: 'log-ingestion' as const }] : []),
      {
        section: 'services',
        component: 'Container Insights with enhanced observability',
        reason: 'billed per observation; depends on pod and container count',
        source: logs.source,
      },
    ];
  }

  /**
   * The Application Signals log group this add-on creates outlives the stack on purpose (other
   * clusters of the account and Region may write to it): down.sh lists it and never deletes it.
   */
  teardown({ config }: AddOnContext): AddOnTeardown {
    return {
      kept: this.createApplicationSignalsLogGroup
        ? [
            {
              resourceType: 'logs:log-group',
              tag: keptTag(config.environment, APPLICATION_SIGNALS_KEPT),
              description: `Application Signals log group ${APPLICATION_SIGNALS_LOG_GROUP}, shared by the account and Region (createApplicationSignalsLogGroup)`,
              howToDelete: `once nothing of the account and Region sends Application Signals data: aws logs delete-log-group --log-group-name ${APPLICATION_SIGNALS_LOG_GROUP}`,
            },
          ]
        : [],
    };
  }

  /** Log groups and the Pod Identity: every child of `scope` here is created before the add-on. */
  protected prerequisites(scope: Construct, context: AddOnContext): void {
    const { config, names } = context;
    const logGroups = new Construct(scope, 'LogGroups');
    const encryptionKey = context.logsKey;
    // Configuration accepts only CloudWatch Logs retentions, the values of this numeric enum.
    const retention = config.logRetentionDays as logs.RetentionDays;
    for (const logGroupName of this.logGroupNames(names.clusterName)) {
      new logs.LogGroup(logGroups, logGroupName.split('/').pop() ?? logGroupName, {
        logGroupName,
        encryptionKey,
        retention,
        // Telemetry of a cluster that is gone has no owner; the next cluster of this name starts clean.
        removalPolicy: RemovalPolicy.DESTROY,
      });
    }
    if (this.createApplicationSignalsLogGroup) {
      const applicationSignals = new logs.LogGroup(logGroups, 'ApplicationSignals', {
        logGroupName: APPLICATION_SIGNALS_LOG_GROUP,
        encryptionKey,
        retention,
        // Shared by every cluster and service of the account and Region: never deleted with one stack.
        removalPolicy: RemovalPolicy.RETAIN,
      });
      // It also carries the stack's tags, by which down.sh finds the stack's log groups to delete:
      // this tag tells it this one is kept (see teardown). AWS::Logs::LogGroup takes Tags:
      // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-logs-loggroup.html
      const tag = keptTag(config.environment, APPLICATION_SIGNALS_KEPT);
      Tags.of(applicationSignals).add(tag.key, tag.value);
    }
    const identity = new PodIdentity(scope, 'PodIdentity', {
      cluster: context.cluster,
      namespace: CLOUDWATCH_AGENT_SERVICE_ACCOUNT.namespace,
      serviceAccount: CLOUDWATCH_AGENT_SERVICE_ACCOUNT.name,
      purpose: 'CloudWatch agent and Fluent Bit of the CloudWatch Observability add-on',
      statements: cloudWatchAgentStatements(names.clusterName),
    });
    acknowledge(
      identity.policy,
      'cloudwatch:PutMetricData, ec2:DescribeVolumes/DescribeTags and the X-Ray trace and sampling actions have no ' +
        "resource-level permissions. CloudWatch Logs access is limited to this cluster's Container Insights log groups " +
        "(their streams are named by node and pod at run time) and the account's Application Signals log group; " +
        'DescribeLogGroups lists by prefix and needs every group of the account and region.',
      [
        wildcardFinding('Resource', '*'),
        wildcardFinding(
          'Resource',
          `arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/containerinsights/${names.clusterName}/*`,
        ),
        wildcardFinding('Resource', 'arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/application-signals/data:*'),
        wildcardFinding('Resource', 'arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:*'),
        wildcardFinding('Resource', 'arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:parameter/AmazonCloudWatch-*'),
      ],
    );
  }
}

/** The add-on refuses Pod Identity before 3.1.0; a pinned older version would run without credentials. */
function checkPodIdentityVersion(version: string | undefined): void {
  const match = version ? /^v(\d+)\.(\d+)\.(\d+)-/.exec(version) : null;
  if (!match) {
    return;
  }
  const parts = match.slice(1, 4).map(Number);
  const index = parts.findIndex((part, i) => part !== POD_IDENTITY_SINCE[i]);
  if (index >= 0 && parts[index] < POD_IDENTITY_SINCE[index]) {
    throw new ConfigError([
      `addons.${CloudWatchObservabilityAddOn.ID}.version: got "${version}"; allowed: v${POD_IDENTITY_SINCE.join('.')}-eksbuild.1 or later ` +
        '(the first add-on version that accepts EKS Pod Identity)',
    ]);
  }
}

/**
 * The configuration values with Fluent Bit switched by the `containerLogs` option, which wins over a
 * `containerLogs.enabled` inside `configurationValues` so the pre-created log groups always match.
 * The add-on's own default (enabled) is left implicit when logs are on.
 */
function withContainerLogs(
  values: Readonly<Record<string, unknown>> | undefined,
  containerLogs: boolean,
): Record<string, unknown> | undefined {
  const given = values?.containerLogs;
  const givenObject = typeof given === 'object' && given !== null && !Array.isArray(given) ? (given as Record<string, unknown>) : undefined;
  if (containerLogs && givenObject?.enabled === undefined) {
    return values ? { ...values } : undefined;
  }
  return { ...values, containerLogs: { ...givenObject, enabled: containerLogs } };
}

/**
 * The agent's permissions, compared statement by statement with the AWS managed policy
 * CloudWatchAgentServerPolicy (which already contains every action of AWSXrayWriteOnlyAccess, the
 * second policy the EKS guide names for Application Signals traces). The policy text was read from a
 * public copy (2024), not from the AWS managed policy reference page, which was not reachable here:
 * compare with `aws iam get-policy-version --policy-arn arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy`.
 * Deliberate differences:
 * - CloudWatch Logs actions are limited to this cluster's `/aws/containerinsights/<cluster>/` log groups
 *   and `/aws/application-signals/data`, the account-wide group of Application Signals (on by default
 *   in the add-on), instead of every log group. That group is shared by every cluster of the account and
 *   region, so it is not created here.
 * - logs:PutRetentionPolicy is left out: this stack sets the retention of the groups the agent writes,
 *   and the agent must not change it.
 * - ssm:GetParameter (agent configuration in `AmazonCloudWatch-*` parameters) is limited to this
 *   account and region; the add-on takes its configuration from the add-on, not from SSM.
 */
function cloudWatchAgentStatements(clusterName: string): iam.PolicyStatement[] {
  const logGroup = (name: string) => `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:${name}`;
  return [
    new iam.PolicyStatement({
      sid: 'MetricsTracesAndNodeMetadata',
      actions: [
        'cloudwatch:PutMetricData',
        'ec2:DescribeVolumes',
        'ec2:DescribeTags',
        'xray:PutTraceSegments',
        'xray:PutTelemetryRecords',
        'xray:GetSamplingRules',
        'xray:GetSamplingTargets',
        'xray:GetSamplingStatisticSummaries',
      ],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'WriteOwnLogGroups',
      actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      // The trailing * also covers each group's streams (`...:log-group:<name>:log-stream:<stream>`).
      resources: [
        logGroup(`/aws/containerinsights/${clusterName}/*`),
        logGroup('/aws/application-signals/data'),
        logGroup('/aws/application-signals/data:*'),
      ],
    }),
    new iam.PolicyStatement({
      sid: 'DescribeLogGroups',
      actions: ['logs:DescribeLogGroups'],
      resources: [logGroup('*')],
    }),
    new iam.PolicyStatement({
      sid: 'AgentConfigurationParameters',
      actions: ['ssm:GetParameter'],
      resources: [`arn:${Aws.PARTITION}:ssm:${Aws.REGION}:${Aws.ACCOUNT_ID}:parameter/AmazonCloudWatch-*`],
    }),
  ];
}
