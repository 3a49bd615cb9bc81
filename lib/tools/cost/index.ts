import { ConfigError, Problems } from '../../core/config';
import { isoToday } from '../../core/config/support-lifecycle';
import type { CostAssumptions } from '../../core/cost/assumptions';
import { readAssumptions } from '../../core/cost/assumptions';
import { PRICE_TABLES } from '../../core/cost/prices';
import type { BuildOptions } from '../../stacks/app';
import { synthesizeInMemory } from '../synthesize';
import type { CostEstimate } from './estimate';
import { estimateCost } from './estimate';
import type { CfnTemplate } from './template';

export { ASSUMPTIONS_SCHEMA, defaultAssumptions } from '../../core/cost/assumptions';
export type { CostAssumptions } from '../../core/cost/assumptions';
export { estimateCost } from './estimate';
export type { CostEstimate, CostInputs, CostLine, Range, UnpricedItem } from './estimate';
export type { LineSpec } from '../../core/cost/ledger';
export { formatEstimate, workshopCost } from './format';
export type { WorkshopCost } from './format';
export { PRICE_TABLES } from '../../core/cost/prices';
export type { RegionPriceTable } from '../../core/cost/prices';

/** Options of {@link estimateEnvironment}. */
export interface EstimateOptions extends BuildOptions {
  /** Usage assumptions as `key: value` text (CLI `--assume key=value`). @default {} */
  readonly assumptions?: Readonly<Record<string, string>>;
}

/**
 * Builds the environment `context` describes exactly as `cdk synth` would (same plan, same
 * templates), offline and without writing asset files, and estimates what it costs. Bad
 * configuration, an unknown assumption or a region without a price table is a `ConfigError`.
 */
export function estimateEnvironment(context: Readonly<Record<string, unknown>>, options: EstimateOptions = {}): CostEstimate {
  const today = options.today ?? isoToday();
  const p = new Problems();
  const assumptions = readAssumptions(p, options.assumptions ?? {});
  p.throwIfAny();
  const { plan, infra, platform } = synthesizeInMemory(context, { ...options, today });
  const prices = PRICE_TABLES.get(plan.config.region);
  if (!prices) {
    throw new ConfigError([
      `region: got "${plan.config.region}"; allowed: a region with a price table (${[...PRICE_TABLES.keys()].join(', ')}). ` +
        'lib/core/cost/prices has one dated table per region; add one from the AWS pricing pages to estimate this region.',
    ]);
  }
  return estimateCost({
    plan,
    infraTemplate: infra.template as CfnTemplate,
    platformTemplate: platform.template as CfnTemplate,
    prices,
    assumptions: assumptions as CostAssumptions,
    today,
  });
}
