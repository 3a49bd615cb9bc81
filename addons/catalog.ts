import { ConfigError } from '../lib/core/config';
import { AckAddOn } from './ack';
import { ArgoCdAddOn } from './argo-cd';
import { AutoModeIngressAddOn } from './auto-mode-ingress';
import { AwsLoadBalancerControllerAddOn } from './aws-load-balancer-controller';
import { CertManagerAddOn } from './cert-manager';
import { CloudWatchObservabilityAddOn } from './cloudwatch-observability';
import type { AddOnRegistration } from './core/registration';
import { EfsAddOn } from './efs';
import { ExternalDnsAddOn } from './external-dns';
import { ExternalSecretsAddOn } from './external-secrets';
import { KarpenterAddOn } from './karpenter';
import { KroAddOn } from './kro';
import { KyvernoAddOn } from './kyverno';
import { MetricsServerAddOn } from './metrics-server';
import { NodeMonitoringAddOn } from './node-monitoring';
import { PrometheusAddOn } from './prometheus';
import { StorageAddOn } from './storage';

/** The first-party add-ons, in README order. */
export const FIRST_PARTY_ADDONS: readonly AddOnRegistration[] = [
  MetricsServerAddOn.registration,
  StorageAddOn.registration,
  EfsAddOn.registration,
  AutoModeIngressAddOn.registration,
  AwsLoadBalancerControllerAddOn.registration,
  KarpenterAddOn.registration,
  CertManagerAddOn.registration,
  ExternalDnsAddOn.registration,
  ExternalSecretsAddOn.registration,
  ArgoCdAddOn.registration,
  KyvernoAddOn.registration,
  AckAddOn.registration,
  KroAddOn.registration,
  CloudWatchObservabilityAddOn.registration,
  PrometheusAddOn.registration,
  NodeMonitoringAddOn.registration,
];

/**
 * The add-ons configuration can select by id. Immutable: `with` returns a new catalog, so a
 * consumer's registrations never leak into another app in the same process.
 *
 * ```ts
 * const catalog = AddOnCatalog.firstParty().with(MyAddOn.registration);
 * buildPlatformApp(app, { catalog }); // cdk.json: "addons": {"my-addon": {...}}
 * ```
 */
export class AddOnCatalog {
  /** The first-party add-ons. */
  static firstParty(): AddOnCatalog {
    return new AddOnCatalog(FIRST_PARTY_ADDONS);
  }

  private readonly byId: ReadonlyMap<string, AddOnRegistration>;

  constructor(registrations: readonly AddOnRegistration[]) {
    const byId = new Map<string, AddOnRegistration>();
    const problems: string[] = [];
    for (const registration of registrations) {
      if (byId.has(registration.id)) {
        problems.push(`catalog: got "${registration.id}" twice; allowed: one registration per add-on id`);
      }
      byId.set(registration.id, registration);
    }
    if (problems.length > 0) {
      throw new ConfigError(problems);
    }
    this.byId = byId;
  }

  /** This catalog plus `registrations` (their ids must be new). */
  with(...registrations: readonly AddOnRegistration[]): AddOnCatalog {
    return new AddOnCatalog([...this.byId.values(), ...registrations]);
  }

  /** The registration of `id`, if any. */
  get(id: string): AddOnRegistration | undefined {
    return this.byId.get(id);
  }

  /** Every registration, in registration order. */
  get registrations(): readonly AddOnRegistration[] {
    return [...this.byId.values()];
  }

  /** Every id, in registration order. */
  get ids(): readonly string[] {
    return [...this.byId.keys()];
  }
}
