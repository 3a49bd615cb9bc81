import { join } from 'node:path';

import { Aws, Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { z } from 'zod';

import { acknowledge, ruleIds, wildcardFinding } from '../lib/core/compliance/acknowledge';
import type { PlatformConfig } from '../lib/core/config';
import { documented, ENVIRONMENT_TAG, flag, oneOf, strictObject, text } from '../lib/core/config';
import type { KubernetesObject } from '../lib/core/kubernetes-object';
import { PLATFORM_LABELS } from '../lib/core/kubernetes-object';
import type { AddOnContext, ClusterObjectRef } from './core/addon';
import { MANAGED_ADDON_OPTIONS, ManagedAddOn } from './core/managed-addon';
import type { OptionsInput } from './core/options';
import { addOnOptions, objectName } from './core/options';
import { PodIdentity } from './core/pod-identity';
import type { AddOnRegistration } from './core/registration';
import { registerAddOn } from './core/registration';
import type { AddOnTeardown } from './core/teardown';

/*
 * Sources (read 2026-12-01):
 * - Add-on name, compute types (EC2 and EKS Auto Mode) and policy: the EKS user guide, "AWS add-ons"
 *   (awsdocs/amazon-eks-user-guide latest/ug/workloads/workloads-add-ons-available-eks.adoc,
 *   #add-ons-aws-efs-csi-driver). Service account and Pod Identity: "Use elastic file system storage
 *   with Amazon EFS" (latest/ug/storage/efs-csi.adoc: `--service-account-name efs-csi-controller-sa
 *   --namespace kube-system`, AmazonEFSCSIDriverPolicy attached to that role only).
 * - StorageClass parameters: kubernetes-sigs/aws-efs-csi-driver docs/parameters.md (provisioningMode
 *   `efs-ap`, fileSystemId, directoryPerms; the driver mounts with TLS unless `encryptInTransit` is
 *   "false", and without IAM authentication unless the `iam` mount option is given).
 * - Node security group: managed node groups without a launch template get the EKS cluster security
 *   group (EKS API reference, VpcConfigResponse.clusterSecurityGroupId); Auto Mode nodes of the
 *   built-in node class use it too (latest/ug/automode/auto-networking.adoc: "If your worker nodes use
 *   custom security groups (not eks-cluster-sg-* naming pattern)...").
 * - Permissions: see {@link efsCsiStatements}.
 */

/** The CSI controller's service account, the one the EKS guide binds to the driver's role. */
const EFS_CSI_SERVICE_ACCOUNT = { namespace: 'kube-system', name: 'efs-csi-controller-sa' } as const;

/** The driver's CSI name: StorageClass provisioner and PersistentVolume `spec.csi.driver`. */
const EFS_CSI_DRIVER = 'efs.csi.aws.com';

/** The tag the driver puts on every access point it creates (docs/parameters.md, enableTagging). */
const OWNERSHIP_TAG = 'efs.csi.aws.com/cluster';

/** NFS; the only port a mount target needs. */
const NFS_PORT = 2049;

const PERFORMANCE_MODES = ['generalPurpose', 'maxIO'] as const;
const THROUGHPUT_MODES = ['elastic', 'bursting', 'provisioned'] as const;
const DIRECTORY_PERMS = text('octal permissions of 3 or 4 digits, e.g. 700 or 0770', /^[0-7]{3,4}$/);
/** The EFS API's lower bound of ProvisionedThroughputInMibps; the upper bound is a regional quota. */
const MIN_PROVISIONED_MIBPS = 1;

/** Options of {@link EfsAddOn}, in configuration and in code. */
export const EFS_OPTIONS = strictObject(
  {
    ...MANAGED_ADDON_OPTIONS,
    className: documented(objectName, { description: 'Name of the StorageClass (not the default class).' }).default('efs'),
    directoryPerms: documented(DIRECTORY_PERMS, {
      description: "Permissions of each volume's access point root directory (StorageClass `directoryPerms`).",
    }).default('700'),
    performanceMode: documented(oneOf(PERFORMANCE_MODES), {
      description: 'EFS performance mode; maxIO needs bursting or provisioned throughput.',
    }).default('generalPurpose'),
    throughputMode: documented(oneOf(THROUGHPUT_MODES), {
      description: 'EFS throughput mode; elastic bills by the amount read and written.',
    }).default('elastic'),
    /** @default - none (required with throughputMode provisioned, refused otherwise) */
    provisionedThroughputMibps: documented(
      z
        .number(`a number of MiB/s, at least ${MIN_PROVISIONED_MIBPS}`)
        .min(MIN_PROVISIONED_MIBPS, `a number of MiB/s, at least ${MIN_PROVISIONED_MIBPS}`),
      {
        allowed: `a number of MiB/s, at least ${MIN_PROVISIONED_MIBPS} (the upper bound is a regional quota)`,
        description: 'Provisioned throughput in MiB/s, with throughputMode provisioned only.',
      },
    ).optional(),
    /** @default - true in the production profile, false in workshop */
    automaticBackups: documented(flag(), {
      description:
        "EFS automatic backups (daily, into the account's EFS automatic backup vault). Default: on in production, off in workshop.",
    }).optional(),
    /** @default - true in the production profile, false in workshop */
    retainOnDelete: documented(flag(), {
      description:
        'Keep the file system and its KMS key when the stack is deleted (scripts/down.sh lists what is kept). ' +
        'Default: on in production, off in workshop.',
    }).optional(),
  },
  'an object {version?, configurationValues?, className?, directoryPerms?, performanceMode?, throughputMode?, ...}',
).superRefine((options, ctx) => {
  const provisioned = options.throughputMode === 'provisioned';
  if (provisioned && options.provisionedThroughputMibps === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['provisionedThroughputMibps'],
      input: undefined,
      message: `a number of MiB/s, at least ${MIN_PROVISIONED_MIBPS}, when throughputMode is provisioned`,
    });
  }
  if (!provisioned && options.provisionedThroughputMibps !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['provisionedThroughputMibps'],
      input: options.provisionedThroughputMibps,
      message: 'nothing unless throughputMode is provisioned',
    });
  }
  // EFS user guide, "Throughput modes": elastic throughput needs the General Purpose performance mode
  // (aws-cdk-lib's FileSystem refuses the pair as well).
  if (options.performanceMode === 'maxIO' && options.throughputMode === 'elastic') {
    ctx.addIssue({
      code: 'custom',
      path: ['performanceMode'],
      input: options.performanceMode,
      message: 'generalPurpose with elastic throughput (maxIO needs throughputMode bursting or provisioned)',
    });
  }
});

