import type { RegionPriceTable } from './price-table';

/*
 * AWS list prices for US East (N. Virginia), US East (Ohio) and US West (Oregon), read on the public
 * pricing pages named in each group on 2026-12-01. The three regions have the same price for every
 * line below, so they share one table. Compare with the AWS Pricing Calculator before an account
 * owner signs: prices change without notice, and these pages are the only source.
 */

/** Linux on-demand per hour: the types the default node groups and the Auto Mode assumption use, and common alternatives. */
const ON_DEMAND_PER_HOUR = {
  't3.medium': 0.0416,
  't3.large': 0.0832,
  't3.xlarge': 0.1664,
  't4g.medium': 0.0336,
  'm5.large': 0.096,
  'm5.xlarge': 0.192,
  'm5.2xlarge': 0.384,
  'm6i.large': 0.096,
  'm6i.xlarge': 0.192,
  'm7i.large': 0.1008,
  'm6g.large': 0.077,
  'm7g.large': 0.0816,
  'c5.large': 0.085,
  'c5.xlarge': 0.17,
  'c6i.large': 0.085,
  'c6a.large': 0.0765,
  'c7g.large': 0.0725,
  'r5.large': 0.126,
} as const;

/**
 * The EKS pricing page lists the Auto Mode fee per instance type; for every type in this table it is
 * 12% of the type's on-demand price, rounded to the listed precision. Burstable t3/t4g types are not
 * Auto Mode instance types, so they have no fee.
 */
const AUTO_MODE_FEE_RATIO = 0.12;
const autoModeFees = Object.fromEntries(
  Object.entries(ON_DEMAND_PER_HOUR)
    .filter(([type]) => !type.startsWith('t'))
    .map(([type, price]) => [type, Math.round(price * AUTO_MODE_FEE_RATIO * 1e6) / 1e6]),
);

function usTable(region: string): RegionPriceTable {
  return {
    region,
    asOf: '2026-12-01',
    eks: {
      source: 'https://aws.amazon.com/eks/pricing/',
      standardSupportPerHour: 0.1,
      extendedSupportPerHour: 0.6,
      // Not confirmed from a source reachable here: the estimate lists the tier as not priced.
      provisionedTierPerHour: {},
      autoModeFeePerHour: autoModeFees,
      // Not confirmed from a source reachable here: the estimate lists capabilities as not priced.
      capabilityPerHour: {},
    },
    ec2: { source: 'https://aws.amazon.com/ec2/pricing/on-demand/', onDemandPerHour: ON_DEMAND_PER_HOUR },
    ebs: { source: 'https://aws.amazon.com/ebs/pricing/', gp3PerGbMonth: 0.08 },
    vpc: {
      source: 'https://aws.amazon.com/vpc/pricing/',
      natGatewayPerHour: 0.045,
      natGatewayPerGb: 0.045,
      publicIpv4PerHour: 0.005,
    },
    elb: {
      source: 'https://aws.amazon.com/elasticloadbalancing/pricing/',
      albPerHour: 0.0225,
      albLcuPerHour: 0.008,
      nlbPerHour: 0.0225,
      nlbNlcuPerHour: 0.006,
    },
    apiGateway: { source: 'https://aws.amazon.com/api-gateway/pricing/', restPerMillionRequests: 3.5 },
    kms: { source: 'https://aws.amazon.com/kms/pricing/', keyPerMonth: 1 },
    logs: {
      source: 'https://aws.amazon.com/cloudwatch/pricing/',
      ingestionPerGb: 0.5,
      vendedIngestionPerGb: 0.5,
      storagePerGbMonth: 0.03,
    },
    prometheus: {
      source: 'https://aws.amazon.com/prometheus/pricing/',
      per10MillionSamples: 0.9,
      storagePerGbMonth: 0.03,
      // The collector is billed per hour and per sample collected; the figure was not confirmed here.
      collectorPerHour: undefined,
    },
    efs: { source: 'https://aws.amazon.com/efs/pricing/', standardPerGbMonth: 0.3 },
    secretsManager: { source: 'https://aws.amazon.com/secrets-manager/pricing/', perSecretMonth: 0.4 },
  };
}

export const US_PRICE_TABLES: readonly RegionPriceTable[] = ['us-east-1', 'us-east-2', 'us-west-2'].map(usTable);
