import { CfnResource, Stack } from 'aws-cdk-lib';
import { CfnManagedPolicy, CfnRole } from 'aws-cdk-lib/aws-iam';

/**
 * IAM attaches at most 10 managed policies to a role by default ("Managed policies attached to an
 * IAM role": default 10, adjustable up to 20 through Service Quotas; IAM User Guide, "IAM and AWS
 * STS quotas", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). The
 * check holds the default: a synth cannot see an account's raised quota, and a stack that needs
 * more than 10 on one role should merge policies rather than depend on a per-account increase.
 */
export const MAX_MANAGED_POLICIES_PER_ROLE = 10;

/**
 * Makes synth fail when a role of `stack` would get more managed policies than IAM attaches: the
 * role's own `ManagedPolicyArns` plus each `AWS::IAM::ManagedPolicy` of the stack that names the
 * role in its `Roles`. Without it, CloudFormation fails half-way through the deploy
 * (LimitExceeded) and rolls back.
 */
export function limitManagedPoliciesPerRole(stack: Stack): void {
  stack.node.addValidation({ validate: () => managedPolicyProblems(stack) });
}

function managedPolicyProblems(stack: Stack): string[] {
  const counts = new Map<string, { role: CfnRole; count: number }>();
  const resources = stack.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c) && Stack.of(c) === stack);
  for (const role of resources.filter((c): c is CfnRole => c instanceof CfnRole)) {
    const arns: unknown = stack.resolve(role.managedPolicyArns);
    counts.set(stack.resolve(role.logicalId) as string, { role, count: Array.isArray(arns) ? arns.length : 0 });
  }
  for (const policy of resources.filter((c): c is CfnManagedPolicy => c instanceof CfnManagedPolicy)) {
    const roles: unknown = stack.resolve(policy.roles);
    for (const ref of Array.isArray(roles) ? roles : []) {
      const entry = counts.get(refTarget(ref) ?? '');
      if (entry) entry.count++;
    }
  }
  return [...counts.values()]
    .filter(({ count }) => count > MAX_MANAGED_POLICIES_PER_ROLE)
    .map(
      ({ role, count }) =>
        `${role.node.path}: ${count} managed policies on one role; IAM attaches at most ${MAX_MANAGED_POLICIES_PER_ROLE} (the default quota): merge policies or split the role`,
    );
}

/** The logical id a resolved `{ Ref: id }` points to. */
function refTarget(value: unknown): string | undefined {
  if (value !== null && typeof value === 'object' && 'Ref' in value) {
    const target = (value as { Ref: unknown }).Ref;
    return typeof target === 'string' ? target : undefined;
  }
  return undefined;
}
