import { CloudWatchObservabilityAddOn } from '../../addons/cloudwatch-observability';
import { kubernetesVersionInfo } from '../config';
import type { PlatformPlan } from '../plan';
import type { CostAssumptions } from './assumptions';
import type { RegionPriceTable } from './prices';
import { resourcesOf } from './template';
import type { CfnTemplate } from './template';

/** AWS bills a month as 730 hours; per-month prices become hourly ones with it. */
export const HOURS_PER_MONTH = 730;
const HOURS_PER_DAY = 24;
/** The estimate's long view: 30 days. */
export const ESTIMATE_DAYS = 30;

/** A price range in dollars; `low === high` for an exact figure. */
export interface Range {
  readonly low: number;
  readonly high: number;
}

/** One row of the estimate. */
export interface CostLine {
  readonly component: string;
  /** How the figure is made, e.g. `1 x $0.045/h`. */
  readonly detail: string;
  /** `fixed`: follows from the templates; `assumed`: rests on a stated usage assumption. */
  readonly basis: 'fixed' | 'assumed';
  readonly perHour: Range;
  readonly perDay: Range;
  /** The next 30 days from the estimate's date (the control plane may change price on the way). */
  readonly per30Days: Range;
}

/** Something the environment pays for that the table has no confirmed price for. */
export interface UnpricedItem {
  readonly component: string;
  readonly reason: string;
  readonly source: string;
}

export interface CostEstimate {
  readonly environment: string;
  readonly region: string;
  /** The day the prices were read. */
  readonly pricesAsOf: string;
  /** The day the estimate is for (the control plane's support phase is judged on it). */
  readonly date: string;
  readonly lines: readonly CostLine[];
  readonly unpriced: readonly UnpricedItem[];
  /** Sums of the fixed lines, and of every line. */
  readonly totals: { readonly fixed: CostLineTotals; readonly all: CostLineTotals };
  /** The assumptions the `assumed` lines rest on. */
  readonly assumptions: CostAssumptions;
}

export interface CostLineTotals {
  readonly perHour: Range;
  readonly perDay: Range;
  readonly per30Days: Range;
}

export interface CostInputs {
  readonly plan: PlatformPlan;
  readonly infraTemplate: CfnTemplate;
  readonly platformTemplate: CfnTemplate;
  readonly prices: RegionPriceTable;
  readonly assumptions: CostAssumptions;
  /** ISO date the estimate is for. */
  readonly today: string;
}

const exact = (value: number): Range => ({ low: value, high: value });
const scale = (range: Range, factor: number): Range => ({ low: range.low * factor, high: range.high * factor });
const add = (a: Range, b: Range): Range => ({ low: a.low + b.low, high: a.high + b.high });
const usd = (value: number): string => `$${Number(value.toPrecision(4))}`;

/** A line whose price per hour is the same all 30 days. */
function steady(component: string, detail: string, basis: CostLine['basis'], perHour: Range): CostLine {
  return { component, detail, basis, perHour, perDay: scale(perHour, HOURS_PER_DAY), per30Days: scale(perHour, HOURS_PER_DAY * ESTIMATE_DAYS) };
}

/**
 * What the environment `plan` describes costs in `prices`' region, from the synthesized templates
 * (what CloudFormation creates) and the plan (what the cluster creates at run time: the workloads'
 * load balancers). Pure: the same inputs give the same estimate.
 */
