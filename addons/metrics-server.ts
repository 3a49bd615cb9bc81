import type { Construct } from 'constructs';
import type { Problems } from '../lib/config/problems';
import type { AddOnContext } from './core/addon';
import { HelmAddOn } from './core/helm-addon';
import type { HelmAddOnProps, HelmChartSpec, HelmValues } from './core/helm-addon';
import { checkOptionKeys, HELM_OPTION_KEYS, readHelmOptions } from './core/options';

/** The tested chart. */
export const METRICS_SERVER_CHART: HelmChartSpec = {
  repository: 'https://kubernetes-sigs.github.io/metrics-server',
  chart: 'metrics-server',
  version: '3.13.1',
  namespace: 'kube-system',
  release: 'metrics-server',
};

/** Props for {@link MetricsServerAddOn}. */
export interface MetricsServerAddOnProps extends HelmAddOnProps {
  /**
   * Replicas; two keep `kubectl top` and the HPA working through a node drain.
   * @default 2
   */
  readonly replicas?: number;
}

/** Resource metrics for `kubectl top`, the Horizontal Pod Autoscaler and the VPA. */
export class MetricsServerAddOn extends HelmAddOn {
  static readonly ID = 'metrics-server';
  readonly id = MetricsServerAddOn.ID;
  readonly computeModes = ['auto', 'nodegroups'] as const;

  static fromOptions(p: Problems, key: string, options: Readonly<Record<string, unknown>>): MetricsServerAddOn {
    checkOptionKeys(p, key, options, [...HELM_OPTION_KEYS, 'replicas']);
    const replicas = options.replicas;
    if (replicas !== undefined && !(Number.isInteger(replicas) && (replicas as number) >= 1 && (replicas as number) <= 10)) {
      p.add(`${key}.replicas`, replicas, 'an integer from 1 to 10');
    }
    return new MetricsServerAddOn({ ...readHelmOptions(p, key, options), replicas: replicas as number | undefined });
  }

  constructor(private readonly options: MetricsServerAddOnProps = {}) {
    super(METRICS_SERVER_CHART, options);
  }

  protected chartValues(_scope: Construct, _context: AddOnContext): HelmValues {
    const replicas = this.options.replicas ?? 2;
    return {
      replicas,
      podDisruptionBudget: { enabled: replicas > 1, minAvailable: 1 },
      resources: { requests: { cpu: '100m', memory: '200Mi' } },
    };
  }
}
