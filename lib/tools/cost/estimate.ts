import type { AddOnCost, CostSection } from '../../../addons/core/cost';
import { kubernetesVersionInfo } from '../../core/config';
import type { CostAssumptions } from '../../core/cost/assumptions';
import type { CostLine, Range, UnpricedItem } from '../../core/cost/ledger';
import { addRanges, ESTIMATE_DAYS, exact, HOURS_PER_DAY, HOURS_PER_MONTH, ingestionLine, Ledger, usd } from '../../core/cost/ledger';
import type { RegionPriceTable } from '../../core/cost/prices';
import type { PlatformPlan } from '../../stacks/plan';
import type { CfnTemplate, TemplateResource } from './template';
import { resourcesOf } from './template';

export { ESTIMATE_DAYS, HOURS_PER_MONTH } from '../../core/cost/ledger';
export type { CostLine, Range, UnpricedItem } from '../../core/cost/ledger';

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

/** What every part of the estimate reads. */
interface Context extends CostInputs {
  readonly infra: readonly TemplateResource[];
  readonly all: readonly TemplateResource[];
  readonly count: (type: string) => number;
  readonly ledger: Ledger;
  /** What the plan's add-ons declare beyond their templates (their `costLines`), in plan order. */
  readonly addOnCosts: readonly AddOnCost[];
}

/**
 * What the environment `plan` describes costs in `prices`' region, from the synthesized templates
 * (what CloudFormation creates) and the plan (what the cluster creates at run time: the workloads'
 * load balancers). Pure: the same inputs give the same estimate.
 */
export function estimateCost(inputs: CostInputs): CostEstimate {
  const infra = resourcesOf(inputs.infraTemplate);
  const all = [...infra, ...resourcesOf(inputs.platformTemplate)];
  const ledger = new Ledger();
  const { plan, prices, assumptions } = inputs;
  const costContext = { config: plan.config, teams: plan.teams, prices, assumptions };
  const addOnCosts = plan.addons.flatMap((addon) => addon.costLines?.(costContext) ?? []);
  const context: Context = { ...inputs, infra, all, count: (type) => all.filter((r) => r.type === type).length, ledger, addOnCosts };

  ledger.push(controlPlane(inputs));
  controlPlaneTier(context);
  network(context);
  compute(context);
  loadBalancers(context);
  services(context);
  logIngestion(context);
  addOnServices(context);
  capabilities(context);

  const { lines, unpriced } = ledger;
  return {
    environment: inputs.plan.config.environment,
    region: inputs.prices.region,
    pricesAsOf: inputs.prices.asOf,
    date: inputs.today,
    lines,
    unpriced,
    totals: { fixed: total(lines.filter((l) => l.basis === 'fixed')), all: total(lines) },
    assumptions: inputs.assumptions,
  };
}

