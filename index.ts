/*
 * The public API of cdk-eks-platform: the stacks, the plan, the configuration model, the add-on
 * contract and bases, every first-party add-on, the catalog and the cost estimate. The EKS Blueprints
 * adapter is `cdk-eks-platform/blueprints` (addons/blueprints/index.ts), apart so that this entry
 * point never loads Blueprints.
 */
export * from './lib/config';
export * from './lib/plan';
export { buildPlatformApp } from './lib/app';
export type { BuildOptions, PlatformApp } from './lib/app';
export { runPlatformApp } from './lib/cli';
export type { RunOptions } from './lib/cli';
export { InfraStack } from './lib/infra/infra-stack';
export type { InfraStackProps } from './lib/infra/infra-stack';
export { PlatformStack } from './lib/platform/platform-stack';
export type { PlatformStackProps } from './lib/platform/platform-stack';
export { INFRA_EXPORTS, exportName } from './lib/contract';
export type { InfraExportKey } from './lib/contract';
export { acknowledge, ruleIds, wildcardFinding, managedPolicyFinding } from './lib/compliance/acknowledge';
export * from './addons';
export * from './lib/cost';
export { addOnPage, writeAddOnPages } from './lib/docs/addon-pages';
