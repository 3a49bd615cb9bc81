import type { AddOnSelection } from '../../addons/catalog';
import type { WorkloadsConfig } from './workload-rules';

/**
 * The configuration model shared by both stacks.
 *
 * Every field is resolved (defaults applied, strings parsed) by `loadConfig`; stacks never read
 * CDK context themselves, so one validated object decides what both teams deploy.
 */

/** Which set of defaults a configuration starts from. */
export type Profile = 'workshop' | 'production';

/** How the cluster gets its nodes. */
export type ComputeMode = 'auto' | 'nodegroups';

/** Reachability of the Kubernetes API server. */
export type EndpointAccessMode = 'private' | 'public-and-private';

/** The EKS access policies an access entry may carry. */
export type AccessPolicyName =
  | 'AmazonEKSClusterAdminPolicy'
  | 'AmazonEKSAdminPolicy'
  | 'AmazonEKSEditPolicy'
  | 'AmazonEKSViewPolicy';

/** Where an access policy applies. */
export type AccessScope = 'cluster' | 'namespace';

/** One IAM principal's access to the cluster, decided by the infrastructure team. */
export interface AccessEntryConfig {
  /** IAM role or user ARN (not an `sts` assumed-role ARN). */
  readonly principalArn: string;
  /** The EKS access policy to associate. */
  readonly policy: AccessPolicyName;
  /** Cluster-wide, or limited to `namespaces`. */
  readonly scope: AccessScope;
  /**
   * Namespaces the policy applies to; required with `scope: namespace`, forbidden otherwise.
   * @default []
   */
  readonly namespaces: readonly string[];
}

/** Node taint effects accepted by EKS managed node groups. */
export type TaintEffectName = 'NO_SCHEDULE' | 'PREFER_NO_SCHEDULE' | 'NO_EXECUTE';

/** A taint put on every node of a managed node group. */
export interface TaintConfig {
  readonly key: string;
  /** @default '' */
  readonly value: string;
  readonly effect: TaintEffectName;
}

/** AMI families we allow for managed node groups (Linux, x86_64 or arm64). */
export type NodeGroupAmiType =
  | 'BOTTLEROCKET_x86_64'
  | 'BOTTLEROCKET_ARM_64'
  | 'AL2023_x86_64_STANDARD'
  | 'AL2023_ARM_64_STANDARD';

/** Purchasing option for a managed node group. */
export type CapacityTypeName = 'SPOT' | 'ON_DEMAND';

/** One EKS managed node group (compute mode `nodegroups`). */
export interface NodeGroupConfig {
  /** Node group name, unique in the cluster. */
  readonly name: string;
  readonly amiType: NodeGroupAmiType;
  /** EC2 instance types; several types make SPOT capacity far more available. */
  readonly instanceTypes: readonly string[];
  readonly capacityType: CapacityTypeName;
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredSize: number;
  /** Root volume size in GiB. */
  readonly diskSize: number;
  /** Kubernetes node labels; controllers select their nodes with them. */
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly TaintConfig[];
}

/** Kubernetes access level of a team in its namespaces. */
export type TeamAccess = 'admin' | 'edit' | 'view';

/** The ResourceQuota of each team namespace. */
export interface TeamQuota {
  /** Sum of CPU requests, e.g. "4". */
  readonly cpu: string;
  /** Sum of memory requests, e.g. "8Gi". */
  readonly memory: string;
  readonly pods: number;
}

/** An application team: namespaces it owns and the IAM principals that act in them. */
export interface TeamConfig {
  /** Team name (a DNS label). */
  readonly name: string;
  /** Namespaces the team owns; no other team may use them. @default [name] */
  readonly namespaces: readonly string[];
  /** IAM role or user ARNs of the team; each gets a namespace-scoped access entry. */
  readonly principals: readonly string[];
  /** admin, edit or view within the team's namespaces. @default 'edit' */
  readonly access: TeamAccess;
  /** @default DEFAULT_TEAM_QUOTA */
  readonly quota: TeamQuota;
}

/** The whole, validated configuration of one environment. */
export interface PlatformConfig {
  /** Environment name: prefixes the cluster, the CloudFormation stack names and the export names. */
  readonly environment: string;
  readonly profile: Profile;
  /** AWS account; `undefined` keeps the stacks account-agnostic (resolved at deploy time). */
  readonly account?: string;
  readonly region: string;
  /** EKS Kubernetes minor version, e.g. `1.35`. */
  readonly kubernetesVersion: string;
  readonly azCount: number;
  /** The AZ names used, `azCount` long. */
  readonly availabilityZones: readonly string[];
  readonly vpcCidr: string;
  readonly natGateways: number;
  readonly endpointAccess: EndpointAccessMode;
  /** CIDRs allowed to reach the public endpoint (only with `public-and-private`). */
  readonly publicAccessCidrs: readonly string[];
  /** Shorthand: principals that get `AmazonEKSClusterAdminPolicy` cluster-wide. */
  readonly clusterAdmins: readonly string[];
  readonly accessEntries: readonly AccessEntryConfig[];
  readonly compute: ComputeMode;
  /** Auto Mode built-in node pools to enable. */
  readonly autoModeNodePools: readonly ('system' | 'general-purpose')[];
  readonly nodeGroups: readonly NodeGroupConfig[];
  /** Retention of the control-plane and VPC flow-log groups, in days. */
  readonly logRetentionDays: number;
  /** Whether the sample workloads are deployed (the default of `workloads`). */
  readonly sampleWorkloads: boolean;
  /** Which sample workloads PlatformStack deploys (defaults from sampleWorkloads). */
  readonly workloads: WorkloadsConfig;
  /** Application teams (namespaces with namespace-scoped access). */
  readonly teams: readonly TeamConfig[];
  /** First-party add-ons chosen in configuration, in the given order (PlatformStack orders by dependencies). */
  readonly addons: readonly AddOnSelection[];
  /** Tags applied to every taggable resource of both stacks. */
  readonly tags: Readonly<Record<string, string>>;
}

/** Derived names that both stacks must agree on. */
export interface EnvironmentNames {
  readonly clusterName: string;
  readonly infraStackName: string;
  readonly platformStackName: string;
  readonly exportPrefix: string;
}

/** Names derived from an environment name; the single place that decides them. */
export function environmentNames(environment: string): EnvironmentNames {
  return {
    clusterName: `${environment}-eks`,
    infraStackName: `${environment}-infra`,
    platformStackName: `${environment}-platform`,
    exportPrefix: `${environment}-infra`,
  };
}
