import { Construct } from 'constructs';
import type { AddOnContext, PlatformAddOn } from '../../addons/core/addon';
import { resolveAddOns } from '../../addons/core/resolve';

/**
 * Deploys add-ons in dependency order, each in its own scope under `AddOns/<id>`. A scope depends
 * on the scopes of the add-ons it depends on, so CloudFormation creates a controller before what
 * needs it and deletes it after (load balancers go before their controller).
 */
export function deployAddOns(scope: Construct, addons: readonly PlatformAddOn[], context: AddOnContext): ReadonlyMap<string, Construct> {
  const ordered = resolveAddOns(addons, context.config.compute);
  const parent = new Construct(scope, 'AddOns');
  const scopes = new Map<string, Construct>();
  for (const addon of ordered) {
    const addonScope = new Construct(parent, addon.id);
    for (const dependency of addon.dependsOn ?? []) {
      addonScope.node.addDependency(scopes.get(dependency) as Construct);
    }
    addon.deploy(addonScope, context);
    scopes.set(addon.id, addonScope);
  }
  return scopes;
}
