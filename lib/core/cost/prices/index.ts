import { AP_NORTHEAST_1 } from './ap-northeast-1';
import { AP_NORTHEAST_2 } from './ap-northeast-2';
import { AP_SOUTH_1 } from './ap-south-1';
import { AP_SOUTHEAST_1 } from './ap-southeast-1';
import { AP_SOUTHEAST_2 } from './ap-southeast-2';
import { CA_CENTRAL_1 } from './ca-central-1';
import { EU_CENTRAL_1 } from './eu-central-1';
import { EU_NORTH_1 } from './eu-north-1';
import { EU_WEST_1 } from './eu-west-1';
import { EU_WEST_2 } from './eu-west-2';
import { EU_WEST_3 } from './eu-west-3';
import type { RegionPriceTable } from './price-table';
import { SA_EAST_1 } from './sa-east-1';
import { US_PRICE_TABLES } from './us-regions';

export type { RegionPriceTable } from './price-table';

/** The committed price tables, by region: one for each region the app has Availability Zones for. */
export const PRICE_TABLES: ReadonlyMap<string, RegionPriceTable> = new Map(
  [
    ...US_PRICE_TABLES,
    CA_CENTRAL_1,
    SA_EAST_1,
    EU_WEST_1,
    EU_WEST_2,
    EU_WEST_3,
    EU_CENTRAL_1,
    EU_NORTH_1,
    AP_NORTHEAST_1,
    AP_NORTHEAST_2,
    AP_SOUTHEAST_1,
    AP_SOUTHEAST_2,
    AP_SOUTH_1,
  ].map((table) => [table.region, table]),
);
