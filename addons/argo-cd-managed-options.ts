import { z } from 'zod';

import { documented, json, list, oneOf, strictObject, text } from '../lib/core/config';

/*
 * The options only managed Argo CD (the EKS Capability) reads. Sources, read 2026-12-01:
 * CloudFormation AWS::EKS::Capability ArgoCd / AwsIdc / ArgoCdRoleMapping / SsoIdentity /
 * NetworkAccess (template reference); EKS user guide argocd-permissions.adoc (roles ADMIN, EDITOR,
 * VIEWER; at most 1,000 identities per capability; Applications only in the capability's namespace).
 */

/** What the capability may do on the local cluster once a bootstrap registers it. */
export const ARGO_CD_DEPLOY_ACCESS = ['namespace', 'cluster-admin'] as const;
/**
 * The EKS user guide's production setup, rather than its quick setup (cluster-admin). Managed only,
 * so no schema default: one would be refused as a capability option without `managed`.
 */
export const DEFAULT_DEPLOY_ACCESS: (typeof ARGO_CD_DEPLOY_ACCESS)[number] = 'namespace';
/** The capability's namespace unless `namespace` is set (managed only, like DEFAULT_DEPLOY_ACCESS). */
export const DEFAULT_MANAGED_NAMESPACE = 'argocd';
/** Argo CD's built-in global roles. */
export const ARGO_CD_RBAC_ROLES = ['ADMIN', 'EDITOR', 'VIEWER'] as const;
/** Identity types of IAM Identity Center. */
export const SSO_IDENTITY_TYPES = ['SSO_USER', 'SSO_GROUP'] as const;
/** argocd-permissions.adoc: "supports up to 1,000 identities per Argo CD capability". */
const MAX_IDENTITIES = 1000;

// Pattern of an Identity Center instance ARN as the AWS API references that take one give it
// (e.g. Transfer Family IdentityCenterConfig.InstanceArn).
const INSTANCE_ARN = /^arn:[\w-]+:sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/;
const INSTANCE_ARN_ALLOWED = 'an IAM Identity Center instance ARN, e.g. arn:aws:sso:::instance/ssoins-1234567890abcdef';
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
// Identity Store user and group ids are UUIDs, optionally behind a 10-hex-digit prefix; the check
// is deliberately no stricter than that form (the Identity Store pattern was not re-read here).
const IDENTITY_ID = /^([0-9a-f]{10}-)?[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;
const VPCE_ID = /^vpce-[0-9a-f]{8,17}$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

const identitySchema = strictObject(
  {
    id: text('an Identity Center user or group id, e.g. 686103e0-f051-7068-b225-e6392b959d9e', IDENTITY_ID),
    type: oneOf(SSO_IDENTITY_TYPES),
  },
  'an identity {id, type} with type SSO_USER or SSO_GROUP',
);

const roleMappingSchema = strictObject(
  {
    role: oneOf(ARGO_CD_RBAC_ROLES),
    identities: z.array(identitySchema, 'a list of identities {id, type}').min(1, 'a list of at least one identity {id, type}'),
  },
  'a mapping {role, identities} with role ADMIN, EDITOR or VIEWER',
);

const MAPPINGS_ALLOWED = `a list of {role: ADMIN|EDITOR|VIEWER, identities: [{id, type: SSO_USER|SSO_GROUP}]}, at most ${MAX_IDENTITIES} identities in all`;

/** Options only the managed delivery reads; spread into the argo-cd schema. */
export const MANAGED_ARGO_CD_OPTIONS = {
  identityCenter: documented(
    strictObject(
      {
        instanceArn: text(INSTANCE_ARN_ALLOWED, INSTANCE_ARN),
        region: text('an AWS Region, e.g. eu-west-1', REGION).optional(),
      },
      'an object {instanceArn, region?}',
    ),
    {
      description:
        "Managed only: the IAM Identity Center instance users sign in with, {instanceArn, region?} (region defaults to the cluster's). Required when managed is true.",
    },
  ).optional(),
  rbacRoleMappings: documented(
    json(
      z
        .array(roleMappingSchema, MAPPINGS_ALLOWED)
        .refine((mappings) => mappings.reduce((n, m) => n + m.identities.length, 0) <= MAX_IDENTITIES, MAPPINGS_ALLOWED),
    ),
    {
      allowed: MAPPINGS_ALLOWED,
      description:
        "Managed only: which Identity Center users and groups get Argo CD's global roles. Without a mapping nobody can sign in to the Argo CD UI.",
    },
  ).optional(),
  namespace: documented(text('a Kubernetes namespace name', NAMESPACE), {
    description: `Managed only: the namespace the capability watches for Applications and ApplicationSets (the only one it supports). Default ${DEFAULT_MANAGED_NAMESPACE}.`,
  }).optional(),
  deployAccess: documented(oneOf(ARGO_CD_DEPLOY_ACCESS), {
    description: `Managed only, with a bootstrap or delivery gitops: the capability's Kubernetes RBAC on this cluster. \`namespace\`: read every resource cluster-wide (discovery, health checks) and write only in the capability namespace (the EKS user guide's production setup; bind more namespaces yourself); \`cluster-admin\`: everything, as the self-managed chart's controller has (the guide advises against it in production; delivery gitops needs it to install the add-on charts). Default ${DEFAULT_DEPLOY_ACCESS}, with delivery gitops cluster-admin.`,
  }).optional(),
  vpceIds: documented(
    list(text('a VPC endpoint id such as vpce-0123456789abcdef0', VPCE_ID), 'a list of VPC endpoint ids such as vpce-0123456789abcdef0'),
    {
      description:
        'Managed only: VPC endpoints (service eks-capabilities.<region>.amazonaws.com) through which the Argo CD UI and API are reached privately. Without them, through the public endpoint.',
    },
  ).optional(),
} as const;
