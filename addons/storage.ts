import { join } from 'node:path';

import { Aws } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { z } from 'zod';

import { acknowledge, wildcardFinding } from '../lib/core/compliance/acknowledge';
import type { ComputeMode, PlatformConfig } from '../lib/core/config';
import { documented, kubernetesVersionInfo, strictObject } from '../lib/core/config';
import type { KubernetesObject } from '../lib/core/kubernetes-object';
import { PLATFORM_LABELS } from '../lib/core/kubernetes-object';
import type { AddOnContext, ClusterObjectRef, PlatformAddOn } from './core/addon';
import type { OptionsInput } from './core/options';
import { addOnOptions, eksAddonVersion, objectName } from './core/options';
import { PodIdentity } from './core/pod-identity';
import type { PodSet } from './core/pod-sets';
import { podRequests, sumRequests, TOLERATE_CRITICAL_ADDONS_ONLY, TOLERATE_EVERYTHING } from './core/pod-sets';
import type { AddOnRegistration } from './core/registration';
import { registerAddOn } from './core/registration';
import type { AddOnTeardown } from './core/teardown';

/** Options of {@link StorageAddOn}, in configuration and in code. */
export const STORAGE_OPTIONS = strictObject(
  {
    className: documented(objectName, { description: 'Name of the default StorageClass.' }).default('gp3'),
    /** @default - pinned per Kubernetes version in lib/core/config/kubernetes-versions.ts */
    ebsCsiDriverVersion: documented(eksAddonVersion, {
      description: 'Version of the aws-ebs-csi-driver EKS add-on (node groups only). Default: pinned per Kubernetes version.',
    }).optional(),
  },
  'an object {className?, ebsCsiDriverVersion?}',
);

/** Props for {@link StorageAddOn}. */
export type StorageAddOnProps = OptionsInput<typeof STORAGE_OPTIONS>;

/** The EBS CSI controller's service account (node groups only). */
const EBS_CSI_SERVICE_ACCOUNT = { namespace: 'kube-system', name: 'ebs-csi-controller-sa' } as const;

/**
 * The driver's pods as its chart (the EKS add-on is built from it) makes them, from
 * kubernetes-sigs/aws-ebs-csi-driver charts/aws-ebs-csi-driver: values.yaml gives the controller and
 * the node plugin 10m/40Mi per container, and templates/node.yaml (controller.yaml alike) gives every
 * sidecar without its own resources the same; the controller has up to six containers (plugin,
 * provisioner, attacher, snapshotter, resizer, liveness probe), the node plugin three. The controller
 * tolerates `CriticalAddonsOnly` (values.yaml `controller.tolerations`), the node plugin every taint
 * (`node.tolerateAllTaints: true`).
 */
const EBS_CSI_CONTAINER = podRequests('10m', '40Mi');
const EBS_CSI_SOURCE = 'the aws-ebs-csi-driver chart values.yaml and templates (controller and node resources, tolerations)';

/** Auto Mode's built-in EBS driver and the open-source driver register different provisioners. */
const PROVISIONER: Readonly<Record<ComputeMode, string>> = {
  auto: 'ebs.csi.eks.amazonaws.com',
  nodegroups: 'ebs.csi.aws.com',
};

/**
 * Block storage: a default, encrypted gp3 StorageClass. On Auto Mode the EBS driver is built in;
 * on node groups this installs the aws-ebs-csi-driver EKS add-on with a least-privilege Pod
 * Identity first.
 */
export class StorageAddOn implements PlatformAddOn {
  static readonly ID = 'storage';
  static readonly registration: AddOnRegistration = registerAddOn({
    id: StorageAddOn.ID,
    summary: 'default encrypted gp3 StorageClass (+ EBS CSI driver on node groups)',
    options: STORAGE_OPTIONS,
    create: (props) => new StorageAddOn(props),
    docs: { prose: join(__dirname, 'storage.md') },
  });

  readonly id = StorageAddOn.ID;
  readonly computeModes = ['auto', 'nodegroups'] as const;
  /** The StorageClass is cluster-scoped; the EBS CSI driver runs in kube-system. */
  readonly namespaces = [EBS_CSI_SERVICE_ACCOUNT.namespace];
  /** Bound on node groups only; declared for both so the selection checks are the same. */
  readonly serviceAccounts = [EBS_CSI_SERVICE_ACCOUNT];

  readonly clusterObjects: readonly ClusterObjectRef[];

  private readonly props: z.output<typeof STORAGE_OPTIONS>;

  constructor(props: StorageAddOnProps = {}) {
    this.props = addOnOptions(StorageAddOn.ID, STORAGE_OPTIONS, props);
    this.clusterObjects = [{ kind: 'StorageClass', name: this.props.className, isDefault: true }];
  }

