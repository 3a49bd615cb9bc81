import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import type { Construct } from 'constructs';
import deepmerge from 'deepmerge';
import type { z } from 'zod';

import type { ComputeMode, PlatformConfig } from '../../lib/core/config';
import type { AddOnContext, KubernetesVersionRange, PlatformAddOn, ServiceAccountRef } from './addon';
import type { ChartSource, HelmValues } from './chart-release';
import type { EksAddonSpec, InstallableOptions, InstallMethod } from './install-method';
import { createEksAddon } from './managed-addon';
import { tolerationsFor } from './node-placement';
import type { HELM_OPTIONS, tolerationSchema } from './options';
import type { PodSet } from './pod-sets';

export { HELM_HANDLER_RESERVE, HELM_RELEASE_BEHAVIOUR, HELM_RELEASE_TIMEOUT, KUBECTL_HANDLER_LIMIT } from './helm-release-behaviour';

export type { HelmValues } from './chart-release';

/** Where a chart comes from; every add-on pins these beside its class. */
export interface HelmChartSpec extends ChartSource {
  /**
   * The Kubernetes versions this chart version supports.
   * @default - any version the app supports
   */
  readonly kubernetesVersions?: KubernetesVersionRange;
}

/**
 * A further release a Helm add-on owns beside its main chart, e.g. a chart of CRDs or of policies
 * for the main chart's controller. Delivered like the main chart (see `AddOnContext.releaseChart`).
 */
export interface AdditionalChart {
  /** Construct id of the release, unique in the add-on: its logical id derives from it. */
  readonly id: string;
  /** The chart, at the version to install. */
  readonly spec: HelmChartSpec;
  /**
   * `before`: the main chart depends on it (e.g. CRDs the controller watches); `after`: it depends
   * on the main chart (e.g. objects the main chart's CRDs or webhooks must admit), so it is also
   * deleted before it.
   */
  readonly order: 'before' | 'after';
  /**
   * Its values, from the context only (no AWS resources).
   * @default - the chart's own defaults
   */
  readonly values?: (context: AddOnContext) => HelmValues;
  /**
   * Let Helm create the namespace.
   * @default true
   */
  readonly createNamespace?: boolean;
}

/** A Kubernetes toleration, as Helm charts take them. */
export type Toleration = z.output<typeof tolerationSchema>;

/** Options every Helm add-on accepts (see `HELM_OPTIONS`), validated. */
export type HelmAddOnOptions = { readonly [K in keyof typeof HELM_OPTIONS]?: z.output<(typeof HELM_OPTIONS)[K]> };

/** Values are merged, not concatenated: a user's list replaces the add-on's. */
export function mergeValues(...layers: HelmValues[]): HelmValues {
  return deepmerge.all(layers, { arrayMerge: (_target, source: unknown[]) => source }) as HelmValues;
}

/**
 * Base class of add-ons installed from a Helm chart. Subclasses pin a {@link HelmChartSpec},
 * validate their options with their schema (`addOnOptions`) and pass the result here, create the
 * AWS resources the chart needs in {@link prerequisites} (which returns their handles, typed `P`),
 * compute their values from the context and those handles in {@link chartValues} (which creates
 * nothing), and may add objects after the chart (e.g. CRD instances) in {@link afterChart}.
 *
 * An add-on that also exists as an EKS add-on built from the same chart passes its
 * {@link EksAddonSpec} and takes `INSTALLABLE_OPTIONS`: with `install: "eks-addon"` the same values
 * (through {@link addonValues}) become the add-on's configuration values, and objects that need it
 * go in {@link afterAddon}.
 *
 * Further releases of the add-on (a CRD chart, a policies chart) are declared in
 * {@link additionalCharts}, each before or after the main chart.
 */
export abstract class HelmAddOn<
  O extends HelmAddOnOptions & InstallableOptions = HelmAddOnOptions,
  P = undefined,
