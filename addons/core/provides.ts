/*
 * The capabilities facet: what an add-on gives the workloads of the cluster. The plan asks it which
 * add-on serves a workload's IngressClass, load balancer class or DNS name, so a consumer's add-on
 * that serves one counts exactly like the first-party add-on that usually does.
 */

/** Route 53 records published for annotated Services and Ingresses. */
export interface DnsRecordsCapability {
  /**
   * The hosted zones records are written to. Problems name them as `addons.<id>.hostedZoneIds`,
   * so an add-on that provides DNS takes them under that option name.
   */
  readonly hostedZoneIds: readonly string[];
  /** The domains names are published for (a name must be one of them or below one); `addons.<id>.domainFilters`. */
  readonly domainFilters: readonly string[];
}

/** What an add-on makes available to workloads; every field is optional. */
export interface ProvidedCapabilities {
  /**
   * IngressClass names whose Ingresses the add-on turns into load balancers (it creates the class).
   * @default []
   */
  readonly ingressClasses?: readonly string[];
  /**
   * Values of a Service's `spec.loadBalancerClass` the add-on builds load balancers for.
   * @default []
   */
  readonly loadBalancerClasses?: readonly string[];
  /**
   * DNS records it publishes.
   * @default - none
   */
  readonly dnsRecords?: DnsRecordsCapability;
}
