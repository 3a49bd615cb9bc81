import type { Construct } from 'constructs';

import { CloudWatchObservabilityAddOn } from '../addons/cloudwatch-observability';
import type { AddOnContext, PlatformAddOn } from '../addons/core/addon';
import type { AddOnCost, AddOnCostContext } from '../addons/core/cost';
import { defaultOf, docOf, REGION_AVAILABILITY_ZONES } from '../lib/core/config';
import { composePlan } from '../lib/stacks/plan';
import type { CostEstimate, CostLine, RegionPriceTable } from '../lib/tools/cost';
import {
  ASSUMPTIONS_SCHEMA,
  defaultAssumptions,
  estimateCost,
  estimateEnvironment,
  formatEstimate,
  PRICE_TABLES,
  workshopCost,
} from '../lib/tools/cost';
import { parseArgs } from '../scripts/cost/cost';
import { CDK_JSON_CONTEXT } from './helpers';

/** Every usage assumption that would add a line set to zero, so only what the templates fix remains. */
const NO_USAGE = {
  natGbPerDay: '0',
  controlPlaneLogsGbPerDay: '0',
  flowLogsGbPerDay: '0',
  containerLogsGbPerDay: '0',
  apiRequestsPerDay: '0',
  lcuPerLoadBalancer: '0',
  metricSamplesPerSecond: '0',
  efsGb: '0',
};

function estimate(context: Record<string, unknown>, assumptions: Record<string, string> = {}, today = '2026-12-01'): CostEstimate {
  return estimateEnvironment({ ...CDK_JSON_CONTEXT, ...context }, { assumptions, today });
}

function line(e: CostEstimate, component: RegExp): CostLine {
  const found = e.lines.find((l) => component.test(l.component));
  if (!found) throw new Error(`no line ${component} in ${e.lines.map((l) => l.component).join('; ')}`);
  return found;
}

describe('a fixed node-group environment, priced by hand', () => {
  const e = estimate({ compute: 'nodegroups', sampleWorkloads: false, region: 'us-east-1' }, NO_USAGE);

  test('each line is the hand-computed figure', () => {
    expect(line(e, /^EKS control plane/).perHour.low).toBeCloseTo(0.1, 10);
    expect(line(e, /^NAT gateways x1$/).perHour.low).toBeCloseTo(0.045, 10);
    expect(line(e, /NAT gateways x1$/).component).toBe('NAT gateways x1');
    expect(line(e, /^Public IPv4 addresses of the NAT/).perHour.low).toBeCloseTo(0.005, 10);
    // The ops group: two m5.large on demand with 20 GB gp3 each.
    expect(line(e, /^Node group ops: 2 x m5.large on-demand/).perHour.low).toBeCloseTo(2 * 0.096, 10);
    expect(line(e, /^Node group ops volumes/).perHour.low).toBeCloseTo((2 * 20 * 0.08) / 730, 10);
    expect(line(e, /^KMS keys x2$/).perHour.low).toBeCloseTo(2 / 730, 10);
  });

  test('the total is their sum, per hour, per day and per 30 days', () => {
    const perHour = 0.1 + 0.045 + 0.005 + 2 * 0.096 + (2 * 20 * 0.08) / 730 + 2 / 730;
    expect(e.totals.all.perHour.low).toBeCloseTo(perHour, 10);
    expect(e.totals.all.perHour.high).toBeCloseTo(perHour, 10);
    expect(e.totals.all.perDay.low).toBeCloseTo(perHour * 24, 8);
    expect(e.totals.all.per30Days.low).toBeCloseTo(perHour * 720, 8);
    // With every usage assumption at zero, the usage lines add nothing.
    expect(e.totals.fixed.perHour.low).toBeCloseTo(perHour, 10);
  });

  test('the workshop form multiplies one environment by participants and hours', () => {
    const w = workshopCost(e, 30, 8);
    expect(w.perEnvironment.low).toBeCloseTo(e.totals.all.perHour.low * 8, 10);
    expect(w.total.low).toBeCloseTo(e.totals.all.perHour.low * 8 * 30, 10);
    expect(formatEstimate(e, w)).toMatch(
      /Workshop: 30 participants x 8 h, one environment each: \$\d+\.\d\d per environment, \$\d+\.\d\d in all\./,
    );
  });

  test('the printed table names the price date and the assumptions', () => {
    const text = formatEstimate(e);
    expect(text).toContain('Prices: AWS list prices read on 2026-12-01');
    expect(text).toContain('"assumed" lines rest on usage assumptions');
    expect(text).toMatch(/Total, with the assumptions\s+\$0\.3491\s+\$8\.38\s+\$251\.37/);
  });
});

