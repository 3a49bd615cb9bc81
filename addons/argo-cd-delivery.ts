import type { PlatformAddOn } from './core/addon';
import type { HelmChartSpec } from './core/helm-addon';

/**
 * One way of running Argo CD on the cluster: the Helm chart (argo-cd-helm.ts) or the EKS Capability
 * (argo-cd-managed.ts). Each is a whole add-on on its own; the argo-cd add-on picks one from its
 * options and takes every facet from it.
 */
export interface ArgoCdDelivery extends PlatformAddOn {
  /**
   * The chart it installs, which the add-on's generated page names.
   * @default - no chart
   */
  readonly chart?: HelmChartSpec;
  /** The namespace Argo CD watches for Applications: where the bootstrap object goes. */
  readonly applicationNamespace: string;
}
