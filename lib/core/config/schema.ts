import { z } from 'zod';

import { accessEntrySchema, principalArn } from './access-schema';
import { KNOWN_REGIONS } from './availability-zones';
import { SUPPORTED_KUBERNETES_VERSIONS } from './kubernetes-versions';
import { isPrivateRange, parseCidr } from './network-rules';
import { nodeGroupsSchema } from './node-group-schema';
import { documented, flag, integer, json, list, oneOf, text } from './schema-kit';
import { SUPPORT_TYPES } from './support-lifecycle';
import { tagsSchema } from './tag-schema';
import { teamsSchema } from './team-schema';
import { workloadsSchema } from './workload-schema';

/** The sets of defaults a configuration starts from. */
export const PROFILE_NAMES = ['workshop', 'production'] as const;
/** How the cluster gets its nodes. */
export const COMPUTE_MODES = ['auto', 'nodegroups'] as const;
/** Auto Mode's built-in node pools. */
export const AUTO_MODE_NODE_POOLS = ['system', 'general-purpose'] as const;
/**
 * How the add-ons' Helm charts reach the cluster: `helm`, a release per chart run by the kubectl
 * handler inside CloudFormation; `gitops`, an Argo CD Application per chart that the argo-cd add-on
 * reconciles (see docs/delivery.md).
 */
export const DELIVERY_MODES = ['helm', 'gitops'] as const;
/** Reachability of the Kubernetes API server. */
export const ENDPOINT_ACCESS_MODES = ['private', 'public-and-private'] as const;
/**
 * EKS control plane tiers (`ControlPlaneScalingConfig.Tier`). AWS documents `standard | tier-xl |
 * tier-2xl | tier-4xl | tier-8xl`: the EKS API Reference, ControlPlaneScalingConfig
 * (https://docs.aws.amazon.com/eks/latest/APIReference/API_ControlPlaneScalingConfig.html), and the
 * CloudFormation Template Reference, AWS::EKS::Cluster ControlPlaneScalingConfig
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-eks-cluster-controlplanescalingconfig.html);
 * aws-cdk-lib 2.278 has `eks.ControlPlaneScalingTier.TIER_8XL`. Older copies of those pages, and
 * of the EKS User Guide's "Amazon EKS Provisioned Control Plane" (which gives each tier's capacity),
 * stop at tier-4xl.
 */
export const CONTROL_PLANE_TIERS = ['standard', 'tier-xl', 'tier-2xl', 'tier-4xl', 'tier-8xl'] as const;
/** The retention values CloudWatch Logs accepts, in days. */
export const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]{0,18}[a-z0-9]$/;
const REGION_ALLOWED = 'an AWS region name aws-cdk-lib knows (its RegionInfo list), e.g. us-west-2';
const ACCOUNT = /^\d{12}$/;
const VERSION_ALLOWED = `${SUPPORTED_KUBERNETES_VERSIONS.join(', ')}, as a string (quote it: as a JSON number 1.30 reads as 1.3)`;
/** `RollbackConfig.TimeoutMinutes` of AWS::EKS::Cluster: its documented minimum and maximum. */
export const ROLLBACK_TIMEOUT_MINUTES = { min: 120, max: 10080 } as const;

const ADDONS_ALLOWED = 'a list of add-on ids ("metrics-server,storage"), or a JSON object of id to options ({"argo-cd": {...}})';

/** One add-on in configuration: its id and its options, which the add-on's own schema checks. */
export interface AddOnSelection {
  readonly id: string;
  readonly options: Readonly<Record<string, unknown>>;
}

/**
 * The `addons` key: ids (`-c addons=metrics-server,storage`, "none" for no add-on) or an object
 * of id to options (`true` for the defaults). Which ids exist and what options they take is the
 * catalog's business, checked when the plan is composed.
 */
