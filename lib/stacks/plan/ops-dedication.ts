import type { PlatformAddOn } from '../../../addons/core/addon';
import type { PlatformConfig } from '../../core/config';
import { OPS_DEDICATION_TAINT } from '../../core/config';

const isDedication = (t: PlatformConfig['nodeGroups'][number]['taints'][number]): boolean =>
  t.key === OPS_DEDICATION_TAINT.key && t.value === OPS_DEDICATION_TAINT.value && t.effect === OPS_DEDICATION_TAINT.effect;

/**
 * The configuration with the default node groups dedicated to the controllers only when an add-on
 * adds nodes for everything else (a node autoscaler): without one, the default groups are the
 * cluster's only capacity and keep no dedication taint, so every chart still has somewhere to run.
 * Node groups given in configuration keep exactly the taints given.
 */
export function withOpsDedication(config: PlatformConfig, addons: readonly PlatformAddOn[], nodeGroupsGiven: boolean): PlatformConfig {
  if (config.compute !== 'nodegroups' || nodeGroupsGiven || addons.some((a) => a.providesCapacity)) return config;
  return { ...config, nodeGroups: config.nodeGroups.map((g) => ({ ...g, taints: g.taints.filter((t) => !isDedication(t)) })) };
}
