/**
 * The full platform: every first-party add-on that supports a compute mode (with the options those
 * that cannot be created without options need), a team and every sample workload. Shared by the
 * tests that must see everything the app can build.
 */
const ZONE = 'Z0123456789ABCDEFGHIJ';
const EXTERNAL_DNS = { hostedZoneIds: [ZONE], domainFilters: ['example.com'] };
const ARGO = { bootstrap: { repoUrl: 'https://github.com/example/gitops.git', path: 'apps' } };
const ACK = { services: ['s3'], permissionsBoundaryArn: 'arn:aws:iam::111122223333:policy/AckBoundary' };

/** Add-ons that cannot be created without options. */
export const REQUIRED_OPTIONS: Record<string, Record<string, unknown>> = { 'external-dns': EXTERNAL_DNS, ack: ACK };

/** Every first-party add-on that supports the compute mode, with options where they need them. */
export const FULL: Record<string, Record<string, Record<string, unknown>>> = {
  auto: {
    'metrics-server': {},
    storage: {},
    'auto-mode-ingress': {},
    'cert-manager': {},
    'external-dns': EXTERNAL_DNS,
    'argo-cd': ARGO,
    ack: ACK,
    kro: { clusterRole: 'edit' },
    'cloudwatch-observability': {},
    kyverno: {},
    'external-secrets': {},
    prometheus: {},
    efs: {},
  },
  nodegroups: {
    'metrics-server': {},
    storage: {},
    'aws-load-balancer-controller': {},
    karpenter: {},
    'cert-manager': {},
    'external-dns': EXTERNAL_DNS,
    'argo-cd': ARGO,
    ack: ACK,
    kro: { clusterRole: 'edit' },
    'cloudwatch-observability': {},
    'node-monitoring': {},
    kyverno: {},
    'external-secrets': {},
    prometheus: {},
    efs: {},
  },
};
const TEAMS = [{ name: 'team-a', principals: ['arn:aws:iam::111122223333:role/TeamA'] }];
const WORKLOADS = { game2048: true, petstore: true, nginx: { hostedZoneId: ZONE, zoneName: 'example.com', hostname: 'nginx.example.com' } };

/** The context of the full platform on `compute`, with the default Kubernetes version. */
export function fullPlatformContext(compute: string): Record<string, unknown> {
  return { compute, addons: JSON.stringify(FULL[compute]), teams: TEAMS, workloads: WORKLOADS };
}
