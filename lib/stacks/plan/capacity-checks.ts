import type { PlatformAddOn } from '../../../addons/core/addon';
import { canLandOn } from '../../../addons/core/node-placement';
import type { PodRequests, PodSet } from '../../../addons/core/pod-sets';
import type { NodeGroupConfig, PlatformConfig, Problems } from '../../core/config';
import type { NodeAllocatable } from './node-allocatable';
import { KNOWN_INSTANCE_FAMILIES, nodeAllocatable } from './node-allocatable';
import { SYSTEM_POD_SETS } from './system-pods';

/*
 * On managed node groups nothing adds nodes until an autoscaler runs, and the autoscaler's own
 * controller needs room on the node groups first. The pods that can land on a group (their node
 * selector matches it and they tolerate its taints) are scheduled there as soon as they exist, in
 * any order: so all of them, plus the DaemonSets on each of its nodes, must fit the group's
 * minimum capacity, or the controller that would add nodes may never start.
 */

/** A declared pod set of the plan and the node groups it can land on, placed once per plan. */
export interface PlacedPodSet {
  /** The add-on's id, or "EKS" for the core managed add-ons. */
  readonly owner: string;
  readonly set: PodSet;
  /** The node groups whose labels and taints the pods accept. */
  readonly groups: readonly NodeGroupConfig[];
}

/**
 * The pods of the plan on node groups (the core managed add-ons' and every add-on's declared ones),
 * each with the groups it can land on. Empty on Auto Mode, where nodes come and go with the pods.
 * The capacity check and the deploy order both read this one placement.
 */
export function placePodSets(config: PlatformConfig, addons: readonly PlatformAddOn[]): PlacedPodSet[] {
  if (config.compute !== 'nodegroups') return [];
  const owned = [
    ...SYSTEM_POD_SETS.map((set) => ({ owner: 'EKS', set })),
    ...addons.flatMap((a) => (a.podSets?.(config) ?? []).map((set) => ({ owner: a.id, set }))),
  ];
  return owned.map(({ owner, set }) => ({
    owner,
    set,
    groups: config.nodeGroups.filter((g) => canLandOn(g, set.nodeSelector, set.tolerations)),
  }));
}

/** The smallest allocatable of a group's instance types, per dimension; types not in the table are left out. */
function smallestNode(group: NodeGroupConfig): NodeAllocatable | undefined {
  const known = group.instanceTypes.map(nodeAllocatable).filter((a): a is NodeAllocatable => a !== undefined);
  if (known.length === 0) return undefined;
  return {
    cpuMillicores: Math.min(...known.map((a) => a.cpuMillicores)),
    memoryMiB: Math.min(...known.map((a) => a.memoryMiB)),
    pods: Math.min(...known.map((a) => a.pods)),
  };
}

const cpu = (m: number): string => `${Math.round(m)}m CPU`;
const memory = (mib: number): string => `${Math.round(mib)} MiB`;
const amount = (r: PodRequests): string => `${Math.round(r.cpuMillicores)}m/${Math.round(r.memoryMiB)}Mi`;

/**
 * Every pool of node groups that pods can be confined to (the groups a pinned controller can land
 * on) has room for all the pods that can only land inside it, at the groups' minimum size and
 * smallest instance type. Without an add-on that adds nodes, every pool is checked, and pods that
 * fit no node group at all are a problem too. Returns warnings for instance types the allocatable
 * table does not know (those are left out of the check).
 */
export function checkControllerCapacity(
  p: Problems,
  config: PlatformConfig,
  addons: readonly PlatformAddOn[],
  placed: readonly PlacedPodSet[],
): string[] {
  if (config.compute !== 'nodegroups') return [];
  const deployments = placed.filter(({ set }) => set.replicas !== 'per-node');
  const daemonSets = placed.filter(({ set }) => set.replicas === 'per-node');
  const hasProvider = addons.some((a) => a.providesCapacity);

  if (!hasProvider) {
    for (const { owner, set } of deployments.filter((s) => s.groups.length === 0)) {
      p.add(
        'nodeGroups',
        config.nodeGroups.map(describeGroup).join('; '),
        `a node group where "${set.name}" (${owner === 'EKS' ? 'an EKS add-on' : `add-on "${owner}"`}) can run: its node selector ` +
          `${JSON.stringify(set.nodeSelector)} and tolerations ${JSON.stringify(set.tolerations)} fit no group's labels and taints, ` +
          'and no add-on adds nodes. Add a node group without taints, or a node autoscaler add-on',
      );
    }
  }
  const pools = new Map<string, readonly NodeGroupConfig[]>();
  for (const { set, groups } of deployments) {
    const pinned = Object.keys(set.nodeSelector).length > 0;
    if (groups.length > 0 && (pinned || !hasProvider)) pools.set(groups.map((g) => g.name).join(','), groups);
  }
  const warnings = new Set<string>();
  for (const pool of pools.values()) {
    const names = new Set(pool.map((g) => g.name));
    const inside = deployments.filter((s) => s.groups.length > 0 && s.groups.every((g) => names.has(g.name)));
    checkPool(p, config, pool, inside, daemonSets, warnings);
  }
  return [...warnings];
}

