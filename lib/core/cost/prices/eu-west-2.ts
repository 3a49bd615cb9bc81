import type { RegionPriceTable } from './price-table';
import { regionTable } from './uniform-prices';

/*
 * Europe (London), read on 2026-12-01. Only the uniform prices of uniform-prices.ts are confirmed: no page
 * reachable here gave this region's EC2, EBS, NAT gateway, load balancer, API Gateway, CloudWatch
 * Logs, Managed Prometheus, EFS or Secrets Manager list prices (third-party pages that gave them only
 * as ranges or rounded guesses were not used). Those groups name the AWS pricing page to read them
 * from, and every line that needs them is listed as not priced.
 */
export const EU_WEST_2: RegionPriceTable = regionTable('eu-west-2');
