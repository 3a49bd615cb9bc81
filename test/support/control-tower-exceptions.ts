import type { PlatformConfig } from '../../lib/core/config';
import type { ControlTowerFinding } from './cfn-guard';

/**
 * A Control Tower finding the project keeps on purpose. README's "AWS Control Tower proactive
 * controls" section states each one; a finding no entry covers fails the tests.
 */
export interface ControlTowerException {
  readonly control: string;
  /** Construct paths it covers. */
  readonly constructPath: RegExp;
  /** Only findings whose failing properties are all imported values (see ControlTowerFinding). */
  readonly importedOnly?: boolean;
  /** The configurations in which the project documents it. */
  readonly when: (config: PlatformConfig) => boolean;
  readonly reason: string;
}

const always = (): boolean => true;

/** Whether the EFS add-on is selected with its automatic backups off (its default in the workshop profile). */
function efsWithoutBackups(config: PlatformConfig): boolean {
  const efs = config.addons.find((addon) => addon.id === 'efs');
  return efs !== undefined && (efs.options.automaticBackups ?? config.profile === 'production') === false;
}

export const CONTROL_TOWER_EXCEPTIONS: readonly ControlTowerException[] = [
  {
    control: 'CT.KMS.PR.3',
    constructPath: /^InfraStack\/Eks\/SecretsKey\//,
    when: always,
    reason:
      "EKS CreateCluster creates its grant on the envelope-encryption key with the caller's credentials and does " +
      'not support kms:GrantIsForAWSResource (usage note of CT.EKS.PR.2): the deny would make the cluster fail to create.',
  },
  {
    control: 'CT.KMS.PR.3',
    constructPath: /^PlatformStack\/AddOns\/efs\/FileSystem\/Key\//,
    when: always,
    reason:
      'Not yet verified from AWS documentation that the grant EFS creates on a customer managed key when it creates ' +
      'the file system carries kms:GrantIsForAWSResource; if it does not, the deny makes the file system fail to create ' +
      '(as for the EKS Secrets key). The key policy stays the account-root policy until that is verified.',
  },
  {
    control: 'CT.CLOUDWATCH.PR.2',
    constructPath: /./,
    when: (config) => config.logRetentionDays < 365,
    reason:
      "logRetentionDays below a year (the workshop profile's 30 days): a workshop environment lives for a day and " +
      'is torn down with its logs. logRetentionDays=365 (the production default) passes.',
  },
  {
    control: 'CT.EKS.PR.1',
    constructPath: /^InfraStack\/Eks\/Cluster\//,
    when: (config) => config.endpointAccess !== 'private',
    reason:
      'endpointAccess public-and-private (the workshop default): participants run kubectl from their laptops; the ' +
      'endpoint is restricted to publicAccessCidrs and authenticated by IAM and access entries.',
  },
  {
    control: 'CT.ELASTICFILESYSYSTEM.PR.2',
    constructPath: /^PlatformStack\/AddOns\/efs\/FileSystem\/Resource\//,
    when: efsWithoutBackups,
    reason:
      'EFS automatic backups off (the workshop default of addons.efs.automaticBackups): workshop data is ' +
      'disposable and deleted with the stack.',
  },
  {
    control: 'CT.CLOUDWATCH.PR.3',
    constructPath: /^PlatformStack\//,
    importedOnly: true,
    when: always,
    reason:
      "The log group's key is InfraStack's logs key, imported (Fn::ImportValue): the template-mode rule reads it as " +
      'missing, the Control Tower hook sees the resolved key ARN.',
  },
  {
    control: 'CT.LAMBDA.PR.3',
    constructPath: /^PlatformStack\//,
    importedOnly: true,
    when: always,
    reason:
      "The function's subnets or security group are imported from InfraStack (Fn::ImportValue): the template-mode " +
      'rule reads them as missing, the Control Tower hook sees the resolved ids.',
  },
];

/** The exception that covers `finding` in `config`, if any. */
export function exceptionFor(finding: ControlTowerFinding, config: PlatformConfig): ControlTowerException | undefined {
  return CONTROL_TOWER_EXCEPTIONS.find(
    (e) =>
      e.control === finding.control &&
      e.constructPath.test(finding.constructPath) &&
      (!e.importedOnly || finding.importedOnly) &&
      e.when(config),
  );
}
