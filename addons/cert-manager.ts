import { join } from 'node:path';

import type { z } from 'zod';

import { documented, integer, strictObject } from '../lib/core/config';
import type { HelmChartSpec, HelmValues, Toleration } from './core/helm-addon';
import { HelmAddOn } from './core/helm-addon';
import type { EksAddonSpec } from './core/install-method';
import { INSTALLABLE_OPTIONS, refineInstallMethod } from './core/install-method';
import type { OptionsInput } from './core/options';
import { addOnOptions } from './core/options';
import type { AddOnRegistration } from './core/registration';
import { registerAddOn } from './core/registration';

/** The tested chart. */
export const CERT_MANAGER_CHART: HelmChartSpec = {
  repository: 'https://charts.jetstack.io',
  chart: 'cert-manager',
  version: 'v1.21.1',
  namespace: 'cert-manager',
  release: 'cert-manager',
  // cert-manager's supported releases page (cert-manager/website content/docs/releases/README.md,
  // read 2026-12-07): 1.21 supports and is tested on Kubernetes 1.33 to 1.36; no release lists 1.37
  // yet (1.22 is announced for about November 2026). The values below were checked against the
  // chart's values.yaml and values.schema.json at tag v1.21.1: the schema refuses unknown keys.
  kubernetesVersions: { min: '1.33', max: '1.36', source: "cert-manager's supported releases (v1.21)" },
};

/**
 * The EKS community add-on (EKS user guide, "Community add-ons", #addon-cert-manager, read
 * 2026-12-01): add-on `cert-manager` in `cert-manager`, no service account bound to IAM. EKS picks
 * the cert-manager release it ships, and the guide publishes no version per Kubernetes version:
 * no document we could read names a build for 1.36. So this range keeps the bounds of
 * cert-manager 1.20 (the chart path's former pin) instead of following the chart to 1.36. Check
 * `aws eks describe-addon-versions --addon-name cert-manager --kubernetes-version 1.36` and widen
 * the range here, with the source, when a build is published.
 */
export const CERT_MANAGER_EKS_ADDON: EksAddonSpec = {
  addonName: 'cert-manager',
  namespace: 'cert-manager',
  kubernetesVersions: {
    min: '1.32',
    max: '1.35',
    source:
      "cert-manager's supported releases (v1.20); the EKS community add-ons page documents no cert-manager build for a newer Kubernetes version",
  },
};

const MAX_REPLICAS = 5;

/** Options of {@link CertManagerAddOn}, in configuration and in code. */
export const CERT_MANAGER_OPTIONS = strictObject(
  {
    ...INSTALLABLE_OPTIONS,
    replicas: documented(integer(1, MAX_REPLICAS), {
      description:
        'Replicas of the controller and of the webhook; with two, a node drain neither stops renewals nor makes the API server reject cert-manager objects.',
    }).default(2),
  },
  'an object of cert-manager options',
).superRefine(refineInstallMethod(CERT_MANAGER_EKS_ADDON.addonName));

/** Props for {@link CertManagerAddOn}. */
export type CertManagerAddOnProps = OptionsInput<typeof CERT_MANAGER_OPTIONS>;

/**
 * cert-manager: X.509 certificates as Kubernetes objects (Issuer, ClusterIssuer, Certificate),
 * with its CRDs installed by the chart. Needs no AWS permissions; a Route 53 DNS01 solver would
 * need its own Pod Identity and is not configured here.
 */
export class CertManagerAddOn extends HelmAddOn<z.output<typeof CERT_MANAGER_OPTIONS>> {
  static readonly ID = 'cert-manager';
  static readonly registration: AddOnRegistration = registerAddOn({
    id: CertManagerAddOn.ID,
    summary: 'cert-manager (X.509 certificates as Kubernetes objects, CRDs included)',
    options: CERT_MANAGER_OPTIONS,
    create: (props) => new CertManagerAddOn(props),
    docs: { prose: join(__dirname, 'cert-manager.md') },
  });
  readonly id = CertManagerAddOn.ID;
  readonly computeModes = ['auto', 'nodegroups'] as const;

  constructor(props: CertManagerAddOnProps = {}) {
    super(CERT_MANAGER_CHART, addOnOptions(CertManagerAddOn.ID, CERT_MANAGER_OPTIONS, props), CERT_MANAGER_EKS_ADDON);
  }

  /** Needs no AWS resources. */
  protected prerequisites(): undefined {
    return undefined;
  }

  protected chartValues(): HelmValues {
    const replicas = this.options.replicas;
    const disruptionBudget = { enabled: replicas > 1, minAvailable: 1 };
    return {
      // crds.* since v1.15 (installCRDs is still in values.yaml at v1.21.1, marked deprecated);
      // keep the CRDs on uninstall, since deleting them garbage-collects every Certificate and
      // Issuer in the cluster.
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

  /**
   * The chart's `crds.*` switches stay out of the EKS add-on's configuration: the add-on's own
   * default decides how it ships its CRDs (its configuration schema was not readable here; see
   * `aws eks describe-addon-configuration --addon-name cert-manager`).
   */
  protected addonValues(values: HelmValues): HelmValues {
    return Object.fromEntries(Object.entries(values).filter(([key]) => key !== 'crds'));
  }

  /** Each of the chart's four workloads has its own placement keys; none inherits the others'. */
  protected placementValues(nodeSelector: Readonly<Record<string, string>>, tolerations: readonly Toleration[]): HelmValues {
    const placement = { nodeSelector, tolerations };
    return { ...placement, webhook: placement, cainjector: placement, startupapicheck: placement };
  }
}
