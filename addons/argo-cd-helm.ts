import * as eks from 'aws-cdk-lib/aws-eks-v2';
import type { Construct } from 'constructs';

import type { PlatformConfig, Problems } from '../lib/core/config';
import { argoCdBootstrapObject, IN_CLUSTER } from './argo-cd-bootstrap';
import type { ArgoCdDelivery } from './argo-cd-delivery';
import type { ArgoCdOptions } from './argo-cd-options';
import { ARGO_CD_ID } from './argo-cd-options';
import { checkRepositories } from './argo-cd-repository-checks';
import { repositoryExternalSecrets } from './argo-cd-repository-credentials';
import type { AddOnContext, DeferredDeploy, PlatformAddOn } from './core/addon';
import type { HelmChartSpec, HelmValues, Toleration } from './core/helm-addon';
import { HelmAddOn, mergeValues } from './core/helm-addon';
import { OPS_NODE_SELECTOR, selects, tolerationsFor } from './core/node-placement';
import type { PodRequests, PodSet } from './core/pod-sets';
import { podRequests } from './core/pod-sets';
import { ExternalSecretsAddOn } from './external-secrets';
import type { PlatformSecretStore } from './external-secrets-stores';
import { PLATFORM_STORE } from './external-secrets-stores';

/**
 * The tested chart. The release is named `argocd` because the chart names its objects
 * `<release>-<component>` unless the release name contains `argocd`: this keeps the documented
 * names (`argocd-server`, `argocd-repo-server`, ...).
 */
export const ARGO_CD_CHART: HelmChartSpec = {
  repository: 'https://argoproj.github.io/argo-helm',
  chart: 'argo-cd',
  version: '10.1.2',
  namespace: 'argocd',
  release: 'argocd',
};

/**
 * What each component requests, under its key in the chart's values: set here, since the chart
 * sets none (values.yaml `resources: {}` for every component at argo-cd 10.1.1).
 */
const REQUESTS = {
  controller: { cpu: '250m', memory: '512Mi' },
  server: { cpu: '50m', memory: '128Mi' },
  repoServer: { cpu: '100m', memory: '256Mi' },
  applicationSet: { cpu: '50m', memory: '64Mi' },
  notifications: { cpu: '25m', memory: '64Mi' },
  redis: { cpu: '50m', memory: '64Mi' },
} as const;

/** Replicas of the server, repo server and ApplicationSet controller with `ha`. */
const HA_REPLICAS = 2;
/**
 * Pods of the Redis HA subchart (redis-ha 4.38.0, the argo-cd chart's dependency): `replicas: 3`
 * Redis pods and `haproxy.replicas: 3`, every container without requests (`resources: {}`).
 */
const REDIS_HA_PODS = 3;

/** What the chart reads of the argo-cd options. */
export type SelfManagedArgoCdOptions = Pick<
  ArgoCdOptions,
  'version' | 'values' | 'nodeSelector' | 'tolerations' | 'ha' | 'bootstrap' | 'repositories'
>;

/**
 * Self-managed Argo CD: the Helm chart, whose UI and API stay inside the cluster
 * (`kubectl port-forward svc/argocd-server -n argocd 8080:443`), and the bootstrap object after it.
 */
export class SelfManagedArgoCd extends HelmAddOn<SelfManagedArgoCdOptions> implements ArgoCdDelivery {
  readonly id = ARGO_CD_ID;
  readonly computeModes = ['auto', 'nodegroups'] as const;
  readonly applicationNamespace: string;

  /** `options` are validated by the argo-cd schema. */
  constructor(options: SelfManagedArgoCdOptions) {
    super(ARGO_CD_CHART, options);
    this.applicationNamespace = this.chart.namespace;
  }

  /** Needs no AWS resources. */
  protected prerequisites(): undefined {
    return undefined;
  }

  /**
   * With delivery gitops on node groups Argo CD installs the node autoscaler itself, so it cannot
   * wait for the autoscaler's nodes: unless a nodeSelector is configured, its pods go to the ops
   * nodes and tolerate their taints, as the other controllers do.
   */
  private pinnedToOps(config: PlatformConfig): boolean {
    return config.delivery === 'gitops' && config.compute === 'nodegroups' && !this.options.nodeSelector;
  }

  /** Where its pods go: the ops nodes when pinned there, else the configured placement or none. */
  private placement(config: PlatformConfig): Pick<PodSet, 'nodeSelector' | 'tolerations'> {
    return this.pinnedToOps(config)
      ? { nodeSelector: OPS_NODE_SELECTOR, tolerations: tolerationsFor(config, OPS_NODE_SELECTOR) }
      : this.podPlacement(config, { nodeSelector: {}, tolerations: [] });
  }

