import type { CostEstimate, CostLineTotals, Range } from './estimate';
import { ESTIMATE_DAYS } from './estimate';

/** The workshop question: N participants, one environment each, for H hours. */
export interface WorkshopCost {
  readonly participants: number;
  readonly hours: number;
  /** One environment for `hours`. */
  readonly perEnvironment: Range;
  /** Every participant's environment for `hours`. */
  readonly total: Range;
}

export function workshopCost(estimate: CostEstimate, participants: number, hours: number): WorkshopCost {
  const { perHour } = estimate.totals.all;
  return {
    participants,
    hours,
    perEnvironment: { low: perHour.low * hours, high: perHour.high * hours },
    total: { low: perHour.low * hours * participants, high: perHour.high * hours * participants },
  };
}

function money(value: number, digits: number): string {
  return `$${value.toFixed(digits)}`;
}

function range(r: Range, digits: number): string {
  const low = money(r.low, digits);
  const high = money(r.high, digits);
  return low === high ? low : `${low}-${high}`;
}

function row(cells: readonly string[], widths: readonly number[]): string {
  return cells
    .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
    .join('  ')
    .trimEnd();
}

function totalCells(label: string, totals: CostLineTotals): string[] {
  return [label, '', range(totals.perHour, 4), range(totals.perDay, 2), range(totals.per30Days, 2)];
}

/** The estimate as a plain-text table with its date, its assumptions and what is not priced. */
export function formatEstimate(estimate: CostEstimate, workshop?: WorkshopCost): string {
  const header = ['Component', 'Basis', 'Per hour', 'Per day', `Per ${ESTIMATE_DAYS} days`];
  const body = estimate.lines.map((l) => [l.component, l.basis, range(l.perHour, 4), range(l.perDay, 2), range(l.per30Days, 2)]);
  // A total that leaves lines out says so on the line itself: it is a floor, not an estimate.
  const missing = estimate.unpriced.length;
  const floor = missing > 0 ? ` (${missing} item${missing === 1 ? '' : 's'} not priced)` : '';
  const totals = [
    totalCells(`Total, fixed lines${floor}`, estimate.totals.fixed),
    totalCells(`Total, with the assumptions${floor}`, estimate.totals.all),
  ];
  const rows = [header, ...body, ...totals];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const out = [
    `Cost estimate for environment "${estimate.environment}" in ${estimate.region}, ${estimate.date}`,
    `Prices: AWS list prices read on ${estimate.pricesAsOf} (lib/core/cost/prices), USD before tax, without free tier, Savings Plans or credits.`,
    '',
    row(header, widths),
    rule,
    ...body.map((r) => row(r, widths)),
    rule,
    ...totals.map((r) => row(r, widths)),
    '',
    'How each line is made:',
    ...estimate.lines.map((l) => `  ${l.component}: ${l.detail}`),
    '',
    '"assumed" lines rest on usage assumptions (override with --assume key=value; see docs/cost.md):',
    `  ${Object.entries(estimate.assumptions)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(', ')}`,
  ];
  if (estimate.unpriced.length > 0) {
    out.push('', 'Not priced (not in the totals):', ...estimate.unpriced.map((u) => `  ${u.component}: ${u.reason} (${u.source})`));
  }
  out.push(
    '',
    'Not included: data transfer out to the internet and between AZs, log storage after ingestion, pods Karpenter or Auto Mode add under load.',
  );
  if (workshop) {
    out.push(
      '',
      `Workshop: ${workshop.participants} participant${workshop.participants === 1 ? '' : 's'} x ${workshop.hours} h, one environment each: ` +
        `${range(workshop.perEnvironment, 2)} per environment, ${range(workshop.total, 2)} in all.`,
    );
  }
  return `${out.join('\n')}\n`;
}
