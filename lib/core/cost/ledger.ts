/** AWS bills a month as 730 hours; per-month prices become hourly ones with it. */
export const HOURS_PER_MONTH = 730;
export const HOURS_PER_DAY = 24;
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

export const exact = (value: number): Range => ({ low: value, high: value });
export const scale = (range: Range, factor: number): Range => ({ low: range.low * factor, high: range.high * factor });
export const addRanges = (a: Range, b: Range): Range => ({ low: a.low + b.low, high: a.high + b.high });
/** A price as the detail column shows it: four significant digits. */
export const usd = (value: number): string => `$${Number(value.toPrecision(4))}`;

/** What one priced line needs: the unit price the table gives, and how the line uses it. */
export interface LineSpec {
  readonly component: string;
  readonly basis: CostLine['basis'];
  /** The table's unit price; `undefined` when the table has none. */
  readonly price: number | undefined;
  /** Where the price comes from (named when it is missing). */
  readonly source: string;
  /** What is priced, for the "not priced" list, e.g. `NAT gateway hours`. */
  readonly what: string;
  /** The line's dollars per hour at `price`. */
  readonly perHour: (price: number) => number | Range;
  /** How the figure is made at `price`. */
  readonly detail: (price: number) => string;
}

/**
 * The estimate's lines and its "not priced" list, filled in one pass: a line whose unit price the
 * region's table does not confirm becomes an unpriced item naming the price and its source, so a
 * missing figure is never read as zero.
 */
export class Ledger {
  readonly lines: CostLine[] = [];
  readonly unpriced: UnpricedItem[] = [];

  /** A line whose price per hour is the same all 30 days, or an unpriced item. */
  add(spec: LineSpec): void {
    if (spec.price === undefined) {
      this.unpriced.push({
        component: spec.component,
        reason: `no confirmed price for ${spec.what} in this region's table`,
        source: spec.source,
      });
      return;
    }
    const value = spec.perHour(spec.price);
    const perHour = typeof value === 'number' ? exact(value) : value;
    this.lines.push({
      component: spec.component,
      detail: spec.detail(spec.price),
      basis: spec.basis,
      perHour,
      perDay: scale(perHour, HOURS_PER_DAY),
      per30Days: scale(perHour, HOURS_PER_DAY * ESTIMATE_DAYS),
    });
  }

  /** A line made elsewhere (one whose price changes within the 30 days). */
  push(line: CostLine): void {
    this.lines.push(line);
  }

  /** Something billed that no table here prices (e.g. per observation). */
  notPriced(component: string, reason: string, source: string): void {
    this.unpriced.push({ component, reason, source });
  }

  /** A line spec or an item no table prices, as an add-on's cost facet declares them. */
  record(item: LineSpec | UnpricedItem): void {
    if ('reason' in item) {
      this.notPriced(item.component, item.reason, item.source);
    } else {
      this.add(item);
    }
  }
}

/** CloudWatch Logs ingestion of `gbPerDay` at `price` per GB (vended logs have their own price). */
export function ingestionLine(component: string, gbPerDay: number, price: number | undefined, source: string, vended = false): LineSpec {
  return {
    component,
    basis: 'assumed',
    price,
    source,
    what: vended ? 'vended log ingestion' : 'log ingestion',
    perHour: (p) => (gbPerDay / HOURS_PER_DAY) * p,
    detail: (p) => `${gbPerDay} GB/day x ${usd(p)}/GB${vended ? ' (vended)' : ''}`,
  };
}
