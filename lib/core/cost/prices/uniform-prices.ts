import type { RegionPriceTable } from './price-table';

/*
 * The prices the tables outside the US share because a source states them without any regional
 * variation, read on 2026-12-01, and the AWS pricing page of every other group: a region's table
 * names that page for a group it has no confirmed figure for, so a "not priced" line says where to
 * read the figure. Nothing here is a us-east-1 price copied to another region.
 *
 * - EKS control plane: $0.10 per cluster-hour in standard support and $0.60 in extended support, from
 *   the AWS Containers blog post that announced the extended-support price. Neither it nor the EKS
 *   pricing page qualifies the two figures by region; no page here says "in every region" in so many
 *   words, so this is the one uniform figure resting on the absence of a regional price list.
 *   The interface requires both, so every table has them.
 * - Public IPv4: $0.005 per address-hour; both articles report AWS saying the charge applies in all
 *   regions.
 * - KMS: $1 per customer-managed key-month; the KMS pricing page states it for every key, with no
 *   regional price list.
 * - Not uniform here: Secrets Manager's $0.40 per secret-month is only reproduced by third-party pages
 *   that do not say whether it varies by region, so it is left out.
 */

const EKS_SOURCE =
  'https://aws.amazon.com/eks/pricing/ and https://aws.amazon.com/blogs/containers/amazon-eks-extended-support-for-kubernetes-versions-pricing/';
const PUBLIC_IPV4_SOURCE =
  'https://www.techpartner.news/news/aws-to-charge-for-ipv4-addresses-598672 and https://www.haufe-akademie.de/en/skill-it/blog/aws-gebuehren-ipv4-adressen';
const PUBLIC_IPV4_PER_HOUR = 0.005;

/** The AWS pricing page of each group, named when a region's table has no figure from it. */
export const AWS_PRICING_PAGES = {
  ec2: 'https://aws.amazon.com/ec2/pricing/on-demand/',
  ebs: 'https://aws.amazon.com/ebs/pricing/',
  natGateway: 'https://aws.amazon.com/vpc/pricing/',
  elb: 'https://aws.amazon.com/elasticloadbalancing/pricing/',
  apiGateway: 'https://aws.amazon.com/api-gateway/pricing/',
  logs: 'https://aws.amazon.com/cloudwatch/pricing/',
  prometheus: 'https://aws.amazon.com/prometheus/pricing/',
  efs: 'https://aws.amazon.com/efs/pricing/',
  secretsManager: 'https://aws.amazon.com/secrets-manager/pricing/',
} as const;

/** NAT gateway prices of one region, with the page they were read on. */
export interface NatGatewayPrices {
  readonly source: string;
  readonly natGatewayPerHour?: number;
  readonly natGatewayPerGb?: number;
}

/** What a region's own sources confirm; every group left out is not priced. */
export interface RegionalPrices {
  readonly ec2?: RegionPriceTable['ec2'];
  readonly ebs?: RegionPriceTable['ebs'];
  readonly natGateway?: NatGatewayPrices;
  readonly elb?: RegionPriceTable['elb'];
  readonly apiGateway?: RegionPriceTable['apiGateway'];
  readonly logs?: RegionPriceTable['logs'];
  readonly prometheus?: RegionPriceTable['prometheus'];
  readonly efs?: RegionPriceTable['efs'];
  readonly secretsManager?: RegionPriceTable['secretsManager'];
}

/** A region's table: the uniform prices above plus the figures its own sources confirm. */
export function regionTable(region: string, regional: RegionalPrices = {}): RegionPriceTable {
  const nat = regional.natGateway ?? { source: AWS_PRICING_PAGES.natGateway };
  return {
    region,
    asOf: '2026-12-01',
    eks: {
      source: EKS_SOURCE,
      standardSupportPerHour: 0.1,
      extendedSupportPerHour: 0.6,
      // No source here gives Provisioned Control Plane tiers, the Auto Mode fee or Capabilities per
      // region; without the region's on-demand prices the Auto Mode fee cannot be derived either.
      provisionedTierPerHour: {},
      autoModeFeePerHour: {},
      capabilityPerHour: {},
    },
    ec2: regional.ec2 ?? { source: AWS_PRICING_PAGES.ec2, onDemandPerHour: {} },
    ebs: regional.ebs ?? { source: AWS_PRICING_PAGES.ebs },
    vpc: {
      source: `${nat.source} and ${PUBLIC_IPV4_SOURCE}`,
      natGatewayPerHour: nat.natGatewayPerHour,
      natGatewayPerGb: nat.natGatewayPerGb,
      publicIpv4PerHour: PUBLIC_IPV4_PER_HOUR,
    },
    elb: regional.elb ?? { source: AWS_PRICING_PAGES.elb },
    apiGateway: regional.apiGateway ?? { source: AWS_PRICING_PAGES.apiGateway },
    kms: { source: 'https://aws.amazon.com/kms/pricing/', keyPerMonth: 1 },
    logs: regional.logs ?? { source: AWS_PRICING_PAGES.logs },
    prometheus: regional.prometheus ?? { source: AWS_PRICING_PAGES.prometheus },
    efs: regional.efs ?? { source: AWS_PRICING_PAGES.efs },
    secretsManager: regional.secretsManager ?? { source: AWS_PRICING_PAGES.secretsManager },
  };
}
