import { Construct } from 'constructs';

import type { AddOnContext, PlatformAddOn } from '../../../addons/core/addon';
import { chartDeliveries } from './chart-delivery';

/**
 * Deploys add-ons (already checked and in dependency order: see `composePlan`), each in its own scope under `AddOns/<id>`. A scope depends
 * on the scopes of the add-ons it depends on, so CloudFormation creates a controller before what
 * needs it and deletes it after (load balancers go before their controller), and on node groups on
 * the capacity providers its pods need (`capacityWaits`, the plan's: by add-on id, the providers it
 * deploys after). Each add-on releases its charts the way the environment's delivery says
 * (`chartDeliveries`). What an add-on defers (`deferred`) comes last, under `Deferred/<id>`.
 */
/** What {@link deployAddOns} made, by add-on id. */
export interface DeployedAddOns {
  /** Each add-on's scope: what depends on an add-on depends on it. */
  readonly scopes: ReadonlyMap<string, Construct>;
  /** The context each add-on deployed with (its delivery's `releaseChart`), for its per-team objects too. */
  readonly contexts: ReadonlyMap<string, AddOnContext>;
}

export function deployAddOns(
  scope: Construct,
  addons: readonly PlatformAddOn[],
  context: AddOnContext,
  capacityWaits: ReadonlyMap<string, readonly string[]>,
): DeployedAddOns {
  const parent = new Construct(scope, 'AddOns');
  // Every scope first: with delivery gitops each add-on's Applications depend on Argo CD's scope.
  const scopes = new Map(addons.map((addon) => [addon.id, new Construct(parent, addon.id)]));
  const releaseChart = chartDeliveries(addons, capacityWaits, scopes, context);
  const contexts = new Map<string, AddOnContext>();
  for (const addon of addons) {
    const addonScope = scopes.get(addon.id) as Construct;
    for (const dependency of addon.dependsOn ?? []) {
      addonScope.node.addDependency(scopes.get(dependency) as Construct);
    }
    const own = { ...context, releaseChart: releaseChart(addon) };
    addon.deploy(addonScope, own);
    contexts.set(addon.id, own);
  }
  // Pods that fit no node group run on the nodes a capacity provider (a node autoscaler) adds:
  // their add-on deploys after the provider, and is deleted before it.
  for (const [id, providers] of capacityWaits) {
    scopes.get(id)?.node.addDependency(...providers.map((provider) => scopes.get(provider) as Construct));
  }
  // Apart from the add-on scopes: inside one, depending on an add-on delivered through it would be a cycle.
  const deferred = addons.flatMap((addon) => (addon.deferred ? [{ id: addon.id, part: addon.deferred }] : []));
  const deferredParent = deferred.length > 0 ? new Construct(scope, 'Deferred') : scope;
  for (const { id, part } of deferred) {
    const deferredScope = new Construct(deferredParent, id);
    deferredScope.node.addDependency(scopes.get(id) as Construct, ...part.after.map((after) => scopes.get(after) as Construct));
    part.deploy(deferredScope, contexts.get(id) as AddOnContext);
  }
  return { scopes, contexts };
}
