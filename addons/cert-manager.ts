import type { Construct } from 'constructs';
import type { Problems } from '../lib/config/problems';
import type { AddOnContext } from './core/addon';
import { HelmAddOn } from './core/helm-addon';
import type { HelmAddOnProps, HelmChartSpec, HelmValues } from './core/helm-addon';
import type { Toleration } from './core/kubernetes-object';
import { checkOptionKeys, HELM_OPTION_KEYS, readHelmOptions } from './core/options';

/** The tested chart. */
export const CERT_MANAGER_CHART: HelmChartSpec = {
  repository: 'https://charts.jetstack.io',
  chart: 'cert-manager',
  version: 'v1.20.3',
  namespace: 'cert-manager',
  release: 'cert-manager',
};

/** Props for {@link CertManagerAddOn}. */
export interface CertManagerAddOnProps extends HelmAddOnProps {
  /**
   * Replicas of the controller and of the webhook. With two, a node drain neither stops renewals
   * nor makes the API server reject cert-manager objects (the webhook validates every one of them).
   * @default 2
   */
  readonly replicas?: number;
}

const MAX_REPLICAS = 5;

/**
 * cert-manager: X.509 certificates as Kubernetes objects (Issuer, ClusterIssuer, Certificate),
 * with its CRDs installed by the chart. Needs no AWS permissions; a Route 53 DNS01 solver would
 * need its own Pod Identity and is not configured here.
 */
export class CertManagerAddOn extends HelmAddOn {
  static readonly ID = 'cert-manager';
  readonly id = CertManagerAddOn.ID;
  readonly computeModes = ['auto', 'nodegroups'] as const;

  static fromOptions(p: Problems, key: string, options: Readonly<Record<string, unknown>>): CertManagerAddOn {
    checkOptionKeys(p, key, options, [...HELM_OPTION_KEYS, 'replicas']);
    let replicas: number | undefined;
    if (options.replicas !== undefined) {
      if (validReplicas(options.replicas)) {
        replicas = options.replicas;
      } else {
        p.add(`${key}.replicas`, options.replicas, `an integer from 1 to ${MAX_REPLICAS}`);
      }
    }
    return new CertManagerAddOn({ ...readHelmOptions(p, key, options), replicas });
  }

  constructor(private readonly options: CertManagerAddOnProps = {}) {
    super(CERT_MANAGER_CHART, options);
    if (options.replicas !== undefined && !validReplicas(options.replicas)) {
      throw new Error(`cert-manager: replicas must be an integer from 1 to ${MAX_REPLICAS}, got ${options.replicas}`);
    }
  }

  protected chartValues(_scope: Construct, _context: AddOnContext): HelmValues {
    const replicas = this.options.replicas ?? 2;
    const disruptionBudget = { enabled: replicas > 1, minAvailable: 1 };
    return {
      // v1.15+ replaced installCRDs with crds.*; keep the CRDs on uninstall, since deleting them
      // garbage-collects every Certificate and Issuer in the cluster.
      crds: { enabled: true, keep: true },
      replicaCount: replicas,
      podDisruptionBudget: disruptionBudget,
      resources: { requests: { cpu: '50m', memory: '128Mi' } },
      webhook: {
        replicaCount: replicas,
        podDisruptionBudget: disruptionBudget,
        resources: { requests: { cpu: '25m', memory: '64Mi' } },
      },
      // One replica: it only refreshes CA bundles, and a short gap delays nothing that is running.
      cainjector: {
        replicaCount: 1,
        resources: { requests: { cpu: '25m', memory: '128Mi' } },
      },
      startupapicheck: {
        resources: { requests: { cpu: '10m', memory: '32Mi' } },
      },
    };
  }

  /** Each of the chart's four workloads has its own placement keys; none inherits the others'. */
  protected placementValues(nodeSelector: Readonly<Record<string, string>>, tolerations: readonly Toleration[]): HelmValues {
    const placement = { nodeSelector, tolerations };
    return { ...placement, webhook: placement, cainjector: placement, startupapicheck: placement };
  }
}

function validReplicas(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_REPLICAS;
}
