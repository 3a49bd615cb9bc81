import { Duration } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import type { Construct } from 'constructs';
import deepmerge from 'deepmerge';
import type { z } from 'zod';
import type { ComputeMode } from '../../lib/config';
import type { AddOnContext, KubernetesVersionRange, PlatformAddOn, ServiceAccountRef } from './addon';
import type { HELM_OPTIONS, tolerationSchema } from './options';

/** Helm values: the chart's JSON/YAML configuration tree. */
export type HelmValues = Record<string, unknown>;

/** Where a chart comes from; every add-on pins these beside its class. */
export interface HelmChartSpec {
  /** Chart repository URL (https:// or oci://). */
  readonly repository: string;
  readonly chart: string;
  /** Exact chart version: ranges would make two synths deploy different software. */
  readonly version: string;
  /** Namespace of the release. */
  readonly namespace: string;
  /** Release name. */
  readonly release: string;
  /**
   * The Kubernetes versions this chart version supports.
   * @default - any version the app supports
   */
  readonly kubernetesVersions?: KubernetesVersionRange;
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
 * validate their options with their schema (`addOnOptions`) and pass the result here, compute
 * their values (creating IAM and other AWS resources in the same scope), and may add objects after
 * the chart (e.g. CRD instances) in {@link afterChart}.
 */
export abstract class HelmAddOn<O extends HelmAddOnOptions = HelmAddOnOptions> implements PlatformAddOn {
  abstract readonly id: string;
  abstract readonly computeModes: readonly ComputeMode[];
  readonly autoModeBuiltIn?: string;
  readonly dependsOn?: readonly string[];
  readonly conflictsWith?: readonly string[];
  readonly serviceAccounts?: readonly ServiceAccountRef[];
  /** The chart this add-on installs, with the user's version applied. */
  readonly chart: HelmChartSpec;
  /**
   * Leave out the chart's crds/ folder. Helm installs that folder only on a release's first install
   * and never upgrades it; an add-on whose configuration needs none of those CRDs skips them, so no
   * CRD is left behind at an old version after a chart upgrade.
   */
  protected readonly skipChartCrds: boolean = false;

  /** `options` are already validated by the subclass's schema. */
  protected constructor(defaults: HelmChartSpec, protected readonly options: O) {
    this.chart = { ...defaults, version: options.version ?? defaults.version };
  }

  /** The release namespace. */
  get namespaces(): readonly string[] {
    return [this.chart.namespace];
  }

  /** The chart's supported range; a user's `version` keeps the tested chart's range, which may be stale. */
  get kubernetesVersions(): KubernetesVersionRange | undefined {
    return this.chart.kubernetesVersions;
  }

  /** The add-on's own values; may create the AWS resources they reference in `scope`. */
  protected abstract chartValues(scope: Construct, context: AddOnContext): HelmValues;

  /** How this chart takes a node selector and tolerations (most charts: top-level keys). */
  protected placementValues(nodeSelector: Readonly<Record<string, string>>, tolerations: readonly Toleration[]): HelmValues {
    return { nodeSelector, tolerations };
  }

  /** Objects that need the chart (its CRDs or webhooks); they are applied after it. */
  protected afterChart(_scope: Construct, _context: AddOnContext, _chart: eks.HelmChart): void {}

  deploy(scope: Construct, context: AddOnContext): void {
    const layers = [this.chartValues(scope, context)];
    if (this.options.nodeSelector || this.options.tolerations) {
      layers.push(this.placementValues(this.options.nodeSelector ?? {}, this.options.tolerations ?? []));
    }
    layers.push(this.options.values ?? {});
    const prerequisites = [...scope.node.children];
    const chart = new eks.HelmChart(scope, 'Chart', {
      cluster: context.cluster,
      repository: this.chart.repository,
      chart: this.chart.chart,
      version: this.chart.version,
      namespace: this.chart.namespace,
      release: this.chart.release,
      createNamespace: true,
      skipCrds: this.skipChartCrds,
      values: mergeValues(...layers),
      // Dependent objects (CRD instances, load balancers) need the controller running, not just installed.
      wait: true,
      timeout: Duration.minutes(15),
    });
    // IAM and Pod Identity first, so the controller starts with its permissions.
    prerequisites.forEach((p) => chart.node.addDependency(p));
    this.afterChart(scope, context, chart);
  }
}
