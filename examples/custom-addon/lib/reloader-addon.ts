import type { AddOnRegistration, HelmChartSpec, HelmValues, OptionsInput, PlatformConfig, PodSet, Toleration } from 'cdk-eks-platform';
import { addOnOptions, documented, flag, HELM_OPTIONS, HelmAddOn, podRequests, registerAddOn, strictObject } from 'cdk-eks-platform';

/*
 * Stakater Reloader: restarts a Deployment, StatefulSet or DaemonSet when a ConfigMap or Secret it
 * uses changes, e.g. when the external-secrets add-on syncs a rotated secret. Every value below is
 * one the pinned chart reads: stakater/Reloader at tag chart-v2.2.16,
 * deployments/kubernetes/chart/reloader/ (values.yaml, templates/deployment.yaml).
 *
 * It is the example's Helm add-on: written once against `HelmAddOn`, it is a HelmChart with
 * `delivery: helm` and an Argo CD Application with `delivery: gitops`, without a line about either.
 */

/** The tested chart. */
export const RELOADER_CHART: HelmChartSpec = {
  repository: 'https://stakater.github.io/stakater-charts',
  chart: 'reloader',
  version: '2.2.16',
  namespace: 'reloader',
  release: 'reloader',
};

/** Options of {@link ReloaderAddOn}, in cdk.json (`"addons": {"reloader": {...}}`) and in code. */
export const RELOADER_OPTIONS = strictObject(
  {
    // version, values, nodeSelector and tolerations, as every first-party Helm add-on takes them.
    ...HELM_OPTIONS,
    autoReloadAll: documented(flag(), {
      description:
        'Restart every workload when a ConfigMap or Secret it uses changes; otherwise only workloads annotated `reloader.stakater.com/auto: "true"` (or naming the object) are restarted.',
    }).default(false),
  },
  'an object {version?, values?, nodeSelector?, tolerations?, autoReloadAll?}',
);

/** The options as code passes them: any key with a default may be left out. */
export type ReloaderAddOnProps = OptionsInput<typeof RELOADER_OPTIONS>;
/** The options as the schema returns them, defaults applied. */
export type ReloaderOptions = ReturnType<typeof addOnOptions<typeof RELOADER_OPTIONS>>;

// The example compiles without Node.js's type declarations (tsconfig `types: []`).
declare const __dirname: string;

/**
 * What the controller requests: the figures of the chart's own resources example (values.yaml,
 * `reloader.deployment.resources`); the chart sets none by default, and the plan needs some.
 */
const REQUESTS = { cpu: '10m', memory: '128Mi' } as const;
const MEMORY_LIMIT = '512Mi';

/** Rolling restarts of workloads whose ConfigMaps or Secrets change. */
export class ReloaderAddOn extends HelmAddOn<ReloaderOptions> {
  static readonly ID = 'reloader';
  static readonly registration: AddOnRegistration = registerAddOn({
    id: ReloaderAddOn.ID,
    summary: 'Stakater Reloader (rolling restarts when a ConfigMap or Secret changes)',
    options: RELOADER_OPTIONS,
    create: (props) => new ReloaderAddOn(props),
    docs: { prose: `${__dirname}/reloader.md` },
  });

  readonly id = ReloaderAddOn.ID;
  readonly computeModes = ['auto', 'nodegroups'] as const;

  constructor(props: ReloaderAddOnProps = {}) {
    super(RELOADER_CHART, addOnOptions(ReloaderAddOn.ID, RELOADER_OPTIONS, props));
  }

  /** One controller pod (the chart's `reloader.deployment.replicas`, without leader election). */
  podSets(config: PlatformConfig): PodSet[] {
    return [
      {
        name: 'reloader',
        replicas: 1,
        requests: podRequests(REQUESTS.cpu, REQUESTS.memory),
        ...this.podPlacement(config, { nodeSelector: {}, tolerations: [] }),
        source: `the reloader add-on's values (chart ${this.chart.version})`,
      },
    ];
  }

  /** Needs no AWS resources: it only watches and patches Kubernetes objects. */
  protected prerequisites(): undefined {
    return undefined;
  }

  protected chartValues(): HelmValues {
    return {
      reloader: {
        autoReloadAll: this.options.autoReloadAll,
        // The chart then mounts an emptyDir at /tmp and sets readOnlyRootFilesystem on the container.
        readOnlyRootFileSystem: true,
        deployment: {
          containerSecurityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          resources: { requests: { ...REQUESTS }, limits: { memory: MEMORY_LIMIT } },
        },
      },
    };
  }

  /** The chart reads its pod placement under `reloader.deployment`, not at the top level. */
  protected placementValues(nodeSelector: Readonly<Record<string, string>>, tolerations: readonly Toleration[]): HelmValues {
    return { reloader: { deployment: { nodeSelector, tolerations } } };
  }
}