export function estimateCost(inputs: CostInputs): CostEstimate {
  const { plan, prices, assumptions } = inputs;
  const infra = resourcesOf(inputs.infraTemplate);
  const platform = resourcesOf(inputs.platformTemplate);
  const all = [...infra, ...platform];
  const count = (type: string): number => all.filter((r) => r.type === type).length;
  const lines: CostLine[] = [];
  const unpriced: UnpricedItem[] = [];

  lines.push(controlPlane(inputs));
  const tier = plan.config.controlPlaneTier;
  if (tier !== 'standard') {
    const tierPrice = prices.eks.provisionedTierPerHour[tier];
    if (tierPrice === undefined) {
      unpriced.push({ component: `EKS Provisioned Control Plane (${tier})`, reason: 'the tier\'s hourly price is not in this table; the control-plane line shows the support price only', source: prices.eks.source });
    } else {
      lines.push(steady(`EKS Provisioned Control Plane (${tier})`, `${usd(tierPrice)}/h`, 'fixed', exact(tierPrice)));
    }
  }

  const natGateways = count('AWS::EC2::NatGateway');
  if (natGateways > 0) {
    lines.push(steady(`NAT gateways x${natGateways}`, `${natGateways} x ${usd(prices.vpc.natGatewayPerHour)}/h`, 'fixed', exact(natGateways * prices.vpc.natGatewayPerHour)));
    lines.push(steady('NAT data processed', `${assumptions.natGbPerDay} GB/day x ${usd(prices.vpc.natGatewayPerGb)}/GB`, 'assumed',
      exact((assumptions.natGbPerDay / HOURS_PER_DAY) * prices.vpc.natGatewayPerGb)));
  }
  const eips = count('AWS::EC2::EIP');
  if (eips > 0) {
    lines.push(steady(`Public IPv4 addresses of the NAT gateways x${eips}`, `${eips} x ${usd(prices.vpc.publicIpv4PerHour)}/h`, 'fixed', exact(eips * prices.vpc.publicIpv4PerHour)));
  }

  lines.push(...compute(inputs, infra, unpriced));
  lines.push(...loadBalancers(inputs));

  const restApis = count('AWS::ApiGateway::RestApi');
  if (restApis > 0) {
    lines.push(steady('API Gateway REST API requests', `${assumptions.apiRequestsPerDay} requests/day x ${usd(prices.apiGateway.restPerMillionRequests)}/million`, 'assumed',
      exact((assumptions.apiRequestsPerDay / 1e6 / HOURS_PER_DAY) * prices.apiGateway.restPerMillionRequests)));
  }

  const keys = count('AWS::KMS::Key');
  if (keys > 0) {
    lines.push(steady(`KMS keys x${keys}`, `${keys} x ${usd(prices.kms.keyPerMonth)}/month`, 'fixed', exact((keys * prices.kms.keyPerMonth) / HOURS_PER_MONTH)));
  }

  lines.push(...logIngestion(inputs, all));
  lines.push(...addOnServices(inputs, count, unpriced));
  for (const capability of all.filter((r) => r.type === 'AWS::EKS::Capability')) {
    const type = String(capability.properties.Type ?? 'unknown');
    const price = prices.eks.capabilityPerHour[type];
    if (price === undefined) {
      unpriced.push({ component: `EKS Capability ${type}`, reason: 'billed per capability-hour and per managed resource; no confirmed price in this table', source: prices.eks.source });
    } else {
      lines.push(steady(`EKS Capability ${type}`, `${usd(price)}/h`, 'fixed', exact(price)));
    }
  }

  return {
    environment: plan.config.environment,
    region: prices.region,
    pricesAsOf: prices.asOf,
    date: inputs.today,
    lines,
    unpriced,
    totals: { fixed: total(lines.filter((l) => l.basis === 'fixed')), all: total(lines) },
    assumptions,
  };
}

function total(lines: readonly CostLine[]): CostLineTotals {
  const zero = exact(0);
  return {
    perHour: lines.reduce((sum, l) => add(sum, l.perHour), zero),
    perDay: lines.reduce((sum, l) => add(sum, l.perDay), zero),
    per30Days: lines.reduce((sum, l) => add(sum, l.per30Days), zero),
  };
}

/**
 * The control plane at the price of each day's support phase: standard support, then extended
 * support with `supportType: EXTENDED`; with `STANDARD`, EKS upgrades the cluster instead, so the
 * price stays the standard one.
 */
function controlPlane({ plan, prices, today }: CostInputs): CostLine {
  const { kubernetesVersion: version, supportType } = plan.config;
  const dates = kubernetesVersionInfo(version);
  const priceOn = (day: string): number =>
    (day > dates.standardSupportEnds && supportType === 'EXTENDED' ? prices.eks.extendedSupportPerHour : prices.eks.standardSupportPerHour);
  const days = Array.from({ length: ESTIMATE_DAYS }, (_, i) => addDays(today, i));
  const perHour = priceOn(today);
  const phase = perHour === prices.eks.extendedSupportPerHour ? 'extended support' : 'standard support';
  const changes = days.find((day) => priceOn(day) !== perHour);
  const detail = changes
    ? `${usd(perHour)}/h, ${usd(priceOn(changes))}/h from ${changes} (extended support, supportType EXTENDED)`
    : `${usd(perHour)}/h`;
  return {
    component: `EKS control plane (Kubernetes ${version}, ${phase})`,
    detail,
    basis: 'fixed',
    perHour: exact(perHour),
    perDay: exact(perHour * HOURS_PER_DAY),
    per30Days: exact(days.reduce((sum, day) => sum + priceOn(day) * HOURS_PER_DAY, 0)),
  };
}

