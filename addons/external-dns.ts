import { join } from 'node:path';

import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { z } from 'zod';

import { acknowledge, wildcardFinding } from '../lib/core/compliance/acknowledge';
import { documented, list, oneOf, strictObject, text } from '../lib/core/config';
import type { AddOnContext } from './core/addon';
import type { HelmChartSpec, HelmValues } from './core/helm-addon';
import { HelmAddOn } from './core/helm-addon';
import type { EksAddonSpec } from './core/install-method';
import { INSTALLABLE_OPTIONS, refineInstallMethod } from './core/install-method';
import type { OptionsInput } from './core/options';
import { addOnOptions, distinct } from './core/options';
import { PodIdentity } from './core/pod-identity';
import type { ProvidedCapabilities } from './core/provides';
import type { AddOnRegistration } from './core/registration';
import { registerAddOn } from './core/registration';

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

/**
 * The EKS community add-on (EKS user guide, "Community add-ons", #external-dns, read 2026-12-01):
 * add-on `external-dns` in `external-dns`, service account `external-dns` (the same as the chart
 * path's, so one Pod Identity association serves either). The guide names the AWS managed policy
 * AmazonRoute53FullAccess and says the permissions can be reduced to ChangeResourceRecordSets,
 * ListHostedZones and ListResourceRecordSets on the managed zones: the customer-managed policy of
 * {@link route53Statements} is that reduction, plus the tag reads current releases make. No version
 * per Kubernetes version is published, and the chart declares no range: none is enforced.
 */
export const EXTERNAL_DNS_EKS_ADDON: EksAddonSpec = { addonName: 'external-dns', namespace: 'external-dns' };

/** What to do with records external-dns owns when their Service or Ingress goes away. */
export const EXTERNAL_DNS_POLICIES = ['upsert-only', 'sync'] as const;
/** Which Route 53 zones external-dns considers. */
export const ROUTE53_ZONE_TYPES = ['public', 'private'] as const;

/** Route 53 hosted zone ids: `Z` followed by upper-case letters and digits. */
export const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,32}$/;
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
const TXT_OWNER_ID = /^[A-Za-z0-9][-A-Za-z0-9_.]{0,62}$/;

const ZONES_ALLOWED = 'one or more Route 53 hosted zone ids such as Z0123456789ABCDEFGHIJ (without /hostedzone/)';
const DOMAINS_ALLOWED = 'one or more lower-case domain names such as apps.example.com';

/** Options of {@link ExternalDnsAddOn}, in configuration and in code. */
export const EXTERNAL_DNS_OPTIONS = strictObject(
  {
    ...INSTALLABLE_OPTIONS,
    hostedZoneIds: documented(
      distinct(list(text(ZONES_ALLOWED, HOSTED_ZONE_ID), ZONES_ALLOWED), 'hosted zone id').refine((ids) => ids.length > 0, ZONES_ALLOWED),
      {
        description: 'Route 53 hosted zone ids; external-dns only touches these zones, and its IAM policy only allows changes in them.',
      },
    ),
    domainFilters: documented(
      distinct(list(text(DOMAINS_ALLOWED, DOMAIN), DOMAINS_ALLOWED), 'domain').refine((d) => d.length > 0, DOMAINS_ALLOWED),
      {
        description: 'Domains external-dns manages records for, e.g. apps.example.com; names outside are ignored.',
      },
    ),
    /** @default - the cluster name */
    txtOwnerId: documented(text('1 to 63 letters, digits, "-", "_" or ".", starting with a letter or digit', TXT_OWNER_ID), {
      description: 'Owner id in the TXT ownership records, so several clusters can share a zone. Default: the cluster name.',
    }).optional(),
    policy: documented(oneOf(EXTERNAL_DNS_POLICIES), {
      description: '`upsert-only` never deletes records; `sync` also deletes the records it owns when their Service or Ingress goes.',
    }).default('upsert-only'),
    /** @default - both */
    zoneType: documented(oneOf(ROUTE53_ZONE_TYPES), { description: 'Only public or only private hosted zones. Default: both.' }).optional(),
  },
  'an object {hostedZoneIds, domainFilters, ...}',
)
  .superRefine(refineInstallMethod(EXTERNAL_DNS_EKS_ADDON.addonName))
  .superRefine((options, ctx) => {
    const sources = options.values?.sources;
    if (Array.isArray(sources) && sources.includes('crd')) {
      ctx.addIssue({
        code: 'custom',
        path: ['values', 'sources'],
        input: sources,
        message:
          'the service and ingress sources: "crd" needs the DNSEndpoint CRD, which this add-on leaves out (Helm installs a chart\'s crds/ ' +
          'folder on the first install only and never upgrades it); install and upgrade that CRD yourself and deploy external-dns from its chart directly',
      });
    }
  });

