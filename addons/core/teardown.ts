/*
 * The teardown facet of the add-on contract: what scripts/down.sh must do for an add-on that
 * CloudFormation alone cannot. PlatformStack publishes the union of every add-on's facet as its
 * `Teardown` output (lib/stacks/platform/teardown-output.ts); down.sh reads it and acts on each entry
 * by kind, never by add-on.
 */
import { KEPT_TAG } from '../../lib/core/config';

/**
 * Claims to delete before PlatformStack is deleted, while the add-on's driver still runs: each
 * PersistentVolumeClaim bound to a PersistentVolume of `csiDriver` (`spec.csi.driver`). The
 * driver then deletes what it provisioned outside CloudFormation, which could otherwise keep a
 * stack resource from being deleted.
 */
export interface ClaimCleanup {
  /** The CSI driver name, e.g. `efs.csi.aws.com`. */
  readonly csiDriver: string;
  /** Why the claims go, for down's log. */
  readonly reason: string;
}

/**
 * AWS resources that stay on purpose after PlatformStack is deleted (data the profile retains).
 * down.sh lists them and never deletes them, found by an exact tag value through the Resource
 * Groups Tagging API.
 */
export interface KeptResource {
  /**
   * The type as the Resource Groups Tagging API filters it, `service[:type]`, e.g.
   * `elasticfilesystem:file-system` (ResourceTypeFilters of GetResources:
   * https://docs.aws.amazon.com/resourcegroupstagging/latestAPIReference/API_GetResources.html).
   */
  readonly resourceType: string;
  /** A tag only this environment's resource carries, matched exactly. */
  readonly tag: { readonly key: string; readonly value: string };
  /** What it is, for the report. */
  readonly description: string;
  /** How to delete one for good, for the report (one line). */
  readonly howToDelete: string;
}

/**
 * The tag that marks `resource` as kept for `environment` (`platform:kept=<environment>/<resource>`),
 * for a kept resource that no other tag ties to this environment alone: e.g. one whose name is
 * fixed for the account, which the stack tags also mark as the stack's own and down.sh would
 * otherwise delete with the stack's other leftovers. Put the same tag on the resource.
 */
export function keptTag(environment: string, resource: string): KeptResource['tag'] {
  return { key: KEPT_TAG, value: `${environment}/${resource}` };
}

/** What an add-on leaves to the teardown. */
export interface AddOnTeardown {
  /** @default [] */
  readonly deleteClaims?: readonly ClaimCleanup[];
  /** @default [] */
  readonly kept?: readonly KeptResource[];
}
