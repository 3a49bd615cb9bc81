import type { ComputeMode } from '../lib/config/types';
import { isRecord, readJson, REPORTED } from '../lib/config/parse';
import { Problems } from '../lib/config/problems';
import { ArgoCdAddOn } from './argo-cd';
import { AutoModeIngressAddOn } from './auto-mode-ingress';
import { AwsLoadBalancerControllerAddOn } from './aws-load-balancer-controller';
import { KarpenterAddOn } from './karpenter';
import { CertManagerAddOn } from './cert-manager';
import { ExternalDnsAddOn } from './external-dns';
import type { PlatformAddOn } from './core/addon';
import { HelmAddOn } from './core/helm-addon';
import { selectionProblems } from './core/resolve';
import { MetricsServerAddOn } from './metrics-server';
import { StorageAddOn } from './storage';

/** One add-on in configuration: its id and its (already validated) options. */
export interface AddOnSelection {
  readonly id: string;
  readonly options: Readonly<Record<string, unknown>>;
}

/** How configuration creates a first-party add-on. */
export interface CatalogEntry {
  /** One line for README's add-on table and error messages. */
  readonly summary: string;
  /** Validates options (reporting problems under `key`) and creates the add-on. */
  readonly fromOptions: (p: Problems, key: string, options: Readonly<Record<string, unknown>>) => PlatformAddOn;
}

/** First-party add-ons selectable by id in configuration. */
export const CATALOG: Readonly<Record<string, CatalogEntry>> = {
  [MetricsServerAddOn.ID]: { summary: 'metrics-server (kubectl top, HPA)', fromOptions: MetricsServerAddOn.fromOptions },
  [StorageAddOn.ID]: { summary: 'default encrypted gp3 StorageClass (+ EBS CSI driver on node groups)', fromOptions: StorageAddOn.fromOptions },
  [AutoModeIngressAddOn.ID]: { summary: 'the alb IngressClass of EKS Auto Mode', fromOptions: AutoModeIngressAddOn.fromOptions },
  [AwsLoadBalancerControllerAddOn.ID]: { summary: 'AWS Load Balancer Controller: ALBs for the alb IngressClass, NLBs for loadBalancerClass service.k8s.aws/nlb', fromOptions: AwsLoadBalancerControllerAddOn.fromOptions },
  [KarpenterAddOn.ID]: { summary: 'Karpenter node autoscaling: controller, interruption queue, node role, default EC2NodeClass and spot/on-demand NodePool', fromOptions: KarpenterAddOn.fromOptions },
  [CertManagerAddOn.ID]: { summary: 'cert-manager (X.509 certificates as Kubernetes objects, CRDs included)', fromOptions: CertManagerAddOn.fromOptions },
  [ExternalDnsAddOn.ID]: { summary: 'ExternalDNS for Route 53 (records for Services and Ingresses in the configured hosted zones)', fromOptions: ExternalDnsAddOn.fromOptions },
  [ArgoCdAddOn.ID]: { summary: 'Argo CD (GitOps), optionally bootstrapped from a Git repository (app-of-apps or ApplicationSet)', fromOptions: ArgoCdAddOn.fromOptions },
};

/** What a workshop cluster gets when `addons` is not configured. */
export const DEFAULT_ADDONS: Readonly<Record<ComputeMode, readonly string[]>> = {
  auto: [MetricsServerAddOn.ID, StorageAddOn.ID, AutoModeIngressAddOn.ID],
  nodegroups: [MetricsServerAddOn.ID, StorageAddOn.ID, AwsLoadBalancerControllerAddOn.ID, KarpenterAddOn.ID],
};

function parseSelection(p: Problems, raw: unknown): AddOnSelection[] | undefined {
  const value = typeof raw === 'string' && !/^\s*[[{]/.test(raw)
    ? raw.split(',').map((id) => id.trim()).filter((id) => id !== '' && id !== 'none')
    : readJson(p, 'addons', raw);
  if (value === REPORTED) return undefined;
  if (Array.isArray(value) && value.every((id) => typeof id === 'string')) {
    return value.map((id: string) => ({ id, options: {} }));
  }
  if (isRecord(value) && Object.values(value).every((o) => o === true || isRecord(o))) {
    return Object.entries(value).map(([id, options]) => ({ id, options: isRecord(options) ? options : {} }));
  }
  p.add('addons', raw, 'a list of add-on ids ("metrics-server,storage"), or a JSON object of id to options ({"argo-cd": {...}})');
  return undefined;
}

/**
 * Reads the `addons` key: ids from the catalog with their options. Unknown ids, bad options and
 * selections that cannot work on the compute mode are reported like any other configuration error.
 */
export function readAddOnSelection(p: Problems, raw: unknown, compute: ComputeMode): AddOnSelection[] {
  const selection = raw === undefined
    ? DEFAULT_ADDONS[compute].map((id) => ({ id, options: {} }))
    : parseSelection(p, raw);
  if (!selection) return [];
  const created: PlatformAddOn[] = [];
  for (const { id, options } of selection) {
    const entry = CATALOG[id];
    if (!entry) {
      p.add('addons', id, `an add-on id: ${Object.keys(CATALOG).join(', ')}`);
      continue;
    }
    created.push(entry.fromOptions(p, `addons.${id}`, options));
  }
  for (const problem of selectionProblems(created, compute)) {
    p.add('addons', selection.map((s) => s.id).join(','), problem);
  }
  return selection;
}

/** Namespaces the selected add-ons install into; application teams may not own them. */
export function addOnNamespaces(selection: readonly AddOnSelection[]): string[] {
  const scratch = new Problems();
  return createAddOns(scratch, selection.filter(({ id }) => CATALOG[id] !== undefined))
    .flatMap((addon) => (addon instanceof HelmAddOn ? [addon.chart.namespace] : []));
}

/** Creates the configured add-ons (their options were validated by {@link readAddOnSelection}). */
export function createAddOns(p: Problems, selection: readonly AddOnSelection[]): PlatformAddOn[] {
  return selection.map(({ id, options }) => CATALOG[id].fromOptions(p, `addons.${id}`, options));
}