describe("the control plane follows the version's support phase and supportType", () => {
  test('1.34 with EXTENDED after 2026-12-02 costs the extended-support price', () => {
    const e = estimate({ kubernetesVersion: '1.34', supportType: 'EXTENDED', sampleWorkloads: false }, NO_USAGE, '2026-12-10');
    const cp = line(e, /^EKS control plane/);
    expect(cp.component).toBe('EKS control plane (Kubernetes 1.34, extended support)');
    expect(cp.perHour.low).toBe(0.6);
    expect(cp.per30Days.low).toBeCloseTo(0.6 * 720, 8);
  });

  test('with STANDARD EKS upgrades instead, so the price stays standard', () => {
    const e = estimate({ kubernetesVersion: '1.34', supportType: 'STANDARD', sampleWorkloads: false }, NO_USAGE, '2026-12-10');
    expect(line(e, /^EKS control plane/).perHour.low).toBe(0.1);
  });

  test('a 30-day window that crosses the end of standard support prices each day by its phase', () => {
    // Standard support of 1.34 ends 2026-12-02: 11-20 .. 12-02 is 13 days standard, then 17 extended.
    const e = estimate({ kubernetesVersion: '1.34', supportType: 'EXTENDED', sampleWorkloads: false }, NO_USAGE, '2026-11-20');
    const cp = line(e, /^EKS control plane/);
    expect(cp.perHour.low).toBe(0.1);
    expect(cp.per30Days.low).toBeCloseTo((13 * 0.1 + 17 * 0.6) * 24, 8);
    expect(cp.detail).toContain('$0.6/h from 2026-12-03');
  });
});

describe('what the configuration adds', () => {
  const plan = composePlan({ compute: 'nodegroups', sampleWorkloads: false });
  const prices = PRICE_TABLES.get('us-west-2')!;
  const nodegroup = (capacityType: string, instanceType: string) => ({
    Resources: {
      Group: {
        Type: 'AWS::EKS::Nodegroup',
        Properties: {
          NodegroupName: 'batch',
          CapacityType: capacityType,
          InstanceTypes: [instanceType],
          DiskSize: 50,
          ScalingConfig: { MinSize: 3 },
        },
      },
    },
  });
  const run = (infraTemplate: object): CostEstimate =>
    estimateCost({
      plan,
      infraTemplate,
      platformTemplate: {},
      prices,
      assumptions: defaultAssumptions(),
      today: '2026-12-01',
    });

  test('a SPOT node group is a range between the stated fractions of on-demand', () => {
    const spot = line(run(nodegroup('SPOT', 'm5.xlarge')), /^Node group batch: 3 x m5.xlarge SPOT/);
    expect(spot.basis).toBe('assumed');
    expect(spot.perHour.low).toBeCloseTo(3 * 0.192 * 0.3, 10);
    expect(spot.perHour.high).toBeCloseTo(3 * 0.192 * 0.7, 10);
    expect(line(run(nodegroup('SPOT', 'm5.xlarge')), /^Node group batch volumes/).perHour.low).toBeCloseTo((3 * 50 * 0.08) / 730, 10);
  });

  test('an instance type the table lacks is listed as not priced, not guessed', () => {
    const e = run(nodegroup('ON_DEMAND', 'p5.48xlarge'));
    expect(e.lines.some((l) => l.component.startsWith('Node group batch:'))).toBe(false);
    expect(e.unpriced).toContainEqual(
      expect.objectContaining({
        component: 'Node group batch: 3 x p5.48xlarge on-demand (minimum)',
        reason: expect.stringContaining('no confirmed price for p5.48xlarge on demand'),
      }),
    );
  });

  test("a price the region's table leaves out is listed as not priced, never counted as zero", () => {
    const withoutNat = { ...prices, vpc: { source: prices.vpc.source, publicIpv4PerHour: prices.vpc.publicIpv4PerHour } };
    const nat = { Resources: { Nat: { Type: 'AWS::EC2::NatGateway' } } };
    const e = estimateCost({
      plan,
      infraTemplate: nat,
      platformTemplate: {},
      prices: withoutNat,
      assumptions: defaultAssumptions(),
      today: '2026-12-01',
    });
    expect(e.lines.some((l) => l.component.startsWith('NAT'))).toBe(false);
    expect(e.unpriced).toEqual([
      expect.objectContaining({
        component: 'NAT gateways x1',
        reason: expect.stringContaining('NAT gateway hours'),
        source: prices.vpc.source,
      }),
      expect.objectContaining({ component: 'NAT data processed', reason: expect.stringContaining('NAT data processed') }),
    ]);
  });

  test.each(['tier-xl', 'tier-8xl'])('a provisioned control-plane tier without a confirmed price (%s) is listed as not priced', (tier) => {
    const e = estimate({ controlPlaneTier: tier, sampleWorkloads: false }, NO_USAGE);
    expect(e.unpriced).toContainEqual(expect.objectContaining({ component: `EKS Provisioned Control Plane (${tier})` }));
    expect(e.lines.some((l) => l.component.startsWith('EKS Provisioned Control Plane'))).toBe(false);
  });

  test('the sample workloads add their load balancers and the API', () => {
    const e = estimate({}, {});
    expect(line(e, /^ALB for game-2048$/).perHour.low).toBe(0.0225);
    expect(line(e, /^Public IPv4 addresses of game-2048$/).perHour.low).toBeCloseTo(3 * 0.005, 10);
    expect(line(e, /^NLB for petstore$/).perHour.low).toBe(0.0225);
    // petstore's NLB is internal by default: no public addresses.
    expect(e.lines.some((l) => l.component === 'Public IPv4 addresses of petstore')).toBe(false);
    expect(line(e, /^API Gateway REST API requests$/).perDay.low).toBeCloseTo((10_000 / 1e6) * 3.5, 10);
    // Auto Mode (the default): the assumed nodes and their management fee.
    expect(line(e, /^Auto Mode nodes: 2 x c6a.large/).perHour.low).toBeCloseTo(2 * 0.0765, 10);
    expect(line(e, /^Auto Mode management fee$/).perHour.low).toBeCloseTo(2 * 0.0765 * 0.12, 6);
  });
});

