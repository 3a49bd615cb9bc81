import type { KubernetesObject } from '../lib/core/kubernetes-object';
import { PLATFORM_LABELS } from '../lib/core/kubernetes-object';
import { STS_AUDIENCE } from './external-secrets-iam';

/*
 * The Kubernetes objects of the external-secrets add-on, in ESO's `external-secrets.io/v1` API
 * (served since ESO 0.17, the only version served by 2.x; read 2026-12-01).
 */

/** The API version of the stores and ExternalSecrets. */
export const ESO_API_VERSION = 'external-secrets.io/v1';
/** Name of the platform's ClusterSecretStore. */
export const PLATFORM_STORE = 'platform-secrets';
/** Name of the service account whose tokens the platform store presents to AWS. */
export const PLATFORM_STORE_SERVICE_ACCOUNT = 'platform-secrets-reader';
/** Name of each team's SecretStore, and of the service account it presents to AWS, in each team namespace. */
export const TEAM_STORE = 'team-secrets';
/** Name of the Role (and its RoleBinding) that lets a team's members manage ExternalSecrets. */
export const TEAM_ROLE = 'external-secrets-user';

/**
 * What the platform's ClusterSecretStore serves, as another add-on's ExternalSecrets need to know
 * it: the store, the namespaces it serves and the secrets it may read and decrypt.
 */
export interface PlatformSecretStore {
  /** The ClusterSecretStore's name. */
  readonly name: string;
  /** The only namespaces whose ExternalSecrets it serves (its `conditions`). */
  readonly namespaces: readonly string[];
  /** The secrets it reads: names under `<environment>/<owner>/`. */
  readonly owner: string;
  /** The customer managed keys it may decrypt those with. */
  readonly kmsKeyArns: readonly string[];
}

/** A service account that carries a role for ESO to assume with its token; no pod runs as it. */
export function storeServiceAccount(namespace: string, name: string, roleArn: string): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      name,
      namespace,
      labels: PLATFORM_LABELS,
      // ESO reads these two annotations (auth.go roleARNAnnotation, audienceAnnotation).
      annotations: { 'eks.amazonaws.com/role-arn': roleArn, 'eks.amazonaws.com/audience': STS_AUDIENCE },
    },
    // Nothing mounts its token: ESO requests short-lived ones through the TokenRequest API.
    automountServiceAccountToken: false,
  };
}

/** The AWS Secrets Manager provider of a store, authenticated by a service account's token. */
function secretsManagerProvider(region: string, serviceAccountRef: Record<string, string>): Record<string, unknown> {
  return { aws: { service: 'SecretsManager', region, auth: { jwt: { serviceAccountRef } } } };
}

/**
 * The platform's store: cluster-scoped, so platform add-ons in their own namespaces can use it, but
 * only ExternalSecrets in `namespaces` may (ClusterSecretStore `conditions`). Its service account lives
 * in the controller's namespace, which no team can write to.
 */
export function platformStore(region: string, controllerNamespace: string, namespaces: readonly string[]): KubernetesObject {
  return {
    apiVersion: ESO_API_VERSION,
    kind: 'ClusterSecretStore',
    metadata: { name: PLATFORM_STORE, labels: PLATFORM_LABELS },
    spec: {
      provider: secretsManagerProvider(region, { name: PLATFORM_STORE_SERVICE_ACCOUNT, namespace: controllerNamespace }),
      conditions: [{ namespaces: [...namespaces] }],
    },
  };
}

/** A team's store in one of its namespaces; ESO resolves its service account in that namespace. */
export function teamStore(region: string, namespace: string, teamName: string): KubernetesObject {
  return {
    apiVersion: ESO_API_VERSION,
    kind: 'SecretStore',
    metadata: { name: TEAM_STORE, namespace, labels: { ...PLATFORM_LABELS, 'platform.cdk-eks/team': teamName } },
    spec: { provider: secretsManagerProvider(region, { name: TEAM_STORE }) },
  };
}

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'update', 'patch', 'delete'];

/**
 * What a team may do with ESO objects in its namespace: manage ExternalSecrets (read only with
 * `view` access) and read the stores. It may not write SecretStores: the platform's are the only ones.
 * EKS access policies cover no custom resources, so without this a team could not use ESO at all.
 */
export function teamRbac(namespace: string, group: string, canWrite: boolean): KubernetesObject[] {
  const meta = { name: TEAM_ROLE, namespace, labels: PLATFORM_LABELS };
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: meta,
      rules: [
        { apiGroups: ['external-secrets.io'], resources: ['externalsecrets'], verbs: canWrite ? [...READ, ...WRITE] : READ },
        { apiGroups: ['external-secrets.io'], resources: ['secretstores'], verbs: READ },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: TEAM_ROLE },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group }],
    },
  ];
}
