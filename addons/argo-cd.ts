import { join } from 'node:path';

import { CfnOutput, Stack } from 'aws-cdk-lib';
import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import type { Construct } from 'constructs';

import type { ComputeMode, PlatformConfig, Problems, TeamConfig } from '../lib/core/config';
import type { KubernetesObject } from '../lib/core/kubernetes-object';
import { PLATFORM_LABELS } from '../lib/core/kubernetes-object';
import type { ArgoCdBootstrapOptions } from './argo-cd-bootstrap';
import { argoCdBootstrapObject, IN_CLUSTER } from './argo-cd-bootstrap';
import type { ArgoCdDelivery } from './argo-cd-delivery';
import { argoCdDelivery } from './argo-cd-gitops-delivery';
import { SelfManagedArgoCd } from './argo-cd-helm';
import { ManagedArgoCd } from './argo-cd-managed';
import type { ArgoCdAddOnProps, ArgoCdOptions } from './argo-cd-options';
import { ARGO_CD_ID, ARGO_CD_OPTIONS, argoCdOptions } from './argo-cd-options';
import type {
  AddOnContext,
  ClusterObjectRef,
  DeferredDeploy,
  KubernetesVersionRange,
  PlatformAddOn,
  ServiceAccountRef,
} from './core/addon';
import type { GitOpsDeliveryRequest, ReleaseChart } from './core/chart-release';
import type { AddOnCost, AddOnCostContext } from './core/cost';
import { facetsOf } from './core/facets';
import type { HelmChartSpec } from './core/helm-addon';
import type { PodSet } from './core/pod-sets';
import type { ProvidedCapabilities } from './core/provides';
import type { AddOnRegistration } from './core/registration';
import { registerAddOn } from './core/registration';
import type { AddOnTeardown } from './core/teardown';

// Names this file exported before the deliveries got files of their own: imports of them keep working.
export { ARGO_CD_BOOTSTRAP_KINDS } from './argo-cd-bootstrap';
export type { ArgoCdBootstrap, ArgoCdBootstrapKind } from './argo-cd-bootstrap';
export { ARGO_CD_CHART } from './argo-cd-helm';
export { ARGO_CD_OPTIONS } from './argo-cd-options';
export type { ArgoCdAddOnProps } from './argo-cd-options';

/**
 * Argo CD (GitOps continuous delivery), optionally bootstrapped from a Git repository with an
 * app-of-apps Application or an ApplicationSet. Self-managed (default): the Helm chart
 * ({@link SelfManagedArgoCd}). `managed: true`: the EKS Capability for Argo CD ({@link ManagedArgoCd}),
 * which EKS runs off the nodes, with its UI behind IAM Identity Center.
 *
 * The add-on is the choice between the two: every facet the platform reads is the chosen delivery's.
 */
export class ArgoCdAddOn implements PlatformAddOn {
  static readonly ID = ARGO_CD_ID;
  static readonly registration: AddOnRegistration = registerAddOn({
    id: ArgoCdAddOn.ID,
    summary: 'Argo CD (GitOps), optionally bootstrapped from a Git repository (app-of-apps or ApplicationSet)',
    options: ARGO_CD_OPTIONS,
    create: (props) => new ArgoCdAddOn(props),
    docs: { prose: join(__dirname, 'argo-cd.md') },
  });
  readonly id = ArgoCdAddOn.ID;
  /** Whether this is the EKS Capability rather than the Helm chart. */
  readonly managed: boolean;
  /** The chart the self-managed delivery installs, which the generated page names; none when managed. */
  readonly chart?: HelmChartSpec;
  private readonly options: ArgoCdOptions;
  private readonly delivery: ArgoCdDelivery;