/** Props for {@link EfsAddOn}. */
export type EfsAddOnProps = OptionsInput<typeof EFS_OPTIONS>;

/**
 * Shared file storage (ReadWriteMany): the EFS CSI driver as the EKS managed add-on
 * `aws-efs-csi-driver`, an encrypted EFS file system in the cluster's private subnets that only the
 * cluster's nodes can reach, and a StorageClass that gives each PersistentVolumeClaim its own access
 * point. The production profile keeps the file system (and its key) when the stack is deleted and
 * backs it up; the workshop profile deletes it.
 */
export class EfsAddOn extends ManagedAddOn {
  static readonly ID = 'efs';
  static readonly registration: AddOnRegistration = registerAddOn({
    id: EfsAddOn.ID,
    summary: 'EFS CSI driver (EKS add-on), an encrypted EFS file system and a ReadWriteMany StorageClass',
    options: EFS_OPTIONS,
    create: (props) => new EfsAddOn(props),
    docs: { prose: join(__dirname, 'efs.md') },
  });

  readonly id = EfsAddOn.ID;
  /** EFS is not built into Auto Mode; the EKS guide lists the add-on for EC2 and Auto Mode. */
  readonly computeModes = ['auto', 'nodegroups'] as const;
  readonly namespaces = [EFS_CSI_SERVICE_ACCOUNT.namespace];
  readonly serviceAccounts = [EFS_CSI_SERVICE_ACCOUNT];

  readonly clusterObjects: readonly ClusterObjectRef[];

  private readonly props: z.output<typeof EFS_OPTIONS>;
  /** Set by prerequisites(); afterAddon() points the StorageClass at it. */
  private fileSystem?: efs.FileSystem;

  constructor(props: EfsAddOnProps = {}) {
    const options = addOnOptions(EfsAddOn.ID, EFS_OPTIONS, props);
    super('aws-efs-csi-driver', { version: options.version, configurationValues: options.configurationValues });
    this.props = options;
    this.clusterObjects = [{ kind: 'StorageClass', name: options.className }];
  }

