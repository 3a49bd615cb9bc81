import { Construct } from 'constructs';
import type { AddOnContext, PlatformAddOn } from '../../addons/core/addon';

/**
 * Deploys add-ons (already checked and in dependency order: see `composePlan`), each in its own scope under `AddOns/<id>`. A scope depends
 * on the scopes of the add-ons it depends on, so CloudFormation creates a controller before what
 * needs it and deletes it after (load balancers go before their controller).
 */
export function deployAddOns(scope: Construct, addons: readonly PlatformAddOn[], context: AddOnContext): ReadonlyMap<string, Construct> {
  const parent = new Construct(scope, 'AddOns');
  const scopes = new Map<string, Construct>();
  for (const addon of addons) {
    const addonScope = new Construct(parent, addon.id);
    for (const dependency of addon.dependsOn ?? []) {
      addonScope.node.addDependency(scopes.get(dependency) as Construct);
    }
    addon.deploy(addonScope, context);
    scopes.set(addon.id, addonScope);
  }
  return scopes;
}
