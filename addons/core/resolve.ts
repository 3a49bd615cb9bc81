import type { ComputeMode } from '../../lib/core/config';
import type { PlatformAddOn } from './addon';

/**
 * Problems of a selection on a compute mode. `selectedIds` are every id the user selected,
 * including those whose options were invalid (and so have no instance): a dependency on one of
 * them is not reported again as missing.
 */
export function selectionProblems(
  addons: readonly PlatformAddOn[],
  compute: ComputeMode,
  selectedIds: readonly string[] = addons.map((a) => a.id),
): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const addon of addons) {
    if (seen.has(addon.id)) {
      problems.push(`"${addon.id}" is selected twice: keep one (pass its options once)`);
    }
    seen.add(addon.id);
  }
  const ids = new Set(selectedIds);
  for (const addon of addons) {
    if (compute === 'auto' && addon.autoModeBuiltIn) {
      problems.push(`"${addon.id}" is built into EKS Auto Mode: ${addon.autoModeBuiltIn}`);
    } else if (!addon.computeModes.includes(compute)) {
      problems.push(
        `"${addon.id}" does not support compute=${compute} (it supports ${addon.computeModes.join(', ')}): remove it or change compute`,
      );
    }
    for (const dependency of addon.dependsOn ?? []) {
      if (!ids.has(dependency)) {
        problems.push(`"${addon.id}" depends on "${dependency}", which is not selected: add "${dependency}"`);
      }
    }
    for (const needed of addon.deferred?.after ?? []) {
      if (!ids.has(needed)) {
        problems.push(`"${addon.id}" needs "${needed}" as configured, which is not selected: add "${needed}"`);
      }
    }
    for (const other of addon.conflictsWith ?? []) {
      // Report each conflicting pair once, from the side that declares it.
      if (ids.has(other)) {
        problems.push(`"${addon.id}" conflicts with "${other}": select only one of them`);
      }
    }
  }
  return problems.concat(bindingProblems(addons), clusterObjectProblems(addons));
}

/** Two add-ons cannot own one cluster-scoped name, nor both mark a default of one kind. */
function clusterObjectProblems(addons: readonly PlatformAddOn[]): string[] {
  const owner = new Map<string, string>();
  const defaults = new Map<string, string>();
  const problems: string[] = [];
  for (const addon of addons) {
    for (const object of addon.clusterObjects ?? []) {
      const key = `${object.kind} "${object.name}"`;
      const first = owner.get(key);
      if (first !== undefined && first !== addon.id) {
        problems.push(
          `"${addon.id}" creates ${key}, which "${first}" creates already: give one of them another name (its className option)`,
        );
      }
      owner.set(key, first ?? addon.id);
      const firstDefault = defaults.get(object.kind);
      if (object.isDefault && firstDefault !== undefined && firstDefault !== addon.id) {
        problems.push(
          `"${addon.id}" marks its ${object.kind} as the cluster default, as "${firstDefault}" does: a cluster has one default ${object.kind}, make only one of them default`,
        );
      }
      if (object.isDefault) defaults.set(object.kind, firstDefault ?? addon.id);
    }
  }
  return problems;
}

/** EKS Pod Identity takes one association per service account: two add-ons cannot both bind one. */
function bindingProblems(addons: readonly PlatformAddOn[]): string[] {
  const owner = new Map<string, string>();
  const problems: string[] = [];
  for (const addon of addons) {
    for (const sa of addon.serviceAccounts ?? []) {
      const key = `${sa.namespace}/${sa.name}`;
      const first = owner.get(key);
      if (first !== undefined && first !== addon.id) {
        problems.push(`"${addon.id}" binds service account ${key} to an AWS role, which "${first}" binds already: select only one of them`);
      }
      owner.set(key, first ?? addon.id);
    }
  }
  return problems;
}

/** The outcome of ordering add-ons. */
export interface OrderedAddOns {
  /** Every add-on after its dependencies (stable: otherwise in the given order). */
  readonly ordered: readonly PlatformAddOn[];
  /** Dependency cycles, one line each; empty when the order is sound. */
  readonly problems: readonly string[];
}

/** Orders add-ons whose selection is otherwise sound (see {@link selectionProblems}). */
export function orderAddOns(addons: readonly PlatformAddOn[]): OrderedAddOns {
  const byId = new Map(addons.map((a) => [a.id, a]));
  const ordered: PlatformAddOn[] = [];
  const problems: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (addon: PlatformAddOn, path: string[]): void => {
    const seen = state.get(addon.id);
    if (seen === 'done') return;
    if (seen === 'visiting') {
      problems.push(`dependency cycle: ${[...path, addon.id].map((id) => `"${id}"`).join(' -> ')}`);
      return;
    }
    state.set(addon.id, 'visiting');
    for (const dependency of addon.dependsOn ?? []) {
      const next = byId.get(dependency);
      if (next) visit(next, [...path, addon.id]);
    }
    state.set(addon.id, 'done');
    ordered.push(addon);
  };
  addons.forEach((addon) => visit(addon, []));
  return { ordered, problems };
}
