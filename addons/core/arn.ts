import type { PlatformConfig, Problems } from '../../lib/core/config';
import { partitionOf } from '../../lib/core/config';

/*
 * ARNs of resources that only work in this environment's partition, Region or account. Sources:
 * AWS General Reference "Amazon Resource Names (ARNs)" (arn:partition:service:region:account-id:...);
 * a Region's partition comes from aws-cdk-lib's RegionInfo (lib/core/config partitionOf).
 */

/** Where an ARN has to point for the environment to use it. */
export interface ArnScope {
  /** The ARN must name this environment's Region (a regional resource used by a regional service). @default false */
  readonly sameRegion?: boolean;
  /**
   * The ARN must name this environment's account, when the configuration fixes one; `aws` is also
   * accepted when `awsManaged` is set (AWS managed policies).
   * @default false
   */
  readonly sameAccount?: boolean;
  /** @default false */
  readonly awsManaged?: boolean;
  /** Why, for the message, e.g. "Secrets Manager uses keys of its own Region only". */
  readonly why: string;
}

/**
 * Adds a problem under `key` when `arn` (already of the right shape) names another partition, or,
 * as `scope` asks, another Region or account than the environment's.
 */
export function checkArnScope(p: Problems, key: string, arn: string, config: PlatformConfig, scope: ArnScope): void {
  const [, partition, , region, account] = arn.split(':');
  const wanted = partitionOf(config.region);
  if (partition !== wanted) {
    p.add(key, arn, `an ARN in partition ${wanted}, the partition of ${config.region} (${scope.why})`);
    return;
  }
  if (scope.sameRegion && region !== config.region) {
    p.add(key, arn, `an ARN in ${config.region}, this environment's Region (${scope.why})`);
  }
  const accounts = [...(config.account ? [config.account] : []), ...(scope.awsManaged ? ['aws'] : [])];
  if (scope.sameAccount && config.account && !accounts.includes(account)) {
    p.add(key, arn, `an ARN of account ${accounts.join(' or ')} (${scope.why})`);
  }
}

// Key ids: a UUID, or mrk- and 32 hex digits for multi-Region keys (KMS Developer Guide, "Key identifiers
// (KeyId)" and "Multi-Region key identifiers").
/** A KMS key ARN (not an alias). */
export const KMS_KEY_ARN =
  /^arn:aws(-[a-z]+)*:kms:[a-z]{2}(-[a-z]+)+-\d:\d{12}:key\/([0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;
/** What {@link KMS_KEY_ARN} allows, for messages. */
export const KMS_KEY_ALLOWED =
  'a KMS key ARN such as arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab ' +
  "or a multi-Region key's .../key/mrk-<32 hex digits> (not an alias)";