> implements PlatformAddOn {
  abstract readonly id: string;
  abstract readonly computeModes: readonly ComputeMode[];
  readonly autoModeBuiltIn?: string;
  readonly dependsOn?: readonly string[];
  readonly conflictsWith?: readonly string[];
  readonly serviceAccounts?: readonly ServiceAccountRef[];
  /** The chart this add-on installs, with the user's version applied (with `helm`). */
  readonly chart: HelmChartSpec;
  /** How it is installed: from the chart, or as {@link eksAddon}. */
  readonly install: InstallMethod;
  /** The EKS add-on it can be installed as. @default - none: chart only */
  readonly eksAddon?: EksAddonSpec;
  /**
   * Leave out the chart's crds/ folder. Helm installs that folder only on a release's first install
   * and never upgrades it; an add-on whose configuration needs none of those CRDs skips them, so no
   * CRD is left behind at an old version after a chart upgrade.
   */
  protected readonly skipChartCrds: boolean = false;
  /** Releases installed beside the main chart, in this order within `before` and `after`. */
  readonly additionalCharts: readonly AdditionalChart[] = [];

  /** `options` are already validated by the subclass's schema. */
  protected constructor(
    defaults: HelmChartSpec,
    protected readonly options: O,
    eksAddon?: EksAddonSpec,
  ) {
    // An add-on without INSTALLABLE_OPTIONS (whose schema defaults `install`) has its chart only.
    this.install = options.install ?? 'helm';
    if (this.install === 'eks-addon' && !eksAddon) {
      throw new Error(`${defaults.chart}: install "eks-addon" needs the EKS add-on the chart is published as`);
    }
    this.eksAddon = eksAddon;
    const asAddon = this.install === 'eks-addon' ? eksAddon : undefined;
    // With eks-addon, `version` is the add-on's version: the chart keeps its tested one.
    this.chart = { ...defaults, version: (asAddon ? undefined : options.version) ?? defaults.version };
  }

  /**
   * The supported range of what gets installed: the chart's, or the EKS add-on's. A user's
   * `version` keeps the tested version's range, which may be stale.
   */
  get kubernetesVersions(): KubernetesVersionRange | undefined {
    return this.install === 'eks-addon' ? this.eksAddon?.kubernetesVersions : this.chart.kubernetesVersions;
  }

  /** The release namespace, or the EKS add-on's, and those of the additional charts. */
  get namespaces(): readonly string[] {
    const main = this.install === 'eks-addon' && this.eksAddon ? this.eksAddon.namespace : this.chart.namespace;
    return [...new Set([main, ...this.additionalCharts.map((c) => c.spec.namespace)])];
  }

  /**
   * The AWS resources the chart needs (IAM roles and policies, Pod Identity, queues), created in
   * `scope` before it: the chart (or EKS add-on) depends on each, so the controller starts with its
   * permissions. Returns the handles {@link chartValues} and {@link afterChart} use; synth warnings
   * about the add-on's scope are raised here too. An add-on without any returns `undefined`.
   */
  protected abstract prerequisites(scope: Construct, context: AddOnContext): P;

  /** The add-on's own values, from the context and the {@link prerequisites}' handles: creates nothing. */
  protected abstract chartValues(context: AddOnContext, prerequisites: P): HelmValues;

  /** How this chart takes a node selector and tolerations (most charts: top-level keys). */
  protected placementValues(nodeSelector: Readonly<Record<string, string>>, tolerations: readonly Toleration[]): HelmValues {
    return { nodeSelector, tolerations };
  }

  /**
   * Where this add-on's pods go: the configured node selector and tolerations, else `defaults`
   * (what the add-on or its chart sets). A configured node selector without tolerations gets
   * those of the node groups it picks, so pinning a chart to a dedicated (tainted) group works.
   */
  protected podPlacement(
    config: PlatformConfig,
    defaults: Pick<PodSet, 'nodeSelector' | 'tolerations'>,
  ): Pick<PodSet, 'nodeSelector' | 'tolerations'> {
    const selector = this.options.nodeSelector;
    return {
      nodeSelector: selector ?? defaults.nodeSelector,
      tolerations: this.options.tolerations ?? (selector ? tolerationsFor(config, selector) : defaults.tolerations),
    };
  }

  /**
   * Objects that need the chart (its CRDs or webhooks); they are applied after it. `chart` is what
   * the environment's delivery made of the release (a HelmChart, or an Argo CD Application and its
   * wait): depend on it, do not assume its class.
   */
  protected afterChart(_scope: Construct, _context: AddOnContext, _chart: Construct, _prerequisites: P): void {}

  /**
   * The add-on's own values as EKS add-on configuration (install "eks-addon"): by default the chart
   * values unchanged, since the add-on is built from the chart; drop what the add-on manages itself.
   */
  protected addonValues(values: HelmValues): HelmValues {
    return values;
  }

  /** Objects that need the EKS add-on (install "eks-addon"); they are applied after it. */
  protected afterAddon(_scope: Construct, _context: AddOnContext, _addon: eks.Addon, _prerequisites: P): void {}

  deploy(scope: Construct, context: AddOnContext): void {
    const made = this.prerequisites(scope, context);
    const own = this.chartValues(context, made);
    const { nodeSelector, tolerations } = this.podPlacement(context.config, { nodeSelector: {}, tolerations: [] });
    const placement = this.options.nodeSelector || this.options.tolerations ? [this.placementValues(nodeSelector, tolerations)] : [];
    // The chart or EKS add-on depends on everything created before it, these releases included.
    this.additionalReleases(scope, context, 'before');
    if (this.install === 'eks-addon' && this.eksAddon) {
      const configuration = mergeValues(this.addonValues(own), ...placement, { ...this.options.configurationValues });
      const addon = createEksAddon(scope, context, this.eksAddon.addonName, {
        version: this.options.version,
        configurationValues: Object.keys(configuration).length > 0 ? configuration : undefined,
      });
      this.additionalReleases(scope, context, 'after').forEach((c) => c.node.addDependency(addon));
      this.afterAddon(scope, context, addon, made);
      return;
    }
    const layers = [own, ...placement, this.options.values ?? {}];
    const prerequisites = [...scope.node.children];
    const chart = context.releaseChart(scope, {
      id: 'Chart',
      source: this.chart,
      values: mergeValues(...layers),
      createNamespace: true,
      skipCrds: this.skipChartCrds,
      order: 'main',
    });
    // IAM and Pod Identity first, so the controller starts with its permissions.
    prerequisites.forEach((p) => chart.node.addDependency(p));
    this.additionalReleases(scope, context, 'after').forEach((c) => c.node.addDependency(chart));
    this.afterChart(scope, context, chart, made);
  }

  /** The {@link additionalCharts} of one side of the main chart, delivered like it. */
  private additionalReleases(scope: Construct, context: AddOnContext, order: AdditionalChart['order']): Construct[] {
    return this.additionalCharts
      .filter((c) => c.order === order)
      .map(({ id, spec, values, createNamespace }) =>
        context.releaseChart(scope, {
          id,
          source: spec,
          ...(values ? { values: values(context) } : {}),
          createNamespace: createNamespace ?? true,
          order,
        }),
      );
  }
}