  /** The StorageClass for a file system id (a token at synth time). */
  storageClass(fileSystemId: string): KubernetesObject {
    return {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: this.props.className, labels: PLATFORM_LABELS },
      provisioner: EFS_CSI_DRIVER,
      parameters: { provisioningMode: 'efs-ap', fileSystemId, directoryPerms: this.props.directoryPerms },
      // Deleting a claim deletes its access point, not the data under it: the driver removes the
      // directory only when its controller runs with delete-access-point-root-dir, which is off.
      reclaimPolicy: 'Delete',
      // EFS is regional: every AZ with a mount target can mount at once, so nothing waits for a pod.
      volumeBindingMode: 'Immediate',
    };
  }

  /** The file system, its key and security group, and the driver's Pod Identity, before the add-on. */
  protected prerequisites(scope: Construct, context: AddOnContext): void {
    const { config, names, vpc } = context;
    const production = config.profile === 'production';
    const removalPolicy = this.retained(config) ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    const storage = new Construct(scope, 'FileSystem');
    // A key of its own: the key policy is ours to tighten, and it lives exactly as long as the data
    // (kept with a retained file system: a deleted key would make the kept data unreadable).
    const key = new kms.Key(storage, 'Key', {
      description: `EFS file system of ${names.clusterName}`,
      enableKeyRotation: true,
      removalPolicy,
      pendingWindow: Duration.days(7),
    });
    const securityGroup = new ec2.SecurityGroup(storage, 'MountTargetSecurityGroup', {
      vpc,
      description: `EFS mount targets of ${names.clusterName}: NFS from the cluster security group only`,
      allowAllOutbound: false,
    });
    securityGroup.addIngressRule(
      ec2.Peer.securityGroupId(context.cluster.clusterSecurityGroupId),
      ec2.Port.tcp(NFS_PORT),
      'NFS from the nodes (the EKS cluster security group)',
    );
    const fileSystem = new efs.FileSystem(storage, 'Resource', {
      vpc,
      vpcSubnets: { subnets: vpc.privateSubnets },
      securityGroup,
      fileSystemName: `${names.clusterName}-efs`,
      encrypted: true,
      kmsKey: key,
      performanceMode: this.props.performanceMode as efs.PerformanceMode,
      throughputMode: this.props.throughputMode as efs.ThroughputMode,
      provisionedThroughputPerSecond:
        this.props.provisionedThroughputMibps === undefined ? undefined : Size.mebibytes(this.props.provisionedThroughputMibps),
      enableAutomaticBackups: this.props.automaticBackups ?? production,
      // The driver mounts without IAM authentication (docs/parameters.md: IAM only with the `iam` mount
      // option, from the node's identity, which InfraStack owns). A policy allowing IAM clients only
      // would refuse every mount; who may connect is decided by the security group above.
      allowAnonymousAccess: true,
      removalPolicy,
    });
    acknowledge(fileSystem, automaticBackupsReason(this.props.automaticBackups ?? production), ruleIds('EFSInBackupPlan', 'nist', 'hipaa'));

    const identity = new PodIdentity(scope, 'PodIdentity', {
      cluster: context.cluster,
      namespace: EFS_CSI_SERVICE_ACCOUNT.namespace,
      serviceAccount: EFS_CSI_SERVICE_ACCOUNT.name,
      purpose: 'EFS CSI driver controller',
      statements: efsCsiStatements(fileSystem.fileSystemArn),
    });
    acknowledge(
      identity.policy,
      'ec2:DescribeAvailabilityZones has no resource-level permissions. Access points are created only in this ' +
        "file system and only with the driver's ownership tag; tagging is allowed only while creating one, and deleting " +
        'only for access points that carry the tag: access point ARNs name neither the file system nor the cluster, ' +
        'and their ids exist only at run time, so they are limited to this account and region.',
      [
        wildcardFinding('Resource', '*'),
        wildcardFinding('Resource', 'arn:<AWS::Partition>:elasticfilesystem:<AWS::Region>:<AWS::AccountId>:access-point/*'),
      ],
    );
    this.fileSystem = fileSystem;
  }

  /**
   * The claims go first, so the driver deletes their access points (the EFS user guide has them
   * deleted before the file system: https://docs.aws.amazon.com/efs/latest/ug/delete-efs-fs.html);
   * a retained file system is listed by its environment tag, which both stacks put on every resource.
   */
  teardown(context: AddOnContext): AddOnTeardown {
    const { config } = context;
    return {
      deleteClaims: [{ csiDriver: EFS_CSI_DRIVER, reason: 'the driver deletes their EFS access points' }],
      kept: this.retained(config)
        ? [
            {
              resourceType: 'elasticfilesystem:file-system',
              tag: { key: ENVIRONMENT_TAG, value: config.environment },
              description: 'EFS file system and its data (retainOnDelete)',
              howToDelete:
                'aws efs delete-access-point / delete-mount-target for each of its access points and mount targets, ' +
                'aws efs delete-file-system, then aws kms schedule-key-deletion for its KmsKeyId',
            },
          ]
        : [],
    };
  }

  /** Kept with its key when PlatformStack is deleted: production's default. */
  private retained(config: PlatformConfig): boolean {
    return this.props.retainOnDelete ?? config.profile === 'production';
  }

  /** The StorageClass, once the driver runs and the mount targets exist. */
  protected afterAddon(scope: Construct, context: AddOnContext, addon: eks.Addon): void {
    const fileSystem = this.fileSystem;
    if (!fileSystem) {
      throw new Error('EfsAddOn: prerequisites() did not create the file system');
    }
    const storageClass = new eks.KubernetesManifest(scope, 'StorageClass', {
      cluster: context.cluster,
      manifest: [this.storageClass(fileSystem.fileSystemId)],
      overwrite: true,
    });
    storageClass.node.addDependency(addon, fileSystem.mountTargetsAvailable);
  }
}

