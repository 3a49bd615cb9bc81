import { RegionInfo } from 'aws-cdk-lib/region-info';

/**
 * Availability Zone names per region, committed so that synth never looks them up in AWS.
 *
 * A stack with a concrete region and an `ec2.Vpc` would otherwise need an AZ context lookup (an
 * AWS call). Only regions whose first AZ names are open to every account are listed; for any other
 * region, or to pick different zones, set `availabilityZones` explicitly.
 */
export const REGION_AVAILABILITY_ZONES: Readonly<Record<string, readonly string[]>> = {
  'us-east-1': ['us-east-1a', 'us-east-1b', 'us-east-1c'],
  'us-east-2': ['us-east-2a', 'us-east-2b', 'us-east-2c'],
  'us-west-2': ['us-west-2a', 'us-west-2b', 'us-west-2c'],
  'ca-central-1': ['ca-central-1a', 'ca-central-1b', 'ca-central-1d'],
  'sa-east-1': ['sa-east-1a', 'sa-east-1b', 'sa-east-1c'],
  'eu-west-1': ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
  'eu-west-2': ['eu-west-2a', 'eu-west-2b', 'eu-west-2c'],
  'eu-west-3': ['eu-west-3a', 'eu-west-3b', 'eu-west-3c'],
  'eu-central-1': ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'],
  'eu-north-1': ['eu-north-1a', 'eu-north-1b', 'eu-north-1c'],
  'ap-northeast-1': ['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d'],
  'ap-northeast-2': ['ap-northeast-2a', 'ap-northeast-2b', 'ap-northeast-2c'],
  'ap-southeast-1': ['ap-southeast-1a', 'ap-southeast-1b', 'ap-southeast-1c'],
  'ap-southeast-2': ['ap-southeast-2a', 'ap-southeast-2b', 'ap-southeast-2c'],
  'ap-south-1': ['ap-south-1a', 'ap-south-1b', 'ap-south-1c'],
};

/**
 * The regions that exist, with their partitions: aws-cdk-lib's region facts (`RegionInfo.regions`,
 * aws-cdk-lib/region-info, built from the AWS SDK's endpoint data of the pinned release). A region
 * newer than the pinned aws-cdk-lib needs an aws-cdk-lib upgrade, like an instance family does.
 */
export const KNOWN_REGIONS: ReadonlySet<string> = new Set(RegionInfo.regions.map((r) => r.name));

/** The partition of a known region (`aws`, `aws-cn`, `aws-us-gov`, ...). */
export function partitionOf(region: string): string | undefined {
  return KNOWN_REGIONS.has(region) ? RegionInfo.get(region).partition : undefined;
}

/**
 * The letters an AZ name may end with. "The code for an Availability Zone is its Region code
 * followed by a letter identifier", and the region with the most zones, us-east-1, has six AZ IDs
 * (use1-az1 to use1-az6): AWS Global Infrastructure, "AWS Availability Zones",
 * https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html.
 * Letters need not be consecutive (the committed ca-central-1 zones are a, b and d), and older
 * accounts have their own mapping in the oldest regions, so only the range a to f is checked.
 */
export const AZ_LETTERS = /^[a-f]$/;
