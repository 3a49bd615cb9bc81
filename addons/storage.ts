import { Aws } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { z } from 'zod';
import type { ComputeMode } from '../lib/config';
import { documented, kubernetesVersionInfo, strictObject } from '../lib/config';
import { acknowledge, wildcardFinding } from '../lib/compliance/acknowledge';
import type { AddOnContext, PlatformAddOn } from './core/addon';
import type { KubernetesObject } from './core/kubernetes-object';
import { PLATFORM_LABELS } from './core/kubernetes-object';
import { addOnOptions, eksAddonVersion, objectName } from './core/options';
import type { AddOnRegistration } from './core/registration';
import { PodIdentity } from './core/pod-identity';

/** Options of {@link StorageAddOn}, in configuration and in code. */
export const STORAGE_OPTIONS = strictObject({
  /** @default 'gp3' */
  className: documented(objectName, { description: 'Name of the default StorageClass. Default gp3.' }).optional(),
  /** @default - pinned per Kubernetes version in lib/config/kubernetes-versions.ts */
  ebsCsiDriverVersion: documented(eksAddonVersion, {
    description: 'Version of the aws-ebs-csi-driver EKS add-on (node groups only). Default: pinned per Kubernetes version.',
  }).optional(),
}, 'an object {className?, ebsCsiDriverVersion?}');

/** Props for {@link StorageAddOn}. */
export type StorageAddOnProps = z.output<typeof STORAGE_OPTIONS>;

/** The EBS CSI controller's service account (node groups only). */
const EBS_CSI_SERVICE_ACCOUNT = { namespace: 'kube-system', name: 'ebs-csi-controller-sa' } as const;

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
  static readonly registration: AddOnRegistration = {
    id: StorageAddOn.ID,
    summary: 'default encrypted gp3 StorageClass (+ EBS CSI driver on node groups)',
    options: STORAGE_OPTIONS,
    create: (options) => new StorageAddOn(options as StorageAddOnProps),
  };

  readonly id = StorageAddOn.ID;
  readonly computeModes = ['auto', 'nodegroups'] as const;
  /** The StorageClass is cluster-scoped; the EBS CSI driver runs in kube-system. */
  readonly namespaces = [EBS_CSI_SERVICE_ACCOUNT.namespace];
  /** Bound on node groups only; declared for both so the selection checks are the same. */
  readonly serviceAccounts = [EBS_CSI_SERVICE_ACCOUNT];

  private readonly props: z.output<typeof STORAGE_OPTIONS>;

  constructor(props: StorageAddOnProps = {}) {
    this.props = addOnOptions(StorageAddOn.ID, STORAGE_OPTIONS, props);
  }

  /** The default StorageClass for a compute mode. */
  storageClass(compute: ComputeMode): KubernetesObject {
    return {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: {
        name: this.props.className ?? 'gp3',
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
      'EC2 Describe* calls and volume creation do not support resource-level restrictions; every mutating ' +
        'action on existing volumes and snapshots is limited to those the driver tagged (ebs.csi.aws.com/cluster=true).',
      [wildcardFinding('Resource', '*'), wildcardFinding('Action', 'ec2:Describe*'),
        wildcardFinding('Resource', `arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:volume/*`),
        wildcardFinding('Resource', `arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:snapshot/*`),
        wildcardFinding('Resource', `arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:instance/*`)],
    );
    const addon = new eks.Addon(driver, 'Addon', {
      cluster: context.cluster,
      addonName: 'aws-ebs-csi-driver',
      addonVersion: this.props.ebsCsiDriverVersion ?? kubernetesVersionInfo(context.config.kubernetesVersion).managedAddons['aws-ebs-csi-driver'],
    });
    addon.node.addDependency(identity);
    return driver;
  }
}

/** Least-privilege EBS CSI controller permissions: mutations only on driver-tagged resources. */
function ebsCsiStatements(): iam.PolicyStatement[] {
  const arn = (resource: string) => `arn:${Aws.PARTITION}:ec2:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
  const clusterTag = { 'aws:ResourceTag/ebs.csi.aws.com/cluster': 'true' };
  return [
    new iam.PolicyStatement({
      sid: 'Describe',
      actions: ['ec2:DescribeAvailabilityZones', 'ec2:DescribeInstances', 'ec2:DescribeSnapshots', 'ec2:DescribeTags', 'ec2:DescribeVolumes', 'ec2:DescribeVolumesModifications'],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'CreateTaggedVolumesAndSnapshots',
      actions: ['ec2:CreateVolume', 'ec2:CreateSnapshot'],
      resources: [arn('volume/*'), arn('snapshot/*')],
      conditions: { StringEquals: { 'aws:RequestTag/ebs.csi.aws.com/cluster': 'true' } },
    }),
    new iam.PolicyStatement({
      sid: 'CreateVolumeFromSnapshot',
      actions: ['ec2:CreateVolume', 'ec2:CreateSnapshot'],
      resources: [arn('snapshot/*'), arn('volume/*')],
      conditions: { StringEquals: clusterTag },
    }),
    new iam.PolicyStatement({
      sid: 'TagOnCreate',
      actions: ['ec2:CreateTags'],
      resources: [arn('volume/*'), arn('snapshot/*')],
      conditions: { StringEquals: { 'ec2:CreateAction': ['CreateVolume', 'CreateSnapshot'] } },
    }),
    new iam.PolicyStatement({
      sid: 'ManageDriverVolumes',
      actions: ['ec2:AttachVolume', 'ec2:DetachVolume', 'ec2:ModifyVolume', 'ec2:DeleteVolume', 'ec2:DeleteSnapshot', 'ec2:CreateTags', 'ec2:DeleteTags'],
      resources: [arn('volume/*'), arn('snapshot/*')],
      conditions: { StringEquals: clusterTag },
    }),
    new iam.PolicyStatement({
      sid: 'AttachToInstances',
      actions: ['ec2:AttachVolume', 'ec2:DetachVolume'],
      resources: [arn('instance/*')],
    }),
  ];
}
