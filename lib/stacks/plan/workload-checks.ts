import type { PlatformAddOn } from '../../../addons/core/addon';
import type { ProvidedCapabilities } from '../../../addons/core/provides';
import type { ComputeMode, NginxWorkloadConfig, PlatformConfig, Problems, WorkloadName } from '../../core/config';
import { enabledWorkloads } from '../../core/config';

/*
 * What the sample workloads need from add-ons (an IngressClass, a load balancer class, DNS
 * records), asked of what each add-on of the plan declares it provides (`provides`), never of its
 * class: a consumer's add-on that provides the same serves the workload the same way. Each need
 * names, by id, the first-party add-on that provides it, for the error message.
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

/** What a workload needs from an add-on, the first-party add-on that provides it, and why (the error names them). */
export interface ControllerNeed {
  readonly addonId: string;
  readonly reason: string;
  /** What is needed, e.g. `the alb IngressClass`. */
  readonly what: string;
  /** Whether an add-on that declares `provides` serves the need. */
  readonly providedBy: (provides: ProvidedCapabilities) => boolean;
}

const ingressClass =
  (name: string) =>
  (p: ProvidedCapabilities): boolean =>
    p.ingressClasses?.includes(name) === true;
const loadBalancerClass =
  (name: string) =>
  (p: ProvidedCapabilities): boolean =>
    p.loadBalancerClasses?.includes(name) === true;
const dnsRecords = (p: ProvidedCapabilities): boolean => p.dnsRecords !== undefined;

/**
 * What must exist while a workload's load balancer or DNS name exists. On Auto Mode NLBs are
 * built in: only the ALB needs an IngressClass from an add-on.
 */
export function controllerNeeds(workload: WorkloadName, compute: ComputeMode): ControllerNeed[] {
  const needs: ControllerNeed[] = [];
  const alb = { what: `the ${ALB_INGRESS_CLASS} IngressClass`, providedBy: ingressClass(ALB_INGRESS_CLASS) };
  if (workload === 'game-2048') {
    needs.push(
      compute === 'auto'
        ? { ...alb, addonId: AUTO_MODE_INGRESS, reason: `its Ingress needs the ${ALB_INGRESS_CLASS} IngressClass of Auto Mode` }
        : {
            ...alb,
            addonId: AWS_LOAD_BALANCER_CONTROLLER,
            reason: `its Ingress needs the ${ALB_INGRESS_CLASS} IngressClass, which the AWS Load Balancer Controller serves on node groups`,
          },
    );
  } else if (compute === 'nodegroups') {
    needs.push({
      addonId: AWS_LOAD_BALANCER_CONTROLLER,
      reason: `its NLB Service (loadBalancerClass ${NLB_LOAD_BALANCER_CLASS.nodegroups}) is built by the AWS Load Balancer Controller on node groups`,
      what: `load balancer class ${NLB_LOAD_BALANCER_CLASS.nodegroups}`,
      providedBy: loadBalancerClass(NLB_LOAD_BALANCER_CLASS.nodegroups),
    });
  }
  if (workload === 'nginx') {
    needs.push({
      addonId: EXTERNAL_DNS,
      reason: 'external-dns publishes its host name in Route 53',
      what: 'Route 53 records',
      providedBy: dnsRecords,
    });
  }
  return needs;
}

/** The add-ons of `addons` that serve `need`, in their order. */
export function providersOf(need: ControllerNeed, addons: readonly PlatformAddOn[]): PlatformAddOn[] {
  return addons.filter((a) => a.provides !== undefined && need.providedBy(a.provides));
}

/**
 * Every enabled workload has add-ons that serve it (without its controller a load balancer would
 * never be created, and the stack would wait for its URL), and nginx's name is one an add-on that
 * provides DNS records publishes. Checked against the add-ons of the plan, wherever they came from.
 */
export function checkWorkloads(p: Problems, config: PlatformConfig, addons: readonly PlatformAddOn[]): void {
  for (const workload of enabledWorkloads(config.workloads)) {
    for (const need of controllerNeeds(workload, config.compute)) {
      if (providersOf(need, addons).length > 0) continue;
      const key = `workloads.${WORKLOAD_KEYS[workload]}`;
      if (addons.some((a) => a.id === need.addonId)) {
        p.add(
          key,
          true,
          `with compute=${config.compute} only together with an add-on that provides ${need.what} (${need.reason}); the selected "${need.addonId}" ` +
            'add-on does not, as configured: change its options, or turn the workload off in the workloads key',
        );
      } else {
        p.add(
          key,
          true,
          `with compute=${config.compute} only together with the "${need.addonId}" add-on (${need.reason}): add it, or turn the workload off in the workloads key`,
        );
      }
    }
  }
  const dns = addons.filter((a) => a.provides?.dnsRecords !== undefined);
  if (config.workloads.nginx && dns.length > 0) {
    checkNginxName(p, config.workloads.nginx, dns);
  }
}

/** Otherwise the certificate validates but nobody can resolve the name. */
function checkNginxName(p: Problems, nginx: NginxWorkloadConfig, providers: readonly PlatformAddOn[]): void {
  const records = (a: PlatformAddOn) => a.provides?.dnsRecords ?? { hostedZoneIds: [], domainFilters: [] };
  const names = providers.map((a) => a.id).join(' or ');
  const inZone = providers.filter((a) => records(a).hostedZoneIds.includes(nginx.hostedZoneId));
  if (inZone.length === 0) {
    const zones = providers.map((a) => `addons.${a.id}.hostedZoneIds: ${records(a).hostedZoneIds.join(', ')}`).join('; ');
    p.add('workloads.nginx.hostedZoneId', nginx.hostedZoneId, `a hosted zone ${names} manages (${zones})`);
  }
  const candidates = inZone.length > 0 ? inZone : providers;
  const covers = (d: string) => nginx.hostname === d || nginx.hostname.endsWith(`.${d}`);
  if (!candidates.some((a) => records(a).domainFilters.some(covers))) {
    const filters = candidates.map((a) => `addons.${a.id}.domainFilters: ${records(a).domainFilters.join(', ')}`).join('; ');
    p.add(
      'workloads.nginx.hostname',
      nginx.hostname,
      `a name inside the ${candidates.map((a) => a.id).join(' or ')} domain filters (${filters})`,
    );
  }
}
