import { join } from 'node:path';

import { Aws, CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as aps from 'aws-cdk-lib/aws-aps';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { z } from 'zod';

import { createGrantOnlyForAwsServices } from '../lib/core/compliance/kms-grants';
import type { EnvironmentNames } from '../lib/core/config';
import { documented, flag, integer, strictObject, text } from '../lib/core/config';
import type { AddOnContext, PlatformAddOn } from './core/addon';
import type { OptionsInput } from './core/options';
import { addOnOptions } from './core/options';
import type { AddOnRegistration } from './core/registration';
import { registerAddOn } from './core/registration';
import type { YamlValue } from './core/yaml';
import { toYaml } from './core/yaml';
import { alertManagerProblems } from './prometheus-alertmanager';
import { ScraperTrust } from './prometheus-trust';

/*
 * Sources (read 2026-12-01):
 * - Amazon Managed Service for Prometheus User Guide, "Using an AWS managed collector"
 *   (AMP-collector-how-to): the prerequisites (private endpoint access, DNS in the VPC, at least two
 *   subnets in two AZs, the cluster's security group and subnets), the supported configuration sections,
 *   the sample configuration this one is based on, the collector limits (scrape interval at least 30
 *   seconds, the only `authorization` allowed, `kubernetes.default.svc` the only host name), and
 *   "Creating scraper for workspaces enabled with customer managed keys" (a role configuration with
 *   source and target in the same account). Re-read 2026-12-07 for issue 19
 *   (docs.aws.amazon.com/prometheus/latest/userguide/AMP-collector-how-to.html): earlier versions of
 *   the guide said managed collectors could not write into workspaces with customer managed keys; the
 *   current page documents that combination as supported through `--role-configuration` (source and
 *   target roles in the scraper's account), which is what {@link addWriterRoles} builds. So the
 *   default (customer-managed key) stays, and the collector is not refused with it.
 * - The same page, "Configure Amazon EKS for scraper access with access entries": with authentication
 *   mode API or API_AND_CONFIG_MAP (InfraStack uses API), every scraper created through the AMP API (as
 *   CloudFormation does) gets its EKS access entry and access policy from AMP itself. So this add-on
 *   creates neither an access entry (EKS allows one per principal: ours would fail with 409) nor the
 *   `aps-collector-role`/`aps-collector-user` RBAC objects, which that page documents only for clusters
 *   that still map IAM roles through the aws-auth ConfigMap. The maintainers of
 *   aws-solutions-library-samples/guidance-for-automated-provisioning-of-application-ready-amazon-eks-clusters
 *   (issue 8, 2024-07) confirm the automatic entry. Not verified against a deployment.
 * - Limits: workspace alias 1 to 100 characters, blanks at both ends trimmed (API reference
 *   CreateWorkspace/UpdateWorkspaceAlias); rule groups namespace name 1 to 64 characters of
 *   `[0-9A-Za-z][-.0-9A-Z_a-z]*` (ListRuleGroupsNamespaces/DescribeRuleGroupsNamespace); retention up to
 *   1095 days, 150 by default (User Guide, "Ingest metrics to your workspace").
 * - The `AMPAgentlessScraper` tag AMP puts on a scraper's destination workspace: terraform-provider-aws
 *   website/docs/r/prometheus_scraper.html.markdown ("Ignoring changes to Prometheus Workspace destination").
 *
 * aws-cdk-lib 2.261's L1s have every property used here (Workspace KmsKeyArn, LoggingConfiguration,
 * WorkspaceConfiguration; Scraper RoleConfiguration): no property overrides are needed.
 */

/** The Prometheus duration syntax (prometheus/common model.ParseDuration): units largest first, each once. */
const PROMETHEUS_DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const DURATION_UNITS_MS = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1] as const;
/** AWS managed collectors refuse scrape intervals under 30 seconds. */
const MIN_SCRAPE_INTERVAL_MS = 30_000;
const RULE_GROUPS_NAMESPACE = /^[0-9A-Za-z][-.0-9A-Z_a-z]{0,63}$/;
/** The service account token path, the only credential a managed collector accepts. */
const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** Milliseconds of a Prometheus duration, or undefined when it is not one. */
export function prometheusDurationMs(value: string): number | undefined {
  const match = PROMETHEUS_DURATION.exec(value);
  if (!match || value === '') return undefined;
  return match.slice(1).reduce((total, part, i) => total + (part ? Number(part) * DURATION_UNITS_MS[i] : 0), 0);
}

