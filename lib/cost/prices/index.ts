import type { RegionPriceTable } from './price-table';
import { US_PRICE_TABLES } from './us-regions';

export type { RegionPriceTable } from './price-table';

/** The committed price tables, by region. */
export const PRICE_TABLES: ReadonlyMap<string, RegionPriceTable> = new Map(
  US_PRICE_TABLES.map((table) => [table.region, table]),
);
