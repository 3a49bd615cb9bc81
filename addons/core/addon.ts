import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

import type { ComputeMode, EnvironmentNames, PlatformConfig, Problems, TeamConfig } from '../../lib/core/config';
import type { GitOpsDeliveryRequest, ReleaseChart } from './chart-release';
import type { AddOnCost, AddOnCostContext } from './cost';
import type { HelmRecoveryFunction } from './helm-recovery-function';
import type { PodSet } from './pod-sets';
import type { ProvidedCapabilities } from './provides';
import type { AddOnTeardown } from './teardown';

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
  /**
   * The environment's KMS key for CloudWatch Logs: every log group an add-on creates is encrypted
   * with it, like the rest of the environment's.
   */
  readonly logsKey: kms.IKey;
  /**
   * The cluster's OIDC issuer URL (`https://oidc.eks.<region>.amazonaws.com/id/<id>`), for an add-on
   * that must bind AWS credentials to a service account through IRSA rather than Pod Identity.
   */
  readonly oidcIssuerUrl: string;
  /** The function that recovers pending Helm releases before their charts run (see `recoverableHelmChart`); created on first call. */
  readonly helmRecovery: () => HelmRecoveryFunction;
  /**
   * Installs a chart the way the environment delivers charts (configuration key `delivery`): a Helm
   * release (`helmDelivery`) or an Argo CD Application. The platform picks it per add-on; an add-on
   * releases every chart through it and so works with either.
   */
  readonly releaseChart: ReleaseChart;
}

/** A Kubernetes service account that an add-on binds to an AWS role. */
export interface ServiceAccountRef {
  readonly namespace: string;
  readonly name: string;
}

/**
 * A cluster-scoped Kubernetes object an add-on creates whose name, and default-ness, the whole
 * cluster shares: two add-ons cannot both own `kind/name` (the second apply would overwrite the
 * first), and a cluster has at most one default class of a kind (Kubernetes docs, "Storage Classes"
 * / "Ingress": with several defaults the newest wins, so the choice depends on creation order).
 */
export interface ClusterObjectRef {
  /** e.g. `StorageClass`, `IngressClass`. */
  readonly kind: string;
  readonly name: string;
  /** Marked as the cluster's default of its kind. @default false */
  readonly isDefault?: boolean;
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
 * Part of an add-on deployed after other add-ons (see `PlatformAddOn.deferred`). PlatformStack
 * creates it once every add-on is deployed, in a scope of its own that depends on the add-on's
 * scope and on the scopes of `after`, so it is also deleted before them.
 */
export interface DeferredDeploy {
  /** Ids of the add-ons it needs; the plan requires them to be selected. */
  readonly after: readonly string[];
  /** Creates its constructs in `scope`, with the add-on's context. */
  deploy(scope: Construct, context: AddOnContext): void;
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
   * Cluster-scoped classes the add-on creates (StorageClass, IngressClass); the plan refuses two
   * add-ons owning one name and two defaults of one kind.
   * @default []
   */
  readonly clusterObjects?: readonly ClusterObjectRef[];
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
  /**
   * What the add-on gives workloads (IngressClasses, load balancer classes, DNS records). The plan
   * checks a workload against the add-ons that provide what it needs, and the workload depends on
   * their scopes.
   * @default - nothing
   */
  readonly provides?: ProvidedCapabilities;
  /**
   * The pods the add-on runs on managed node groups, for the plan's capacity check: where they can
   * land (node selector, tolerations) and what they request. An add-on that declares none is not
   * counted, and on node groups that all carry taints it waits for a capacity provider.
   * @default - not declared
   */
  podSets?(config: PlatformConfig): readonly PodSet[];
  /**
   * Makes the add-on a GitOps engine: with the configuration's `delivery` set to `gitops`, every
   * other add-on's charts are released through what this returns (e.g. an Argo CD Application
   * each), while the engine's own charts stay Helm releases. The plan requires one such add-on in
   * gitops, and its pods do not wait for a node autoscaler the engine itself installs.
   * @default - not a GitOps engine
   */
  gitopsDelivery?(request: GitOpsDeliveryRequest): ReleaseChart;
  /**
   * Adds nodes for pods that fit no managed node group (a node autoscaler with an untainted pool).
   * Add-ons whose pods fit no node group are deployed after it, so a Helm release never waits for
   * nodes nobody is adding yet.
   * @default false
   */
  readonly providesCapacity?: boolean;
  /**
   * Adds the problems of the add-on's options that only the environment's configuration reveals (an
   * ARN of another Region, a node group the add-on needs), or the other add-ons of the plan (what
   * one of them must offer), each under its `addons.<id>.<key>`. Called once by the plan, before
   * anything is built, with every add-on of the plan (this one included).
   * @default - nothing to check
   */
  checkConfiguration?(p: Problems, config: PlatformConfig, addons: readonly PlatformAddOn[]): void;
  /** Creates the add-on's constructs in `scope`. */
  deploy(scope: Construct, context: AddOnContext): void;
  /**
   * Constructs that need other add-ons running without the add-on depending on them as a whole
   * (`dependsOn`): custom resources of another add-on's CRDs, where that add-on is itself delivered
   * through this one (the GitOps engine's Applications depend on the engine).
   * @default - nothing deferred
   */
  readonly deferred?: DeferredDeploy;
  /**
   * Creates what the add-on gives one application team (e.g. a store in each team namespace) in
   * `scope`, a construct of that team which PlatformStack makes depend on the add-on's own scope
   * and on the team's namespaces. Called once per team, after `deploy`.
   * @default - nothing per team
   */
  deployTeam?(scope: Construct, context: AddOnContext, team: TeamConfig): void;
  /**
   * What the add-on costs beyond the resources of its templates (`npm run cost` prices those by
   * type): usage it causes at run time, each line with its price key and usage assumption.
   * Pure: the same context gives the same lines.
   * @default - nothing beyond its templates
   */
  costLines?(context: AddOnCostContext): readonly AddOnCost[];
  /**
   * What scripts/down.sh must do for this add-on that deleting PlatformStack does not (see
   * {@link AddOnTeardown}); published in PlatformStack's `Teardown` output.
   * @default - nothing beyond deleting the stack
   */
  teardown?(context: AddOnContext): AddOnTeardown;
}
