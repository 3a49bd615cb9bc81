import { z } from 'zod';

import { documented, firstDuplicate, list, oneOf, strictObject } from './schema-kit';

/** The EKS access policies an access entry may carry. */
export const ACCESS_POLICIES = [
  'AmazonEKSClusterAdminPolicy',
  'AmazonEKSAdminPolicy',
  'AmazonEKSEditPolicy',
  'AmazonEKSViewPolicy',
] as const;

/** `arn:<partition>:iam::<account>:role|user<path><name>`; the path is `/` or `/a/b/`. */
const PRINCIPAL_ARN = /^arn:aws(?:-[a-z]+)*:iam::\d{12}:(?:role|user)(\/(?:[\w+=,.@-]+\/)*)([\w+=,.@-]+)$/;
const ASSUMED_ROLE_ARN = /^arn:aws(?:-[a-z]+)*:sts::\d{12}:assumed-role\/([\w+=,.@-]+)\//;
/** The partition of an ARN (`aws`, `aws-cn`, `aws-us-gov`, ...). */
export function arnPartition(arn: string): string {
  return arn.split(':')[1];
}
/**
 * IAM's name limits (IAM User Guide, "IAM and AWS STS quotas", IAM name requirements:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html): role and user
 * names 64 characters, paths 512.
 */
const MAX_IAM_NAME = 64;
const MAX_IAM_PATH = 512;
/** A Kubernetes namespace name (an RFC 1123 label). */
export const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

const PRINCIPAL_ALLOWED = 'an IAM role or user ARN, e.g. arn:aws:iam::111122223333:role/Admin';

/**
 * An IAM principal as EKS access entries accept it. An `sts` assumed-role ARN (what
 * `aws sts get-caller-identity` prints) gets advice naming the role it belongs to.
 */
export const principalArn = documented(
  z
    .string(PRINCIPAL_ALLOWED)
    .trim()
    .superRefine((value, ctx) => {
      const principal = PRINCIPAL_ARN.exec(value);
      if (principal) {
        const [, path, name] = principal;
        if (name.length > MAX_IAM_NAME || path.length > MAX_IAM_PATH) {
          ctx.addIssue({
            code: 'custom',
            input: value,
            message: `an IAM role or user ARN within IAM's limits: a name of at most ${MAX_IAM_NAME} characters (got ${name.length}), a path of at most ${MAX_IAM_PATH} (got ${path.length})`,
          });
        }
        return;
      }
      const assumed = ASSUMED_ROLE_ARN.exec(value);
      ctx.addIssue({
        code: 'custom',
        input: value,
        message: assumed
          ? `an IAM role or user ARN; access entries need the role, e.g. arn:aws:iam::<account>:role/${assumed[1]}, not the sts session ARN`
          : PRINCIPAL_ALLOWED,
      });
    }),
  { allowed: PRINCIPAL_ALLOWED },
);

const NAMESPACE_ALLOWED = 'Kubernetes namespace names (lowercase letters, digits, "-", at most 63 characters)';

/** A namespace name; the message is the one for a list of them. */
export const namespaceName = documented(z.string(NAMESPACE_ALLOWED).regex(NAMESPACE_NAME, NAMESPACE_ALLOWED), {
  allowed: NAMESPACE_ALLOWED,
});

/** A list of namespace names. */
export const namespaceList = list(namespaceName, NAMESPACE_ALLOWED);

/** One IAM principal's access to the cluster, decided by the infrastructure team. */
export const accessEntrySchema = strictObject(
  {
    principalArn,
    policy: oneOf(ACCESS_POLICIES),
    scope: oneOf(['cluster', 'namespace']).default('cluster'),
    namespaces: namespaceList.default([]),
  },
  'an object {principalArn, policy, scope, namespaces?}',
).superRefine((entry, ctx) => {
  if (entry.scope === 'namespace' && entry.namespaces.length === 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['namespaces'],
      input: entry.namespaces,
      message: 'at least one namespace when scope is "namespace"',
    });
  }
  const dup = firstDuplicate(entry.namespaces);
  if (dup !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['namespaces'], input: dup, message: 'namespaces listed once each' });
  }
  if (entry.scope === 'cluster' && entry.namespaces.length > 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['namespaces'],
      input: entry.namespaces,
      message: 'no namespaces when scope is "cluster" (use scope "namespace")',
    });
  }
});

/** The access policy names, as a type. */
export type AccessPolicyName = (typeof ACCESS_POLICIES)[number];
/** One access entry, validated. */
export type AccessEntryConfig = z.output<typeof accessEntrySchema>;
/** Where an access policy applies. */
export type AccessScope = AccessEntryConfig['scope'];