  /** The EBS CSI driver's controller and node plugin (node groups only; Auto Mode has it built in). */
  podSets(config: PlatformConfig): PodSet[] {
    if (config.compute !== 'nodegroups') return [];
    return [
      {
        name: 'ebs-csi-controller',
        replicas: 2,
        requests: sumRequests(...Array<typeof EBS_CSI_CONTAINER>(6).fill(EBS_CSI_CONTAINER)),
        nodeSelector: {},
        tolerations: TOLERATE_CRITICAL_ADDONS_ONLY,
        source: EBS_CSI_SOURCE,
      },
      {
        name: 'ebs-csi-node',
        replicas: 'per-node',
        requests: sumRequests(...Array<typeof EBS_CSI_CONTAINER>(3).fill(EBS_CSI_CONTAINER)),
        nodeSelector: {},
        tolerations: TOLERATE_EVERYTHING,
        source: EBS_CSI_SOURCE,
      },
    ];
  }

  /** The default StorageClass for a compute mode. */
  storageClass(compute: ComputeMode): KubernetesObject {
    return {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: {
        name: this.props.className,
        labels: PLATFORM_LABELS,
        annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
      },
      provisioner: PROVISIONER[compute],
      parameters: { type: 'gp3', encrypted: 'true' },
      // Bind in the AZ the pod lands in; an EBS volume cannot follow a pod to another AZ.
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
      reclaimPolicy: 'Delete',
    };
  }

  /**
   * The claims of the driver's volumes go before PlatformStack, while the driver still runs: with
   * reclaimPolicy Delete it deletes each EBS volume it provisioned. Once the cluster is gone nothing
   * would: "EKS will not delete EBS volumes provisioned by EKS Auto Mode" (EKS user guide, Disable
   * EKS Auto Mode, https://docs.aws.amazon.com/eks/latest/userguide/auto-disable.html, to which
   * "Delete a cluster" refers for Auto Mode), and on node groups the driver is an add-on this stack
   * deletes.
   */
  teardown({ config }: AddOnContext): AddOnTeardown {
    return {
      deleteClaims: [{ csiDriver: PROVISIONER[config.compute], reason: 'the driver deletes their EBS volumes (reclaimPolicy Delete)' }],
    };
  }

  deploy(scope: Construct, context: AddOnContext): void {
    const compute = context.config.compute;
    const storageClass = new eks.KubernetesManifest(scope, 'StorageClass', {
      cluster: context.cluster,
      manifest: [this.storageClass(compute)],
      overwrite: true,
    });
    if (compute === 'nodegroups') {
      const driver = this.ebsCsiDriver(scope, context);
      storageClass.node.addDependency(driver);
    }
  }

  private ebsCsiDriver(scope: Construct, context: AddOnContext): Construct {
    const driver = new Construct(scope, 'EbsCsiDriver');
    const identity = new PodIdentity(driver, 'PodIdentity', {
      cluster: context.cluster,
      namespace: EBS_CSI_SERVICE_ACCOUNT.namespace,
      serviceAccount: EBS_CSI_SERVICE_ACCOUNT.name,
      purpose: 'EBS CSI driver controller',
      statements: ebsCsiStatements(),
    });
    acknowledge(
      identity.policy,
      'EC2 Describe calls have no resource-level permissions, and volume, snapshot and instance ids exist only at run ' +
        "time. Creating volumes and snapshots requires the driver's ownership tag (ebs.csi.aws.com/cluster=true) " +
        'in the request, every change to an existing volume or snapshot requires it on the resource, and only ' +
        'attaching and detaching accept any instance of this account and region.',
      [
        wildcardFinding('Resource', '*'),
        wildcardFinding('Resource', 'arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:volume/*'),
        wildcardFinding('Resource', 'arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:volume/vol-*'),
        wildcardFinding('Resource', 'arn:<AWS::Partition>:ec2:<AWS::Region>::snapshot/*'),
        wildcardFinding('Resource', 'arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:instance/*'),
      ],
    );
    const addon = new eks.Addon(driver, 'Addon', {
      cluster: context.cluster,
      addonName: 'aws-ebs-csi-driver',
      addonVersion:
        this.props.ebsCsiDriverVersion ?? kubernetesVersionInfo(context.config.kubernetesVersion).managedAddons['aws-ebs-csi-driver'],
    });
    addon.node.addDependency(identity);
    return driver;
  }
}

