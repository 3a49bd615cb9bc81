import type { Construct } from 'constructs';
import type { ComputeMode, WorkloadName } from '../config';
import { controllerNeeds } from '../plan/workload-checks';

export { ALB_INGRESS_CLASS, AUTO_MODE_INGRESS, AWS_LOAD_BALANCER_CONTROLLER, EXTERNAL_DNS, NLB_LOAD_BALANCER_CLASS } from '../plan/workload-checks';

/**
 * Makes `workload` depend on the add-ons that serve its load balancers, so CloudFormation deletes
 * the workload (and so its load balancer) before the controller that removes it. The plan has
 * checked that they are deployed (`checkWorkloads`); a missing one here is a bug in the caller.
 */
export function dependOnControllers(workload: Construct, name: WorkloadName, compute: ComputeMode, deployed: ReadonlyMap<string, Construct>): void {
  for (const need of controllerNeeds(name, compute)) {
    const controller = deployed.get(need.addonId);
    if (!controller) {
      throw new Error(`${name}: the "${need.addonId}" add-on is not deployed (${need.reason}); compose the app with composePlan, which checks this`);
    }
    workload.node.addDependency(controller);
  }
}
