import * as eks from 'aws-cdk-lib/aws-eks-v2';
import type { Construct } from 'constructs';
import { z } from 'zod';

import { documented, flag, json, list, oneOf, Problems, strictObject, text } from '../lib/config';
import type { AddOnContext } from './core/addon';
import { EksCapability } from './core/capability';
import type { KubernetesObject } from './core/kubernetes-object';
import { PLATFORM_LABELS } from './core/kubernetes-object';

/*
 * The managed variant of the argo-cd add-on: the EKS Capability for Argo CD. Sources, read
 * 2026-12-01: CloudFormation AWS::EKS::Capability ArgoCd / AwsIdc / ArgoCdRoleMapping /
 * SsoIdentity / NetworkAccess (template reference) and the aws-cdk-lib 2.261 L1 CfnCapability;
 * EKS user guide (awsdocs/amazon-eks-user-guide latest/ug/capabilities/): argocd-permissions.adoc
 * (roles ADMIN, EDITOR, VIEWER; at most 1,000 identities per capability; Applications only in the
 * capability's namespace), argocd-register-clusters.adoc (the local cluster is not registered
 * automatically, destinations name the cluster ARN and `kubernetes.default.svc` is not supported,
 * the capability role gets no Kubernetes RBAC on the local cluster by default; its "Access Entry
 * RBAC requirements" section: cluster-admin "should not be used in production", the production setup
 * is cluster-wide read (get/list/watch on every resource, needed for discovery and health checks)
 * plus write Roles in the namespaces Argo CD deploys to, bound to `eks-access-entry:<role ARN>`).
 *
 * The capability's namespace, checked 2026-12-07 against the EKS user guide (docs.aws.amazon.com/eks/
 * latest/userguide/): argocd-create-cli.html says EKS "will install the Kubernetes Custom Resource
 * Definitions" while it creates the capability, capabilities-security.html that the access entry's
 * AmazonEKSArgoCDPolicy is scoped to the configured namespace, and argocd-configure-settings.html lists
 * "the primary Argo CD namespace" as a prerequisite. No page says EKS creates the namespace: this
 * add-on creates it (with the platform labels) and applies everything that lives in it afterwards.
 */

/** The capability's name in the cluster (EKS allows one Argo CD capability per cluster). */
export const ARGO_CD_CAPABILITY_NAME = 'argocd';
/** What the capability may do on the local cluster once a bootstrap registers it. */
export const ARGO_CD_DEPLOY_ACCESS = ['namespace', 'cluster-admin'] as const;
/** The EKS user guide's production setup, rather than its quick setup (cluster-admin). */
const DEFAULT_DEPLOY_ACCESS: (typeof ARGO_CD_DEPLOY_ACCESS)[number] = 'namespace';
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

/** Options only the managed variant reads; spread into the argo-cd schema. */
export const MANAGED_ARGO_CD_OPTIONS = {
  /** @default false */
  managed: documented(flag(), {
    description:
      'Use the EKS Capability for Argo CD (run by EKS, off your nodes, IAM Identity Center sign-in) instead of the Helm chart. Needs identityCenter. Default false.',
  }).optional(),
  /** @default - none; required when managed is true */
  identityCenter: documented(
    strictObject(
      {
        instanceArn: text(INSTANCE_ARN_ALLOWED, INSTANCE_ARN),
        /** @default - the cluster's Region */
        region: text('an AWS Region, e.g. eu-west-1', REGION).optional(),
      },
      'an object {instanceArn, region?}',
    ),
    {
      description:
        "Managed only: the IAM Identity Center instance users sign in with, {instanceArn, region?} (region defaults to the cluster's). Required when managed is true.",
    },
  ).optional(),
  /** @default [] */
  rbacRoleMappings: documented(
    json(
      z
        .array(roleMappingSchema, MAPPINGS_ALLOWED)
        .refine((mappings) => mappings.reduce((n, m) => n + m.identities.length, 0) <= MAX_IDENTITIES, MAPPINGS_ALLOWED),
    ),
    {
      allowed: MAPPINGS_ALLOWED,
      description:
        "Managed only: which Identity Center users and groups get Argo CD's global roles. Without a mapping nobody can sign in to the Argo CD UI. Default: none.",
    },
  ).optional(),
  /** @default 'argocd' */
  namespace: documented(text('a Kubernetes namespace name', NAMESPACE), {
    description:
      'Managed only: the namespace the capability watches for Applications and ApplicationSets (the only one it supports). Default argocd.',
  }).optional(),
  /** @default 'namespace' */
  deployAccess: documented(oneOf(ARGO_CD_DEPLOY_ACCESS), {
    description: `Managed only, with a bootstrap: the capability's Kubernetes RBAC on this cluster. \`namespace\`: read every resource cluster-wide (discovery, health checks) and write only in the capability namespace (the EKS user guide's production setup; bind more namespaces yourself); \`cluster-admin\`: everything, as the self-managed chart's controller has (the guide advises against it in production). Default ${DEFAULT_DEPLOY_ACCESS}.`,
  }).optional(),
  /** @default - the public Argo CD endpoint */
  vpceIds: documented(
    list(text('a VPC endpoint id such as vpce-0123456789abcdef0', VPCE_ID), 'a list of VPC endpoint ids such as vpce-0123456789abcdef0'),
    {
      description:
        'Managed only: VPC endpoints (service eks-capabilities.<region>.amazonaws.com) through which the Argo CD UI and API are reached privately. Default: the public endpoint.',
    },
  ).optional(),
} as const;

