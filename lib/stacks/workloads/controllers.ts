import type { Construct } from 'constructs';

import type { PlatformAddOn } from '../../../addons/core/addon';
import type { ComputeMode, WorkloadName } from '../../core/config';
import { controllerNeeds, providersOf } from '../plan/workload-checks';

export {
  ALB_INGRESS_CLASS,
  AUTO_MODE_INGRESS,
  AWS_LOAD_BALANCER_CONTROLLER,
  EXTERNAL_DNS,
  NLB_LOAD_BALANCER_CLASS,
} from '../plan/workload-checks';

/**
 * Makes `workload` depend on the add-ons that serve its load balancers and DNS name (those of
 * `addons` that provide what it needs), so CloudFormation deletes the workload (and so its load
 * balancer) before the controller that removes it. The plan has checked that they are deployed
 * (`checkWorkloads`); a missing one here is a bug in the caller.
 */
export function dependOnControllers(workload: Construct, name: WorkloadName, compute: ComputeMode, addons: DeployedAddOns): void {
  for (const need of controllerNeeds(name, compute)) {
    const providers = providersOf(need, addons.planned);
    if (providers.length === 0) {
      throw new Error(
        `${name}: no deployed add-on provides ${need.what} (${need.reason}); compose the app with composePlan, which checks this`,
      );
    }
    for (const provider of providers) {
      const scope = addons.scopes.get(provider.id);
      if (!scope) {
        throw new Error(`${name}: the "${provider.id}" add-on is in the plan but not deployed; deploy the plan's add-ons first`);
      }
      workload.node.addDependency(scope);
    }
  }
}

/** The plan's add-ons and the scopes PlatformStack deployed them in. */
export interface DeployedAddOns {
  /** The plan's add-ons, in order: a workload asks them what they provide. */
  readonly planned: readonly PlatformAddOn[];
  /** The scope of each deployed add-on, by id. */
  readonly scopes: ReadonlyMap<string, Construct>;
}
