import type { z } from 'zod';

import type { tolerationSchema } from './options';

/** A Kubernetes toleration, as pod specs and Helm charts take them. */
export type PodToleration = z.output<typeof tolerationSchema>;

/** What one pod requests, as the scheduler counts it (the sum of its containers' requests). */
export interface PodRequests {
  /** CPU in millicores. */
  readonly cpuMillicores: number;
  /** Memory in MiB. */
  readonly memoryMiB: number;
}

/**
 * Pods an add-on runs, as the scheduler sees them: enough for the plan to tell on which node
 * groups they can land and whether they fit there. An add-on declares them for the values it sets
 * (or the chart's defaults at its pinned version), with where the numbers come from.
 */
export interface PodSet {
  /** What runs, for messages (e.g. "karpenter controller"). */
  readonly name: string;
  /** Pods of a Deployment; `per-node` for a DaemonSet (one on every node it can land on). */
  readonly replicas: number | 'per-node';
  readonly requests: PodRequests;
  /** The pods' node selector; `{}` for none. */
  readonly nodeSelector: Readonly<Record<string, string>>;
  /** The pods' tolerations. */
  readonly tolerations: readonly PodToleration[];
  /** Where the requests, replicas and tolerations are read from (chart and version, or this add-on's values). */
  readonly source: string;
}

/** Tolerates every taint (DaemonSets of node agents: aws-node, kube-proxy, the CSI node plugins). */
export const TOLERATE_EVERYTHING: readonly PodToleration[] = [{ operator: 'Exists' }];

/** `CriticalAddonsOnly` of any value and effect, as the EKS CoreDNS add-on and several charts tolerate it. */
export const TOLERATE_CRITICAL_ADDONS_ONLY: readonly PodToleration[] = [{ key: 'CriticalAddonsOnly', operator: 'Exists' }];

const CPU = /^(\d+(?:\.\d+)?)(m?)$/;
const MEMORY = /^(\d+(?:\.\d+)?)(Mi|Gi|Ki)?$/;

/**
 * Requests from Kubernetes quantities as add-ons write them in chart values (`250m`, `1`,
 * `512Mi`, `1Gi`), so the values and the declared requests share one constant.
 */
export function podRequests(cpu: string, memory: string): PodRequests {
  const c = CPU.exec(cpu);
  const m = MEMORY.exec(memory);
  if (!c || !m) {
    throw new Error(`podRequests: "${cpu}"/"${memory}" are not CPU (e.g. 250m, 1) and memory (e.g. 512Mi, 1Gi) quantities`);
  }
  const memoryScale: Record<string, number> = { Ki: 1 / 1024, Mi: 1, Gi: 1024 };
  return {
    cpuMillicores: Number(c[1]) * (c[2] === 'm' ? 1 : 1000),
    memoryMiB: Number(m[1]) * (m[2] ? memoryScale[m[2]] : 1 / (1024 * 1024)),
  };
}

/** The requests of a pod with these containers. */
export function sumRequests(...containers: readonly PodRequests[]): PodRequests {
  return {
    cpuMillicores: containers.reduce((sum, r) => sum + r.cpuMillicores, 0),
    memoryMiB: containers.reduce((sum, r) => sum + r.memoryMiB, 0),
  };
}
