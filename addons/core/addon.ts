import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import type { Construct } from 'constructs';
import type { ComputeMode, EnvironmentNames, PlatformConfig, TeamConfig } from '../../lib/config';
import type { HelmRecoveryFunction } from './helm-recovery-function';

/** What an add-on may use when it deploys into PlatformStack. */
export interface AddOnContext {
  /** The imported cluster, with PlatformStack's kubectl handler attached. */
  readonly cluster: eks.ICluster;
  /** The cluster VPC (imported). */
  readonly vpc: ec2.IVpc;
  /** The validated configuration of the environment. */
  readonly config: PlatformConfig;
  /** Cluster, stack and export names of the environment. */
  readonly names: EnvironmentNames;
  /**
   * The namespaces of every add-on in the plan (sorted, each once), so an add-on that acts on the
   * whole cluster (an admission policy engine) can leave the platform's own namespaces alone.
   */
  readonly platformNamespaces: readonly string[];
  /** The function that recovers pending Helm releases before their charts run (see `recoverableHelmChart`); created on first call. */
  readonly helmRecovery: () => HelmRecoveryFunction;
}

/** A Kubernetes service account that an add-on binds to an AWS role. */
export interface ServiceAccountRef {
  readonly namespace: string;
  readonly name: string;
}

/**
 * The Kubernetes minor versions an add-on supports: the intersection of its chart's `kubeVersion`
 * constraint and the range its project documents, with where that comes from.
 */
export interface KubernetesVersionRange {
  /** Lowest supported minor version, e.g. `1.25`. @default - no lower bound */
  readonly min?: string;
  /** Highest supported minor version, e.g. `1.35`. @default - no upper bound */
  readonly max?: string;
  /** The documents the range is read from (chart and version, compatibility page). */
  readonly source: string;
}

/**
 * The contract every add-on implements, first-party or a consumer's own.
 *
 * The plan reads the declarations (compute modes, dependencies, namespaces, service accounts) to
 * check a selection before anything is built; `deploy` is synchronous and creates constructs only
 * inside `scope`, a construct PlatformStack makes for this add-on alone. PlatformStack makes that
 * scope depend on the scopes of `dependsOn`, so CloudFormation creates dependencies first and
 * deletes them last.
 */
export interface PlatformAddOn {
  /** Stable id, used in configuration (`-c addons=<id>,...`) and in construct ids. */
  readonly id: string;
  /** Compute modes the add-on works on. */
  readonly computeModes: readonly ComputeMode[];
  /**
   * Namespaces the add-on installs into or creates. Application teams may not own them; a
   * cluster-scoped add-on declares none.
   */
  readonly namespaces: readonly string[];
  /**
   * Service accounts the add-on binds to AWS roles (EKS Pod Identity allows one association per
   * service account, so two add-ons may not bind the same one).
   * @default []
   */
  readonly serviceAccounts?: readonly ServiceAccountRef[];
  /**
   * The Kubernetes versions the add-on supports; the plan refuses a cluster version outside it.
   * @default - any version the app supports
   */
  readonly kubernetesVersions?: KubernetesVersionRange;
  /**
   * When EKS Auto Mode already provides this capability: what to do instead. Selecting the
   * add-on on Auto Mode then fails with this advice.
   * @default - not built into Auto Mode
   */
  readonly autoModeBuiltIn?: string;
  /**
   * Ids of add-ons that must be deployed first (and deleted last).
   * @default []
   */
  readonly dependsOn?: readonly string[];
  /**
   * Ids of add-ons that cannot run beside this one.
   * @default []
   */
  readonly conflictsWith?: readonly string[];
  /** Creates the add-on's constructs in `scope`. */
  deploy(scope: Construct, context: AddOnContext): void;
  /**
   * Creates what the add-on gives one application team (e.g. a store in each team namespace) in
   * `scope`, a construct of that team which PlatformStack makes depend on the add-on's own scope
   * and on the team's namespaces. Called once per team, after `deploy`.
   * @default - nothing per team
   */
  deployTeam?(scope: Construct, context: AddOnContext, team: TeamConfig): void;
}
