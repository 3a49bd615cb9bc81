import { join } from 'node:path';

import type { z } from 'zod';

import type { PlatformConfig } from '../lib/core/config';
import { documented, integer, strictObject } from '../lib/core/config';
import type { HelmChartSpec, HelmValues } from './core/helm-addon';
import { HelmAddOn } from './core/helm-addon';
import type { EksAddonSpec } from './core/install-method';
import { INSTALLABLE_OPTIONS, refineInstallMethod } from './core/install-method';
import type { OptionsInput } from './core/options';
import { addOnOptions } from './core/options';
import type { PodSet } from './core/pod-sets';
import { podRequests } from './core/pod-sets';
import type { AddOnRegistration } from './core/registration';
import { registerAddOn } from './core/registration';

/** The tested chart. */
export const METRICS_SERVER_CHART: HelmChartSpec = {
  repository: 'https://kubernetes-sigs.github.io/metrics-server',
  chart: 'metrics-server',
  version: '3.13.1',
  namespace: 'kube-system',
  release: 'metrics-server',
};

/**
 * The EKS community add-on (EKS user guide, "Community add-ons", #kubernetes-metrics-server, read
 * 2026-12-01): add-on `metrics-server` in `kube-system`, no service account bound to IAM. The guide
 * publishes no version table per Kubernetes version (EKS answers `describe-addon-versions`), and the
 * chart declares no range either: none is enforced here.
 */
export const METRICS_SERVER_EKS_ADDON: EksAddonSpec = { addonName: 'metrics-server', namespace: 'kube-system' };

/** Options of {@link MetricsServerAddOn}, in configuration and in code. */
export const METRICS_SERVER_OPTIONS = strictObject(
  {
    ...INSTALLABLE_OPTIONS,
    replicas: documented(integer(1, 10), {
      description: 'Replicas; two keep `kubectl top` and the HPA working through a node drain.',
    }).default(2),
  },
  'an object of metrics-server options',
).superRefine(refineInstallMethod(METRICS_SERVER_EKS_ADDON.addonName));

/** Props for {@link MetricsServerAddOn}. */
export type MetricsServerAddOnProps = OptionsInput<typeof METRICS_SERVER_OPTIONS>;

const REQUESTS = { cpu: '100m', memory: '200Mi' } as const;

/** Resource metrics for `kubectl top`, the Horizontal Pod Autoscaler and the VPA. */
export class MetricsServerAddOn extends HelmAddOn<z.output<typeof METRICS_SERVER_OPTIONS>> {
  static readonly ID = 'metrics-server';
  static readonly registration: AddOnRegistration = registerAddOn({
    id: MetricsServerAddOn.ID,
    summary: 'metrics-server (kubectl top, HPA)',
    options: METRICS_SERVER_OPTIONS,
    create: (props) => new MetricsServerAddOn(props),
    docs: { prose: join(__dirname, 'metrics-server.md') },
  });

  readonly id = MetricsServerAddOn.ID;
  readonly computeModes = ['auto', 'nodegroups'] as const;

  constructor(props: MetricsServerAddOnProps = {}) {
    super(METRICS_SERVER_CHART, addOnOptions(MetricsServerAddOn.ID, METRICS_SERVER_OPTIONS, props), METRICS_SERVER_EKS_ADDON);
  }

  /** The server's replicas; the chart sets no tolerations (values.yaml `tolerations: []`). */
  podSets(config: PlatformConfig): PodSet[] {
    return [
      {
        name: 'metrics-server',
        replicas: this.options.replicas,
        requests: podRequests(REQUESTS.cpu, REQUESTS.memory),
        ...this.podPlacement(config, { nodeSelector: {}, tolerations: [] }),
        source: `this add-on's values (chart ${this.chart.version})`,
      },
    ];
  }

  /** Needs no AWS resources. */
  protected prerequisites(): undefined {
    return undefined;
  }

  protected chartValues(): HelmValues {
    const replicas = this.options.replicas;
    return {
      replicas,
      podDisruptionBudget: { enabled: replicas > 1, minAvailable: 1 },
      resources: { requests: { ...REQUESTS } },
    };
  }
}