/** The managed variant's options, validated. */
export interface ManagedArgoCdOptions {
  readonly identityCenter?: { readonly instanceArn: string; readonly region?: string };
  readonly rbacRoleMappings?: readonly {
    readonly role: string;
    readonly identities: readonly { readonly id: string; readonly type: string }[];
  }[];
  readonly namespace?: string;
  readonly vpceIds?: readonly string[];
  readonly deployAccess?: (typeof ARGO_CD_DEPLOY_ACCESS)[number];
}

/** Options that configure the Helm chart, meaningless for the capability. */
const SELF_MANAGED_ONLY = ['version', 'values', 'nodeSelector', 'tolerations', 'ha'] as const;
/** Options that configure the capability, meaningless for the chart. */
const MANAGED_ONLY = ['identityCenter', 'rbacRoleMappings', 'namespace', 'vpceIds', 'deployAccess'] as const;

/** Options given for the other variant, and settings the chosen variant lacks: every one of them. */
export function argoCdModeProblems(prefix: string, raw: unknown): Problems {
  const p = new Problems();
  if (typeof raw !== 'object' || raw === null) return p;
  const options = raw as Record<string, unknown>;
  const managed = options.managed === true || options.managed === 'true';
  const foreign = managed ? SELF_MANAGED_ONLY : MANAGED_ONLY;
  for (const key of foreign) {
    if (options[key] !== undefined) {
      p.add(
        `${prefix}.${key}`,
        options[key],
        managed
          ? 'nothing when managed is true (EKS runs the capability: no chart, values, pod placement or HA settings)'
          : 'nothing unless managed is true (it configures the EKS Capability for Argo CD)',
      );
    }
  }
  if (managed) {
    const center = options.identityCenter;
    const instanceArn = typeof center === 'object' && center !== null ? (center as Record<string, unknown>).instanceArn : undefined;
    if (instanceArn === undefined) {
      p.missing(
        `${prefix}.identityCenter.instanceArn`,
        'required when managed is true (the capability signs users in through IAM Identity Center only)',
      );
    }
  }
  return p;
}

