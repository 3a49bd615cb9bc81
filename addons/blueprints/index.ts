/*
 * `cdk-eks-platform/blueprints`: EKS Blueprints add-ons on this platform. A subpath of its own, so
 * that importing the package never loads `@aws-quickstart/eks-blueprints` (an optional peer
 * dependency: install it only to use this adapter).
 */
export { BlueprintsAddOn, blueprintsAddOnId } from './blueprints-addon';
export type { BlueprintsAddOnOptions } from './blueprints-addon';
