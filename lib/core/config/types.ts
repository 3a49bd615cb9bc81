import type { ConfigKey, ConfigValue } from './schema';
import type { WorkloadsConfig } from './workload-schema';

export type { SupportType } from './support-lifecycle';

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
/** How the add-ons' Helm charts are installed. */
export type Delivery = ConfigValue<'delivery'>;
/** Reachability of the Kubernetes API server. */
export type EndpointAccessMode = ConfigValue<'endpointAccess'>;
/** An EKS control plane tier. */
export type ControlPlaneTier = ConfigValue<'controlPlaneTier'>;
/** An Auto Mode built-in node pool. */
export type AutoModeNodePool = ConfigValue<'autoModeNodePools'>[number];

/**
 * What a key resolves to where that is not what its schema accepts: the value was computed from
 * other keys, or may stay unset.
 */
export interface ResolvedDifferently {
  /** `undefined` keeps the stacks account-agnostic (resolved at deploy time). */
  readonly account?: string;
  /** `undefined`: EKS's default (720); no profile sets it. */
  readonly rollbackTimeoutMinutes: number | undefined;
  /** The given keys, the others from `sampleWorkloads`. */
  readonly workloads: WorkloadsConfig;
}

/**
 * The whole, validated configuration of one environment: every key of `CONFIG_SHAPE` with the
 * value its schema accepts (read-only), except the few {@link ResolvedDifferently}. What each key
 * means is said once, in its schema's description.
 */
export type PlatformConfig = Omit<{ readonly [K in ConfigKey]: Readonly<ConfigValue<K>> }, keyof ResolvedDifferently> & ResolvedDifferently;

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