  // The chosen delivery's, copied by facetsOf in the constructor: whatever it declares, the add-on declares.
  declare readonly computeModes: readonly ComputeMode[];
  declare readonly namespaces: readonly string[];
  declare readonly kubernetesVersions?: KubernetesVersionRange;
  declare readonly serviceAccounts?: readonly ServiceAccountRef[];
  declare readonly clusterObjects?: readonly ClusterObjectRef[];
  declare readonly autoModeBuiltIn?: string;
  declare readonly dependsOn?: readonly string[];
  declare readonly conflictsWith?: readonly string[];
  declare readonly provides?: ProvidedCapabilities;
  declare readonly providesCapacity?: boolean;
  declare readonly podSets?: (config: PlatformConfig) => readonly PodSet[];
  declare readonly checkConfiguration?: (p: Problems, config: PlatformConfig, addons: readonly PlatformAddOn[]) => void;
  declare readonly deferred?: DeferredDeploy;
  declare readonly deployTeam?: (scope: Construct, context: AddOnContext, team: TeamConfig) => void;
  declare readonly costLines?: (context: AddOnCostContext) => readonly AddOnCost[];
  declare readonly teardown?: (context: AddOnContext) => AddOnTeardown;

  constructor(props: ArgoCdAddOnProps = {}) {
    this.options = argoCdOptions(props);
    this.managed = this.options.managed;
    this.delivery = this.managed ? new ManagedArgoCd(this.options) : new SelfManagedArgoCd(this.options);
    this.chart = this.delivery.chart;
    Object.assign(this, facetsOf(this.delivery));
  }

  deploy(scope: Construct, context: AddOnContext): void {
    this.delivery.deploy(scope, context);
    if (context.config.delivery === 'gitops') publishGitOps(Stack.of(scope), this.applicationNamespace, this.options.bootstrap);
  }

  /** The namespace Argo CD watches for Applications. */
  get applicationNamespace(): string {
    return this.delivery.applicationNamespace;
  }

  /**
   * The cluster as this Argo CD names it in a destination: the chart's runs inside it; the
   * capability knows clusters by ARN (`kubernetes.default.svc` is not supported there).
   */
  applicationServer(cluster: eks.ICluster): string {
    return this.managed ? cluster.clusterArn : IN_CLUSTER;
  }

  /** The GitOps engine of `delivery: gitops`: another add-on's charts become Applications of this Argo CD. */
  gitopsDelivery(request: GitOpsDeliveryRequest): ReleaseChart {
    return argoCdDelivery({
      cluster: request.cluster,
      addonId: request.addonId,
      level: request.level,
      namespace: this.applicationNamespace,
      server: this.applicationServer(request.cluster),
      argoCd: request.engineScope,
    });
  }

  /**
   * The bootstrap Application or ApplicationSet, if a bootstrap repository is configured, deploying
   * to `server` (the managed capability names clusters by ARN) from `namespace`.
   */
  bootstrapObject(server = IN_CLUSTER, namespace = this.delivery.applicationNamespace): KubernetesObject | undefined {
    const bootstrap = this.options.bootstrap;
    return bootstrap ? argoCdBootstrapObject(bootstrap, server, namespace) : undefined;
  }
}

/** The output the workshop scripts read in a gitops environment (scripts/lib/gitops.sh). */
export const GITOPS_OUTPUT = 'GitOps';

/**
 * What the scripts need to find the environment's Applications without naming an add-on: the
 * resource, the namespace Argo CD watches (as this environment configures it) and the exact labels
 * every chart Application carries; with a bootstrap, its kind and exact name (in that namespace),
 * which scripts/down.sh deletes before the add-ons' Applications: what it deploys needs their
 * controllers to delete its load balancers and volumes. Published only with delivery gitops: helm
 * templates are unchanged.
 */
function publishGitOps(stack: Stack, namespace: string, bootstrap?: Pick<ArgoCdBootstrapOptions, 'kind' | 'name'>): void {
  const value = {
    resource: 'applications.argoproj.io',
    namespace,
    labels: PLATFORM_LABELS,
    ...(bootstrap ? { bootstrap: { kind: bootstrap.kind, name: bootstrap.name } } : {}),
  };
  new CfnOutput(stack, GITOPS_OUTPUT, {
    value: JSON.stringify(value),
    description: 'Where scripts/up.sh, verify.sh and down.sh find the Argo CD Applications of the add-ons',
  });
}
