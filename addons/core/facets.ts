import type { PlatformAddOn } from './addon';

/** Every member of the contract but `id` and `deploy`: what an add-on may take from a unit it delegates to. */
export type AddOnFacets = Omit<PlatformAddOn, 'id' | 'deploy'>;

/*
 * Typed as a record of every facet so that a member added to the contract fails to compile here
 * until it is listed: an add-on that delegates would otherwise drop it silently.
 */
const FACETS: Readonly<Record<keyof AddOnFacets, true>> = {
  computeModes: true,
  namespaces: true,
  serviceAccounts: true,
  clusterObjects: true,
  kubernetesVersions: true,
  autoModeBuiltIn: true,
  dependsOn: true,
  conflictsWith: true,
  provides: true,
  podSets: true,
  gitopsDelivery: true,
  providesCapacity: true,
  checkConfiguration: true,
  deployTeam: true,
  costLines: true,
  teardown: true,
  deferred: true,
};

/**
 * The facets of `unit`, for an add-on that is one of several deliveries and declares whatever the
 * chosen one declares: values as they are, methods bound to `unit`, and a facet `unit` lacks left
 * out (the plan reads an absent facet differently from an empty one).
 */
export function facetsOf(unit: PlatformAddOn): AddOnFacets {
  const facets: Record<string, unknown> = {};
  for (const key of Object.keys(FACETS) as (keyof AddOnFacets)[]) {
    const value: unknown = unit[key];
    if (value !== undefined) facets[key] = typeof value === 'function' ? value.bind(unit) : value;
  }
  return facets as AddOnFacets;
}
