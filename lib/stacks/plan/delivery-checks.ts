import type { PlatformAddOn } from '../../../addons/core/addon';
import type { PlatformConfig, Problems } from '../../core/config';

/**
 * With `delivery: gitops` a GitOps engine installs every add-on chart, so the plan must have one:
 * an add-on with a `gitopsDelivery` facet (first-party: argo-cd, self-managed or managed). When an
 * add-on selected by id could not be built (bad options, reported already), it may be the engine:
 * nothing more is said then.
 */
export function checkDelivery(p: Problems, config: PlatformConfig, built: readonly PlatformAddOn[], selectedIds: readonly string[]): void {
  if (config.delivery !== 'gitops' || built.some((a) => a.gitopsDelivery !== undefined)) return;
  if (!selectedIds.every((id) => built.some((a) => a.id === id))) return;
  p.add(
    'delivery',
    config.delivery,
    'helm, or gitops together with an add-on that delivers charts through GitOps (argo-cd, self-managed or managed: true), ' +
      'which then installs every other add-on chart as an Argo CD Application: add "argo-cd" to addons or set delivery=helm',
  );
}

/**
 * The capacity waits of the plan, less the GitOps engine's with delivery gitops: there the engine
 * installs the node autoscaler, so waiting for the autoscaler's nodes would be a cycle. Its pods go
 * to the ops nodes instead (or where its nodeSelector says; the engine add-on checks that a group
 * is there).
 */
export function deliveryCapacityWaits(
  config: PlatformConfig,
  addons: readonly PlatformAddOn[],
  waits: ReadonlyMap<string, readonly string[]>,
): ReadonlyMap<string, readonly string[]> {
  if (config.delivery !== 'gitops') return waits;
  const engines = new Set(addons.filter((a) => a.gitopsDelivery !== undefined).map((a) => a.id));
  return new Map([...waits].filter(([id]) => !engines.has(id)));
}
