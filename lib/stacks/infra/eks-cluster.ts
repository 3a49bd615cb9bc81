import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { CfnCluster } from 'aws-cdk-lib/aws-eks';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

import { acknowledge, acknowledgeValidation, managedPolicyFinding } from '../../core/compliance/acknowledge';
import type { ComputeMode, ControlPlaneTier, EndpointAccessMode, SupportType } from '../../core/config';

/** Props for {@link PlatformCluster}. */
export interface PlatformClusterProps {
  readonly clusterName: string;
  /** Kubernetes minor version, e.g. `1.35`. */
  readonly kubernetesVersion: string;
  readonly vpc: ec2.IVpc;
  readonly endpointAccess: EndpointAccessMode;
  /** CIDRs allowed to the public endpoint; ignored when the endpoint is private. */
  readonly publicAccessCidrs: readonly string[];
  readonly compute: ComputeMode;
  /** Auto Mode only: the built-in node pools to enable. */
  readonly autoModeNodePools: readonly string[];
  /** Auto Mode only: the node role (EKS cannot change it after creation). */
  readonly autoModeNodeRole?: iam.IRole;
  /** Encrypts the control-plane log group. */
  readonly logsKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  /** What EKS does at the end of the version's standard support. */
  readonly supportType: SupportType;
  /** EKS refuses to delete the cluster while this is on. */
  readonly deletionProtection: boolean;
  /** ARC zonal shift may move traffic away from an impaired AZ. */
  readonly zonalShift: boolean;
  /** The control plane tier; `standard` leaves the property to EKS's default. */
  readonly controlPlaneTier: ControlPlaneTier;
  /**
   * EKS updates the Kubernetes version even though an upgrade insight has status ERROR (`Force`).
   * For the one deploy that upgrades; `false` leaves the property out.
   * @default false
   */
  readonly forceVersionUpdate?: boolean;
  /**
   * Minutes EKS lets a version rollback run before cancelling it (`RollbackConfig.TimeoutMinutes`,
   * 120 to 10080). Unset leaves `RollbackConfig` out: EKS's default, 720.
   */
  readonly rollbackTimeoutMinutes?: number;
}

const CLUSTER_POLICIES = ['AmazonEKSClusterPolicy'];
const AUTO_MODE_CLUSTER_POLICIES = [
  'AmazonEKSComputePolicy',
  'AmazonEKSBlockStoragePolicy',
  'AmazonEKSLoadBalancingPolicy',
  'AmazonEKSNetworkingPolicy',
];

const ALL_LOG_TYPES = [
  eks.ClusterLoggingTypes.API,
  eks.ClusterLoggingTypes.AUDIT,
  eks.ClusterLoggingTypes.AUTHENTICATOR,
  eks.ClusterLoggingTypes.CONTROLLER_MANAGER,
  eks.ClusterLoggingTypes.SCHEDULER,
];

/**
 * The EKS control plane: API authentication only, no implicit admin for whoever deploys it, every
 * control-plane log type into a pre-created encrypted log group, and envelope-encrypted Secrets.
 */
export class PlatformCluster extends Construct {
  readonly cluster: eks.Cluster;
  readonly secretsKey: kms.Key;

