import { z } from 'zod';
import { documented } from './schema-kit';

/** The tag both stacks put on every resource; scripts find an environment's resources by it. */
export const ENVIRONMENT_TAG = 'platform:environment';

/** AWS allows 50 tags per resource; the app adds {@link ENVIRONMENT_TAG} itself. */
const MAX_USER_TAGS = 49;
/** Letters, digits and white space in any language, and `_ . : / = + - @` (AWS tagging rules). */
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

const ALLOWED = `a JSON object of at most ${MAX_USER_TAGS} tag keys to string values`;

/**
 * Tags for every taggable resource of both stacks, checked against the AWS tagging rules so that
 * a bad tag fails at synth, not half-way through a deployment.
 */
export const tagsSchema = documented(
  z.record(z.string(), z.string(ALLOWED), ALLOWED).superRefine((tags, ctx) => {
    const entries = Object.entries(tags);
    if (entries.length > MAX_USER_TAGS) {
      ctx.addIssue({ code: 'custom', input: entries.length, message: `at most ${MAX_USER_TAGS} tags (AWS allows 50 per resource and the app adds ${ENVIRONMENT_TAG})` });
    }
    for (const [key, value] of entries) {
      const problem = key.length < 1 || key.length > 128 ? 'a tag key of 1 to 128 characters'
        : key.toLowerCase().startsWith('aws:') ? 'a tag key not starting with "aws:" in any case (reserved by AWS)'
          : key === ENVIRONMENT_TAG ? `a tag key other than ${ENVIRONMENT_TAG} (the app sets it to the environment name)`
            : !TAG_CHARACTERS.test(key) ? 'a tag key of letters, digits, spaces and _ . : / = + - @'
              : undefined;
      if (problem) {
        ctx.addIssue({ code: 'custom', path: [key], input: key, message: problem });
      } else if (value.length > 256 || !TAG_CHARACTERS.test(value)) {
        ctx.addIssue({ code: 'custom', path: [key], input: value, message: 'a tag value of at most 256 letters, digits, spaces and _ . : / = + - @' });
      }
    }
  }),
  { allowed: ALLOWED },
);
