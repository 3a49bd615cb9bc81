import type { TeamConfig } from '../../core/config';
import type { KubernetesObject } from '../../core/kubernetes-object';
import { PLATFORM_LABELS } from '../../core/kubernetes-object';

/** Every container gets these unless it asks otherwise, so the quota can account for it. */
const CONTAINER_DEFAULTS = {
  defaultRequest: { cpu: '100m', memory: '128Mi' },
  default: { cpu: '500m', memory: '512Mi' },
};

/**
 * The Kubernetes objects of one team namespace: the namespace, its quota and default limits, and
 * network isolation (deny by default; DNS and traffic inside the namespace stay open).
 */
export function teamNamespaceObjects(team: TeamConfig, namespace: string): KubernetesObject[] {
  const labels = { ...PLATFORM_LABELS, 'platform.cdk-eks/team': team.name };
  const meta = (name: string) => ({ name, namespace, labels });
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      // Pod Security Admission: "baseline" is enforced (no privileged pods, host access or
      // hostPath); "restricted" only warns, so teams see what to harden without being blocked.
      metadata: {
        name: namespace,
        labels: { ...labels, 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted' },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: meta('team-quota'),
      spec: {
        hard: {
          'requests.cpu': team.quota.cpu,
          'requests.memory': team.quota.memory,
          pods: String(team.quota.pods),
          'services.loadbalancers': '2',
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: meta('container-defaults'),
      spec: { limits: [{ type: 'Container', ...CONTAINER_DEFAULTS }] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta('default-deny'),
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta('allow-same-namespace'),
      spec: {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ podSelector: {} }] }],
        egress: [{ to: [{ podSelector: {} }] }],
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta('allow-dns'),
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
              },
            ],
            ports: [
              { protocol: 'UDP', port: 53 },
              { protocol: 'TCP', port: 53 },
            ],
          },
        ],
      },
    },
  ];
}
