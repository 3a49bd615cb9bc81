import { KubectlV33Layer } from '@aws-cdk/lambda-layer-kubectl-v33';
import { KubectlV34Layer } from '@aws-cdk/lambda-layer-kubectl-v34';
import { KubectlV35Layer } from '@aws-cdk/lambda-layer-kubectl-v35';
import type { ILayerVersion } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';

/** EKS managed add-ons whose versions we pin per Kubernetes version. */
export type ManagedAddonName =
  | 'vpc-cni'
  | 'coredns'
  | 'kube-proxy'
  | 'eks-pod-identity-agent'
  | 'aws-ebs-csi-driver';

/** What the app needs to know about one supported Kubernetes minor version. */
export interface KubernetesVersionInfo {
  /** Last day of EKS standard support (extended support costs extra after it). */
  readonly standardSupportEnds: string;
  /** The kubectl layer of the same minor version: kubectl supports only +-1 minor of skew. */
  readonly kubectlLayer: (scope: Construct, id: string) => ILayerVersion;
  /** Pinned EKS managed add-on versions validated by AWS for this Kubernetes version. */
  readonly managedAddons: Readonly<Record<ManagedAddonName, string>>;
}

/**
 * The Kubernetes versions this app deploys. A version is listed only when EKS supports it and a
 * kubectl layer of the same minor exists; adding one means adding its layer package and add-on pins.
 */
export const KUBERNETES_VERSIONS: Readonly<Record<string, KubernetesVersionInfo>> = {
  '1.33': {
    standardSupportEnds: '2026-07-29',
    kubectlLayer: (scope, id) => new KubectlV33Layer(scope, id),
    managedAddons: {
      'vpc-cni': 'v1.20.4-eksbuild.2',
      coredns: 'v1.12.1-eksbuild.2',
      'kube-proxy': 'v1.33.3-eksbuild.4',
      'eks-pod-identity-agent': 'v1.3.10-eksbuild.2',
      'aws-ebs-csi-driver': 'v1.56.0-eksbuild.1',
    },
  },
  '1.34': {
    standardSupportEnds: '2026-12-02',
    kubectlLayer: (scope, id) => new KubectlV34Layer(scope, id),
    managedAddons: {
      'vpc-cni': 'v1.20.4-eksbuild.2',
      coredns: 'v1.12.3-eksbuild.1',
      'kube-proxy': 'v1.34.0-eksbuild.2',
      'eks-pod-identity-agent': 'v1.3.10-eksbuild.2',
      'aws-ebs-csi-driver': 'v1.56.0-eksbuild.1',
    },
  },
  '1.35': {
    standardSupportEnds: '2027-03-27',
    kubectlLayer: (scope, id) => new KubectlV35Layer(scope, id),
    managedAddons: {
      'vpc-cni': 'v1.21.1-eksbuild.1',
      coredns: 'v1.13.2-eksbuild.3',
      'kube-proxy': 'v1.35.0-eksbuild.2',
      'eks-pod-identity-agent': 'v1.3.10-eksbuild.2',
      'aws-ebs-csi-driver': 'v1.57.1-eksbuild.1',
    },
  },
};

export const SUPPORTED_KUBERNETES_VERSIONS = Object.keys(KUBERNETES_VERSIONS);

/** The entry for a version that validation has already accepted. */
export function kubernetesVersionInfo(version: string): KubernetesVersionInfo {
  const info = KUBERNETES_VERSIONS[version];
  if (!info) {
    throw new Error(
      `kubernetesVersion: got "${version}"; allowed: ${SUPPORTED_KUBERNETES_VERSIONS.join(', ')}`,
    );
  }
  return info;
}
