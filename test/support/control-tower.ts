import type { Template } from 'aws-cdk-lib/assertions';

/**
 * The AWS Control Tower proactive controls that apply to this app, as predicates over a synthesized
 * template. Each follows the scenarios of the control's CloudFormation Guard rule specification (AWS
 * Control Tower controls reference; aws-cloudformation/aws-guard-rules-registry), written here in
 * TypeScript because cfn-guard cannot be installed on these machines.
 *
 * Control Tower deploys these controls as CloudFormation hooks, which see resolved property values;
 * the template form of the same rules accepts only literal strings and references to resources of
 * the same template (an `Fn::ImportValue` reads as missing). `mode` picks which one to model.
 */
export type GuardMode = 'hook' | 'template';

/** A control's verdict on one resource. */
export interface Verdict {
  readonly control: ControlId;
  readonly logicalId: string;
  readonly type: string;
  readonly pass: boolean;
}

export type ControlId = 'CT.KMS.PR.3' | 'CT.SQS.PR.1' | 'CT.CLOUDWATCH.PR.2' | 'CT.CLOUDWATCH.PR.3' | 'CT.EKS.PR.1' | 'CT.LAMBDA.PR.3';

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;
type Check = (properties: Record<string, unknown>, resources: Resources, mode: GuardMode) => boolean | 'skip';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

/** A non-empty string, or (check_local_references) a Ref/GetAtt to a resource of `type` in this template. */
function stringOrLocalReference(value: unknown, resources: Resources, type: string, mode: GuardMode): boolean {
  if (typeof value === 'string') return value.trim() !== '';
  if (!isObject(value)) return false;
  const target = 'Ref' in value ? value.Ref : 'Fn::GetAtt' in value ? asList(value['Fn::GetAtt'])[0] : undefined;
  if (typeof target === 'string' && resources[target]?.Type === type) return true;
  // A hook sees the value CloudFormation resolved (an imported id, a joined ARN), not the intrinsic.
  return mode === 'hook';
}

/** [CT.KMS.PR.3] kms_create_grant_aws_service_check: a statement denying CreateGrant unless an AWS service asks. */
const kmsCreateGrantForAwsServicesOnly: Check = (properties) => {
  const statements = isObject(properties.KeyPolicy) ? asList(properties.KeyPolicy.Statement) : [];
  return statements.filter(isObject).some((s) => {
    const condition = s.Condition;
    if (!isObject(condition) || Object.keys(condition).join() !== 'BoolIfExists' || !isObject(condition.BoolIfExists)) return false;
    const bool = condition.BoolIfExists;
    const keys = Object.keys(bool).map((k) => k.toLowerCase()).sort();
    return s.Effect === 'Deny'
      && asList(s.Action).every((a) => a === 'kms:CreateGrant')
      && (s.Principal === '*' || (isObject(s.Principal) && s.Principal.AWS === '*'))
      && asList(s.Resource).every((r) => r === '*')
      && keys.join() === 'aws:principalisawsservice,kms:grantisforawsresource'
      && Object.values(bool).every((v) => v === 'false');
  });
};

/** [CT.SQS.PR.1] sqs_dlq_check: a dead-letter queue, unless the queue is itself a dead-letter queue. */
const sqsDeadLetterQueue: Check = (properties, resources, mode) => {
  const allow = properties.RedriveAllowPolicy;
  if (isObject(allow) && ['allowAll', 'byQueue'].includes(allow.redrivePermission as string)) return 'skip';
  const redrive = properties.RedrivePolicy;
  return isObject(redrive) && redrive.deadLetterTargetArn !== undefined
    && stringOrLocalReference(redrive.deadLetterTargetArn, resources, 'AWS::SQS::Queue', mode);
};

/** [CT.CLOUDWATCH.PR.2] cloudwatch_log_group_retention_period_check: kept forever or at least 365 days. */
const logRetentionAtLeastAYear: Check = (properties) =>
  properties.RetentionInDays === undefined || (Number.isInteger(properties.RetentionInDays) && (properties.RetentionInDays as number) >= 365);

/** [CT.CLOUDWATCH.PR.3] cloudwatch_log_group_encrypted_check: a KMS key. */
const logGroupEncrypted: Check = (properties, resources, mode) =>
  properties.KmsKeyId !== undefined && stringOrLocalReference(properties.KmsKeyId, resources, 'AWS::KMS::Key', mode);

/** [CT.EKS.PR.1] eks_endpoint_no_public_access_check: public access off, private access on. */
const eksEndpointPrivate: Check = (properties) => {
  const vpc = properties.ResourcesVpcConfig;
  return isObject(vpc) && vpc.EndpointPublicAccess === false && vpc.EndpointPrivateAccess === true;
};

/** [CT.LAMBDA.PR.3] lambda_inside_vpc_check: subnets and security groups. */
const lambdaInVpc: Check = (properties, resources, mode) => {
  const vpc = properties.VpcConfig;
  if (!isObject(vpc)) return false;
  const listOf = (value: unknown, type: string) =>
    Array.isArray(value) && value.length > 0 && value.every((v) => stringOrLocalReference(v, resources, type, mode));
  return listOf(vpc.SubnetIds, 'AWS::EC2::Subnet') && listOf(vpc.SecurityGroupIds, 'AWS::EC2::SecurityGroup');
};

const CONTROLS: Readonly<Record<ControlId, { type: string; check: Check }>> = {
  'CT.KMS.PR.3': { type: 'AWS::KMS::Key', check: kmsCreateGrantForAwsServicesOnly },
  'CT.SQS.PR.1': { type: 'AWS::SQS::Queue', check: sqsDeadLetterQueue },
  'CT.CLOUDWATCH.PR.2': { type: 'AWS::Logs::LogGroup', check: logRetentionAtLeastAYear },
  'CT.CLOUDWATCH.PR.3': { type: 'AWS::Logs::LogGroup', check: logGroupEncrypted },
  'CT.EKS.PR.1': { type: 'AWS::EKS::Cluster', check: eksEndpointPrivate },
  'CT.LAMBDA.PR.3': { type: 'AWS::Lambda::Function', check: lambdaInVpc },
};

export const CONTROL_IDS = Object.keys(CONTROLS) as ControlId[];

/** Every verdict of `controls` on the resources of a template (skipped resources are left out). */
export function evaluateControls(template: Template, mode: GuardMode = 'hook', controls: readonly ControlId[] = CONTROL_IDS): Verdict[] {
  const resources = template.toJSON().Resources as Resources;
  return controls.flatMap((control) => {
    const { type, check } = CONTROLS[control];
    return Object.entries(resources).filter(([, r]) => r.Type === type).flatMap(([logicalId, r]) => {
      const result = check(r.Properties ?? {}, resources, mode);
      return result === 'skip' ? [] : [{ control, logicalId, type, pass: result }];
    });
  });
}

/** The failing verdicts, as "CONTROL LogicalId" lines. */
export function failingControls(template: Template, mode: GuardMode = 'hook', controls?: readonly ControlId[]): string[] {
  return evaluateControls(template, mode, controls).filter((v) => !v.pass).map((v) => `${v.control} ${v.logicalId}`);
}
