import * as eks from 'aws-cdk-lib/aws-eks-v2';
import type { Construct } from 'constructs';
import { z } from 'zod';

import type { ComputeMode, ManagedAddonName } from '../../lib/core/config';
import { documented, kubernetesVersionInfo } from '../../lib/core/config';
import type { AddOnContext, PlatformAddOn, ServiceAccountRef } from './addon';
import { eksAddonVersion } from './options';

/** Options every EKS managed add-on accepts; add-ons spread this into their own schema. */
export const MANAGED_ADDON_OPTIONS = {
  /** @default - the version pinned for the cluster's Kubernetes version in lib/core/config/kubernetes-versions.ts */
  version: documented(eksAddonVersion, { description: 'Exact add-on version (`aws eks describe-addon-versions`).' }).optional(),
  /** @default - EKS defaults */
  configurationValues: documented(z.record(z.string(), z.unknown(), 'an object'), {
    allowed: 'an object',
    description: 'Add-on configuration values (`aws eks describe-addon-configuration`).',
  }).optional(),
} as const;

/** Options every EKS managed add-on accepts, validated. */
export type ManagedAddOnOptions = { readonly [K in keyof typeof MANAGED_ADDON_OPTIONS]?: z.output<(typeof MANAGED_ADDON_OPTIONS)[K]> };

/** Base class of add-ons installed as EKS managed add-ons. */
export abstract class ManagedAddOn implements PlatformAddOn {
  abstract readonly id: string;
  abstract readonly computeModes: readonly ComputeMode[];
  readonly autoModeBuiltIn?: string;
  readonly dependsOn?: readonly string[];
  readonly conflictsWith?: readonly string[];
  readonly serviceAccounts?: readonly ServiceAccountRef[];
  /** Namespaces the managed add-on's workloads run in. */
  abstract readonly namespaces: readonly string[];

  /** `options` are already validated by the subclass's schema. */
  protected constructor(
    readonly addonName: ManagedAddonName,
    protected readonly options: ManagedAddOnOptions = {},
  ) {}

  /** AWS resources the add-on needs before it starts (e.g. its Pod Identity). */
  protected prerequisites(_scope: Construct, _context: AddOnContext): void {}

  /** Objects that need the add-on running. */
  protected afterAddon(_scope: Construct, _context: AddOnContext, _addon: eks.Addon): void {}

  deploy(scope: Construct, context: AddOnContext): void {
    this.prerequisites(scope, context);
    const addon = createEksAddon(scope, context, this.addonName, this.options);
    this.afterAddon(scope, context, addon);
  }
}

/**
 * The EKS add-on `addonName` in `scope`, after everything already in `scope` (IAM, Pod Identity,
 * log groups), at the given version or the one pinned for the cluster's Kubernetes version.
 */
export function createEksAddon(
  scope: Construct,
  context: AddOnContext,
  addonName: ManagedAddonName,
  options: ManagedAddOnOptions,
): eks.Addon {
  const prerequisites = [...scope.node.children];
  const addon = new eks.Addon(scope, 'Addon', {
    cluster: context.cluster,
    addonName,
    addonVersion: options.version ?? kubernetesVersionInfo(context.config.kubernetesVersion).managedAddons[addonName],
    configurationValues: options.configurationValues ? { ...options.configurationValues } : undefined,
  });
  prerequisites.forEach((p) => addon.node.addDependency(p));
  return addon;
}
