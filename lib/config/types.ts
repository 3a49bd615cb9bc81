import type { AccessEntryConfig } from './access-schema';
import type { NodeGroupConfig } from './node-group-schema';
import type { AddOnSelection, ConfigValue } from './schema';
import type { SupportType } from './support-lifecycle';

export type { SupportType } from './support-lifecycle';
import type { TeamConfig } from './team-schema';
import type { WorkloadsConfig } from './workload-schema';

/*
 * The configuration model shared by both stacks, derived from the schemas in ./schema.ts.
 *
 * Every field is resolved (defaults applied, strings parsed) by `loadConfig`; stacks never read
 * CDK context themselves, so one validated object decides what both teams deploy.
 */

/** Which set of defaults a configuration starts from. */
export type Profile = ConfigValue<'profile'>;
/** How the cluster gets its nodes. */
export type ComputeMode = ConfigValue<'compute'>;
/** Reachability of the Kubernetes API server. */
export type EndpointAccessMode = ConfigValue<'endpointAccess'>;
/** An EKS control plane tier. */
export type ControlPlaneTier = ConfigValue<'controlPlaneTier'>;
/** An Auto Mode built-in node pool. */
export type AutoModeNodePool = ConfigValue<'autoModeNodePools'>[number];

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
  /** What EKS does when the version's standard support ends. */
  readonly supportType: SupportType;
  /** Whether EKS refuses to delete the cluster. */
  readonly deletionProtection: boolean;
  /** Whether ARC zonal shift may move traffic away from an impaired AZ. */
  readonly zonalShift: boolean;
  readonly controlPlaneTier: ControlPlaneTier;
  /** EKS updates the version despite ERROR upgrade insights (`Force`); for one deploy only. */
  readonly forceVersionUpdate: boolean;
  /** Minutes EKS lets a version rollback run before cancelling it; unset: EKS's default (720). */
  readonly rollbackTimeoutMinutes: number | undefined;
  readonly compute: ComputeMode;
  /** Auto Mode built-in node pools to enable. */
  readonly autoModeNodePools: readonly AutoModeNodePool[];
  readonly nodeGroups: readonly NodeGroupConfig[];
  /** Retention of the control-plane and VPC flow-log groups, in days. */
  readonly logRetentionDays: number;
  /** Whether the sample workloads are deployed (the default of `workloads`). */
  readonly sampleWorkloads: boolean;
  /** Which sample workloads PlatformStack deploys (defaults from sampleWorkloads). */
  readonly workloads: WorkloadsConfig;
  /** Application teams of the configuration (the plan adds those passed in code). */
  readonly teams: readonly TeamConfig[];
  /**
   * Add-ons chosen in configuration, in the given order, with their options as given: the plan
   * checks them against the catalog and builds them.
   */
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