function checkPool(
  p: Problems,
  config: PlatformConfig,
  pool: readonly NodeGroupConfig[],
  inside: readonly PlacedPodSet[],
  daemonSets: readonly PlacedPodSet[],
  warnings: Set<string>,
): void {
  const available = { cpuMillicores: 0, memoryMiB: 0, pods: 0 };
  const required = { cpuMillicores: 0, memoryMiB: 0, pods: 0 };
  const lines: string[] = [];
  for (const group of pool) {
    const unknown = group.instanceTypes.filter((t) => nodeAllocatable(t) === undefined);
    if (unknown.length > 0) {
      warnings.add(
        `node group "${group.name}": the capacity check does not know ${unknown.join(', ')} (it knows the ` +
          `families ${KNOWN_INSTANCE_FAMILIES.join(', ')}) and leaves ${unknown.length === 1 ? 'it' : 'them'} out of the smallest node`,
      );
    }
    const node = smallestNode(group);
    if (!node) return;
    available.cpuMillicores += group.minSize * node.cpuMillicores;
    available.memoryMiB += group.minSize * node.memoryMiB;
    available.pods += group.minSize * node.pods;
    for (const { set } of daemonSets.filter(({ set }) => canLandOn(group, set.nodeSelector, set.tolerations))) {
      add(required, set.requests, group.minSize);
      lines.push(`${set.name} ${group.minSize}x${amount(set.requests)}`);
    }
  }
  for (const { set } of inside) {
    const replicas = set.replicas === 'per-node' ? 0 : set.replicas;
    add(required, set.requests, replicas);
    lines.push(`${set.name} ${replicas}x${amount(set.requests)}`);
  }
  const short = [
    required.cpuMillicores > available.cpuMillicores ? `${cpu(required.cpuMillicores)} > ${cpu(available.cpuMillicores)}` : '',
    required.memoryMiB > available.memoryMiB ? `${memory(required.memoryMiB)} > ${memory(available.memoryMiB)}` : '',
    required.pods > available.pods ? `${required.pods} pods > ${available.pods}` : '',
  ].filter((s) => s !== '');
  if (short.length === 0) return;
  const index = config.nodeGroups.findIndex((g) => g.name === pool[0].name);
  p.add(
    pool.length === 1 ? `nodeGroups[${index}]` : 'nodeGroups',
    pool.map(describeGroup).join('; '),
    `node groups with room at their minimum size (minSize x the smallest instance type's allocatable) for every pod that ` +
      `can only run there before an autoscaler adds nodes: ${pool.map((g) => g.name).join(', ')} ${pool.length === 1 ? 'needs' : 'need'} ` +
      `${cpu(required.cpuMillicores)}, ${memory(required.memoryMiB)} and ${required.pods} pods but have ` +
      `${cpu(available.cpuMillicores)}, ${memory(available.memoryMiB)} and ${available.pods} pods (short: ${short.join(', ')}); ` +
      `the pods: ${lines.join(', ')}. Raise minSize, use larger instance types, or move controllers off these groups ` +
      "(their add-ons' nodeSelector)",
  );
}

function add(total: { cpuMillicores: number; memoryMiB: number; pods: number }, requests: PodRequests, count: number): void {
  total.cpuMillicores += requests.cpuMillicores * count;
  total.memoryMiB += requests.memoryMiB * count;
  total.pods += count;
}

function describeGroup(group: NodeGroupConfig): string {
  return `${group.name}: ${group.minSize} x ${group.instanceTypes.join('|')}`;
}

/** Whether `addon` depends on `id`, directly or through other add-ons. */
function dependsOn(addon: PlatformAddOn, id: string, byId: ReadonlyMap<string, PlatformAddOn>, seen = new Set<string>()): boolean {
  if (seen.has(addon.id)) return false;
  seen.add(addon.id);
  return (addon.dependsOn ?? []).some((d) => d === id || (byId.has(d) && dependsOn(byId.get(d) as PlatformAddOn, id, byId, seen)));
}

/**
 * The capacity providers each add-on must be deployed after, by add-on id: on node groups, an
 * add-on with pods that fit no node group (or, when it declares none, when every node group is
 * tainted) waits for the add-ons that add nodes, so its Helm release does not wait for nodes nobody
 * adds yet. Empty on Auto Mode and without a provider.
 */
export function capacityDependencies(
  config: PlatformConfig,
  addons: readonly PlatformAddOn[],
  placed: readonly PlacedPodSet[],
): ReadonlyMap<string, readonly string[]> {
  const waits = new Map<string, string[]>();
  const providers = addons.filter((a) => a.providesCapacity);
  if (config.compute !== 'nodegroups' || providers.length === 0) return waits;
  const byId = new Map(addons.map((a) => [a.id, a]));
  const allTainted = config.nodeGroups.every((g) => g.taints.some((t) => t.effect !== 'PREFER_NO_SCHEDULE'));
  for (const addon of addons.filter((a) => !a.providesCapacity)) {
    const own = placed.filter((s) => s.owner === addon.id);
    const needsNodes = addon.podSets ? own.some(({ set, groups }) => set.replicas !== 'per-node' && groups.length === 0) : allTainted;
    const after = providers.filter((provider) => !dependsOn(provider, addon.id, byId)).map((provider) => provider.id);
    if (needsNodes && after.length > 0) waits.set(addon.id, after);
  }
  return waits;
}