  /**
   * Argo CD's running pods (dex is off; the redis-secret-init hook Job runs once, before them). The
   * chart's default node selector `kubernetes.io/os: linux` is left out: every node here runs Linux.
   */
  podSets(config: PlatformConfig): PodSet[] {
    const placement = this.placement(config);
    const source = `this add-on's values (chart ${this.chart.version})`;
    const set = (name: string, replicas: number, requests: PodRequests, from = source): PodSet => ({
      name: `argo-cd ${name}`,
      replicas,
      requests,
      ...placement,
      source: from,
    });
    const requests = (component: keyof typeof REQUESTS): PodRequests => podRequests(REQUESTS[component].cpu, REQUESTS[component].memory);
    const scaled = this.options.ha ? HA_REPLICAS : 1;
    const redisHa = 'the redis-ha 4.38.0 subchart (resources unset)';
    return [
      set('application controller', 1, requests('controller')),
      set('server', scaled, requests('server')),
      set('repo server', scaled, requests('repoServer')),
      set('ApplicationSet controller', scaled, requests('applicationSet')),
      set('notifications controller', 1, requests('notifications')),
      ...(this.options.ha
        ? [
            set('redis-ha server', REDIS_HA_PODS, podRequests('0', '0'), redisHa),
            set('redis-ha haproxy', REDIS_HA_PODS, podRequests('0', '0'), redisHa),
          ]
        : [set('redis', 1, requests('redis'))]),
    ];
  }

  /**
   * The repository credentials, synced by the external-secrets add-on: deferred, since with
   * delivery gitops that add-on's chart is itself an Application of this Argo CD.
   */
  get deferred(): DeferredDeploy | undefined {
    const repositories = this.options.repositories ?? [];
    if (!repositories.some((r) => r.secretArn !== undefined)) return undefined;
    return {
      after: [ExternalSecretsAddOn.ID],
      deploy: (scope, context) =>
        new eks.KubernetesManifest(scope, 'RepositoryCredentials', {
          cluster: context.cluster,
          manifest: repositoryExternalSecrets(repositories, this.applicationNamespace, PLATFORM_STORE),
          overwrite: true,
        }),
    };
  }

  checkConfiguration(p: Problems, config: PlatformConfig, addons: readonly PlatformAddOn[]): void {
    const store = (addons.find((a) => a.id === ExternalSecretsAddOn.ID) as { platformStore?: PlatformSecretStore } | undefined)
      ?.platformStore;
    checkRepositories(p, `addons.${ARGO_CD_ID}.repositories`, this.options.repositories ?? [], config, {
      kind: 'store',
      store,
      namespace: this.applicationNamespace,
    });
    if (this.pinnedToOps(config) && !config.nodeGroups.some((g) => selects(OPS_NODE_SELECTOR, g))) {
      p.missing(
        `addons.${ARGO_CD_ID}.nodeSelector`,
        'required with delivery gitops on node groups when no node group carries workload-type=ops: Argo CD installs the node autoscaler, so its own pods need a node group to start on',
      );
    }
  }

  protected chartValues(context: AddOnContext): HelmValues {
    // Configured placement is applied by HelmAddOn itself; only the pinning to ops is this add-on's.
    const { nodeSelector, tolerations } = this.placement(context.config);
    const placement = this.pinnedToOps(context.config) ? this.placementValues(nodeSelector, tolerations) : {};
    return mergeValues(this.ownValues(), placement);
  }

  private ownValues(): HelmValues {
    const values: HelmValues = {
      // Deleting the CRDs would delete every Application and ApplicationSet with them.
      crds: { install: true, keep: true },
      // Reached through kubectl port-forward (TLS to the server itself); expose it with your own Ingress if needed.
      server: { service: { type: 'ClusterIP' }, resources: { requests: { ...REQUESTS.server } } },
      controller: { resources: { requests: { ...REQUESTS.controller } } },
      repoServer: { resources: { requests: { ...REQUESTS.repoServer } } },
      applicationSet: { resources: { requests: { ...REQUESTS.applicationSet } } },
      notifications: { resources: { requests: { ...REQUESTS.notifications } } },
      redis: { resources: { requests: { ...REQUESTS.redis } } },
      // Dex only serves SSO connectors, which need configuration anyway; the admin account works without it.
      dex: { enabled: false },
    };
    if (!this.options.ha) {
      return values;
    }
    const twoReplicas = { replicas: HA_REPLICAS, pdb: { enabled: true, minAvailable: 1 } };
    return mergeValues(values, {
      'redis-ha': { enabled: true },
      // One application controller: more replicas shard clusters, they do not fail over.
      controller: { replicas: 1 },
      server: twoReplicas,
      repoServer: twoReplicas,
      applicationSet: twoReplicas,
    });
  }

  /** `global.*` reaches every Argo CD component and hook; the Redis HA subchart has its own keys. */
  protected placementValues(nodeSelector: Readonly<Record<string, string>>, tolerations: readonly Toleration[]): HelmValues {
    const placement = { nodeSelector, tolerations };
    const values: HelmValues = { global: placement };
    if (this.options.ha) {
      values['redis-ha'] = { ...placement, haproxy: placement };
    }
    return values;
  }

  protected afterChart(scope: Construct, context: AddOnContext, chart: Construct): void {
    const bootstrap = this.options.bootstrap;
    if (!bootstrap) return;
    const manifest = new eks.KubernetesManifest(scope, 'Bootstrap', {
      cluster: context.cluster,
      manifest: [argoCdBootstrapObject(bootstrap, IN_CLUSTER, this.applicationNamespace)],
      overwrite: true,
    });
    // The CRDs and the controllers come with the chart; deleting the bootstrap first lets Argo CD clean up.
    manifest.node.addDependency(chart);
  }
}
