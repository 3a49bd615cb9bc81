import { z } from 'zod';

import { documented, parseInto, Problems, strictObject } from '../config';

/** A non-negative amount, also from a CLI string such as "2.5". */
function amount(max: number, unit: string): z.ZodType<number> {
  const allowed = `a number from 0 to ${max} (${unit})`;
  return documented(
    z.preprocess(
      (raw) => (typeof raw === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : raw),
      z.number(allowed).min(0, allowed).max(max, allowed),
    ),
    { allowed },
  );
}

/** A fraction of the on-demand price. */
function fraction(): z.ZodType<number> {
  return amount(1, 'a fraction of the on-demand price');
}

/**
 * What the estimate cannot read from the templates: how much the environment is used. Every
 * usage-based line names the assumption it rests on, and each can be overridden
 * (`npm run cost -- --assume natGbPerDay=20`). The defaults describe a quiet workshop or
 * development environment, not production traffic.
 */
export const ASSUMPTIONS_SCHEMA = strictObject(
  {
    natGbPerDay: documented(amount(100_000, 'GB per day'), {
      description: 'Data through the NAT gateways: image pulls, AWS APIs, updates.',
    }).default(5),
    controlPlaneLogsGbPerDay: documented(amount(100_000, 'GB per day'), {
      description: 'EKS control-plane logs (all five types are on; audit dominates).',
    }).default(1),
    flowLogsGbPerDay: documented(amount(100_000, 'GB per day'), { description: 'VPC flow logs (all traffic).' }).default(0.5),
    containerLogsGbPerDay: documented(amount(100_000, 'GB per day'), {
      description: 'Container, host and data-plane logs Fluent Bit ships (cloudwatch-observability).',
    }).default(1),
    apiRequestsPerDay: documented(amount(1e12, 'requests per day'), {
      description: 'Requests to the petstore REST API.',
    }).default(10_000),
    lcuPerLoadBalancer: documented(amount(10_000, 'LCU or NLCU per hour'), {
      description: 'Capacity units each load balancer uses per hour.',
    }).default(1),
    metricSamplesPerSecond: documented(amount(1e9, 'samples per second'), {
      description: "Samples the Prometheus scraper collects (a small cluster's kubelet, cAdvisor and API server).",
    }).default(700),
    efsGb: documented(amount(1e9, 'GB stored'), { description: 'Data kept on the EFS file system.' }).default(10),
    autoModeNodes: documented(amount(10_000, 'nodes'), {
      description: 'Nodes Auto Mode runs for the add-ons and workloads (it picks them at run time).',
    }).default(2),
    autoModeInstanceType: documented(z.string().trim().min(1), {
      allowed: "an instance type in the region's price table",
      description: 'What Auto Mode is assumed to launch.',
    }).default('c6a.large'),
    autoModeNodeDiskGb: documented(amount(64_000, 'GiB'), {
      description: 'Root volume of each Auto Mode node (its NodeClass default).',
    }).default(80),
    spotLow: documented(fraction(), { description: 'Lowest SPOT price assumed, as a fraction of on-demand.' }).default(0.3),
    spotHigh: documented(fraction(), { description: 'Highest SPOT price assumed, as a fraction of on-demand.' }).default(0.7),
    secretsPerTeam: documented(amount(10_000, 'secrets'), {
      description: 'Secrets Manager secrets per team and for the platform (external-secrets).',
    }).default(1),
  },
  'key=value pairs of the assumptions listed in docs/cost.md',
);

export type CostAssumptions = z.output<typeof ASSUMPTIONS_SCHEMA>;

/** The assumptions from `key=value` overrides; every bad one is reported, under `--assume <key>`. */
export function readAssumptions(p: Problems, overrides: Readonly<Record<string, string>>): CostAssumptions | undefined {
  const parsed = parseInto(p, '--assume', ASSUMPTIONS_SCHEMA, overrides);
  if (parsed && parsed.spotLow > parsed.spotHigh) {
    p.add('--assume spotLow', parsed.spotLow, `at most spotHigh (${parsed.spotHigh})`);
    return undefined;
  }
  return parsed;
}

/** The defaults, for tests and documentation. */
export function defaultAssumptions(): CostAssumptions {
  const p = new Problems();
  const parsed = readAssumptions(p, {});
  p.throwIfAny();
  return parsed as CostAssumptions;
}
