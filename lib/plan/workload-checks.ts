import type { PlatformAddOn } from '../../addons/core/addon';
import { ExternalDnsAddOn } from '../../addons/external-dns';
import type { ComputeMode, NginxWorkloadConfig, PlatformConfig, Problems, WorkloadName } from '../config';
import { enabledWorkloads } from '../config';

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

/** The key of each workload in the `workloads` configuration. */
const WORKLOAD_KEYS: Readonly<Record<WorkloadName, string>> = { 'game-2048': 'game2048', petstore: 'petstore', nginx: 'nginx' };

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

/**
 * Every enabled workload has the add-ons that serve it (without its controller a load balancer
 * would never be created, and the stack would wait for its URL), and nginx's name is one the
 * external-dns add-on publishes. Checked against the add-ons of the plan, wherever they came from.
 */
export function checkWorkloads(p: Problems, config: PlatformConfig, addons: readonly PlatformAddOn[]): void {
  const ids = new Set(addons.map((a) => a.id));
  for (const workload of enabledWorkloads(config.workloads)) {
    for (const need of controllerNeeds(workload, config.compute)) {
      if (!ids.has(need.addonId)) {
        p.add(`workloads.${WORKLOAD_KEYS[workload]}`, true, `with compute=${config.compute} only together with the "${need.addonId}" add-on (${need.reason}): add it, or turn the workload off in the workloads key`);
      }
    }
  }
  const externalDns = addons.find((a): a is ExternalDnsAddOn => a instanceof ExternalDnsAddOn);
  if (config.workloads.nginx && externalDns) {
    checkNginxName(p, config.workloads.nginx, externalDns);
  }
}

/** Otherwise the certificate validates but nobody can resolve the name. */
function checkNginxName(p: Problems, nginx: NginxWorkloadConfig, externalDns: ExternalDnsAddOn): void {
  const zones = externalDns.hostedZoneIds;
  if (!zones.includes(nginx.hostedZoneId)) {
    p.add('workloads.nginx.hostedZoneId', nginx.hostedZoneId, `a hosted zone external-dns manages (addons.${EXTERNAL_DNS}.hostedZoneIds: ${zones.join(', ')})`);
  }
  const filters = externalDns.domainFilters;
  if (!filters.some((d) => nginx.hostname === d || nginx.hostname.endsWith(`.${d}`))) {
    p.add('workloads.nginx.hostname', nginx.hostname, `a name inside the external-dns domain filters (addons.${EXTERNAL_DNS}.domainFilters: ${filters.join(', ')})`);
  }
}