describe('what the add-ons add', () => {
  const addons = { 'metrics-server': {}, 'cloudwatch-observability': {}, prometheus: {}, efs: {}, 'external-secrets': {}, kro: {} };
  const teams = [{ name: 'team-a', principals: ['arn:aws:iam::111122223333:role/TeamA'] }];
  const e = estimate({ kubernetesVersion: '1.35', sampleWorkloads: false, addons: JSON.stringify(addons), teams }, {});

  test('Prometheus samples, EFS storage, Secrets Manager and container logs from the stated assumptions', () => {
    expect(line(e, /^Prometheus samples ingested$/).perHour.low).toBeCloseTo(((700 * 3600) / 1e7) * 0.9, 10);
    expect(line(e, /^EFS storage \(Standard\)$/).perHour.low).toBeCloseTo((10 * 0.3) / 730, 10);
    // The platform's store and team-a's, one secret each.
    expect(line(e, /^Secrets Manager secrets$/).perHour.low).toBeCloseTo((2 * 0.4) / 730, 10);
    expect(line(e, /^Container logs \(Fluent Bit\)$/).perDay.low).toBeCloseTo(1 * 0.5, 10);
    // The logs key, the secrets key, the workspace's key and the file system's key.
    expect(line(e, /^KMS keys x4$/).perHour.low).toBeCloseTo(4 / 730, 10);
  });

  test('what no table confirms is listed, not priced', () => {
    expect(e.unpriced.map((u) => u.component)).toEqual([
      'Prometheus managed collector x1',
      'Container Insights with enhanced observability',
      'EKS Capability KRO',
    ]);
  });
});

/** A consumer's add-on that declares its own cost: a license per team, and a support plan no table prices. */
class LicensedAddOn implements PlatformAddOn {
  readonly id = 'licensed';
  readonly computeModes = ['auto', 'nodegroups'] as const;
  readonly namespaces = [];
  readonly seen: AddOnCostContext[] = [];

  constructor(private readonly perSeatMonth: number | undefined) {}

  deploy(_scope: Construct, _context: AddOnContext): void {}