/**
 * The EBS CSI controller's permissions, compared statement by statement with the driver's reference
 * policy of the versions pinned in lib/core/config/kubernetes-versions.ts: docs/example-iam-policy.json of
 * kubernetes-sigs/aws-ebs-csi-driver at v1.56.0 and v1.57.1 (identical there) and the AWS managed
 * policy AmazonEBSCSIDriverPolicy (v14). Every action of those is granted; the differences are
 * deliberate:
 * - Mutations are limited to resources carrying the driver's ownership tag, as AWS's tag-scoped
 *   AmazonEBSCSIDriverPolicyV2 does, instead of any volume or snapshot. The driver puts that tag on
 *   everything it creates, so the upstream alternatives (CSIVolumeName, CSIVolumeSnapshotName, and the
 *   in-tree plugin's kubernetes.io/created-for/pvc/name) add nothing here: in-tree volumes cannot exist
 *   on clusters that start at Kubernetes 1.33 (the in-tree EBS plugin was removed in 1.27). A volume or
 *   snapshot created outside the driver must carry the tag before the driver may use it.
 * - ARNs are limited to this account and region; snapshots have no account field in their ARN.
 * - ec2:LockSnapshot (VolumeSnapshotClass lock parameters, in the driver since v1.55.0) is granted as
 *   in AmazonEBSCSIDriverPolicy; the example policy added it only in v1.59.0.
 * - ec2:DescribeInstanceTypes is left out: the driver calls it from v1.59.0 on.
 */
function ebsCsiStatements(): iam.PolicyStatement[] {
  const ec2 = (resource: string, account: string = Aws.ACCOUNT_ID) => `arn:${Aws.PARTITION}:ec2:${Aws.REGION}:${account}:${resource}`;
  const volumes = ec2('volume/*');
  // The new volume of CreateVolume/CopyVolumes is authorized as volume/*, the source of CopyVolumes as vol-<id>.
  const existingVolumes = ec2('volume/vol-*');
  const snapshots = ec2('snapshot/*', '');
  const instances = ec2('instance/*');
  const ownershipTag = 'ebs.csi.aws.com/cluster';
  const owned = { StringEquals: { [`aws:ResourceTag/${ownershipTag}`]: 'true' } };
  const requested = { StringEquals: { [`aws:RequestTag/${ownershipTag}`]: 'true' } };
  return [
    new iam.PolicyStatement({
      sid: 'Describe',
      actions: [
        'ec2:DescribeAvailabilityZones',
        'ec2:DescribeInstances',
        'ec2:DescribeSnapshots',
        'ec2:DescribeTags',
        'ec2:DescribeVolumes',
        'ec2:DescribeVolumesModifications',
        'ec2:DescribeVolumeStatus',
      ],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'CreateAndCopyTaggedVolumes',
      actions: ['ec2:CreateVolume', 'ec2:CopyVolumes'],
      resources: [volumes],
      conditions: requested,
    }),
    new iam.PolicyStatement({
      sid: 'CopyOwnVolumes',
      actions: ['ec2:CopyVolumes'],
      resources: [existingVolumes],
      conditions: owned,
    }),
    new iam.PolicyStatement({
      sid: 'CreateTaggedSnapshots',
      actions: ['ec2:CreateSnapshot'],
      resources: [snapshots],
      conditions: requested,
    }),
    new iam.PolicyStatement({
      sid: 'SnapshotOwnVolumes',
      actions: ['ec2:CreateSnapshot'],
      resources: [volumes],
      conditions: owned,
    }),
    new iam.PolicyStatement({
      sid: 'ManageOwnVolumes',
      actions: ['ec2:AttachVolume', 'ec2:DetachVolume', 'ec2:ModifyVolume', 'ec2:DeleteVolume'],
      resources: [volumes],
      conditions: owned,
    }),
    new iam.PolicyStatement({
      sid: 'AttachToInstances',
      actions: ['ec2:AttachVolume', 'ec2:DetachVolume'],
      resources: [instances],
    }),
    new iam.PolicyStatement({
      sid: 'RestoreAndFastRestoreOwnSnapshots',
      actions: ['ec2:CreateVolume', 'ec2:EnableFastSnapshotRestores'],
      resources: [snapshots],
      conditions: owned,
    }),
    new iam.PolicyStatement({
      sid: 'DeleteAndLockOwnSnapshots',
      actions: ['ec2:DeleteSnapshot', 'ec2:LockSnapshot'],
      resources: [snapshots],
      conditions: owned,
    }),
    new iam.PolicyStatement({
      sid: 'TagOnCreate',
      actions: ['ec2:CreateTags'],
      resources: [volumes, snapshots],
      conditions: { StringEquals: { 'ec2:CreateAction': ['CreateVolume', 'CreateSnapshot', 'CopyVolumes'] } },
    }),
    // Tags requested through a VolumeAttributesClass; the ownership tags themselves stay untouched, so
    // the driver cannot adopt or release a volume.
    new iam.PolicyStatement({
      sid: 'RetagOwnVolumesAndSnapshots',
      actions: ['ec2:CreateTags', 'ec2:DeleteTags'],
      resources: [volumes, snapshots],
      conditions: {
        ...owned,
        Null: { 'aws:TagKeys': 'false' },
        'ForAllValues:StringNotEquals': { 'aws:TagKeys': [ownershipTag, 'ebs.csi.aws.com/cluster-name'] },
      },
    }),
  ];
}
