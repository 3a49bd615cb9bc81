import type { RegionPriceTable } from './price-table';
import { regionTable } from './uniform-prices';

/*
 * Asia Pacific (Singapore), read on 2026-12-01. Besides the uniform prices of uniform-prices.ts:
 *
 * - NAT gateway: $0.059 per gateway-hour and $0.059 per GB processed, from a third-party pricing
 *   article that quotes the VPC pricing page for ap-southeast-1. Uncertain: it is one article, not the
 *   AWS page itself; compare with https://aws.amazon.com/vpc/pricing/.
 * - Not confirmed by any page reachable here, so not priced: EC2, EBS, load balancers, API Gateway,
 *   CloudWatch Logs, Managed Prometheus, EFS, Secrets Manager, the Auto Mode fee.
 */
export const AP_SOUTHEAST_1: RegionPriceTable = regionTable('ap-southeast-1', {
  natGateway: { source: 'https://basavytix.com/blog/aws-nat-gateway-pricing', natGatewayPerHour: 0.059, natGatewayPerGb: 0.059 },
});
