import type { PlatformConfig, TeamConfig } from '../../lib/core/config';
import type { CostAssumptions } from '../../lib/core/cost/assumptions';
import type { LineSpec, UnpricedItem } from '../../lib/core/cost/ledger';
import type { RegionPriceTable } from '../../lib/core/cost/prices/price-table';

/*
 * The cost facet: what an add-on adds to `npm run cost` beyond the resources of its templates,
 * which the estimate prices by type whoever creates them (an EFS file system, a Prometheus
 * workspace, an EKS Capability). What the templates cannot show is usage the add-on causes at run
 * time (logs it ships, secrets its stores read): the add-on declares those lines itself, with the
 * price keys and usage assumptions the estimate uses, so a consumer's add-on is priced like a
 * first-party one.
 */

/** What an add-on's cost lines may read: the environment, its region's prices, the usage assumptions. */
export interface AddOnCostContext {
  /** The validated configuration. */
  readonly config: PlatformConfig;
  /** Every application team of the plan. */
  readonly teams: readonly TeamConfig[];
  /** The region's price table; a price it leaves out makes the line "not priced", never zero. */
  readonly prices: RegionPriceTable;
  /** The usage assumptions (`npm run cost -- --assume key=value`). */
  readonly assumptions: CostAssumptions;
}

/**
 * Where a line sits in the estimate, which reads by kind: CloudWatch Logs ingestion beside the
 * control-plane and flow logs, or the AWS services add-ons use.
 */
export type CostSection = 'log-ingestion' | 'services';

/** A priced line; a price of `undefined` lists it as not priced, naming `what` and `source`. */
export interface AddOnCostLine extends LineSpec {
  readonly section: CostSection;
}

/** Something billed that no price table here can price (e.g. per observation). */
export interface AddOnUnpricedCost extends UnpricedItem {
  readonly section: CostSection;
}

/** One entry of an add-on's cost facet. */
export type AddOnCost = AddOnCostLine | AddOnUnpricedCost;
