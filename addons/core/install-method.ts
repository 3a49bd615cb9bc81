import type { z } from 'zod';

import type { ManagedAddonName } from '../../lib/core/config';
import { documented, oneOf } from '../../lib/core/config';
import type { KubernetesVersionRange } from './addon';
import { MANAGED_ADDON_OPTIONS } from './managed-addon';
import { chartVersion, HELM_OPTIONS } from './options';

/*
 * Some add-ons exist twice: as the upstream Helm chart and as an EKS community add-on built from it.
 * The EKS user guide, "Community add-ons" (awsdocs/amazon-eks-user-guide
 * latest/ug/workloads/community-addons.adoc, read 2026-12-01), says AWS validates community add-ons
 * only for version compatibility with the cluster's Kubernetes version and supports only their
 * lifecycle through the EKS API (install, update, delete); the software itself is the project's.
 * The option below lets such an add-on be installed either way from the same options.
 */

/** How an add-on that has both forms is installed. */
export const INSTALL_METHODS = ['helm', 'eks-addon'] as const;
/** `helm`: the pinned chart; `eks-addon`: the EKS community add-on. */
export type InstallMethod = (typeof INSTALL_METHODS)[number];

/** An EKS add-on version as `aws eks describe-addon-versions` prints it. */
const EKS_ADDON_VERSION = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;

/** The EKS add-on an add-on installs instead of its chart with `install: "eks-addon"`. */
export interface EksAddonSpec {
  /** The add-on's name in the EKS API. */
  readonly addonName: ManagedAddonName;
  /** The namespace EKS installs it into. */
  readonly namespace: string;
  /**
   * The Kubernetes versions the add-on may be installed on.
   * @default - any version the app supports
   */
  readonly kubernetesVersions?: KubernetesVersionRange;
}

/**
 * Options of an add-on that can be installed from its chart or as an EKS add-on: the Helm options,
 * `install`, and the EKS add-on's `configurationValues`. `version` takes the form of the method.
 */
export const INSTALLABLE_OPTIONS = {
  ...HELM_OPTIONS,
  /** @default - the tested chart version (helm); EKS's default add-on version for the cluster's Kubernetes version (eks-addon) */
  version: documented(chartVersion, {
    allowed: 'an exact chart version such as 1.2.3 (helm), an EKS add-on version such as v1.2.3-eksbuild.1 (eks-addon)',
    description:
      'With `helm`, the chart version to deploy instead of the tested one; with `eks-addon`, the add-on version ' +
      "(`aws eks describe-addon-versions --addon-name <name>`). Default: the tested chart; EKS's default add-on version for the cluster.",
  }).optional(),
  install: documented(oneOf(INSTALL_METHODS), {
    description:
      '`helm` installs the pinned chart; `eks-addon` installs the EKS community add-on of the same name instead ' +
      "(EKS checks its version against the cluster's Kubernetes version, also on cluster upgrades).",
  }).default('helm'),
  /** @default - none: the add-on's own configuration (with install "helm", it must stay unset) */
  configurationValues: documented(MANAGED_ADDON_OPTIONS.configurationValues.unwrap(), {
    description:
      "With `eks-addon` only: add-on configuration merged over the add-on's own (`aws eks describe-addon-configuration`); " +
      'with `helm`, use `values`.',
  }).optional(),
} as const;

/** The options {@link INSTALLABLE_OPTIONS} adds to the Helm options, validated. */
export interface InstallableOptions {
  readonly install?: InstallMethod;
  readonly configurationValues?: Readonly<Record<string, unknown>>;
}

/** What {@link refineInstallMethod} reads of the options, parsed (`install` defaulted). */
interface InstallChoice extends InstallableOptions {
  readonly install: InstallMethod;
  readonly version?: string;
  readonly values?: Readonly<Record<string, unknown>>;
}

/**
 * The checks between `install` and the options of one method only, as a zod refinement:
 * Helm values and chart versions are refused with `eks-addon`, EKS add-on configuration and
 * versions with `helm`; each message says what to use instead.
 */
export function refineInstallMethod(addonName: ManagedAddonName) {
  return (options: InstallChoice, ctx: z.core.$RefinementCtx<InstallChoice>): void => {
    const issue = (key: keyof InstallChoice, message: string): void => {
      ctx.addIssue({ code: 'custom', path: [key], input: options[key], message });
    };
    if (options.install === 'eks-addon') {
      if (options.values !== undefined) {
        issue(
          'values',
          'no Helm values with install "eks-addon": give the add-on\'s settings in configurationValues ' +
            `(aws eks describe-addon-configuration --addon-name ${addonName} --addon-version <version>)`,
        );
      }
      if (options.version !== undefined && !EKS_ADDON_VERSION.test(options.version)) {
        issue(
          'version',
          'an EKS add-on version such as v1.2.3-eksbuild.1 with install "eks-addon" ' +
            `(aws eks describe-addon-versions --addon-name ${addonName}); chart versions apply to install "helm" only`,
        );
      }
      return;
    }
    if (options.configurationValues !== undefined) {
      issue(
        'configurationValues',
        'nothing with install "helm" (the default): configurationValues are EKS add-on settings; ' +
          'set install "eks-addon", or give Helm values in values',
      );
    }
    if (options.version !== undefined && EKS_ADDON_VERSION.test(options.version)) {
      issue(
        'version',
        'a chart version such as 1.2.3 with install "helm" (the default); an EKS add-on version (-eksbuild.N) needs install "eks-addon"',
      );
    }
  };
}
