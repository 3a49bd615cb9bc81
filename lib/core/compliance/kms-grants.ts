import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * The key policy statement AWS Control Tower CT.KMS.PR.3 asks for: `kms:CreateGrant` only when the
 * grant is for an AWS resource (an integrated service acting for a principal) or an AWS service
 * calls. Keys that services use through their own grants (AMP) and keys used through the key policy
 * alone (CloudWatch Logs) both keep working.
 */
export function createGrantOnlyForAwsServices(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'CreateGrantOnlyForAwsServices',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
  });
}
