import type { Construct } from 'constructs';

import { ArgoCdAddOn } from '../../../addons/argo-cd';
import { argoCdDelivery } from '../../../addons/argo-cd-gitops-delivery';
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
 * context says (a Helm release each); with `gitops` an Argo CD Application each, after Argo CD,
 * except Argo CD's own chart, which stays a Helm release: nothing else could install it.
 */
export function chartDeliveries(
  addons: readonly PlatformAddOn[],
  capacityWaits: ReadonlyMap<string, readonly string[]>,
  scopes: ReadonlyMap<string, Construct>,
  context: AddOnContext,
): (addon: PlatformAddOn) => ReleaseChart {
  if (context.config.delivery === 'helm') return () => context.releaseChart;
  const argoCd = addons.find((a): a is ArgoCdAddOn => a instanceof ArgoCdAddOn);
  if (!argoCd) {
    // composePlan refuses this configuration; reaching here is a programming error.
    throw new Error('delivery gitops without the argo-cd add-on');
  }
  const levels = dependencyLevels(addons, capacityWaits);
  return (addon) =>
    addon === argoCd
      ? context.releaseChart
      : argoCdDelivery({
          cluster: context.cluster,
          addonId: addon.id,
          level: levels.get(addon.id) ?? 0,
          namespace: argoCd.applicationNamespace,
          server: argoCd.applicationServer(context.cluster),
          argoCd: scopes.get(argoCd.id) as Construct,
        });
}
