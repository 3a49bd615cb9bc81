import type { PodSet } from '../../../addons/core/pod-sets';
import { TOLERATE_CRITICAL_ADDONS_ONLY, TOLERATE_EVERYTHING } from '../../../addons/core/pod-sets';

/*
 * The pods of the core EKS managed add-ons InfraStack installs on node groups
 * (lib/stacks/infra/managed-node-groups.ts), with their default configuration:
 * - vpc-cni: the aws-node DaemonSet requests 25m CPU (aws/amazon-vpc-cni-k8s
 *   charts/aws-vpc-cni/values.yaml `resources.requests.cpu`, the network policy agent and init
 *   container request nothing) and tolerates every taint (`tolerations: [{operator: Exists}]`).
 * - kube-proxy: the EKS DaemonSet requests 100m CPU and tolerates every taint (EKS user guide,
 *   managing-kube-proxy; the add-on's manifest).
 * - eks-pod-identity-agent: requests nothing (aws/eks-pod-identity-agent
 *   charts/eks-pod-identity-agent/values.yaml `resources: {}`), tolerates every taint.
 * - coredns: two replicas of 100m/70Mi that tolerate `CriticalAddonsOnly` (the EKS add-on's
 *   Deployment; the EKS user guide on Auto Mode's built-in node pools: "Many EKS addons, such as
 *   CoreDNS, tolerate this taint").
 */

const EKS_ADDON = (name: string): string => `the ${name} EKS add-on's default configuration`;

/** The core managed add-ons' pods on managed node groups. */
export const SYSTEM_POD_SETS: readonly PodSet[] = [
  {
    name: 'coredns',
    replicas: 2,
    requests: { cpuMillicores: 100, memoryMiB: 70 },
    nodeSelector: {},
    tolerations: TOLERATE_CRITICAL_ADDONS_ONLY,
    source: EKS_ADDON('coredns'),
  },
  {
    name: 'aws-node (vpc-cni)',
    replicas: 'per-node',
    requests: { cpuMillicores: 25, memoryMiB: 0 },
    nodeSelector: {},
    tolerations: TOLERATE_EVERYTHING,
    source: EKS_ADDON('vpc-cni'),
  },
  {
    name: 'kube-proxy',
    replicas: 'per-node',
    requests: { cpuMillicores: 100, memoryMiB: 0 },
    nodeSelector: {},
    tolerations: TOLERATE_EVERYTHING,
    source: EKS_ADDON('kube-proxy'),
  },
  {
    name: 'eks-pod-identity-agent',
    replicas: 'per-node',
    requests: { cpuMillicores: 0, memoryMiB: 0 },
    nodeSelector: {},
    tolerations: TOLERATE_EVERYTHING,
    source: EKS_ADDON('eks-pod-identity-agent'),
  },
];