const SCRAPE_INTERVAL_ALLOWED = "a Prometheus duration of at least 30s (the managed collector's minimum), e.g. 30s, 1m, 1m30s";
const ALERT_MANAGER_ALLOWED = 'an AMP alert manager definition: YAML with a top-level alertmanager_config key and SNS receivers only';
const RULES_ALLOWED = 'a Prometheus rules file: YAML with a top-level groups key';

/** Options of {@link PrometheusAddOn}, in configuration and in code. */
export const PROMETHEUS_OPTIONS = strictObject(
  {
    /** @default - the cluster name (`<environment>-eks`) */
    workspaceAlias: documented(text('1 to 100 characters (AMP trims blanks at both ends)', /^[\s\S]{1,100}$/), {
      description: 'Alias of the AMP workspace. Default: the cluster name.',
    }).optional(),
    scrapeInterval: documented(
      z
        .string({ error: SCRAPE_INTERVAL_ALLOWED })
        .trim()
        .refine((value) => (prometheusDurationMs(value) ?? 0) >= MIN_SCRAPE_INTERVAL_MS, { error: SCRAPE_INTERVAL_ALLOWED }),
      { allowed: SCRAPE_INTERVAL_ALLOWED, description: 'How often the collector scrapes every target.' },
    ).default('30s'),
    /** @default - AMP's default, 150 days */
    retentionDays: documented(integer(1, 1095), { description: "Days the workspace keeps metrics. Default: AMP's 150." }).optional(),
    customerManagedKey: documented(flag(), {
      description:
        'Encrypt the workspace with its own customer-managed KMS key (the collector then writes through a role pair); ' +
        'false uses an AWS owned key. Replaces the workspace when changed.',
    }).default(true),
    /** @default - no alert manager */
    alertManagerDefinition: documented(
      z.string({ error: ALERT_MANAGER_ALLOWED }).superRefine((value, ctx) => {
        for (const problem of alertManagerProblems(value)) {
          ctx.addIssue({ code: 'custom', input: problem.found, message: problem.allowed });
        }
      }),
      { allowed: ALERT_MANAGER_ALLOWED, description: 'Alert manager definition of the workspace (YAML).' },
    ).optional(),
    ruleGroups: documented(
      z
        .record(
          z.string(),
          z.string({ error: RULES_ALLOWED }).refine((value) => /^groups:/m.test(value), { error: RULES_ALLOWED }),
          { error: 'an object of namespace names to rules files' },
        )
        .superRefine((groups, ctx) => {
          // Checked here rather than by the record's key schema, so the problem names the bad name itself.
          for (const name of Object.keys(groups).filter((key) => !RULE_GROUPS_NAMESPACE.test(key))) {
            ctx.addIssue({
              code: 'custom',
              path: [name],
              input: name,
              message: 'a rule groups namespace name: 1 to 64 of A-Z a-z 0-9 - . _, starting with a letter or digit',
            });
          }
        }),
      {
        allowed: 'an object of namespace names (1 to 64 of A-Z a-z 0-9 - . _) to Prometheus rules files (YAML)',
        description: 'Recording and alerting rules, one AMP rule groups namespace each.',
      },
    ).default({}),
  },
  'an object {workspaceAlias?, scrapeInterval?, retentionDays?, customerManagedKey?, alertManagerDefinition?, ruleGroups?}',
);

/** Props for {@link PrometheusAddOn}. */
export type PrometheusAddOnProps = OptionsInput<typeof PROMETHEUS_OPTIONS>;

/** Stack output keys, fixed so scripts and the README can name them. */
export const PROMETHEUS_OUTPUTS = {
  workspaceId: 'PrometheusWorkspaceId',
  endpoint: 'PrometheusEndpoint',
  consoleUrl: 'PrometheusConsoleUrl',
} as const;

/**
 * Amazon Managed Service for Prometheus: a workspace (customer-managed key, rule and alerting logs in a
 * pre-created encrypted log group) and the agentless AWS managed collector scraping the cluster (API
 * server, scheduler, controller manager, kubelets, cAdvisor, and pods annotated
 * `prometheus.io/scrape: "true"`). Nothing runs on the nodes, so it works on both compute modes.
 */
export class PrometheusAddOn implements PlatformAddOn {
  static readonly ID = 'prometheus';
  static readonly registration: AddOnRegistration = registerAddOn({
    id: PrometheusAddOn.ID,
    summary: 'Amazon Managed Service for Prometheus workspace and the agentless AWS managed collector for the cluster',
    options: PROMETHEUS_OPTIONS,
    create: (props) => new PrometheusAddOn(props),
    docs: { prose: join(__dirname, 'prometheus.md') },
  });

