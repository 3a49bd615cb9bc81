import type { Problems } from '../lib/config/problems';
import type { AddOnContext } from './core/addon';
import type { KubernetesObject } from './core/kubernetes-object';
import { PLATFORM_LABELS } from './core/kubernetes-object';
import { ManifestAddOn } from './core/manifest-addon';
import { checkOptionKeys } from './core/options';

/** Props for {@link AutoModeIngressAddOn}. */
export interface AutoModeIngressAddOnProps {
  /**
   * Name of the IngressClass (and of its IngressClassParams).
   * @default 'alb'
   */
  readonly className?: string;
  /**
   * Load balancer scheme of every Ingress of this class.
   * @default 'internet-facing'
   */
  readonly scheme?: 'internet-facing' | 'internal';
  /**
   * Make it the cluster's default IngressClass (Ingresses without `ingressClassName` use it).
   * @default true
   */
  readonly isDefault?: boolean;
}

const SCHEMES = ['internet-facing', 'internal'] as const;

/**
 * The `alb` IngressClass of EKS Auto Mode. Auto Mode's built-in load balancing serves
 * Ingresses only through an IngressClass whose controller is `eks.amazonaws.com/alb`, configured
 * by an `IngressClassParams` object; a cluster has none until one is created.
 */
export class AutoModeIngressAddOn extends ManifestAddOn {
  static readonly ID = 'auto-mode-ingress';
  readonly id = AutoModeIngressAddOn.ID;
  readonly computeModes = ['auto'] as const;

  static fromOptions(p: Problems, key: string, options: Readonly<Record<string, unknown>>): AutoModeIngressAddOn {
    checkOptionKeys(p, key, options, ['className', 'scheme', 'isDefault']);
    if (options.scheme !== undefined && !SCHEMES.includes(options.scheme as (typeof SCHEMES)[number])) {
      p.add(`${key}.scheme`, options.scheme, SCHEMES.join(', '));
    }
    if (options.className !== undefined && !(typeof options.className === 'string' && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(options.className))) {
      p.add(`${key}.className`, options.className, 'a Kubernetes object name');
    }
    if (options.isDefault !== undefined && typeof options.isDefault !== 'boolean') {
      p.add(`${key}.isDefault`, options.isDefault, 'true, false');
    }
    return new AutoModeIngressAddOn(options as AutoModeIngressAddOnProps);
  }

  constructor(private readonly props: AutoModeIngressAddOnProps = {}) {
    super();
  }

  manifests(_context?: AddOnContext): KubernetesObject[] {
    const name = this.props.className ?? 'alb';
    return [
      {
        apiVersion: 'eks.amazonaws.com/v1',
        kind: 'IngressClassParams',
        metadata: { name, labels: PLATFORM_LABELS },
        spec: { scheme: this.props.scheme ?? 'internet-facing' },
      },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'IngressClass',
        metadata: {
          name,
          labels: PLATFORM_LABELS,
          annotations: { 'ingressclass.kubernetes.io/is-default-class': String(this.props.isDefault ?? true) },
        },
        spec: {
          controller: 'eks.amazonaws.com/alb',
          parameters: { apiGroup: 'eks.amazonaws.com', kind: 'IngressClassParams', name },
        },
      },
    ];
  }
}