/** Creates the capability and, for a bootstrap repository, what Argo CD needs to deploy it locally. */
export function deployManagedArgoCd(
  scope: Construct,
  context: AddOnContext,
  options: ManagedArgoCdOptions,
  bootstrap: (server: string, namespace: string) => KubernetesObject | undefined,
): EksCapability {
  const namespace = options.namespace ?? 'argocd';
  const center = options.identityCenter;
  if (!center) {
    // argoCdModeProblems refused this already; reaching here is a programming error.
    throw new Error('managed Argo CD without identityCenter');
  }
  const capability = new EksCapability(scope, 'Capability', {
    cluster: context.cluster,
    type: 'ARGOCD',
    capabilityName: ARGO_CD_CAPABILITY_NAME,
    purpose: 'Managed Argo CD',
    configuration: {
      argoCd: {
        namespace,
        awsIdc: { idcInstanceArn: center.instanceArn, idcRegion: center.region },
        rbacRoleMappings: options.rbacRoleMappings?.map((m) => ({
          role: m.role,
          identities: m.identities.map((i) => ({ id: i.id, type: i.type })),
        })),
        networkAccess: options.vpceIds?.length ? { vpceIds: [...options.vpceIds] } : undefined,
      },
    },
  });
  const namespaceObject: KubernetesObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: PLATFORM_LABELS } };
  // Applied even without a bootstrap: Applications and repository secrets users add belong in it.
  const namespaceManifest = new eks.KubernetesManifest(scope, 'Namespace', {
    cluster: context.cluster,
    manifest: [namespaceObject],
    overwrite: true,
  });
  const server = context.cluster.clusterArn;
  const root = bootstrap(server, namespace);
  if (!root) return capability;
  // The capability registers no cluster and may deploy nothing locally until told: register this
  // cluster (as in-cluster, the name most Argo CD examples use) and give the capability role RBAC.
  const registration: KubernetesObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'in-cluster', namespace, labels: { ...PLATFORM_LABELS, 'argocd.argoproj.io/secret-type': 'cluster' } },
    // No credential: the capability authenticates to the cluster with its role's access entry.
    stringData: { name: 'in-cluster', server, project: 'default' },
  };
  const access =
    (options.deployAccess ?? DEFAULT_DEPLOY_ACCESS) === 'cluster-admin'
      ? // Opt-in: the reach the self-managed chart's application controller has (every resource, everywhere).
        capability.bindClusterRole(scope, 'DeployAccess', context.cluster, 'cluster-admin', 'eks-argocd-capability-deploy')
      : new eks.KubernetesManifest(scope, 'DeployAccess', {
          cluster: context.cluster,
          manifest: namespaceDeployAccess(capability.accessEntryGroup, namespace),
          overwrite: true,
        });
  // The namespaced Role and RoleBinding need the namespace.
  access.node.addDependency(capability.resource, namespaceManifest);
  const manifest = new eks.KubernetesManifest(scope, 'Bootstrap', {
    cluster: context.cluster,
    manifest: [registration, root],
    overwrite: true,
  });
  // The CRDs arrive with the capability, the namespace from this add-on; the access comes before the first sync.
  manifest.node.addDependency(capability.resource, access, namespaceManifest);
  return capability;
}

const RBAC_API = 'rbac.authorization.k8s.io';

/**
 * The EKS user guide's least-privilege setup (argocd-register-clusters.adoc, "Production setup with
 * least privilege"): get/list/watch on every resource cluster-wide, and every verb on every resource
 * in `namespace` only (where the bootstrap Application deploys and its child Applications live).
 * The read rule includes Secrets, as the guide's does: Argo CD diffs every object it manages.
 */
function namespaceDeployAccess(group: string, namespace: string): KubernetesObject[] {
  const read = 'eks-argocd-capability-read';
  const deploy = 'eks-argocd-capability-deploy';
  const subjects = [{ apiGroup: RBAC_API, kind: 'Group', name: group }];
  return [
    {
      apiVersion: `${RBAC_API}/v1`,
      kind: 'ClusterRole',
      metadata: { name: read, labels: PLATFORM_LABELS },
      rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch'] }],
    },
    {
      apiVersion: `${RBAC_API}/v1`,
      kind: 'ClusterRoleBinding',
      metadata: { name: read, labels: PLATFORM_LABELS },
      roleRef: { apiGroup: RBAC_API, kind: 'ClusterRole', name: read },
      subjects,
    },
    {
      apiVersion: `${RBAC_API}/v1`,
      kind: 'Role',
      metadata: { name: deploy, namespace, labels: PLATFORM_LABELS },
      rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
    },
    {
      apiVersion: `${RBAC_API}/v1`,
      kind: 'RoleBinding',
      metadata: { name: deploy, namespace, labels: PLATFORM_LABELS },
      roleRef: { apiGroup: RBAC_API, kind: 'Role', name: deploy },
      subjects,
    },
  ];
}