function automaticBackupsReason(backups: boolean): string {
  return backups
    ? 'EFS automatic backups are on (BackupPolicy ENABLED): EFS puts the file system into its own AWS Backup plan ' +
        '(aws/efs/automatic-backup-plan), which cdk-nag cannot see because it is not part of this template.'
    : 'Backups are off by choice of the workshop profile (or the automaticBackups option): workshop data is disposable and ' +
        'deleted with the stack. Set addons.efs.automaticBackups to true to turn on EFS automatic backups.';
}

/**
 * The CSI controller's permissions, compared statement by statement with the AWS managed policy
 * AmazonEFSCSIDriverPolicy (v1, the policy the EKS guide attaches; read from the AWS managed policy
 * reference) and the driver's docs/iam-policy-example.json (kubernetes-sigs/aws-efs-csi-driver, latest
 * copy read: the same Describe actions, CreateAccessPoint/DeleteAccessPoint conditioned on the ownership
 * tag being "true", no TagResource). EKS picks the add-on version (none is pinned: the guide documents
 * none per Kubernetes version), so the comparison is with the current policies. Every action of the
 * managed policy is granted; the differences are deliberate:
 * - The file-system-level calls are limited to this file system's ARN (the Service Authorization
 *   Reference lists file-system as their resource type): CreateAccessPoint (required resource) and the
 *   Describe calls, which also get this account's access points for calls by access point id.
 * - The ownership tag must be "true" (StringEquals, as the driver sets it and the example policy
 *   requires) instead of merely present (the managed policy's Null condition).
 * - Access point ARNs carry neither the file system nor the cluster, so TagResource (creation only)
 *   and DeleteAccessPoint are limited to this account and region, not further.
 * - The `efs-csi-node-sa` service account gets nothing: it needs AWS credentials only for the `iam` mount
 *   option and cross-account mounts, neither of which this add-on sets up.
 */
function efsCsiStatements(fileSystemArn: string): iam.PolicyStatement[] {
  const accessPoints = `arn:${Aws.PARTITION}:elasticfilesystem:${Aws.REGION}:${Aws.ACCOUNT_ID}:access-point/*`;
  const ownedOnly = { 'ForAllValues:StringEquals': { 'aws:TagKeys': [OWNERSHIP_TAG] } };
  return [
    new iam.PolicyStatement({
      sid: 'DescribeAvailabilityZones',
      actions: ['ec2:DescribeAvailabilityZones'],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'DescribeThisFileSystem',
      actions: [
        'elasticfilesystem:DescribeAccessPoints',
        'elasticfilesystem:DescribeFileSystems',
        'elasticfilesystem:DescribeMountTargets',
      ],
      resources: [fileSystemArn, accessPoints],
    }),
    new iam.PolicyStatement({
      sid: 'CreateTaggedAccessPointsInThisFileSystem',
      actions: ['elasticfilesystem:CreateAccessPoint'],
      resources: [fileSystemArn],
      conditions: { StringEquals: { [`aws:RequestTag/${OWNERSHIP_TAG}`]: 'true' }, ...ownedOnly },
    }),
    new iam.PolicyStatement({
      sid: 'TagNewAccessPoints',
      actions: ['elasticfilesystem:TagResource'],
      resources: [accessPoints],
      conditions: {
        StringEquals: { 'elasticfilesystem:CreateAction': 'CreateAccessPoint', [`aws:RequestTag/${OWNERSHIP_TAG}`]: 'true' },
        ...ownedOnly,
      },
    }),
    new iam.PolicyStatement({
      sid: 'DeleteOwnAccessPoints',
      actions: ['elasticfilesystem:DeleteAccessPoint'],
      resources: [accessPoints],
      conditions: { StringEquals: { [`aws:ResourceTag/${OWNERSHIP_TAG}`]: 'true' } },
    }),
  ];
}