const addonsSchema = documented(
  z.preprocess(
    (raw) => {
      if (typeof raw !== 'string' || /^\s*[[{]/.test(raw)) return raw;
      return raw
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id !== '' && id !== 'none');
    },
    json(
      z.union(
        [
          z.array(z.string()).transform((ids) => ids.map((id): AddOnSelection => ({ id, options: {} }))),
          z
            .record(z.string(), z.union([z.literal(true), z.record(z.string(), z.unknown())]))
            .transform((byId) =>
              Object.entries(byId).map(([id, options]): AddOnSelection => ({ id, options: options === true ? {} : options })),
            ),
        ],
        ADDONS_ALLOWED,
      ),
    ),
  ),
  { allowed: ADDONS_ALLOWED },
);

const cidrText = (allowed: string, accept: (cidr: NonNullable<ReturnType<typeof parseCidr>>) => boolean): z.ZodType<string> =>
  documented(
    z
      .string(allowed)
      .trim()
      .refine((raw) => {
        const cidr = parseCidr(raw);
        return cidr !== undefined && accept(cidr);
      }, allowed),
    { allowed },
  );

/**
 * Every configuration key, declared once: its schema, what it accepts and what it does. Keys are
 * read from CDK context (cdk.json "context", or `-c key=value`); any other key is a mistake,
 * reported with the key it was probably meant to be. README's configuration reference is
 * generated from this object (`npm run docs`).
 */
export const CONFIG_SHAPE = {
  environment: documented(text('lowercase letters, digits and "-", 2-20 characters, starting with a letter', ENVIRONMENT_NAME), {
    description: 'Environment name: the cluster is `<env>-eks`, the stacks `<env>-infra` / `<env>-platform`, the exports `<env>-infra:*`.',
  }),
  profile: documented(oneOf(PROFILE_NAMES), {
    description: 'The set of defaults to start from (see Profiles); any single key overrides its profile value.',
  }),
  account: documented(
    z.preprocess((raw) => (typeof raw === 'number' ? String(raw) : raw), text('a 12-digit AWS account id', ACCOUNT)),
    {
      allowed: 'a 12-digit AWS account id',
      description:
        'AWS account of both stacks; unset keeps them account-agnostic (resolved at deploy time). When set, the CLI looks up AZs in that account (needs credentials) unless `availabilityZones` is given.',
    },
  ),
  region: documented(
    text(REGION_ALLOWED).refine((name) => KNOWN_REGIONS.has(name), REGION_ALLOWED),
    {
      description:
        'AWS region of both stacks. AZ names of common regions are committed in `lib/core/config/availability-zones.ts`; elsewhere set `availabilityZones`.',
    },
  ),
  kubernetesVersion: documented(
    // A JSON number is read as written only if it prints back the same: 1.30 is the number 1.3,
    // and rounding it (or 1.345) to two decimals would pick a version the user never wrote.
    z.preprocess(
      (raw) => (typeof raw === 'number' ? String(raw) : raw),
      oneOf(SUPPORTED_KUBERNETES_VERSIONS as [string, ...string[]], VERSION_ALLOWED),
    ),
    {
      allowed: VERSION_ALLOWED,
      description: 'EKS Kubernetes minor version; the kubectl layer and the managed add-on versions follow it (see Kubernetes versions).',
    },
  ),
  azCount: documented(integer(2, 3), { description: 'Availability Zones of the VPC (subnets and NAT gateways per AZ).' }),
  availabilityZones: documented(list(z.string(), 'azCount distinct AZ names of the region, e.g. us-west-2a,us-west-2b'), {
    description: 'AZ names to use, exactly `azCount` of the region; by default the first `azCount` committed zones of the region.',
  }),
  vpcCidr: documented(
    cidrText(
      'a private (RFC 1918) IPv4 CIDR with a prefix from /16 to /20 and no host bits set, e.g. 10.0.0.0/16',
      (cidr) => cidr.prefix >= 16 && cidr.prefix <= 20 && isPrivateRange(cidr),
    ),
    { description: 'IPv4 CIDR of the VPC. Private subnets get 1/8 of it each (pods take VPC addresses), public ones 1/32.' },
  ),
  natGateways: documented(integer(1, 3, 'an integer from 1 to azCount'), {
    description: 'NAT gateways, 1 to `azCount`; one per AZ survives the loss of an AZ.',
  }),
  endpointAccess: documented(oneOf(ENDPOINT_ACCESS_MODES), {
    description: 'Kubernetes API endpoint: private only, or public (CIDR-restricted) and private.',
  }),
  publicAccessCidrs: documented(
    list(z.string(), 'public IPv4 CIDRs without host bits (EKS rejects private ranges here), e.g. 203.0.113.0/24'),
    {
      description:
        'Public IPv4 CIDRs allowed to reach the public endpoint (at most 40): required with `public-and-private`, refused with `private`; the production profile refuses `0.0.0.0/0`.',
    },
  ),
  clusterAdmins: documented(list(principalArn, 'a list of IAM role or user ARNs'), {
    description: 'IAM principals that get `AmazonEKSClusterAdminPolicy` cluster-wide.',
  }),
  accessEntries: documented(json(z.array(accessEntrySchema, 'a JSON array of {principalArn, policy, scope, namespaces?}')), {
    allowed: 'a JSON array of {principalArn, policy, scope, namespaces?}',
    description:
      'Access entries: `policy` one of AmazonEKSClusterAdminPolicy, AmazonEKSAdminPolicy, AmazonEKSEditPolicy, AmazonEKSViewPolicy; `scope` `cluster` (default) or `namespace` (then `namespaces` is required). One entry per principal across the whole app.',
  }),
  supportType: documented(oneOf(SUPPORT_TYPES), {
    description:
      '`STANDARD`: EKS upgrades the control plane itself when standard support ends (no extended-support price); `EXTENDED`: the version stays, at the extended-support price, until you upgrade.',
  }),
  deletionProtection: documented(flag(), {
    description: 'EKS refuses to delete the cluster (also through CloudFormation) until this is turned off.',
  }),
  zonalShift: documented(flag(), {
    description: 'Lets Amazon Application Recovery Controller shift traffic away from an impaired AZ (ARC zonal shift and autoshift).',
  }),
  controlPlaneTier: documented(oneOf(CONTROL_PLANE_TIERS), {
    description:
      'EKS control plane capacity: `standard` scales on demand; a provisioned tier reserves capacity at an hourly price (EKS Provisioned Control Plane).',
  }),
  // `Force` of AWS::EKS::Cluster: "Set this value to true to override upgrade-blocking or
  // rollback-blocking readiness checks when updating a cluster" (CloudFormation Template Reference,
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-eks-cluster.html#cfn-eks-cluster-force;
  // update requires: no interruption). Without it EKS refuses a version update while an upgrade
  // insight has status ERROR (InvalidStateException, "Upgrade readiness issues detected").
  forceVersionUpdate: documented(flag(), {
    description:
      'For one deploy only: EKS updates the Kubernetes version even though an upgrade insight for it (or, rolling back, a rollback readiness insight) has status ERROR (`Force` of the cluster). `scripts/upgrade.sh --ignore-insight-errors` and `scripts/rollback.sh --ignore-insight-errors` set it on their InfraStack deploy; kept in cdk.json, every later version change would skip those checks.',
  }),
  // `RollbackConfig.TimeoutMinutes` of AWS::EKS::Cluster: "The length of time in minutes to wait
  // before cancelling the update. Timeout is a minimum-bound property ... between 120 (2 hours) and
  // 10080 (7 days). Default: 720 (12 hours) if not specified." (CloudFormation Template Reference,
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-eks-cluster-rollbackconfig.html;
  // same text for the EKS API type RollbackConfig). Nothing there says the property turns rollback
  // on: left out, EKS's 720 applies, so no profile sets it and default templates do not change.
  rollbackTimeoutMinutes: documented(integer(ROLLBACK_TIMEOUT_MINUTES.min, ROLLBACK_TIMEOUT_MINUTES.max), {
    description:
      "How long EKS lets a version rollback of the cluster run before it cancels it, in minutes (`RollbackConfig.TimeoutMinutes`; EKS cancels no sooner than that). Unset: EKS's default, 720 (12 hours). It does not turn rollback on or off, nor change the 7-day window after an upgrade.",
  }),
  compute: documented(oneOf(COMPUTE_MODES), { description: '`auto` (EKS Auto Mode) or `nodegroups` (managed node groups).' }),
  autoModeNodePools: documented(
    list(oneOf(AUTO_MODE_NODE_POOLS), 'a non-empty list of system, general-purpose').refine(
      (pools) => pools.length > 0,
      'a non-empty list of system, general-purpose',
    ),
    { allowed: 'a non-empty list of system, general-purpose', description: 'Auto Mode built-in node pools.' },
  ),
  nodeGroups: documented(json(nodeGroupsSchema), {
    allowed: 'a non-empty JSON array of node groups',
    description: 'Managed node groups, only with compute `nodegroups` (see Node groups).',
  }),
  addons: documented(addonsSchema, { description: 'Add-on ids, or an object of id to options; empty selects none (see Add-ons).' }),
  delivery: documented(oneOf(DELIVERY_MODES), {
    description:
      "How the add-ons' Helm charts are installed: `helm`, a Helm release per chart run from CloudFormation; `gitops`, an Argo CD Application per chart that Argo CD syncs and heals (needs the argo-cd add-on; see docs/delivery.md).",
  }),
  teams: documented(json(teamsSchema), {
    allowed: 'a JSON array of teams',
    description: 'Application teams: namespaces, quotas and namespace-scoped access (see Teams).',
  }),
  logRetentionDays: documented(
    integer(1, 3653, RETENTION_DAYS.join(', ')).refine(
      (days) => (RETENTION_DAYS as readonly number[]).includes(days),
      RETENTION_DAYS.join(', '),
    ),
    {
      allowed: 'a CloudWatch Logs retention: 1, 3, 5, 7, 14, 30, ..., 3653',
      description: 'Retention of the control-plane, flow-log and handler log groups, in days.',
    },
  ),
  sampleWorkloads: documented(flag(), { description: 'The default of `workloads`: turns game-2048 and petstore on or off.' }),
  workloads: documented(json(workloadsSchema), {
    allowed: 'a JSON object {game2048, petstore, nginx}',
    description:
      '`{"game2048": bool, "petstore": bool or {"enabled", "internal", "apiGateway"}, "nginx": {"hostedZoneId", "zoneName", "hostname"}}`; nginx needs the external-dns add-on managing that zone (see Sample workloads).',
  }),
  tags: documented(json(tagsSchema), {
    description:
      "Tags on every taggable resource of both stacks, checked against the AWS tagging rules; 50 per resource less the app's own; an add-on whose resources get them too may allow fewer (karpenter: 43).",
  }),
} as const;

/** A configuration key. */
export type ConfigKey = keyof typeof CONFIG_SHAPE;
/** Every configuration key, in README order. */
export const CONFIG_KEYS = Object.keys(CONFIG_SHAPE) as ConfigKey[];
/** The value of a key once its schema accepted it. */
export type ConfigValue<K extends ConfigKey> = z.output<(typeof CONFIG_SHAPE)[K]>;