function total(lines: readonly CostLine[]): CostLineTotals {
  const zero = exact(0);
  return {
    perHour: lines.reduce((sum, l) => addRanges(sum, l.perHour), zero),
    perDay: lines.reduce((sum, l) => addRanges(sum, l.perDay), zero),
    per30Days: lines.reduce((sum, l) => addRanges(sum, l.per30Days), zero),
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
    day > dates.standardSupportEnds && supportType === 'EXTENDED' ? prices.eks.extendedSupportPerHour : prices.eks.standardSupportPerHour;
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

/** A provisioned tier is billed instead of the standard capacity; the table may not confirm its price. */
function controlPlaneTier({ plan, prices, ledger }: Context): void {
  const tier = plan.config.controlPlaneTier;
  if (tier === 'standard') return;
  ledger.add({
    component: `EKS Provisioned Control Plane (${tier})`,
    basis: 'fixed',
    price: prices.eks.provisionedTierPerHour[tier],
    source: prices.eks.source,
    what: `the ${tier} tier (the control-plane line shows the support price only)`,
    perHour: (p) => p,
    detail: (p) => `${usd(p)}/h`,
  });
}

/** NAT gateways, the data they process, and the public IPv4 addresses they hold. */
function network({ prices, assumptions, count, ledger }: Context): void {
  const { vpc } = prices;
  const natGateways = count('AWS::EC2::NatGateway');
  if (natGateways > 0) {
    ledger.add({
      component: `NAT gateways x${natGateways}`,
      basis: 'fixed',
      price: vpc.natGatewayPerHour,
      source: vpc.source,
      what: 'NAT gateway hours',
      perHour: (p) => natGateways * p,
      detail: (p) => `${natGateways} x ${usd(p)}/h`,
    });
    ledger.add({
      component: 'NAT data processed',
      basis: 'assumed',
      price: vpc.natGatewayPerGb,
      source: vpc.source,
      what: 'NAT data processed',
      perHour: (p) => (assumptions.natGbPerDay / HOURS_PER_DAY) * p,
      detail: (p) => `${assumptions.natGbPerDay} GB/day x ${usd(p)}/GB`,
    });
  }
  const eips = count('AWS::EC2::EIP');
  if (eips > 0) {
    ledger.add({
      component: `Public IPv4 addresses of the NAT gateways x${eips}`,
      basis: 'fixed',
      price: vpc.publicIpv4PerHour,
      source: vpc.source,
      what: 'public IPv4 addresses',
      perHour: (p) => eips * p,
      detail: (p) => `${eips} x ${usd(p)}/h`,
    });
  }
}

/** The minimum capacity: node groups at their minimum size, or the assumed Auto Mode nodes. */
function compute({ prices, assumptions, infra, ledger }: Context): void {
  const ebs = (component: string, basis: CostLine['basis'], nodes: number, diskGb: number): void =>
    ledger.add({
      component,
      basis,
      price: prices.ebs.gp3PerGbMonth,
      source: prices.ebs.source,
      what: 'gp3 storage',
      perHour: (p) => (nodes * diskGb * p) / HOURS_PER_MONTH,
      detail: (p) => `${nodes} x ${diskGb} GB x ${usd(p)}/GB-month`,
    });
  const autoMode = infra.some(
    (r) => r.type === 'AWS::EKS::Cluster' && (r.properties.ComputeConfig as { Enabled?: boolean } | undefined)?.Enabled === true,
  );
  if (autoMode) {
    const { autoModeInstanceType: type, autoModeNodes: nodes } = assumptions;
    ledger.add({
      component: `Auto Mode nodes: ${nodes} x ${type} (EC2)`,
      basis: 'assumed',
      price: prices.ec2.onDemandPerHour[type],
      source: prices.ec2.source,
      what: `${type} on demand`,
      perHour: (p) => nodes * p,
      detail: (p) => `${nodes} x ${usd(p)}/h`,
    });
    ledger.add({
      component: 'Auto Mode management fee',
      basis: 'assumed',
      price: prices.eks.autoModeFeePerHour[type],
      source: prices.eks.source,
      what: `the Auto Mode fee of ${type}`,
      perHour: (p) => nodes * p,
      detail: (p) => `${nodes} x ${usd(p)}/h`,
    });
    ebs('Auto Mode node volumes (gp3)', 'assumed', nodes, assumptions.autoModeNodeDiskGb);
    return;
  }
  for (const group of infra.filter((r) => r.type === 'AWS::EKS::Nodegroup')) {
    const props = group.properties as {
      NodegroupName?: unknown;
      InstanceTypes?: string[];
      CapacityType?: string;
      DiskSize?: number;
      ScalingConfig?: { MinSize?: number };
    };
    const name = typeof props.NodegroupName === 'string' ? props.NodegroupName : group.logicalId;
    const nodes = props.ScalingConfig?.MinSize ?? 0;
    // On-demand groups launch their first instance type (prioritized); SPOT groups any of them.
    const type = props.InstanceTypes?.[0] ?? 't3.medium';
    const spot = props.CapacityType === 'SPOT';
    ledger.add({
      component: `Node group ${name}: ${nodes} x ${type} ${spot ? 'SPOT' : 'on-demand'} (minimum)`,
      basis: spot ? 'assumed' : 'fixed',
      price: prices.ec2.onDemandPerHour[type],
      source: prices.ec2.source,
      what: `${type} on demand`,
      perHour: (p) => (spot ? { low: nodes * p * assumptions.spotLow, high: nodes * p * assumptions.spotHigh } : nodes * p),
      detail: (p) => `${nodes} x ${usd(p)}/h${spot ? ` x ${assumptions.spotLow}-${assumptions.spotHigh}` : ''}`,
    });
    // Without a DiskSize the node group's launch template or EKS's default (20 GiB) applies.
    ebs(`Node group ${name} volumes (gp3)`, 'fixed', nodes, props.DiskSize ?? 20);
  }
}

/** Load balancers the sample workloads make the cluster create (they are not in any template). */
function loadBalancers({ plan, prices, assumptions, ledger }: Context): void {
  const { workloads, azCount } = plan.config;
  const { elb, vpc } = prices;
  const balancers: { name: string; kind: 'ALB' | 'NLB'; internetFacing: boolean }[] = [];
  if (workloads.game2048) balancers.push({ name: 'game-2048', kind: 'ALB', internetFacing: true });
  if (workloads.petstore.enabled) balancers.push({ name: 'petstore', kind: 'NLB', internetFacing: !workloads.petstore.internal });
  if (workloads.nginx) balancers.push({ name: 'nginx', kind: 'NLB', internetFacing: true });
  for (const lb of balancers) {
    const alb = lb.kind === 'ALB';
    const units = alb ? 'LCU' : 'NLCU';
    ledger.add({
      component: `${lb.kind} for ${lb.name}`,
      basis: 'fixed',
      price: alb ? elb.albPerHour : elb.nlbPerHour,
      source: elb.source,
      what: `${lb.kind} hours`,
      perHour: (p) => p,
      detail: (p) => `${usd(p)}/h`,
    });
    ledger.add({
      component: `${lb.kind} capacity units of ${lb.name}`,
      basis: 'assumed',
      price: alb ? elb.albLcuPerHour : elb.nlbNlcuPerHour,
      source: elb.source,
      what: `${units} hours`,
      perHour: (p) => assumptions.lcuPerLoadBalancer * p,
      detail: (p) => `${assumptions.lcuPerLoadBalancer} ${units} x ${usd(p)}/h`,
    });
    if (lb.internetFacing) {
      // An internet-facing load balancer holds one public IPv4 address per AZ it serves.
      ledger.add({
        component: `Public IPv4 addresses of ${lb.name}`,
        basis: 'fixed',
        price: vpc.publicIpv4PerHour,
        source: vpc.source,
        what: 'public IPv4 addresses',
        perHour: (p) => azCount * p,
        detail: (p) => `${azCount} x ${usd(p)}/h`,
      });
    }
  }
}

/** The REST API's requests and the KMS keys. */
function services({ prices, assumptions, count, ledger }: Context): void {
  if (count('AWS::ApiGateway::RestApi') > 0) {
    ledger.add({
      component: 'API Gateway REST API requests',
      basis: 'assumed',
      price: prices.apiGateway.restPerMillionRequests,
      source: prices.apiGateway.source,
      what: 'REST API requests',
      perHour: (p) => (assumptions.apiRequestsPerDay / 1e6 / HOURS_PER_DAY) * p,
      detail: (p) => `${assumptions.apiRequestsPerDay} requests/day x ${usd(p)}/million`,
    });
  }
  const keys = count('AWS::KMS::Key');
  if (keys > 0) {
    ledger.add({
      component: `KMS keys x${keys}`,
      basis: 'fixed',
      price: prices.kms.keyPerMonth,
      source: prices.kms.source,
      what: 'KMS keys',
      perHour: (p) => (keys * p) / HOURS_PER_MONTH,
      detail: (p) => `${keys} x ${usd(p)}/month`,
    });
  }
}

/** Lines of `section` the add-ons declare (their cost facet), in plan order. */
function addOnLines(section: CostSection, { addOnCosts, ledger }: Context): void {
  addOnCosts.filter((item) => item.section === section).forEach((item) => ledger.record(item));
}

/** CloudWatch Logs ingestion for the log sources the templates turn on, then the add-ons' logs. */
function logIngestion(context: Context): void {
  const {
    prices: { logs },
    assumptions,
    all,
    ledger,
  } = context;
  const cluster = all.find((r) => r.type === 'AWS::EKS::Cluster');
  const logTypes =
    (cluster?.properties.Logging as { ClusterLogging?: { EnabledTypes?: unknown[] } } | undefined)?.ClusterLogging?.EnabledTypes ?? [];
  if (logTypes.length > 0) {
    ledger.add(
      ingestionLine(
        `Control-plane logs (${logTypes.length} types)`,
        assumptions.controlPlaneLogsGbPerDay,
        logs.ingestionPerGb,
        logs.source,
      ),
    );
  }
  if (all.some((r) => r.type === 'AWS::EC2::FlowLog')) {
    ledger.add(ingestionLine('VPC flow logs', assumptions.flowLogsGbPerDay, logs.vendedIngestionPerGb, logs.source, true));
  }
  addOnLines('log-ingestion', context);
}

/** What the add-ons' AWS services add: Prometheus and EFS from the templates, then what the add-ons declare. */
function addOnServices(context: Context): void {
  const { prices, assumptions, count, ledger } = context;
  const { prometheus, efs } = prices;
  if (count('AWS::APS::Workspace') > 0) {
    ledger.add({
      component: 'Prometheus samples ingested',
      basis: 'assumed',
      price: prometheus.per10MillionSamples,
      source: prometheus.source,
      what: 'samples ingested',
      perHour: (p) => ((assumptions.metricSamplesPerSecond * 3600) / 1e7) * p,
      detail: (p) => `${assumptions.metricSamplesPerSecond} samples/s x ${usd(p)}/10 million`,
    });
  }
  const scrapers = count('AWS::APS::Scraper');
  if (scrapers > 0) {
    ledger.add({
      component: `Prometheus managed collector x${scrapers}`,
      basis: 'fixed',
      price: prometheus.collectorPerHour,
      source: prometheus.source,
      what: 'collector hours (the collector is also billed per sample collected)',
      perHour: (p) => scrapers * p,
      detail: (p) => `${scrapers} x ${usd(p)}/h`,
    });
  }
  if (count('AWS::EFS::FileSystem') > 0) {
    ledger.add({
      component: 'EFS storage (Standard)',
      basis: 'assumed',
      price: efs.standardPerGbMonth,
      source: efs.source,
      what: 'EFS Standard storage',
      perHour: (p) => (assumptions.efsGb * p) / HOURS_PER_MONTH,
      detail: (p) => `${assumptions.efsGb} GB x ${usd(p)}/GB-month`,
    });
  }
  addOnLines('services', context);
}

/** EKS Capabilities (managed Argo CD, ACK, kro), from the templates. */
function capabilities({ prices, all, ledger }: Context): void {
  for (const capability of all.filter((r) => r.type === 'AWS::EKS::Capability')) {
    const type = String(capability.properties.Type ?? 'unknown');
    ledger.add({
      component: `EKS Capability ${type}`,
      basis: 'fixed',
      price: prices.eks.capabilityPerHour[type],
      source: prices.eks.source,
      what: `${type} capability hours (capabilities are also billed per managed resource)`,
      perHour: (p) => p,
      detail: (p) => `${usd(p)}/h`,
    });
  }
}