  constructor(scope: Construct, id: string, props: PlatformClusterProps) {
    super(scope, id);

    // Unlike the logs key, no CT.KMS.PR.3 deny on kms:CreateGrant: EKS CreateCluster creates the
    // secrets grant with the caller's credentials and does not support kms:GrantIsForAWSResource (the
    // usage note of CT.EKS.PR.2), so the deny would make the cluster fail to create.
    this.secretsKey = new kms.Key(this, 'SecretsKey', {
      description: `Envelope encryption of Kubernetes Secrets in ${props.clusterName}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // EKS would create this group itself, unencrypted and kept forever; owning it sets both.
    const controlPlaneLogs = new logs.LogGroup(this, 'ControlPlaneLogs', {
      logGroupName: `/aws/eks/${props.clusterName}/cluster`,
      encryptionKey: props.logsKey,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const endpointAccess =
      props.endpointAccess === 'private'
        ? eks.EndpointAccess.PRIVATE
        : eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom(...props.publicAccessCidrs);
    const auto = props.compute === 'auto';

    this.cluster = new eks.Cluster(this, 'Cluster', {
      clusterName: props.clusterName,
      version: eks.KubernetesVersion.of(props.kubernetesVersion),
      vpc: props.vpc,
      vpcSubnets: [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }],
      endpointAccess,
      secretsEncryptionKey: this.secretsKey,
      clusterLogging: ALL_LOG_TYPES,
      // The CloudFormation execution role must not become a silent cluster admin: access is
      // exactly the access entries this app declares.
      bootstrapClusterCreatorAdminPermissions: false,
      // `standard` is EKS's default tier: leaving the property out keeps templates of clusters
      // created before the tier existed unchanged.
      controlPlaneScalingTier: props.controlPlaneTier === 'standard' ? undefined : eks.ControlPlaneScalingTier.of(props.controlPlaneTier),
      ...(auto
        ? {
            defaultCapacityType: eks.DefaultCapacityType.AUTOMODE,
            compute: { nodePools: [...props.autoModeNodePools], nodeRole: props.autoModeNodeRole },
          }
        : {
            defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
            defaultCapacity: 0,
            // Node groups get vpc-cni, kube-proxy, CoreDNS and the Pod Identity agent as pinned
            // EKS managed add-ons instead of unmanaged copies EKS would otherwise bootstrap.
            bootstrapSelfManagedAddons: false,
          }),
    });
    this.cluster.node.addDependency(controlPlaneLogs);
    // The aws-eks-v2 L2 of aws-cdk-lib 2.278 still does not expose these; its L1 CfnCluster does.
    const cfn = this.cluster.node.defaultChild as CfnCluster;
    cfn.upgradePolicy = { supportType: props.supportType };
    cfn.deletionProtection = props.deletionProtection;
    cfn.zonalShiftConfig = { enabled: props.zonalShift };
    // RollbackConfig only bounds how long a version rollback may run (EKS cancels it after that);
    // left out, EKS's documented default of 720 minutes applies and the template does not change.
    if (props.rollbackTimeoutMinutes !== undefined) {
      cfn.rollbackConfig = { timeoutMinutes: props.rollbackTimeoutMinutes };
    }
    // Force only matters to a version update: without it EKS refuses one while an upgrade insight
    // has status ERROR. Left out otherwise, so a later deploy without it removes the property
    // (an in-place update) and templates of clusters that never forced stay unchanged.
    if (props.forceVersionUpdate) {
      cfn.force = true;
    }
    acknowledgeValidation(
      cfn,
      'aws-eks-v2 asks for envelope encryption of Secrets as EncryptionConfig [{Resources: [secrets], Provider}]; ' +
        '"secrets" is the only value EKS accepts there and an encryption config cannot be changed once set, so the ' +
        'deprecated property stays as the L2 writes it.',
      ['CloudFormation-Validate::W9009'],
    );

    acknowledge(
      this.cluster.role,
      'The EKS cluster service role needs AmazonEKSClusterPolicy (and, with Auto Mode, the compute, block ' +
        'storage, load balancing and networking policies); AWS documents these managed policies as the ' +
        'required permissions of the EKS service and keeps them current with new EKS features.',
      (auto ? [...CLUSTER_POLICIES, ...AUTO_MODE_CLUSTER_POLICIES] : CLUSTER_POLICIES).map(managedPolicyFinding),
    );
    if (props.endpointAccess !== 'private') {
      acknowledge(
        this.cluster,
        `The public API endpoint is opt-in (profile or endpointAccess) and restricted to ${props.publicAccessCidrs.join(', ')}; ` +
          'every request still needs IAM authentication and an access entry. Nodes and the kubectl handler use ' +
          'the private endpoint. The production profile keeps the endpoint private.',
        ['AwsSolutions-EKS1'],
      );
    }
  }
}