  costLines(context: AddOnCostContext): AddOnCost[] {
    this.seen.push(context);
    const seats = context.teams.length;
    return [
      {
        section: 'services',
        component: 'Licensed seats',
        basis: 'fixed',
        price: this.perSeatMonth,
        source: 'https://example.com/pricing',
        what: 'seats',
        perHour: (p) => (seats * p) / 730,
        detail: (p) => `${seats} x $${p}/month`,
      },
      {
        section: 'log-ingestion',
        component: 'Licensed audit logs',
        basis: 'assumed',
        price: context.prices.logs.ingestionPerGb,
        source: context.prices.logs.source,
        what: 'log ingestion',
        perHour: (p) => (2 / 24) * p,
        detail: (p) => `2 GB/day x $${p}/GB`,
      },
      { section: 'services', component: 'Licensed support', reason: 'billed per incident', source: 'https://example.com/support' },
    ];
  }
}

describe("an add-on's cost facet, first-party or a consumer's", () => {
  const teams = [
    { name: 'team-a', principals: ['arn:aws:iam::111122223333:role/TeamA'] },
    { name: 'team-b', principals: ['arn:aws:iam::111122223333:role/TeamB'] },
  ];
  const prices = PRICE_TABLES.get('us-west-2')!;
  const templates = {
    infraTemplate: { Resources: { Flow: { Type: 'AWS::EC2::FlowLog' } } },
    platformTemplate: {
      Resources: { Fs: { Type: 'AWS::EFS::FileSystem' }, Kro: { Type: 'AWS::EKS::Capability', Properties: { Type: 'KRO' } } },
    },
  };
  const run = (addon: PlatformAddOn): CostEstimate =>
    estimateCost({
      plan: composePlan({ addons: '', sampleWorkloads: false }, { addons: [addon], teams }),
      ...templates,
      prices,
      assumptions: defaultAssumptions(),
      today: '2026-12-01',
    });

  test("a code add-on's lines are priced with the plan's teams, in the section each names", () => {
    const addon = new LicensedAddOn(30);
    const e = run(addon);
    expect(addon.seen.map((c) => [c.teams.length, c.prices.region, c.assumptions.efsGb])).toEqual([[2, 'us-west-2', 10]]);
    expect(line(e, /^Licensed seats$/)).toMatchObject({ basis: 'fixed', detail: '2 x $30/month' });
    expect(line(e, /^Licensed seats$/).perHour.low).toBeCloseTo((2 * 30) / 730, 10);
    expect(line(e, /^Licensed audit logs$/).perDay.low).toBeCloseTo(2 * 0.5, 10);
    // Logs beside the other log ingestion; services after the template's EFS, before the Capabilities.
    const components = e.lines.map((l) => l.component);
    expect(components.slice(components.indexOf('VPC flow logs'))).toEqual([
      'VPC flow logs',
      'Licensed audit logs',
      'EFS storage (Standard)',
      'Licensed seats',
    ]);
    expect(e.unpriced.map((u) => [u.component, u.reason])).toEqual([
      ['Licensed support', 'billed per incident'],
      ['EKS Capability KRO', expect.any(String)],
    ]);
  });

  test('a price the add-on cannot confirm is listed as not priced, naming what and where', () => {
    const e = run(new LicensedAddOn(undefined));
    expect(e.lines.some((l) => l.component === 'Licensed seats')).toBe(false);
    expect(e.unpriced).toContainEqual({
      component: 'Licensed seats',
      reason: "no confirmed price for seats in this region's table",
      source: 'https://example.com/pricing',
    });
  });

  test('cloudwatch-observability prices container logs only while Fluent Bit runs', () => {
    const context: AddOnCostContext = { config: composePlan({}).config, teams: [], prices, assumptions: defaultAssumptions() };
    const components = (containerLogs: boolean) =>
      new CloudWatchObservabilityAddOn({ containerLogs }).costLines(context).map((c) => [c.section, c.component]);
    expect(components(true)).toEqual([
      ['log-ingestion', 'Container logs (Fluent Bit)'],
      ['services', 'Container Insights with enhanced observability'],
    ]);
    expect(components(false)).toEqual([['services', 'Container Insights with enhanced observability']]);
  });
});

