import * as eks from 'aws-cdk-lib/aws-eks-v2';
import type { Construct } from 'constructs';
import type { ComputeMode, ManagedAddonName } from '../../lib/config';
import { kubernetesVersionInfo } from '../../lib/config/kubernetes-versions';
import type { AddOnContext, PlatformAddOn } from './addon';

/** Options every EKS managed add-on accepts. */
export interface ManagedAddOnProps {
  /**
   * Exact add-on version (`aws eks describe-addon-versions`).
   * @default - the version pinned for the cluster's Kubernetes version in lib/config/kubernetes-versions.ts
   */
  readonly version?: string;
  /**
   * Add-on configuration values (the add-on's JSON schema, `aws eks describe-addon-configuration`).
   * @default - EKS defaults
   */
  readonly configurationValues?: Readonly<Record<string, unknown>>;
}

/** Base class of add-ons installed as EKS managed add-ons. */
export abstract class ManagedAddOn implements PlatformAddOn {
  abstract readonly id: string;
  abstract readonly computeModes: readonly ComputeMode[];
  readonly autoModeBuiltIn?: string;
  readonly dependsOn?: readonly string[];
  readonly conflictsWith?: readonly string[];

  protected constructor(readonly addonName: ManagedAddonName, protected readonly props: ManagedAddOnProps = {}) {}

  /** AWS resources the add-on needs before it starts (e.g. its Pod Identity). */
  protected prerequisites(_scope: Construct, _context: AddOnContext): void {}

  /** Objects that need the add-on running. */
  protected afterAddon(_scope: Construct, _context: AddOnContext, _addon: eks.Addon): void {}

  deploy(scope: Construct, context: AddOnContext): void {
    this.prerequisites(scope, context);
    const prerequisites = [...scope.node.children];
    const addon = new eks.Addon(scope, 'Addon', {
      cluster: context.cluster,
      addonName: this.addonName,
      addonVersion: this.props.version ?? kubernetesVersionInfo(context.config.kubernetesVersion).managedAddons[this.addonName],
      configurationValues: this.props.configurationValues ? { ...this.props.configurationValues } : undefined,
    });
    prerequisites.forEach((p) => addon.node.addDependency(p));
    this.afterAddon(scope, context, addon);
  }
}