function addDays(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The minimum capacity: node groups at their minimum size, or the assumed Auto Mode nodes. */
function compute({ prices, assumptions }: CostInputs, infra: ReturnType<typeof resourcesOf>, unpriced: UnpricedItem[]): CostLine[] {
  const lines: CostLine[] = [];
  const ebsPerGbHour = prices.ebs.gp3PerGbMonth / HOURS_PER_MONTH;
  const autoMode = infra.some((r) => r.type === 'AWS::EKS::Cluster' && (r.properties.ComputeConfig as { Enabled?: boolean } | undefined)?.Enabled === true);
  if (autoMode) {
    const type = assumptions.autoModeInstanceType;
    const ec2 = prices.ec2.onDemandPerHour[type];
    const fee = prices.eks.autoModeFeePerHour[type];
    const nodes = assumptions.autoModeNodes;
    if (ec2 === undefined || fee === undefined) {
      unpriced.push({ component: `Auto Mode nodes (${type})`, reason: `no ${ec2 === undefined ? 'EC2' : 'Auto Mode fee'} price for ${type} in this table; choose another --assume autoModeInstanceType`, source: ec2 === undefined ? prices.ec2.source : prices.eks.source });
    } else {
      lines.push(steady(`Auto Mode nodes: ${nodes} x ${type} (EC2)`, `${nodes} x ${usd(ec2)}/h`, 'assumed', exact(nodes * ec2)));
      lines.push(steady('Auto Mode management fee', `${nodes} x ${usd(fee)}/h`, 'assumed', exact(nodes * fee)));
    }
    lines.push(steady('Auto Mode node volumes (gp3)', `${nodes} x ${assumptions.autoModeNodeDiskGb} GB x ${usd(prices.ebs.gp3PerGbMonth)}/GB-month`, 'assumed',
      exact(nodes * assumptions.autoModeNodeDiskGb * ebsPerGbHour)));
    return lines;
  }
  for (const group of infra.filter((r) => r.type === 'AWS::EKS::Nodegroup')) {
    const props = group.properties as { NodegroupName?: unknown; InstanceTypes?: string[]; CapacityType?: string; DiskSize?: number; ScalingConfig?: { MinSize?: number } };
    const name = typeof props.NodegroupName === 'string' ? props.NodegroupName : group.logicalId;
    const nodes = props.ScalingConfig?.MinSize ?? 0;
    // On-demand groups launch their first instance type (prioritized); SPOT groups any of them.
    const type = props.InstanceTypes?.[0] ?? 't3.medium';
    const ec2 = prices.ec2.onDemandPerHour[type];
    if (ec2 === undefined) {
      unpriced.push({ component: `Node group ${name} (${type})`, reason: `no on-demand price for ${type} in this table`, source: prices.ec2.source });
    } else if (props.CapacityType === 'SPOT') {
      lines.push(steady(`Node group ${name}: ${nodes} x ${type} SPOT (minimum)`, `${nodes} x ${usd(ec2)}/h x ${assumptions.spotLow}-${assumptions.spotHigh}`, 'assumed',
        { low: nodes * ec2 * assumptions.spotLow, high: nodes * ec2 * assumptions.spotHigh }));
    } else {
      lines.push(steady(`Node group ${name}: ${nodes} x ${type} on-demand (minimum)`, `${nodes} x ${usd(ec2)}/h`, 'fixed', exact(nodes * ec2)));
    }
    // Without a DiskSize the node group's launch template or EKS's default (20 GiB) applies.
    const disk = props.DiskSize ?? 20;
    lines.push(steady(`Node group ${name} volumes (gp3)`, `${nodes} x ${disk} GB x ${usd(prices.ebs.gp3PerGbMonth)}/GB-month`, 'fixed', exact(nodes * disk * ebsPerGbHour)));
  }
  return lines;
}

/** Load balancers the sample workloads make the cluster create (they are not in any template). */
function loadBalancers({ plan, prices, assumptions }: CostInputs): CostLine[] {
  const { workloads, azCount } = plan.config;
  const balancers: { name: string; kind: 'ALB' | 'NLB'; internetFacing: boolean }[] = [];
  if (workloads.game2048) balancers.push({ name: 'game-2048', kind: 'ALB', internetFacing: true });
  if (workloads.petstore.enabled) balancers.push({ name: 'petstore', kind: 'NLB', internetFacing: !workloads.petstore.internal });
  if (workloads.nginx) balancers.push({ name: 'nginx', kind: 'NLB', internetFacing: true });
  const lines: CostLine[] = [];
  for (const lb of balancers) {
    const hourly = lb.kind === 'ALB' ? prices.elb.albPerHour : prices.elb.nlbPerHour;
    const unit = lb.kind === 'ALB' ? prices.elb.albLcuPerHour : prices.elb.nlbNlcuPerHour;
    const units = lb.kind === 'ALB' ? 'LCU' : 'NLCU';
    lines.push(steady(`${lb.kind} for ${lb.name}`, `${usd(hourly)}/h`, 'fixed', exact(hourly)));
    lines.push(steady(`${lb.kind} capacity units of ${lb.name}`, `${assumptions.lcuPerLoadBalancer} ${units} x ${usd(unit)}/h`, 'assumed',
      exact(assumptions.lcuPerLoadBalancer * unit)));
    if (lb.internetFacing) {
      // An internet-facing load balancer holds one public IPv4 address per AZ it serves.
      lines.push(steady(`Public IPv4 addresses of ${lb.name}`, `${azCount} x ${usd(prices.vpc.publicIpv4PerHour)}/h`, 'fixed', exact(azCount * prices.vpc.publicIpv4PerHour)));
    }
  }
  return lines;
}

/** CloudWatch Logs ingestion for the log sources the templates turn on. */
function logIngestion({ plan, prices, assumptions }: CostInputs, all: ReturnType<typeof resourcesOf>): CostLine[] {
  const lines: CostLine[] = [];
  const perHour = (gbPerDay: number, perGb: number): Range => exact((gbPerDay / HOURS_PER_DAY) * perGb);
  const cluster = all.find((r) => r.type === 'AWS::EKS::Cluster');
  const logTypes = (cluster?.properties.Logging as { ClusterLogging?: { EnabledTypes?: unknown[] } } | undefined)?.ClusterLogging?.EnabledTypes ?? [];
  if (logTypes.length > 0) {
    lines.push(steady(`Control-plane logs (${logTypes.length} types)`, `${assumptions.controlPlaneLogsGbPerDay} GB/day x ${usd(prices.logs.ingestionPerGb)}/GB`, 'assumed',
      perHour(assumptions.controlPlaneLogsGbPerDay, prices.logs.ingestionPerGb)));
  }
  if (all.some((r) => r.type === 'AWS::EC2::FlowLog')) {
    lines.push(steady('VPC flow logs', `${assumptions.flowLogsGbPerDay} GB/day x ${usd(prices.logs.vendedIngestionPerGb)}/GB (vended)`, 'assumed',
      perHour(assumptions.flowLogsGbPerDay, prices.logs.vendedIngestionPerGb)));
  }
  const observability = plan.addons.find((a): a is CloudWatchObservabilityAddOn => a instanceof CloudWatchObservabilityAddOn);
  if (observability?.containerLogs) {
    lines.push(steady('Container logs (Fluent Bit)', `${assumptions.containerLogsGbPerDay} GB/day x ${usd(prices.logs.ingestionPerGb)}/GB`, 'assumed',
      perHour(assumptions.containerLogsGbPerDay, prices.logs.ingestionPerGb)));
  }
  return lines;
}

/** What the add-ons' AWS services add: Prometheus, EFS, Secrets Manager, Container Insights. */
function addOnServices({ plan, prices, assumptions }: CostInputs, count: (type: string) => number, unpriced: UnpricedItem[]): CostLine[] {
  const lines: CostLine[] = [];
  if (count('AWS::APS::Workspace') > 0) {
    const samplesPerHour = assumptions.metricSamplesPerSecond * 3600;
    lines.push(steady('Prometheus samples ingested', `${assumptions.metricSamplesPerSecond} samples/s x ${usd(prices.prometheus.per10MillionSamples)}/10 million`, 'assumed',
      exact((samplesPerHour / 1e7) * prices.prometheus.per10MillionSamples)));
  }
  const scrapers = count('AWS::APS::Scraper');
  if (scrapers > 0) {
    const price = prices.prometheus.collectorPerHour;
    if (price === undefined) {
      unpriced.push({ component: `Prometheus managed collector x${scrapers}`, reason: 'billed per collector-hour and per sample collected; no confirmed price in this table', source: prices.prometheus.source });
    } else {
      lines.push(steady(`Prometheus managed collector x${scrapers}`, `${scrapers} x ${usd(price)}/h`, 'fixed', exact(scrapers * price)));
    }
  }
  if (count('AWS::EFS::FileSystem') > 0) {
    lines.push(steady('EFS storage (Standard)', `${assumptions.efsGb} GB x ${usd(prices.efs.standardPerGbMonth)}/GB-month`, 'assumed',
      exact((assumptions.efsGb * prices.efs.standardPerGbMonth) / HOURS_PER_MONTH)));
  }
  if (plan.addons.some((a) => a.id === 'external-secrets')) {
    const secrets = (plan.teams.length + 1) * assumptions.secretsPerTeam;
    lines.push(steady('Secrets Manager secrets', `${secrets} x ${usd(prices.secretsManager.perSecretMonth)}/month (platform + ${plan.teams.length} teams)`, 'assumed',
      exact((secrets * prices.secretsManager.perSecretMonth) / HOURS_PER_MONTH)));
  }
  if (plan.addons.some((a) => a instanceof CloudWatchObservabilityAddOn)) {
    unpriced.push({ component: 'Container Insights with enhanced observability', reason: 'billed per observation; depends on pod and container count', source: prices.logs.source });
  }
  return lines;
}