  readonly id = PrometheusAddOn.ID;
  readonly computeModes = ['auto', 'nodegroups'] as const;
  /** Nothing is installed in the cluster. */
  readonly namespaces = [];

  private readonly props: z.output<typeof PROMETHEUS_OPTIONS>;

  constructor(props: PrometheusAddOnProps = {}) {
    this.props = addOnOptions(PrometheusAddOn.ID, PROMETHEUS_OPTIONS, props);
  }

  /** The collector's Prometheus configuration, as a value (the scraper gets it as base64 YAML). */
  scrapeConfiguration(clusterName: string): YamlValue {
    return scrapeConfiguration(this.props.scrapeInterval, clusterName);
  }

  deploy(scope: Construct, context: AddOnContext): void {
    const { names, config } = context;
    const key = this.props.customerManagedKey ? workspaceKey(scope, names) : undefined;
    const logGroup = new logs.LogGroup(scope, 'WorkspaceLogs', {
      logGroupName: `/aws/vendedlogs/prometheus/${names.clusterName}`,
      encryptionKey: context.logsKey,
      // Configuration accepts only CloudWatch Logs retentions, the values of this numeric enum.
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const workspace = new aps.CfnWorkspace(scope, 'Workspace', {
      alias: this.props.workspaceAlias ?? names.clusterName,
      kmsKeyArn: key?.keyArn,
      // Rules and alert manager logs; the group must exist before the workspace names it.
      loggingConfiguration: { logGroupArn: logGroup.logGroupArn },
      workspaceConfiguration: this.props.retentionDays ? { retentionPeriodInDays: this.props.retentionDays } : undefined,
      alertManagerDefinition: this.props.alertManagerDefinition,
      // AMP tags the destination of a scraper itself; declaring the tag keeps stack updates from removing it.
      tags: [{ key: 'AMPAgentlessScraper', value: '' }],
    });
    for (const [name, data] of Object.entries(this.props.ruleGroups)) {
      new aps.CfnRuleGroupsNamespace(scope, `Rules-${name}`, { workspace: workspace.attrArn, name, data });
    }
    const scraper = new aps.CfnScraper(scope, 'Scraper', {
      alias: names.clusterName,
      source: {
        eksConfiguration: {
          clusterArn: context.cluster.clusterArn,
          subnetIds: context.vpc.privateSubnets.map((subnet) => subnet.subnetId),
          // The EKS-managed cluster security group admits itself: the collector's ENIs reach the API server and the nodes.
          securityGroupIds: [context.cluster.clusterSecurityGroupId],
        },
      },
      destination: { ampConfiguration: { workspaceArn: workspace.attrArn } },
      scrapeConfiguration: { configurationBlob: Buffer.from(toYaml(this.scrapeConfiguration(names.clusterName))).toString('base64') },
    });
    scraper.node.addDependency(logGroup);
    if (key) {
      addWriterRoles(scope, scraper, workspace, key, context);
    }

    const output = (outputKey: string, value: string, description: string) =>
      new CfnOutput(scope, outputKey, { value, description }).overrideLogicalId(outputKey);
    output(PROMETHEUS_OUTPUTS.workspaceId, workspace.attrWorkspaceId, 'Amazon Managed Service for Prometheus workspace id');
    output(
      PROMETHEUS_OUTPUTS.endpoint,
      workspace.attrPrometheusEndpoint,
      'Prometheus-compatible query endpoint (SigV4, service aps); e.g. awscurl <endpoint>api/v1/query?query=up',
    );
    output(
      PROMETHEUS_OUTPUTS.consoleUrl,
      `https://console.aws.amazon.com/prometheus/home?region=${Stack.of(scope).region}#/workspaces/workspace/${workspace.attrWorkspaceId}`,
      'The workspace in the AWS console (commercial partition)',
    );
  }
}

/**
 * The workspace's own key. AMP uses it through grants it creates for the deploying principal, so the
 * default key policy (the account's IAM decides) is enough; every other grant is refused (AWS Control
 * Tower CT.KMS.PR.3), as for the logs key.
 */
function workspaceKey(scope: Construct, names: EnvironmentNames): kms.Key {
  const key = new kms.Key(scope, 'WorkspaceKey', {
    description: `Encrypts the Amazon Managed Service for Prometheus workspace of ${names.clusterName}`,
    enableKeyRotation: true,
    // Metrics of a deleted workspace are gone; the key has nothing left to decrypt.
    removalPolicy: RemovalPolicy.DESTROY,
    pendingWindow: Duration.days(7),
  });
  key.addToResourcePolicy(createGrantOnlyForAwsServices());
  return key;
}

/**
 * The role pair a collector needs to write into a workspace with a customer-managed key (User Guide,
 * "Creating scraper for workspaces enabled with customer managed keys", which points to the cross-account
 * trust policies). The trust names the scraper, whose ARN exists only once the scraper does, and the
 * scraper needs the roles to be created. The User Guide documents the way out (awsdocs
 * amazon-prometheus-user-guide, "Cross-account setup" of the OpenSearch collector page, read
 * 2026-12-07: "first create the roles with a wildcard (`scraper/*`) ..., create the scraper, and then
 * update both trust policies to replace the wildcard with the actual scraper ARN that CreateScraper
 * returns"), so the roles start with this account's and region's scrapers and {@link ScraperTrust}
 * narrows both to this scraper right after it is created.
 * Deliberate differences from that page: the target role may remote-write into this workspace only (the
 * page attaches AmazonPrometheusRemoteWriteAccess: aps:RemoteWrite on every workspace), and may use the
 * key only through AMP (kms:ViaService). Whether the writer needs the key at all is not documented
 * there; the two data-key actions are granted so ingestion cannot fail on them.
 * Not verified against a deployment.
 */
function addWriterRoles(
  scope: Construct,
  scraper: aps.CfnScraper,
  workspace: aps.CfnWorkspace,
  key: kms.IKey,
  context: AddOnContext,
): void {
  const scrapers = `arn:${Aws.PARTITION}:aps:${Aws.REGION}:${Aws.ACCOUNT_ID}:scraper/*`;
  const source = new iam.Role(scope, 'CollectorSourceRole', {
    description: 'Assumed by the AMP managed collector of this cluster; may only assume the target role',
    assumedBy: new iam.ServicePrincipal(SCRAPER_PRINCIPAL).withConditions(sourceTrustConditions('ArnLike', scrapers)),
  });
  const target = new iam.Role(scope, 'CollectorTargetRole', {
    description: "Remote-writes the AMP managed collector's metrics into this environment's workspace",
    assumedBy: new iam.ArnPrincipal(source.roleArn).withConditions(targetTrustConditions('StringLike', scrapers)),
  });
  target.addManagedPolicy(
    new iam.ManagedPolicy(scope, 'CollectorTargetPolicy', {
      description: 'Remote write into one AMP workspace, its key only through AMP',
      statements: [
        new iam.PolicyStatement({ sid: 'RemoteWrite', actions: ['aps:RemoteWrite'], resources: [workspace.attrArn] }),
        new iam.PolicyStatement({
          sid: 'WorkspaceKeyThroughAmp',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [key.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `aps.${Aws.REGION}.amazonaws.com` } },
        }),
      ],
    }),
  );
  // Attached from the policy's side: the target role's trust names the source role, so the source
  // role itself cannot also name a policy about the target role (a cycle).
  const sourcePolicy = new iam.ManagedPolicy(scope, 'CollectorSourcePolicy', {
    description: 'Lets the AMP managed collector assume its target role',
    roles: [source],
    statements: [new iam.PolicyStatement({ sid: 'AssumeTargetRole', actions: ['sts:AssumeRole'], resources: [target.roleArn] })],
  });
  scraper.node.addDependency(sourcePolicy);
  scraper.roleConfiguration = { sourceRoleArn: source.roleArn, targetRoleArn: target.roleArn };

  const trust = {
    vpc: context.vpc,
    names: context.names,
    logsKey: context.logsKey,
    logRetention: context.config.logRetentionDays as logs.RetentionDays,
  };
  new ScraperTrust(scope, 'CollectorSourceTrust', {
    ...trust,
    role: source,
    statement: new iam.PolicyStatement({
      actions: ['sts:AssumeRole'],
      principals: [new iam.ServicePrincipal(SCRAPER_PRINCIPAL)],
      conditions: sourceTrustConditions('ArnEquals', scraper.attrArn),
    }),
  });
  new ScraperTrust(scope, 'CollectorTargetTrust', {
    ...trust,
    role: target,
    statement: new iam.PolicyStatement({
      actions: ['sts:AssumeRole'],
      principals: [new iam.ArnPrincipal(source.roleArn)],
      conditions: targetTrustConditions('StringEquals', scraper.attrArn),
    }),
  });
}

const SCRAPER_PRINCIPAL = 'scraper.aps.amazonaws.com';

/** The source role's trust conditions (User Guide, "Cross-account setup"): the scraper and this account. */
function sourceTrustConditions(operator: 'ArnLike' | 'ArnEquals', scrapers: string): Record<string, Record<string, string>> {
  return { [operator]: { 'aws:SourceArn': scrapers }, StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } };
}

