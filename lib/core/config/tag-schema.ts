import { z } from 'zod';

import { documented } from './schema-kit';

/** The tag both stacks put on every resource; scripts find an environment's resources by it. */
export const ENVIRONMENT_TAG = 'platform:environment';
/**
 * The tag an add-on puts on a resource it keeps on purpose (addons/core/teardown.ts, keptTag):
 * scripts/down.sh finds it by its exact value and never deletes it.
 */
export const KEPT_TAG = 'platform:kept';

/**
 * AWS allows 50 tags per resource, keys starting with `aws:` not counted (the Tag type of every
 * CloudFormation resource, e.g. AWS::EC2::Subnet Tag; EC2 User Guide "Tag restrictions":
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html#tag-restrictions).
 * The user's tags go on every resource beside the ones the app, aws-cdk-lib and the controllers
 * put there, so the room left is 50 less the most any one resource carries. Per resource kind,
 * what the synthesized templates hold (a test checks these lists against them):
 */
export const TAGS_THE_APP_ADDS = {
  /** Private subnets: CDK's Vpc names and types them; Load balancers and Karpenter discover them. */
  'private subnets (AWS::EC2::Subnet)': [
    ENVIRONMENT_TAG,
    'Name',
    'aws-cdk:subnet-name',
    'aws-cdk:subnet-type',
    'kubernetes.io/role/internal-elb',
    'karpenter.sh/discovery',
  ],
} as const;

/** The most tags of its own the app puts on a resource of its stacks. */
const MAX_USER_TAGS = 50 - TAGS_THE_APP_ADDS['private subnets (AWS::EC2::Subnet)'].length;

/**
 * Keys the app, aws-cdk-lib or Karpenter set themselves (except Name, which a user may set): a
 * user tag of the same key would replace theirs and break subnet discovery, or be refused by
 * Karpenter's EC2NodeClass validation.
 */
function appOwnedKey(key: string): boolean {
  const own = Object.values(TAGS_THE_APP_ADDS)
    .flat()
    .filter((k) => k !== 'Name' && !k.includes('<'));
  return (own as string[]).includes(key) || key.startsWith('kubernetes.io/cluster/');
}
/** Letters, digits and white space in any language, and `_ . : / = + - @` (AWS tagging rules). */
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

const ALLOWED = `a JSON object of at most ${MAX_USER_TAGS} tag keys to string values`;

/** What the tag count message says: the limit and the resource kind that sets it. */
export function tagCountAllowed(kind: string, own: readonly string[]): string {
  return `at most ${50 - own.length} tags (AWS allows 50 per resource, and each of the ${kind} already has ${own.length} of the app's: ${own.join(', ')})`;
}

/**
 * Tags for every taggable resource of both stacks, checked against the AWS tagging rules so that
 * a bad tag fails at synth, not half-way through a deployment.
 */
export const tagsSchema = documented(
  z.record(z.string(), z.string(ALLOWED), ALLOWED).superRefine((tags, ctx) => {
    const entries = Object.entries(tags);
    if (entries.length > MAX_USER_TAGS) {
      ctx.addIssue({
        code: 'custom',
        input: entries.length,
        message: tagCountAllowed('private subnets (AWS::EC2::Subnet)', TAGS_THE_APP_ADDS['private subnets (AWS::EC2::Subnet)']),
      });
    }
    for (const [key, value] of entries) {
      const problem =
        key.length < 1 || key.length > 128
          ? 'a tag key of 1 to 128 characters'
          : key.toLowerCase().startsWith('aws:')
            ? 'a tag key not starting with "aws:" in any case (reserved by AWS)'
            : key === ENVIRONMENT_TAG
              ? `a tag key other than ${ENVIRONMENT_TAG} (the app sets it to the environment name)`
              : key === KEPT_TAG
                ? `a tag key other than ${KEPT_TAG} (the app marks with it what scripts/down.sh must never delete)`
                : appOwnedKey(key)
                  ? 'a tag key the app, aws-cdk-lib and Karpenter do not set themselves (subnet discovery and Karpenter rely on theirs)'
                  : !TAG_CHARACTERS.test(key)
                    ? 'a tag key of letters, digits, spaces and _ . : / = + - @'
                    : undefined;
      if (problem) {
        ctx.addIssue({ code: 'custom', path: [key], input: key, message: problem });
      } else if (value.length > 256 || !TAG_CHARACTERS.test(value)) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          input: value,
          message: 'a tag value of at most 256 letters, digits, spaces and _ . : / = + - @',
        });
      }
    }
  }),
  { allowed: ALLOWED },
);
