import { Annotations, Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { acknowledge, wildcardFinding } from '../lib/compliance/acknowledge';
import { show } from '../lib/config/problems';
import type { Problems } from '../lib/config/problems';
import type { AddOnContext } from './core/addon';
import { HelmAddOn } from './core/helm-addon';
import type { HelmAddOnProps, HelmChartSpec, HelmValues } from './core/helm-addon';
import { checkOptionKeys, HELM_OPTION_KEYS, readHelmOptions } from './core/options';
import { PodIdentity } from './core/pod-identity';

/** The tested chart. */
export const EXTERNAL_DNS_CHART: HelmChartSpec = {
  repository: 'https://kubernetes-sigs.github.io/external-dns/',
  chart: 'external-dns',
  version: '1.21.1',
  namespace: 'external-dns',
  release: 'external-dns',
};

/** The service account the chart creates; its Pod Identity association uses the same name. */
export const EXTERNAL_DNS_SERVICE_ACCOUNT = 'external-dns';

/** What to do with records external-dns owns when their Service or Ingress goes away. */
export type ExternalDnsPolicy = 'upsert-only' | 'sync';
const POLICIES: readonly ExternalDnsPolicy[] = ['upsert-only', 'sync'];

/** Which Route 53 zones external-dns considers. */
export type Route53ZoneType = 'public' | 'private';
const ZONE_TYPES: readonly Route53ZoneType[] = ['public', 'private'];

/** Props for {@link ExternalDnsAddOn}. */
export interface ExternalDnsAddOnProps extends HelmAddOnProps {
  /**
   * Route 53 hosted zone ids (`Z...`, without `/hostedzone/`). external-dns only touches these
   * zones, and its IAM policy only allows changes in them.
   */
  readonly hostedZoneIds: readonly string[];
  /** Domains external-dns manages records for, e.g. `apps.example.com`; names outside are ignored. */
  readonly domainFilters: readonly string[];
  /**
   * Owner id written into the TXT ownership records, so several clusters can share a zone without
   * touching each other's records.
   * @default - the cluster name
   */
  readonly txtOwnerId?: string;
  /**
   * `upsert-only` creates and updates records but never deletes them; `sync` also deletes the
   * records it owns when their Service or Ingress is deleted.
   * @default 'upsert-only'
   */
  readonly policy?: ExternalDnsPolicy;
  /**
   * Only consider public or only private hosted zones (useful when both exist for one domain).
   * @default - both
   */
  readonly zoneType?: Route53ZoneType;
}

/** Route 53 hosted zone ids: `Z` followed by upper-case letters and digits. */
export const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,32}$/;
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
const TXT_OWNER_ID = /^[A-Za-z0-9][-A-Za-z0-9_.]{0,62}$/;

const ALLOWED = {
  hostedZoneIds: 'one or more Route 53 hosted zone ids such as Z0123456789ABCDEFGHIJ (without /hostedzone/)',
  domainFilters: 'one or more lower-case domain names such as apps.example.com',
  txtOwnerId: '1 to 63 letters, digits, "-", "_" or ".", starting with a letter or digit',
  policy: POLICIES.join(', '),
  zoneType: ZONE_TYPES.join(', '),
} as const;

type Report = (field: keyof typeof ALLOWED, value: unknown) => void;

/**
 * Record types the service and ingress sources produce (alias records are A/AAAA) plus the TXT
 * ownership records. The policy refuses every other type, so external-dns can never rewrite a
 * zone's NS, MX or SOA records.
 */
export const EXTERNAL_DNS_RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'TXT'] as const;

/**
 * Stand-ins used only when configuration is invalid: the problems are already reported and the
 * configuration load fails before anything is deployed, but the selection rules still need an add-on.
 */
const NEVER_DEPLOYED = { hostedZoneIds: ['ZINVALID'], domainFilters: ['invalid.example'] };

/**
 * ExternalDNS for Route 53: creates DNS records for Services and Ingresses that carry a
 * `external-dns.alpha.kubernetes.io/hostname` annotation or an Ingress host, in the configured
 * hosted zones only. AWS access through EKS Pod Identity, limited to those zones.
 */
export class ExternalDnsAddOn extends HelmAddOn {
  static readonly ID = 'external-dns';
  readonly id = ExternalDnsAddOn.ID;
  readonly computeModes = ['auto', 'nodegroups'] as const;
  /** The hosted zones external-dns writes to (workloads pick their host names in them). */
  readonly hostedZoneIds: readonly string[];
  /** The domains external-dns manages; a workload's host name must end in one of them. */
  readonly domainFilters: readonly string[];
  /** The record policy in effect. */
  readonly policy: ExternalDnsPolicy;
  /**
   * The chart's CRD (DNSEndpoint, in its crds/ folder) serves only the `crd` source, which this
   * add-on does not use; without it no stale copy can remain after a chart upgrade.
   */
  protected readonly skipChartCrds = true;

  static fromOptions(p: Problems, key: string, options: Readonly<Record<string, unknown>>): ExternalDnsAddOn {
    checkOptionKeys(p, key, options, [...HELM_OPTION_KEYS, 'hostedZoneIds', 'domainFilters', 'txtOwnerId', 'policy', 'zoneType']);
    const before = p.count;
    // Lists may also be typed comma-separated, like every other list option.
    const list = (raw: unknown): unknown => (typeof raw === 'string' ? raw.split(',').map((v) => v.trim()).filter((v) => v !== '') : raw);
    const props = {
      ...readHelmOptions(p, key, options),
      hostedZoneIds: list(options.hostedZoneIds),
      domainFilters: list(options.domainFilters),
      txtOwnerId: options.txtOwnerId,
      policy: options.policy,
      zoneType: options.zoneType,
    } as ExternalDnsAddOnProps;
    validate(props, (field, value) => p.add(`${key}.${field}`, value, ALLOWED[field]));
    return new ExternalDnsAddOn(p.count > before ? NEVER_DEPLOYED : props);
  }