/** The target role's trust condition: the source role assumes it on behalf of the scraper (its external id). */
function targetTrustConditions(operator: 'StringLike' | 'StringEquals', scrapers: string): Record<string, Record<string, string>> {
  return { [operator]: { 'sts:ExternalId': scrapers } };
}

/** TLS to the API server with the collector's own token, the only authorization a managed collector accepts. */
const API_SERVER_AUTH = {
  scheme: 'https',
  authorization: { type: 'Bearer', credentials_file: SERVICE_ACCOUNT_TOKEN },
} as const;

/** Keeps only the `kubernetes` Service's HTTPS endpoints in `default`: the API servers. */
const API_SERVER_ENDPOINTS = {
  kubernetes_sd_configs: [{ role: 'endpoints' }],
  relabel_configs: [
    {
      source_labels: ['__meta_kubernetes_namespace', '__meta_kubernetes_service_name', '__meta_kubernetes_endpoint_port_name'],
      action: 'keep',
      regex: 'default;kubernetes;https',
    },
  ],
} as const;

/** A node's kubelet endpoint `path`, reached through the API server's node proxy. */
function kubeletJob(jobName: string, path: string): YamlValue {
  return {
    job_name: jobName,
    ...API_SERVER_AUTH,
    kubernetes_sd_configs: [{ role: 'node' }],
    relabel_configs: [
      { action: 'labelmap', regex: '__meta_kubernetes_node_label_(.+)' },
      { target_label: '__address__', replacement: 'kubernetes.default.svc:443' },
      {
        source_labels: ['__meta_kubernetes_node_name'],
        regex: '(.+)',
        target_label: '__metrics_path__',
        replacement: `/api/v1/nodes/$1/proxy${path}`,
      },
    ],
  };
}

