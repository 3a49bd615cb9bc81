import type { KubernetesObject } from '../lib/core/kubernetes-object';
import { PLATFORM_LABELS } from '../lib/core/kubernetes-object';

/*
 * What managed Argo CD may do on the local cluster by default. The EKS user guide
 * (argocd-register-clusters.adoc, "Access Entry RBAC requirements", read 2026-12-01): cluster-admin
 * "should not be used in production"; the production setup is cluster-wide read (get/list/watch on
 * every resource, needed for discovery and health checks) plus write Roles in the namespaces Argo
 * CD deploys to, bound to `eks-access-entry:<role ARN>`.
 */

const RBAC_API = 'rbac.authorization.k8s.io';

/**
 * The EKS user guide's least-privilege setup (argocd-register-clusters.adoc, "Production setup with
 * least privilege"): get/list/watch on every resource cluster-wide, and every verb on every resource
 * in `namespace` only (where the bootstrap Application deploys and its child Applications live).
 * The read rule includes Secrets, as the guide's does: Argo CD diffs every object it manages.
 */
export function namespaceDeployAccess(group: string, namespace: string): KubernetesObject[] {
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
