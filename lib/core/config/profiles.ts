import type { NodeGroupConfig, TaintConfig } from './node-group-schema';
import type { ConfigValue } from './schema';
import type { ComputeMode, PlatformConfig, Profile } from './types';

/**
 * The taint that dedicates the default "ops" group to the controllers: nothing adds ops nodes, so
 * ordinary pods must not take the room the controllers need (the plan checks that the pods that may
 * land there fit its minimum size). `CriticalAddonsOnly`, the key EKS uses for the same purpose:
 * Auto Mode's built-in `system` node pool "has a CriticalAddonsOnly taint. Many EKS addons, such as
 * CoreDNS, tolerate this taint" (EKS user guide, automode/set-builtin-node-pools.adoc), and the
 * Karpenter chart tolerates it by default (karpenter-provider-aws@v1.13.0 charts/karpenter/values.yaml
 * `tolerations`). CoreDNS, which InfraStack installs before any autoscaler exists, can therefore run
 * there; the node agents' DaemonSets tolerate every taint; the add-ons pinned there get tolerations
 * for exactly these taints; every other pod waits for Karpenter's nodes. Without an add-on that adds
 * nodes the group is the cluster's only capacity: the plan then leaves this taint off the default
 * groups (lib/stacks/plan/ops-dedication.ts).
 */
export const OPS_DEDICATION_TAINT: TaintConfig = { key: 'CriticalAddonsOnly', value: 'true', effect: 'NO_SCHEDULE' };

/**
 * The classic "ops" node group on Bottlerocket that hosts the controllers (Karpenter selects it
 * through `karpenter.sh/controller=true`), dedicated to them by {@link OPS_DEDICATION_TAINT}.
 * ON_DEMAND with at least two nodes, which the node group spreads over the AZs: Karpenter's two
 * replicas need two nodes (hostname anti-affinity), and the controller that drains interrupted
 * spot nodes must not run on spot capacity itself.
 */
export const OPS_NODE_GROUP: NodeGroupConfig = {
  name: 'ops',
  amiType: 'BOTTLEROCKET_x86_64',
  instanceTypes: ['m5.large', 't3.medium'],
  capacityType: 'ON_DEMAND',
  minSize: 2,
  maxSize: 3,
  desiredSize: 2,
  diskSize: 20,
  labels: { 'workload-type': 'ops', 'karpenter.sh/controller': 'true' },
  taints: [OPS_DEDICATION_TAINT],
};

/** Keys whose defaults are computed from other keys rather than stored in a profile. */
type DerivedKeys = 'profile' | 'availabilityZones' | 'account' | 'addons' | 'teams' | 'workloads';

/**
 * The defaults a profile contributes, before context overrides: a value of the configuration model
 * (so of the key's schema) for every key it holds. They vary by profile, so they are not the
 * schemas' defaults.
 */
export type ProfileDefaults = Omit<PlatformConfig, DerivedKeys | 'natGateways'> & {
  /** NAT gateways: a number, or one per AZ. */
  readonly natGateways: ConfigValue<'natGateways'> | 'per-az';
};

type ProfileSpecific =
  | 'natGateways'
  | 'endpointAccess'
  | 'publicAccessCidrs'
  | 'logRetentionDays'
  | 'sampleWorkloads'
  | 'supportType'
  | 'deletionProtection'
  | 'zonalShift'
  | 'rollbackTimeoutMinutes';

const COMMON: Omit<ProfileDefaults, ProfileSpecific> = {
  environment: 'dev',
  region: 'us-west-2',
  // The newest version every first-party add-on documents support for: Kyverno 1.19 stops at 1.35
  // (addons/kyverno.ts). Raise it with the add-on that holds it back; a test checks every range.
  kubernetesVersion: '1.35',
  azCount: 3,
  vpcCidr: '10.0.0.0/16',
  controlPlaneTier: 'standard',
  // Set for the one deploy that upgrades past ERROR insights (scripts/upgrade.sh), never by a profile.
  forceVersionUpdate: false,
  clusterAdmins: [],
  accessEntries: [],
  compute: 'auto',
  autoModeNodePools: ['system', 'general-purpose'],
  nodeGroups: [OPS_NODE_GROUP],
  // Helm until GitOps delivery is proven on real environments (issue 20).
  delivery: 'helm',
  tags: {},
};

/** Profile defaults; any single key given as context overrides its profile value. */
export const PROFILES: Readonly<Record<Profile, ProfileDefaults>> = {
  workshop: {
    ...COMMON,
    natGateways: 1,
    endpointAccess: 'public-and-private',
    // Participants run kubectl from their laptops; IAM authentication still guards the API.
    publicAccessCidrs: ['0.0.0.0/0'],
    logRetentionDays: 30,
    sampleWorkloads: true,
    // A workshop cluster lives for days: at the end of standard support EKS upgrades it rather than
    // charging the extended-support price, and nothing stops `down.sh` from deleting it.
    supportType: 'STANDARD',
    deletionProtection: false,
    zonalShift: false,
    // Unset: EKS's documented default (720 minutes) bounds a rollback; the template stays as it was.
    rollbackTimeoutMinutes: undefined,
  },
  production: {
    ...COMMON,
    natGateways: 'per-az',
    endpointAccess: 'private',
    publicAccessCidrs: [],
    logRetentionDays: 365,
    sampleWorkloads: false,
    // A forced control-plane upgrade ahead of the add-ons and node groups is the worse outage:
    // production keeps its version (at the extended-support price, which synth warns about) until
    // someone upgrades it.
    supportType: 'EXTENDED',
    deletionProtection: true,
    zonalShift: true,
    // Unset as well: AWS documents no reason to move off the 720-minute default.
    rollbackTimeoutMinutes: undefined,
  },
};

/**
 * The add-ons a cluster gets when `addons` is not configured, by id: what the sample workloads
 * need, plus metrics and storage; on node groups also the node monitoring agent, whose node
 * conditions the node groups' auto repair acts on (Auto Mode has it built in).
 */
export const DEFAULT_ADDON_IDS: Readonly<Record<ComputeMode, readonly string[]>> = {
  auto: ['metrics-server', 'storage', 'auto-mode-ingress'],
  nodegroups: ['metrics-server', 'storage', 'aws-load-balancer-controller', 'karpenter', 'node-monitoring'],
};