describe('bad input', () => {
  test('a region without a price table is a clear message naming the regions that have one', () => {
    // eu-south-1 has no committed AZ names, so it needs explicit zones to get as far as pricing.
    expect(() => estimate({ region: 'eu-south-1', availabilityZones: 'eu-south-1a,eu-south-1b,eu-south-1c' })).toThrow(
      /region: got "eu-south-1"; allowed: a region with a price table \(us-east-1, us-east-2, us-west-2, ca-central-1, .*ap-south-1\)/,
    );
  });

  test('bad assumptions are all reported with the key, the value and what is allowed', () => {
    expect(() => estimate({}, { natGbPerDay: 'lots', spotLow: '2' })).toThrow(
      /natGbPerDay: got "lots"; allowed: a number from 0[\s\S]*spotLow: got "2"; allowed: a number from 0 to 1/,
    );
    expect(() => estimate({}, { natGbPerDy: '1' })).toThrow(/natGbPerDy: got "1"; allowed: a known key: did you mean "natGbPerDay"\?/);
  });

  test('the command line collects every mistake', () => {
    expect(() => parseArgs(['--hours', '0', '--date', '2026-13-45', '--frobnicate'])).toThrow(
      /--hours: got "0"; allowed: a positive number[\s\S]*--date: got "2026-13-45"[\s\S]*option: got "--frobnicate"/,
    );
    expect(parseArgs(['-c', 'compute=nodegroups', '--assume', 'efsGb=5', '--participants', '30', '--hours', '8'])).toEqual({
      context: { compute: 'nodegroups' },
      assumptions: { efsGb: '5' },
      participants: 30,
      hours: 8,
      date: undefined,
      json: false,
    });
  });
});

describe('price tables', () => {
  test('every region the app has Availability Zones for has a dated table naming a source per group', () => {
    for (const region of Object.keys(REGION_AVAILABILITY_ZONES)) {
      const table = PRICE_TABLES.get(region);
      expect(table?.region).toBe(region);
      expect(table?.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const groups = Object.values(table ?? {}).filter(
        (v): v is { source: unknown } => typeof v === 'object' && v !== null && 'source' in v,
      );
      expect(groups).toHaveLength(11);
      for (const group of groups) expect(group.source).toMatch(/^https:\/\//);
    }
  });

  const us = PRICE_TABLES.get('us-west-2')!;
  const run = (prices: RegionPriceTable, infraTemplate: object): CostEstimate =>
    estimateCost({
      plan: composePlan({ sampleWorkloads: false }),
      infraTemplate,
      platformTemplate: {},
      prices,
      assumptions: defaultAssumptions(),
      today: '2026-12-01',
    });

  test('a price a table leaves out (the Auto Mode fee, as in every table outside the US) is listed as not priced', () => {
    const autoMode = { Resources: { Cluster: { Type: 'AWS::EKS::Cluster', Properties: { ComputeConfig: { Enabled: true } } } } };
    const e = run({ ...us, eks: { ...us.eks, autoModeFeePerHour: {} } }, autoMode);
    expect(e.lines.some((l) => l.component === 'Auto Mode management fee')).toBe(false);
    expect(e.lines.some((l) => l.component.startsWith('Auto Mode nodes: 2 x c6a.large'))).toBe(true);
    expect(e.unpriced).toContainEqual(
      expect.objectContaining({
        component: 'Auto Mode management fee',
        reason: expect.stringContaining('the Auto Mode fee of c6a.large'),
        source: us.eks.source,
      }),
    );
  });

  test('a region whose table confirms no EC2 price lists the assumed Auto Mode nodes as not priced, and its total says so', () => {
    const e = estimate({ region: 'eu-west-1', sampleWorkloads: false }, NO_USAGE);
    expect(e.lines.some((l) => l.component.startsWith('Auto Mode nodes:'))).toBe(false);
    expect(e.unpriced).toContainEqual(
      expect.objectContaining({
        component: 'Auto Mode nodes: 2 x c6a.large (EC2)',
        source: 'https://aws.amazon.com/ec2/pricing/on-demand/',
      }),
    );
    expect(Number.isFinite(e.totals.all.perHour.low)).toBe(true);
    expect(formatEstimate(e)).toMatch(/Total, with the assumptions \(\d+ items not priced\)/);
  });
});

describe('the usage assumptions', () => {
  test.each(Object.entries(ASSUMPTIONS_SCHEMA.shape))(
    '%s: its default is the schema default, not repeated in the description',
    (key, schema) => {
      const found = defaultOf(schema);
      expect(found).toBeDefined();
      expect(defaultAssumptions()[key as keyof ReturnType<typeof defaultAssumptions>]).toEqual(found?.value);
      expect(docOf(schema).description ?? '').not.toMatch(/\bDefault\b/);
    },
  );
});
