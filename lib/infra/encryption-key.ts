import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** Props for {@link LogsEncryptionKey}. */
export interface LogsEncryptionKeyProps {
  /** Alias suffix, so operators can tell environments' keys apart. */
  readonly aliasName: string;
}

/**
 * A customer-managed key for CloudWatch Logs groups of this environment (control plane, flow logs).
 * CloudWatch Logs encrypts with the key only when its regional service principal may use it.
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
    this.key.grantEncryptDecrypt(new iam.ServicePrincipal('logs.amazonaws.com'));
  }
}
