import { ArnFormat, Aws, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';

import { createGrantOnlyForAwsServices } from '../../core/compliance/kms-grants';

/** Props for {@link LogsEncryptionKey}. */
export interface LogsEncryptionKeyProps {
  /** Alias suffix, so operators can tell environments' keys apart. */
  readonly aliasName: string;
}

/**
 * A customer-managed key for CloudWatch Logs groups of this environment (control plane, flow logs,
 * and PlatformStack's groups through the LogsKeyArn export).
 *
 * The key policy statement is the one of the CloudWatch Logs User Guide ("Encrypt log data in
 * CloudWatch Logs using AWS KMS", step 2): the regional service principal logs.<region>.<suffix>,
 * which must be in the key's region, with the encryption context condition that CloudWatch Logs
 * sets to the log group's ARN. It is the account-wide form of that condition (log-group:*) because
 * most groups using the key get names CloudFormation generates, in both stacks.
 */
export class LogsEncryptionKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: LogsEncryptionKeyProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'Encrypts the CloudWatch Logs groups of the EKS platform environment',
      enableKeyRotation: true,
      alias: `alias/${props.aliasName}`,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const stack = Stack.of(this);
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchLogsOfThisAccountAndRegion',
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.${domainSuffix(stack)}`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    // AWS Control Tower CT.KMS.PR.3: CloudWatch Logs uses the key policy, not grants, so nobody needs
    // to create grants on this key except AWS services acting for a principal.
    this.key.addToResourcePolicy(createGrantOnlyForAwsServices());
  }
}

/**
 * The partition's domain of the stack's region (amazonaws.com, amazonaws.com.cn), which regional
 * service principals end in; resolved at deploy time when the stack is region-agnostic.
 */
function domainSuffix(stack: Stack): string {
  if (Token.isUnresolved(stack.region)) {
    return Aws.URL_SUFFIX;
  }
  return RegionInfo.get(stack.region).domainSuffix ?? Aws.URL_SUFFIX;
}
