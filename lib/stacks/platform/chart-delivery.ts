import type { Construct } from 'constructs';

import type { AddOnContext, PlatformAddOn } from '../../../addons/core/addon';
import type { ReleaseChart } from '../../../addons/core/chart-release';

/**
 * Each add-on's dependency level: 0 for one that needs no other, else one more than the highest
 * level among those it deploys after (its `dependsOn` and, on node groups, the capacity providers
 * its pods wait for).
 */
export function dependencyLevels(
  addons: readonly PlatformAddOn[],
  capacityWaits: ReadonlyMap<string, readonly string[]>,
): ReadonlyMap<string, number> {
  const byId = new Map(addons.map((a) => [a.id, a]));
  const levels = new Map<string, number>();
  const level = (id: string, path: ReadonlySet<string>): number => {
    const known = levels.get(id);
    if (known !== undefined) return known;
    const after = [...(byId.get(id)?.dependsOn ?? []), ...(capacityWaits.get(id) ?? [])].filter((d) => byId.has(d) && !path.has(d));
    const own = after.length === 0 ? 0 : 1 + Math.max(...after.map((d) => level(d, new Set([...path, id]))));
    levels.set(id, own);
    return own;
  };
  addons.forEach((a) => level(a.id, new Set()));
  return levels;
}

/**
 * How each add-on's charts are delivered (configuration key `delivery`): with `helm` as the
 * context says (a Helm release each); with `gitops` through the plan's GitOps engine (the add-on
 * with a `gitopsDelivery` facet, e.g. an Argo CD Application each), after the engine, except the
 * engine's own charts, which stay Helm releases: nothing else could install it.
 */
export function chartDeliveries(
  addons: readonly PlatformAddOn[],
  capacityWaits: ReadonlyMap<string, readonly string[]>,
  scopes: ReadonlyMap<string, Construct>,
  context: AddOnContext,
): (addon: PlatformAddOn) => ReleaseChart {
  if (context.config.delivery === 'helm') return () => context.releaseChart;
  const engine = addons.find((a) => a.gitopsDelivery !== undefined);
  if (!engine?.gitopsDelivery) {
    // composePlan refuses this configuration; reaching here is a programming error.
    throw new Error('delivery gitops without an add-on that delivers charts (gitopsDelivery)');
  }
  const deliver = engine.gitopsDelivery.bind(engine);
  const levels = dependencyLevels(addons, capacityWaits);
  return (addon) =>
    addon === engine
      ? context.releaseChart
      : deliver({
          cluster: context.cluster,
          addonId: addon.id,
          level: levels.get(addon.id) ?? 0,
          engineScope: scopes.get(engine.id) as Construct,
        });
}
