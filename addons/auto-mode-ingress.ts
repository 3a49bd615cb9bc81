import { join } from 'node:path';

import type { z } from 'zod';

import { documented, flag, oneOf, strictObject } from '../lib/core/config';
import type { KubernetesObject } from '../lib/core/kubernetes-object';
import { PLATFORM_LABELS } from '../lib/core/kubernetes-object';
import type { AddOnContext, ClusterObjectRef } from './core/addon';
import { ManifestAddOn } from './core/manifest-addon';
import type { OptionsInput } from './core/options';
import { addOnOptions, objectName } from './core/options';
import type { ProvidedCapabilities } from './core/provides';
import type { AddOnRegistration } from './core/registration';
import { registerAddOn } from './core/registration';

/** Options of {@link AutoModeIngressAddOn}, in configuration and in code. */
export const AUTO_MODE_INGRESS_OPTIONS = strictObject(
  {
    className: documented(objectName, { description: 'Name of the IngressClass (and of its IngressClassParams).' }).default('alb'),
    scheme: documented(oneOf(['internet-facing', 'internal']), {
      description: 'Load balancer scheme of every Ingress of this class.',
    }).default('internet-facing'),
    isDefault: documented(flag(), {
      description: "Make it the cluster's default IngressClass (Ingresses without `ingressClassName` use it).",
    }).default(true),
  },
  'an object {className?, scheme?, isDefault?}',
);

/** Props for {@link AutoModeIngressAddOn}. */
export type AutoModeIngressAddOnProps = OptionsInput<typeof AUTO_MODE_INGRESS_OPTIONS>;

/**
 * The `alb` IngressClass of EKS Auto Mode. Auto Mode's built-in load balancing serves
 * Ingresses only through an IngressClass whose controller is `eks.amazonaws.com/alb`, configured
 * by an `IngressClassParams` object; a cluster has none until one is created.
 */
export class AutoModeIngressAddOn extends ManifestAddOn {
  static readonly ID = 'auto-mode-ingress';
  static readonly registration: AddOnRegistration = registerAddOn({
    id: AutoModeIngressAddOn.ID,
    summary: 'the alb IngressClass of EKS Auto Mode',
    options: AUTO_MODE_INGRESS_OPTIONS,
    create: (props) => new AutoModeIngressAddOn(props),
    docs: { prose: join(__dirname, 'auto-mode-ingress.md') },
  });
  readonly id = AutoModeIngressAddOn.ID;
  readonly computeModes = ['auto'] as const;

  /** IngressClass and IngressClassParams are cluster-scoped. */
  readonly namespaces = [];
  private readonly props: z.output<typeof AUTO_MODE_INGRESS_OPTIONS>;

  /** The IngressClass it creates, under its configured name. */
  readonly provides: ProvidedCapabilities;
  readonly clusterObjects: readonly ClusterObjectRef[];

  constructor(props: AutoModeIngressAddOnProps = {}) {
    super();
    this.props = addOnOptions(AutoModeIngressAddOn.ID, AUTO_MODE_INGRESS_OPTIONS, props);
    this.provides = { ingressClasses: [this.props.className] };
    this.clusterObjects = [{ kind: 'IngressClass', name: this.props.className, isDefault: this.props.isDefault }];
  }

  manifests(_context?: AddOnContext): KubernetesObject[] {
    const name = this.props.className;
    return [
      {
        apiVersion: 'eks.amazonaws.com/v1',
        kind: 'IngressClassParams',
        metadata: { name, labels: PLATFORM_LABELS },
        spec: { scheme: this.props.scheme },
      },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'IngressClass',
        metadata: {
          name,
          labels: PLATFORM_LABELS,
          annotations: { 'ingressclass.kubernetes.io/is-default-class': String(this.props.isDefault) },
        },
        spec: {
          controller: 'eks.amazonaws.com/alb',
          parameters: { apiGroup: 'eks.amazonaws.com', kind: 'IngressClassParams', name },
        },
      },
    ];
  }
}
