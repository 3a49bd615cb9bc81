import type { NodeGroupConfig, PlatformConfig, TaintConfig, TaintEffectName } from '../../lib/core/config';
import type { PodToleration } from './pod-sets';

/** The Kubernetes names of the EKS node group taint effects (the EKS API spells them NO_SCHEDULE, ...). */
export const KUBERNETES_TAINT_EFFECTS: Readonly<Record<TaintEffectName, NonNullable<PodToleration['effect']>>> = {
  NO_SCHEDULE: 'NoSchedule',
  PREFER_NO_SCHEDULE: 'PreferNoSchedule',
  NO_EXECUTE: 'NoExecute',
};

/**
 * The nodes of InfraStack's default "ops" node group (`OPS_NODE_GROUP` carries the label), where
 * controllers are pinned on managed node groups; Auto Mode has no such group.
 */
export const OPS_NODE_SELECTOR: Readonly<Record<string, string>> = { 'workload-type': 'ops' };

/** Whether every label of `selector` is on the group's nodes. */
export function selects(selector: Readonly<Record<string, string>>, group: NodeGroupConfig): boolean {
  return Object.entries(selector).every(([key, value]) => group.labels[key] === value);
}

/**
 * Whether one of `tolerations` matches `taint`, by the Kubernetes rules: an empty key with
 * `Exists` matches every taint, an empty effect matches every effect, `Exists` ignores the value
 * and `Equal` (the default operator) compares it.
 */
export function tolerates(tolerations: readonly PodToleration[], taint: TaintConfig): boolean {
  const effect = KUBERNETES_TAINT_EFFECTS[taint.effect];
  return tolerations.some((t) => {
    if (t.effect !== undefined && t.effect !== effect) return false;
    if (t.key === undefined || t.key === '') return t.operator === 'Exists';
    if (t.key !== taint.key) return false;
    return t.operator === 'Exists' || (t.value ?? '') === taint.value;
  });
}

/**
 * Whether pods with this selector and these tolerations can be scheduled on the group's nodes:
 * the labels match and every taint that keeps pods off (NoSchedule, NoExecute) is tolerated.
 */
export function canLandOn(
  group: NodeGroupConfig,
  selector: Readonly<Record<string, string>>,
  tolerations: readonly PodToleration[],
): boolean {
  return selects(selector, group) && group.taints.filter((t) => t.effect !== 'PREFER_NO_SCHEDULE').every((t) => tolerates(tolerations, t));
}

/**
 * Tolerations of exactly the taints of the node groups `selector` picks, for pods pinned to those
 * groups: a dedicated group's own controllers get in, nothing else does. Empty on Auto Mode, for
 * an empty selector (it would pick every group) and when the picked groups carry no taint.
 */
export function tolerationsFor(config: PlatformConfig, selector: Readonly<Record<string, string>>): PodToleration[] {
  if (config.compute !== 'nodegroups' || Object.keys(selector).length === 0) return [];
  const taints = config.nodeGroups.filter((g) => selects(selector, g)).flatMap((g) => g.taints);
  const unique = new Map(taints.map((t) => [`${t.key}=${t.value}:${t.effect}`, t]));
  return [...unique.values()].map((t) => ({ key: t.key, operator: 'Equal', value: t.value, effect: KUBERNETES_TAINT_EFFECTS[t.effect] }));
}