/**
 * The collector's configuration, after the sample of the AMP User Guide: API servers, scheduler and
 * controller manager (EKS exposes them from Kubernetes 1.28 under metrics.eks.amazonaws.com), each
 * node's kubelet and cAdvisor (container CPU, memory, network and file system of every pod, petstore's
 * included) through the API server proxy, and pods that opt in with `prometheus.io/scrape: "true"`
 * (`prometheus.io/port`, `prometheus.io/path` and `prometheus.io/scheme` refine the target). Unlike
 * the sample it scrapes no unannotated pod, and no kube-proxy (not a pod on Auto Mode). No node exporter
 * is assumed.
 */
function scrapeConfiguration(interval: string, clusterName: string): YamlValue {
  return {
    global: { scrape_interval: interval, external_labels: { cluster: clusterName } },
    scrape_configs: [
      { job_name: 'kubernetes-apiservers', ...API_SERVER_AUTH, ...API_SERVER_ENDPOINTS },
      {
        job_name: 'kube-scheduler',
        metrics_path: '/apis/metrics.eks.amazonaws.com/v1/ksh/container/metrics',
        ...API_SERVER_AUTH,
        ...API_SERVER_ENDPOINTS,
      },
      {
        job_name: 'kube-controller-manager',
        metrics_path: '/apis/metrics.eks.amazonaws.com/v1/kcm/container/metrics',
        ...API_SERVER_AUTH,
        ...API_SERVER_ENDPOINTS,
      },
      kubeletJob('kubelet', '/metrics'),
      kubeletJob('cadvisor', '/metrics/cadvisor'),
      {
        job_name: 'kubernetes-pods',
        kubernetes_sd_configs: [{ role: 'pod' }],
        relabel_configs: [
          { source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'], action: 'keep', regex: 'true' },
          { source_labels: ['__meta_kubernetes_pod_phase'], action: 'drop', regex: 'Pending|Succeeded|Failed' },
          { source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scheme'], regex: '(https?)', target_label: '__scheme__' },
          { source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_path'], regex: '(.+)', target_label: '__metrics_path__' },
          {
            source_labels: ['__address__', '__meta_kubernetes_pod_annotation_prometheus_io_port'],
            regex: '([^:]+)(?::\\d+)?;(\\d+)',
            replacement: '$1:$2',
            target_label: '__address__',
          },
          { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
          { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
          { source_labels: ['__meta_kubernetes_pod_container_name'], target_label: 'container' },
        ],
      },
    ],
  };
}
