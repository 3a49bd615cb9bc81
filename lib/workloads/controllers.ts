import type { Construct } from 'constructs';
import type { ComputeMode } from '../config/types';

/*
 * The add-ons that serve the sample workloads' load balancers and DNS names, by id only: the
 * workloads depend on their scopes, never on their code.
 */

/** The `alb` IngressClass of EKS Auto Mode. */
export const AUTO_MODE_INGRESS = 'auto-mode-ingress';
/** ALBs and NLBs on managed node groups. */
export const AWS_LOAD_BALANCER_CONTROLLER = 'aws-load-balancer-controller';
/** Route 53 records for annotated Services. */
export const EXTERNAL_DNS = 'external-dns';

/** The IngressClass both compute modes provide (auto-mode-ingress, or the controller's chart). */
export const ALB_INGRESS_CLASS = 'alb';

/** `spec.loadBalancerClass` that makes the cluster build an NLB for a Service (immutable once set). */
export const NLB_LOAD_BALANCER_CLASS: Readonly<Record<ComputeMode, string>> = {
  auto: 'eks.amazonaws.com/nlb',
  nodegroups: 'service.k8s.aws/nlb',
};

/** The sample workloads, by their Kubernetes names. */
export type WorkloadName = 'game-2048' | 'petstore' | 'nginx';

/** An add-on a workload needs, and why (the error message names both). */
export interface ControllerNeed {
  readonly addonId: string;
  readonly reason: string;
}

/**
 * The add-ons whose controllers must exist while a workload's load balancer or DNS name exists.
 * On Auto Mode NLBs are built in: only the ALB needs an IngressClass from an add-on.
 */
export function controllerNeeds(workload: WorkloadName, compute: ComputeMode): ControllerNeed[] {
  const needs: ControllerNeed[] = [];
  if (workload === 'game-2048') {
    needs.push(compute === 'auto'
      ? { addonId: AUTO_MODE_INGRESS, reason: `its Ingress needs the ${ALB_INGRESS_CLASS} IngressClass of Auto Mode` }
      : { addonId: AWS_LOAD_BALANCER_CONTROLLER, reason: `its Ingress needs the ${ALB_INGRESS_CLASS} IngressClass, which the AWS Load Balancer Controller serves on node groups` });
  } else if (compute === 'nodegroups') {
    needs.push({ addonId: AWS_LOAD_BALANCER_CONTROLLER, reason: `its NLB Service (loadBalancerClass ${NLB_LOAD_BALANCER_CLASS.nodegroups}) is built by the AWS Load Balancer Controller on node groups` });
  }
  if (workload === 'nginx') {
    needs.push({ addonId: EXTERNAL_DNS, reason: 'external-dns publishes its host name in Route 53' });
  }
  return needs;
}

/** One line per missing add-on, e.g. `game-2048 needs the alb IngressClass ...: add the auto-mode-ingress add-on`. */
export function missingControllers(workload: WorkloadName, compute: ComputeMode, deployed: ReadonlyMap<string, Construct>): string[] {
  return controllerNeeds(workload, compute)
    .filter((need) => !deployed.has(need.addonId))
    .map((need) => `${workload}: ${need.reason}: add the "${need.addonId}" add-on, or turn the workload off in the workloads key`);
}

/**
 * Makes `workload` depend on the add-ons that serve its load balancers. Throws when one is not
 * deployed: without its controller a load balancer would never be created (and the stack would
 * wait for its URL).
 */
export function dependOnControllers(workload: Construct, name: WorkloadName, compute: ComputeMode, deployed: ReadonlyMap<string, Construct>): void {
  const missing = missingControllers(name, compute, deployed);
  if (missing.length > 0) {
    throw new Error(`Cannot deploy the ${name} sample workload (compute=${compute}):\n${missing.map((m) => `  - ${m}`).join('\n')}`);
  }
  // Depending on the controller's scope makes CloudFormation delete the workload (and so its load
  // balancer) before the controller that removes it.
  for (const need of controllerNeeds(name, compute)) {
    workload.node.addDependency(deployed.get(need.addonId) as Construct);
  }
}
