import { join } from 'node:path';

import { Annotations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { z } from 'zod';

import type { NodeGroupConfig, PlatformConfig } from '../lib/core/config';
import { documented, flag, integer, strictObject } from '../lib/core/config';
import type { AddOnContext } from './core/addon';
import type { AdditionalChart, HelmChartSpec, HelmValues, Toleration } from './core/helm-addon';
import { HelmAddOn, mergeValues } from './core/helm-addon';
import { OPS_NODE_SELECTOR, tolerationsFor } from './core/node-placement';
import type { OptionsInput } from './core/options';
import { addOnOptions, HELM_OPTIONS } from './core/options';
import type { PodRequests, PodSet } from './core/pod-sets';
import { podRequests } from './core/pod-sets';
import type { AddOnRegistration } from './core/registration';
import { registerAddOn } from './core/registration';

/*
 * Sources (read 2026-12-01). The public index searched here holds no copy of the v1.19.1 tag, so
 * the pins rest on secondary records that quote it: two research notes citing
 * charts/kyverno/Chart.yaml at tag v1.19.1 (`version: 3.9.1`, `appVersion: v1.19.1`) and two
 * configurations pinning kyverno-policies 3.9.1 beside Kyverno 1.19.1. Chart keys are read from the
 * chart's values.yaml and README of the 3.x line and the kyverno-policies templates of its main
 * branch (baseline/*.cel.yaml, _helpers.tpl, ci/test-vpol-exclude-values.yaml); where a key is newer
 * than a copy we could read, its comment says so. Helm ignores unknown values, so a key missing
 * from 3.9.1 would be silently dropped, not fail the release.
 */

/** The tested chart. */
export const KYVERNO_CHART: HelmChartSpec = {
  repository: 'https://kyverno.github.io/kyverno/',
  chart: 'kyverno',
  version: '3.9.1',
  namespace: 'kyverno',
  release: 'kyverno',
  // Kyverno's releases page (docs/installation/releases.md) for v1.19: "Kubernetes Versions
  // Supported: v1.33 - v1.35", also endoflife.date's Kyverno page; the chart's own kubeVersion is
  // ">=1.25.0-0" (3.x Chart.yaml). No Kyverno release documents 1.36 yet (kyverno/kyverno#17626,
  // open on 2026-12-07; the kyverno/website releases page still lists v1.33 - v1.35), so the add-on is
  // refused on 1.36, and the app's default stays at 1.35 until a Kyverno that lists 1.36 is pinned.
  kubernetesVersions: { min: '1.33', max: '1.35', source: "Kyverno's releases page (v1.19)" },
};

/**
 * The Pod Security Standards as Kyverno policies, a second release in the same namespace. Released
 * in lockstep with the kyverno chart under the same version number, so `version` moves both.
 */
export const KYVERNO_POLICIES_CHART: Omit<HelmChartSpec, 'version'> = {
  repository: 'https://kyverno.github.io/kyverno/',
  chart: 'kyverno-policies',
  namespace: 'kyverno',
  release: 'kyverno-policies',
};

/** Namespaces Kubernetes itself runs in; Kyverno leaves them alone, as its own namespace. */
export const KYVERNO_SYSTEM_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease'] as const;

/**
 * Nodes the controllers run on on managed node groups: InfraStack's default "ops" node group
 * (`OPS_NODE_GROUP`) carries this label; Auto Mode has no such group and schedules them itself.
 */
export const KYVERNO_NODE_SELECTOR: Readonly<Record<string, string>> = OPS_NODE_SELECTOR;

/**
 * The baseline policies the pinned kyverno-policies chart renders as ValidatingPolicies
 * (templates/baseline/*.cel.yaml; disallow-host-probes only on Kubernetes 1.34 or later, which is
 * every version this add-on accepts).
 */
export const KYVERNO_BASELINE_POLICIES = [
  'disallow-capabilities',
  'disallow-host-namespaces',
  'disallow-host-path',
  'disallow-host-ports',
  'disallow-host-probes',
  'disallow-host-process',
  'disallow-privileged-containers',
  'disallow-proc-mount',
  'disallow-selinux',
  'restrict-apparmor-profiles',
  'restrict-seccomp',
  'restrict-sysctls',
] as const;

/**
 * The capabilities `disallow-capabilities` lets a container add (its CEL expression in
 * templates/baseline/disallow-capabilities.cel.yaml): the Pod Security Standards' baseline list.
 */
export const KYVERNO_BASELINE_CAPABILITIES = [
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
] as const;

const CONTROLLERS = ['admissionController', 'backgroundController', 'cleanupController', 'reportsController'] as const;
/** Replicas of the background, cleanup and reports controllers (leader election: availability only). */
const OTHER_REPLICAS = 2;
/** Requests of each controller container, set below (the chart's 3.x defaults, restated). */
const ADMISSION_REQUESTS = { cpu: '100m', memory: '128Mi' } as const;
const OTHER_REQUESTS = { cpu: '100m', memory: '64Mi' } as const;

/** Options of {@link KyvernoAddOn}, in configuration and in code. */
export const KYVERNO_OPTIONS = strictObject(
  {
    ...HELM_OPTIONS,
    /** @default - the tested version: KYVERNO_CHART.version, for both charts */
    version: documented(HELM_OPTIONS.version, {
      description:
        'Exact version of both charts (kyverno and kyverno-policies are released together under one version number) instead of the tested one.',
    }),
    /** @default - on node groups `workload-type: ops` when a node group carries it; none on Auto Mode */
    nodeSelector: documented(HELM_OPTIONS.nodeSelector, {
      description: 'Node selector of every Kyverno pod (controllers and hooks); replaces the default `workload-type: ops` on node groups.',
    }),
    enforce: documented(flag(), {
      description:
        'Deny pods that break the baseline Pod Security Standard (validationFailureAction Enforce, failurePolicy Fail); false only reports them in PolicyReports (Audit, failurePolicy Ignore).',
    }).default(false),
    replicas: documented(integer(1, 9), {
      description:
        'Admission controller replicas; Kyverno documents three as the minimum for high availability. The background, cleanup and reports controllers get two (leader election, availability only).',
    }).default(3),
  },
  'an object of kyverno options',
);

/** Props for {@link KyvernoAddOn}. */
export type KyvernoAddOnProps = OptionsInput<typeof KYVERNO_OPTIONS>;

/**
 * Kyverno with the baseline Pod Security Standard as ValidatingPolicies (the kyverno-policies
 * chart), in Audit mode unless `enforce`. The webhooks and the policies leave the system
 * namespaces, Kyverno's and every platform add-on's namespace alone. Needs no AWS permissions.
 */
export class KyvernoAddOn extends HelmAddOn<z.output<typeof KYVERNO_OPTIONS>> {
  static readonly ID = 'kyverno';
  static readonly registration: AddOnRegistration = registerAddOn({
    id: KyvernoAddOn.ID,
    summary: 'Kyverno policy engine with the baseline Pod Security Standard (Audit by default, optional Enforce)',
    options: KYVERNO_OPTIONS,
    create: (props) => new KyvernoAddOn(props),
    docs: { prose: join(__dirname, 'kyverno.md') },
  });

  readonly id = KyvernoAddOn.ID;
  readonly computeModes = ['auto', 'nodegroups'] as const;

  constructor(props: KyvernoAddOnProps = {}) {
    super(KYVERNO_CHART, addOnOptions(KyvernoAddOn.ID, KYVERNO_OPTIONS, props));
  }

  /** The baseline policies, after the chart (they need its CRDs and webhooks); deleted before it. */
  readonly additionalCharts: readonly AdditionalChart[] = [
    {
      id: 'PoliciesChart',
      spec: { ...KYVERNO_POLICIES_CHART, version: this.chart.version },
      order: 'after',
      values: (context) => this.policyValues(context),
      createNamespace: false,
    },
  ];

  /** Namespaces neither the webhooks nor the policies look at: the system's, Kyverno's and the platform's. */
  excludedNamespaces(context: AddOnContext): string[] {
    return [...new Set([...KYVERNO_SYSTEM_NAMESPACES, this.chart.namespace, ...context.platformNamespaces])].sort();
  }

  /**
   * The four controllers, where {@link defaultPlacement} puts them. Requests are this add-on's
   * values; the admission controller's init container (`kyverno-pre`, 10m/64Mi in chart 3.9.0
   * values.yaml) requests less than its main container, so the main container counts. Hook jobs
   * (CRD migration, webhook cleanup) run one pod at a time, briefly, and are not counted.
   */
  podSets(config: PlatformConfig): PodSet[] {
    const pinned = config.compute === 'nodegroups' && carriesLabels(config.nodeGroups, KYVERNO_NODE_SELECTOR);
    const placement = this.podPlacement(
      config,
      pinned
        ? { nodeSelector: KYVERNO_NODE_SELECTOR, tolerations: tolerationsFor(config, KYVERNO_NODE_SELECTOR) }
        : { nodeSelector: {}, tolerations: [] },
    );
    const source = `this add-on's values (chart ${this.chart.version})`;
    const set = (name: string, replicas: number, requests: PodRequests): PodSet => ({
      name: `kyverno ${name}`,
      replicas,
      requests,
      ...placement,
      source,
    });
    const other = podRequests(OTHER_REQUESTS.cpu, OTHER_REQUESTS.memory);
    return [
      set('admission controller', this.options.replicas, podRequests(ADMISSION_REQUESTS.cpu, ADMISSION_REQUESTS.memory)),
      set('background controller', OTHER_REPLICAS, other),
      set('cleanup controller', OTHER_REPLICAS, other),
      set('reports controller', OTHER_REPLICAS, other),
    ];
  }

  /** Needs no AWS resources; warns when the controllers cannot be pinned to the ops nodes. */
  protected prerequisites(scope: Construct, context: AddOnContext): undefined {
    if (this.pinsByDefault(context) && !carriesLabels(context.config.nodeGroups, KYVERNO_NODE_SELECTOR)) {
      Annotations.of(scope).addWarningV2(
        'cdk-eks-platform:kyverno-placement',
        "no node group carries workload-type=ops: the Kyverno controllers are not pinned to the ops nodes; set the kyverno add-on's nodeSelector",
      );
    }
    return undefined;
  }

  protected chartValues(context: AddOnContext): HelmValues {
    const replicas = this.options.replicas;
    const controller = (count: number, requests: Record<string, string>, memoryLimit: string): HelmValues => ({
      replicas: count,
      // The chart turns a budget on by itself above one replica; say so rather than rely on it.
      podDisruptionBudget: { enabled: count > 1, minAvailable: 1 },
      resources: { requests, limits: { memory: memoryLimit } },
    });
    const { resources: admissionResources, ...admission } = controller(replicas, { ...ADMISSION_REQUESTS }, '384Mi');
    return mergeValues(
      {
        // The chart's defaults (values.yaml of 3.x), restated so README's cost section stays true.
        admissionController: { ...admission, container: { resources: admissionResources } },
        backgroundController: controller(OTHER_REPLICAS, { ...OTHER_REQUESTS }, '128Mi'),
        cleanupController: controller(OTHER_REPLICAS, { ...OTHER_REQUESTS }, '128Mi'),
        reportsController: controller(OTHER_REPLICAS, { ...OTHER_REQUESTS }, '128Mi'),
        config: {
          // The webhooks' namespaceSelector (an object since chart 3.x; its default excludes
          // kube-system only). The immutable kubernetes.io/metadata.name label, as Kyverno's
          // installation guide recommends over object labels a user could set.
          webhooks: {
            namespaceSelector: {
              matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: this.excludedNamespaces(context) }],
            },
          },
        },
        // A Helm pre-delete hook (on by default since chart 3.1) deletes Kyverno's webhook
        // configurations before the controllers go, so nothing Kyverno no longer answers for is
        // blocked by a fail-closed webhook during teardown. autoDeleteWebhooks (finalizers on the
        // deployment) stays off: a finalizer nobody removes would hang the release's deletion.
        webhooksCleanup: { enabled: true },
      },
      this.defaultPlacement(context),
    );
  }

  /**
   * On node groups, the controllers go to the "ops" nodes when a node group carries the label, and
   * tolerate exactly that group's taints (a dedicated group's, e.g. `CriticalAddonsOnly`).
   */
  private defaultPlacement(context: AddOnContext): HelmValues {
    if (!this.pinsByDefault(context) || !carriesLabels(context.config.nodeGroups, KYVERNO_NODE_SELECTOR)) return {};
    return this.placementValues(KYVERNO_NODE_SELECTOR, tolerationsFor(context.config, KYVERNO_NODE_SELECTOR));
  }

  /** On node groups, without a configured node selector, the controllers go to the ops nodes if any. */
  private pinsByDefault(context: AddOnContext): boolean {
    return context.config.compute === 'nodegroups' && !this.options.nodeSelector;
  }

  /**
   * `global.nodeSelector`/`global.tolerations` reach every pod the chart makes (hooks and cleanup
   * jobs too); the controllers and the webhook cleanup hook also get them directly, since copies
   * of the chart older than the global keys read only their own.
   */
  protected placementValues(nodeSelector: Readonly<Record<string, string>>, tolerations: readonly Toleration[]): HelmValues {
    const placement = { nodeSelector, tolerations };
    return {
      global: placement,
      webhooksCleanup: placement,
      ...Object.fromEntries(CONTROLLERS.map((c) => [c, placement])),
    };
  }

  /** Values of the kyverno-policies chart. */
  policyValues(context: AddOnContext): HelmValues {
    const enforce = this.options.enforce;
    return {
      // ValidatingPolicy (policies.kyverno.io), not ClusterPolicy: Kyverno 1.19 deprecates
      // ClusterPolicy and announces its removal in 1.20 (upgrading.md, "Upgrading to Kyverno v1.19").
      policyType: 'ValidatingPolicy',
      podSecurityStandard: 'baseline',
      // The chart maps Enforce to validationActions [Deny] and Audit to [Audit] (_helpers.tpl).
      validationFailureAction: enforce ? 'Enforce' : 'Audit',
      // Audit denies nothing, so an unreachable Kyverno must not block pods either; Enforce fails
      // closed, or an outage would quietly switch the policies off.
      failurePolicy: enforce ? 'Fail' : 'Ignore',
      background: true,
      // Keeps the platform's pods out of the policies and their background reports as well; the
      // webhook namespaceSelector above already keeps their admission requests away. (vpolExclude
      // is read from the chart's main branch; the release that added it is not pinned here.)
      vpolExclude: { excludeNamespaces: this.excludedNamespaces(context) },
    };
  }
}

function carriesLabels(nodeGroups: readonly NodeGroupConfig[], selector: Readonly<Record<string, string>>): boolean {
  return nodeGroups.some((g) => Object.entries(selector).every(([key, value]) => g.labels[key] === value));
}
