import type { RegionPriceTable } from './price-table';
import { regionTable } from './uniform-prices';

/*
 * Asia Pacific (Tokyo), read on 2026-12-01. Besides the uniform prices of uniform-prices.ts:
 *
 * - CloudWatch Logs: standard ingestion $0.76 per GB and storage $0.033 per GB-month in
 *   ap-northeast-1 (the first article); vended logs delivered to CloudWatch Logs $0.76 per GB in the
 *   first tier and the same $0.033 storage (the second, a Tokyo-region price table). Uncertain: both
 *   are third-party articles, the second from June 2024; compare with
 *   https://aws.amazon.com/cloudwatch/pricing/.
 * - Not confirmed by any page reachable here, so not priced: EC2, EBS, NAT gateway, load balancers,
 *   API Gateway, Managed Prometheus, EFS, Secrets Manager, the Auto Mode fee.
 */
export const AP_NORTHEAST_1: RegionPriceTable = regionTable('ap-northeast-1', {
  logs: {
    source:
      'https://awsi.click/en/articles/cloudwatch-logs-cost-structure-surprise/ and https://zenn.dev/namusour0763/articles/cloudwatchlogs-vs-s3-20240615',
    ingestionPerGb: 0.76,
    vendedIngestionPerGb: 0.76,
    storagePerGbMonth: 0.033,
  },
});