  constructor(private readonly options: ExternalDnsAddOnProps) {
    super(EXTERNAL_DNS_CHART, options);
    const problems: string[] = [];
    validate(options, (field, value) => problems.push(`${field}: got ${show(value)}; allowed: ${ALLOWED[field]}`));
    if (problems.length > 0) {
      throw new Error(`external-dns: invalid props:\n${problems.map((line) => `  - ${line}`).join('\n')}`);
    }
    this.hostedZoneIds = [...options.hostedZoneIds];
    this.domainFilters = [...options.domainFilters];
    this.policy = options.policy ?? 'upsert-only';
  }

  protected chartValues(scope: Construct, context: AddOnContext): HelmValues {
    const sources = this.options.values?.sources;
    if (Array.isArray(sources) && sources.includes('crd')) {
      Annotations.of(scope).addError(
        'external-dns: values.sources "crd" needs the DNSEndpoint CRD, which this add-on leaves out: Helm installs a ' +
          'chart\'s crds/ folder on the first install only and never upgrades it, so every chart upgrade would keep the ' +
          'first version\'s CRD. Use the service and ingress sources, or install and upgrade that CRD yourself and ' +
          'deploy external-dns from its chart directly.',
      );
    }
    const identity = new PodIdentity(scope, 'PodIdentity', {
      cluster: context.cluster,
      namespace: this.chart.namespace,
      serviceAccount: EXTERNAL_DNS_SERVICE_ACCOUNT,
      purpose: 'ExternalDNS Route 53 record management',
      statements: route53Statements(this.hostedZoneIds),
    });
    acknowledge(
      identity.policy,
      'route53:ListHostedZones has no resource-level permissions (its only resource is "*"); it reveals zone ' +
        'names and ids, not records. Record reads and changes are limited to the configured hosted zones.',
      [wildcardFinding('Resource', '*')],
    );
    const extraArgs = this.hostedZoneIds.map((id) => `--zone-id-filter=${id}`);
    if (this.options.zoneType) {
      extraArgs.push(`--aws-zone-type=${this.options.zoneType}`);
    }
    return {
      // The chart has no zone-id or zone-type values: both are controller flags.
      provider: { name: 'aws' },
      sources: ['service', 'ingress'],
      registry: 'txt',
      txtOwnerId: this.options.txtOwnerId ?? context.names.clusterName,
      domainFilters: [...this.domainFilters],
      policy: this.policy,
      extraArgs,
      // Route 53 is global, but the AWS SDK still needs a region for STS and its endpoints.
      env: [{ name: 'AWS_DEFAULT_REGION', value: context.config.region }],
      serviceAccount: { create: true, name: EXTERNAL_DNS_SERVICE_ACCOUNT },
      resources: { requests: { cpu: '50m', memory: '64Mi' } },
    };
  }
}

function validate(props: ExternalDnsAddOnProps, report: Report): void {
  const ids = props.hostedZoneIds as readonly string[] | undefined;
  if (!Array.isArray(ids) || ids.length === 0) {
    report('hostedZoneIds', ids);
  } else {
    ids.filter((id) => typeof id !== 'string' || !HOSTED_ZONE_ID.test(id)).forEach((id) => report('hostedZoneIds', id));
  }
  const domains = props.domainFilters as readonly string[] | undefined;
  if (!Array.isArray(domains) || domains.length === 0) {
    report('domainFilters', domains);
  } else {
    domains.filter((d) => typeof d !== 'string' || !DOMAIN.test(d)).forEach((d) => report('domainFilters', d));
  }
  if (props.txtOwnerId !== undefined && !(typeof props.txtOwnerId === 'string' && TXT_OWNER_ID.test(props.txtOwnerId))) {
    report('txtOwnerId', props.txtOwnerId);
  }
  if (props.policy !== undefined && !POLICIES.includes(props.policy)) {
    report('policy', props.policy);
  }
  if (props.zoneType !== undefined && !ZONE_TYPES.includes(props.zoneType)) {
    report('zoneType', props.zoneType);
  }
}

/** Route 53 permissions: reads and changes only in the configured zones, of the record types it manages. */
function route53Statements(hostedZoneIds: readonly string[]): iam.PolicyStatement[] {
  const zones = hostedZoneIds.map((id) => `arn:${Aws.PARTITION}:route53:::hostedzone/${id}`);
  return [
    new iam.PolicyStatement({
      sid: 'ChangeRecordsInConfiguredZones',
      actions: ['route53:ChangeResourceRecordSets'],
      resources: zones,
      conditions: { 'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': [...EXTERNAL_DNS_RECORD_TYPES] } },
    }),
    new iam.PolicyStatement({
      sid: 'ReadConfiguredZones',
      // ListTagsForResources (batch) is what current releases call; the singular form is kept for older ones.
      actions: ['route53:ListResourceRecordSets', 'route53:ListTagsForResource', 'route53:ListTagsForResources'],
      resources: zones,
    }),
    new iam.PolicyStatement({
      sid: 'ListZones',
      actions: ['route53:ListHostedZones'],
      resources: ['*'],
    }),
  ];
}
