import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * The rule-pack prefixes of the four packs we run, so a rule that several packs share can be
 * acknowledged for exactly the packs that report it.
 */
export const PACK_PREFIXES = {
  awsSolutions: 'AwsSolutions',
  nist: 'NIST.800.53.R5',
  hipaa: 'HIPAA.Security',
  pci: 'PCI.DSS.321',
} as const;

type PackKey = keyof typeof PACK_PREFIXES;

/** Rule ids of one rule across packs, e.g. `ruleIds('LambdaDLQ', 'nist', 'hipaa')`. */
export function ruleIds(rule: string, ...packs: PackKey[]): string[] {
  return packs.map((pack) => `${PACK_PREFIXES[pack]}-${rule}`);
}

/** The granular id cdk-nag reports for an AWS managed policy attached to a role. */
export function managedPolicyFinding(policyName: string): string {
  return `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${policyName}]`;
}

/** The granular id cdk-nag reports for a wildcard in an IAM statement. */
export function wildcardFinding(kind: 'Resource' | 'Action', value: string): string {
  return `AwsSolutions-IAM5[${kind}::${value}]`;
}

/** An acknowledgment without a reason a security reviewer can judge is refused. */
function requireReason(caller: string, scope: IConstruct, reason: string): void {
  if (reason.trim().length < 40) {
    throw new Error(`${caller}(${scope.node.path}): a reviewer needs a real reason, got "${reason}"`);
  }
}

const RULE_ID = /^(AwsSolutions|NIST\.800\.53\.R5|HIPAA\.Security|PCI\.DSS\.321)-[A-Za-z0-9]+(\[.+\])?$/;

/**
 * Acknowledges cdk-nag findings on one construct and its children, never wider.
 *
 * Ids are per-pack rule ids (optionally with a granular `[finding]`); the app-wide `Pack::Rule`
 * form is refused. The metadata is written directly because `Validations.acknowledge` rejects
 * granular ids that contain `::` (e.g. managed-policy ARNs).
 */
export function acknowledge(scope: IConstruct, reason: string, ids: readonly string[]): void {
  requireReason('acknowledge', scope, reason);
  const data: Record<string, string> = {};
  for (const id of ids) {
    if (!RULE_ID.test(id)) {
      throw new Error(`acknowledge(${scope.node.path}): "${id}" is not a per-pack cdk-nag rule id`);
    }
    data[id] = reason;
  }
  scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, data);
}

const CFN_VALIDATE_ID = /^CloudFormation-Validate::[EW]\d{4}$/;

/**
 * Acknowledges findings of aws-cdk-lib's built-in CloudFormation Validate plugin on one construct
 * (the resource it reports) and its children. Its findings are warnings that do not fail a synth,
 * but an acknowledged one says why it stays, and a new one stands out.
 */
export function acknowledgeValidation(scope: IConstruct, reason: string, ids: readonly string[]): void {
  requireReason('acknowledgeValidation', scope, reason);
  for (const id of ids) {
    if (!CFN_VALIDATE_ID.test(id)) {
      throw new Error(`acknowledgeValidation(${scope.node.path}): "${id}" is not a CloudFormation-Validate rule id`);
    }
    Validations.of(scope).acknowledge({ id, reason });
  }
}