/** Props for {@link ExternalDnsAddOn}. */
export type ExternalDnsAddOnProps = OptionsInput<typeof EXTERNAL_DNS_OPTIONS>;
/** The record policy. */
export type ExternalDnsPolicy = (typeof EXTERNAL_DNS_POLICIES)[number];

/**
 * Record types the service and ingress sources produce (alias records are A/AAAA) plus the TXT
 * ownership records. The policy refuses every other type, so external-dns can never rewrite a
 * zone's NS, MX or SOA records.
 */
export const EXTERNAL_DNS_RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'TXT'] as const;

/**
 * ExternalDNS for Route 53: creates DNS records for Services and Ingresses that carry a
 * `external-dns.alpha.kubernetes.io/hostname` annotation or an Ingress host, in the configured
 * hosted zones only. AWS access through EKS Pod Identity, limited to those zones.
 */
export class ExternalDnsAddOn extends HelmAddOn<z.output<typeof EXTERNAL_DNS_OPTIONS>> {
  static readonly ID = 'external-dns';
  static readonly registration: AddOnRegistration = registerAddOn({
    id: ExternalDnsAddOn.ID,
    summary: 'ExternalDNS for Route 53 (records for Services and Ingresses in the configured hosted zones)',
    options: EXTERNAL_DNS_OPTIONS,
    create: (props) => new ExternalDnsAddOn(props),
    docs: {
      prose: join(__dirname, 'external-dns.md'),
      example: { hostedZoneIds: ['Z0123456789ABCDEFGHIJ'], domainFilters: ['apps.example.com'] },
    },
  });

  readonly id = ExternalDnsAddOn.ID;
  readonly computeModes = ['auto', 'nodegroups'] as const;
  readonly serviceAccounts = [{ namespace: EXTERNAL_DNS_CHART.namespace, name: EXTERNAL_DNS_SERVICE_ACCOUNT }];
  /** The hosted zones external-dns writes to (workloads pick their host names in them). */
  readonly hostedZoneIds: readonly string[];
  /** The domains external-dns manages; a workload's host name must end in one of them. */
  readonly domainFilters: readonly string[];
  /** The record policy in effect. */
  readonly policy: ExternalDnsPolicy;
  /** Records for annotated Services and Ingresses, in its zones and domains. */
  readonly provides: ProvidedCapabilities;
  /**
   * The chart's CRD (DNSEndpoint, in its crds/ folder) serves only the `crd` source, which this
   * add-on does not use; without it no stale copy can remain after a chart upgrade.
   */
  protected readonly skipChartCrds = true;

  constructor(props: ExternalDnsAddOnProps) {
    super(EXTERNAL_DNS_CHART, addOnOptions(ExternalDnsAddOn.ID, EXTERNAL_DNS_OPTIONS, props), EXTERNAL_DNS_EKS_ADDON);
    this.hostedZoneIds = [...this.options.hostedZoneIds];
    this.domainFilters = [...this.options.domainFilters];
    this.policy = this.options.policy;
    this.provides = { dnsRecords: { hostedZoneIds: this.hostedZoneIds, domainFilters: this.domainFilters } };
  }

  /**
   * The Pod Identity is a separate association, created before the chart or the EKS add-on (which
   * waits for it); the add-on gets no `podIdentityAssociations` of its own, so the service account
   * has exactly one association either way (aws-eks-v2's Addon does not expose that property).
   * The values are the chart's keys, also as the add-on's configuration: the community add-on
   * packages the upstream project, and public configurations pass `domainFilters` and `txtOwnerId`
   * to it this way. Its schema itself was not readable here: check
   * `aws eks describe-addon-configuration --addon-name external-dns --addon-version <version>`.
   */
  /** The controller's Pod Identity, limited to the configured zones. */
  protected prerequisites(scope: Construct, context: AddOnContext): undefined {
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
    return undefined;
  }

  protected chartValues(context: AddOnContext): HelmValues {
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
