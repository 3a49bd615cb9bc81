import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import type { Construct } from 'constructs';

/** Helm values: the chart's JSON/YAML configuration tree. */
export type HelmValues = Record<string, unknown>;

/** Where a chart comes from and where it is released: what every delivery installs. */
export interface ChartSource {
  /** Chart repository URL (https:// or oci://). */
  readonly repository: string;
  readonly chart: string;
  /** Exact chart version: ranges would make two synths deploy different software. */
  readonly version: string;
  /** Namespace of the release. */
  readonly namespace: string;
  /** Release name. */
  readonly release: string;
}

/** Where a release stands among the releases of its add-on. */
export type ReleaseOrder = 'before' | 'main' | 'after';

/** One chart release of an add-on, as it asks the platform for it. */
export interface ChartRelease {
  /** Construct id, unique in the add-on's scope: logical ids derive from it. */
  readonly id: string;
  readonly source: ChartSource;
  /** @default - the chart's own defaults */
  readonly values?: HelmValues;
  /** Create the release namespace if it does not exist. */
  readonly createNamespace: boolean;
  /** Leave out the chart's crds/ folder. @default - the delivery's default: CRDs are installed */
  readonly skipCrds?: boolean;
  /**
   * `before` the add-on's main chart (its CRDs), the `main` chart, or `after` it (objects its CRDs
   * or webhooks admit): the delivery orders the add-on's releases by it.
   */
  readonly order: ReleaseOrder;
}

/**
 * How the platform delivers a chart release into `scope`: the delivery of the environment
 * (configuration key `delivery`). It returns what later objects depend on to find the release
 * installed: the Helm release, or the Argo CD Application and its wait.
 */
export type ReleaseChart = (scope: Construct, release: ChartRelease) => Construct;

/** What a GitOps engine needs to deliver one add-on's charts (see `PlatformAddOn.gitopsDelivery`). */
export interface GitOpsDeliveryRequest {
  readonly cluster: eks.ICluster;
  /** The add-on whose charts these are. */
  readonly addonId: string;
  /** Its dependency level in the plan: 0 for an add-on that needs none, else one more than those it follows. */
  readonly level: number;
  /** The engine add-on's own scope: the releases are applied after it, and deleted before it. */
  readonly engineScope: Construct;
}
