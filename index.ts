/*
 * The public API of cdk-eks-platform: the stacks, the plan, the configuration model, the add-on
 * contract and bases, every first-party add-on, the catalog and the cost estimate. The EKS Blueprints
 * adapter is `cdk-eks-platform/blueprints` (addons/blueprints/index.ts), apart so that this entry
 * point never loads Blueprints.
 */
export * from './lib/core/config';
export * from './lib/stacks/plan';
export { buildPlatformApp } from './lib/stacks/app';
export type { BuildOptions, PlatformApp } from './lib/stacks/app';
export { runPlatformApp } from './lib/stacks/cli';
export type { RunOptions } from './lib/stacks/cli';
export { InfraStack } from './lib/stacks/infra/infra-stack';
export type { InfraStackProps } from './lib/stacks/infra/infra-stack';
export { PlatformStack } from './lib/stacks/platform/platform-stack';
export type { PlatformStackProps } from './lib/stacks/platform/platform-stack';
export { INFRA_EXPORTS, exportName } from './lib/stacks/contract';
export type { InfraExportKey } from './lib/stacks/contract';
export { acknowledge, ruleIds, wildcardFinding, managedPolicyFinding } from './lib/core/compliance/acknowledge';
export * from './addons';
export * from './lib/tools/cost';
export { addOnPage, writeAddOnPages } from './lib/tools/docs/addon-pages';
export type { AddOnPageOptions } from './lib/tools/docs/addon-pages';
