import type { ComputeMode } from '../../lib/config';
import type { PlatformAddOn } from './addon';

/** Thrown when a set of add-ons cannot be deployed together; lists every problem found. */
export class AddOnSelectionError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid add-on selection (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'AddOnSelectionError';
  }
}

/** Problems of a selection on a compute mode, without ordering it. */
export function selectionProblems(addons: readonly PlatformAddOn[], compute: ComputeMode): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const addon of addons) {
    if (ids.has(addon.id)) {
      problems.push(`"${addon.id}" is selected twice: keep one (pass its options once)`);
    }
    ids.add(addon.id);
  }
  for (const addon of addons) {
    if (compute === 'auto' && addon.autoModeBuiltIn) {
      problems.push(`"${addon.id}" is built into EKS Auto Mode: ${addon.autoModeBuiltIn}`);
    } else if (!addon.computeModes.includes(compute)) {
      problems.push(`"${addon.id}" does not support compute=${compute} (it supports ${addon.computeModes.join(', ')}): remove it or change compute`);
    }
    for (const dependency of addon.dependsOn ?? []) {
      if (!ids.has(dependency)) {
        problems.push(`"${addon.id}" depends on "${dependency}", which is not selected: add "${dependency}"`);
      }
    }
    for (const other of addon.conflictsWith ?? []) {
      // Report each conflicting pair once, from the side that declares it.
      if (ids.has(other)) {
        problems.push(`"${addon.id}" conflicts with "${other}": select only one of them`);
      }
    }
  }
  return problems;
}

/**
 * Orders add-ons so that every add-on comes after its dependencies (stable: otherwise in the
 * given order). Throws an {@link AddOnSelectionError} listing every problem: duplicates, missing
 * dependencies, conflicts, unsupported compute modes, Auto Mode built-ins and cycles.
 */
export function resolveAddOns(addons: readonly PlatformAddOn[], compute: ComputeMode): PlatformAddOn[] {
  const problems = selectionProblems(addons, compute);
  if (problems.length > 0) {
    throw new AddOnSelectionError(problems);
  }
  const byId = new Map(addons.map((a) => [a.id, a]));
  const ordered: PlatformAddOn[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (addon: PlatformAddOn, path: string[]): void => {
    const seen = state.get(addon.id);
    if (seen === 'done') return;
    if (seen === 'visiting') {
      throw new AddOnSelectionError([`dependency cycle: ${[...path, addon.id].map((id) => `"${id}"`).join(' -> ')}`]);
    }
    state.set(addon.id, 'visiting');
    for (const dependency of addon.dependsOn ?? []) {
      visit(byId.get(dependency) as PlatformAddOn, [...path, addon.id]);
    }
    state.set(addon.id, 'done');
    ordered.push(addon);
  };
  addons.forEach((addon) => visit(addon, []));
  return ordered;
}
