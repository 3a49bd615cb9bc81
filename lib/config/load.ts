import { addOnNamespaces, readAddOnSelection } from '../../addons/catalog';
import { checkUniquePrincipals, checkPrincipalArn, readAccessEntries } from './access-rules';
import { REGION_AVAILABILITY_ZONES } from './availability-zones';
import { SUPPORTED_KUBERNETES_VERSIONS } from './kubernetes-versions';
import { isPrivateRange, parseCidr } from './network-rules';
import { readNodeGroups } from './node-group-rules';
import { readTeams, SYSTEM_NAMESPACES } from './team-rules';
import { readWorkloads, workloadNamespaces } from './workload-rules';
import { REPORTED, isRecord, readBoolean, readEnum, readInteger, readJson, readString, readStringList } from './parse';
import { Problems } from './problems';
import { PROFILE_NAMES, PROFILES } from './profiles';
import type { ComputeMode, EndpointAccessMode, PlatformConfig } from './types';

/** Every context key the app reads; README "Configuration" documents each one. */
export const CONFIG_KEYS = [
  'environment', 'profile', 'account', 'region', 'kubernetesVersion', 'azCount', 'availabilityZones', 'vpcCidr',
  'natGateways', 'endpointAccess', 'publicAccessCidrs', 'clusterAdmins', 'accessEntries', 'compute',
  'autoModeNodePools', 'nodeGroups', 'addons', 'teams', 'logRetentionDays', 'sampleWorkloads', 'workloads', 'tags',
] as const;

const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]{0,18}[a-z0-9]$/;
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
/** The retention values CloudWatch Logs accepts. */
const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/**
 * Resolves the configuration from CDK context (cdk.json `context` merged with `-c key=value`):
 * profile defaults first, then every key given explicitly. Throws a `ConfigError` listing all
 * problems before any construct is created.
 */
export function loadConfig(context: Readonly<Record<string, unknown>>): PlatformConfig {
  const p = new Problems();
  const given = (key: string): boolean => context[key] !== undefined;

  const profile = readEnum(p, 'profile', context.profile ?? 'workshop', PROFILE_NAMES) ?? 'workshop';
  const d = PROFILES[profile];
  const pick = <T>(key: (typeof CONFIG_KEYS)[number], fallback: T, read: (raw: unknown) => T | undefined): T =>
    given(key) ? (read(context[key]) ?? fallback) : fallback;

  const environment = pick('environment', d.environment, (raw) => {
    const v = typeof raw === 'string' ? raw.trim() : raw;
    if (typeof v === 'string' && ENVIRONMENT_NAME.test(v)) return v;
    p.add('environment', raw, 'lowercase letters, digits and "-", 2-20 characters, starting with a letter');
    return undefined;
  });
  const account = given('account')
    ? (() => {
        const v = String(context.account).trim();
        if (/^\d{12}$/.test(v)) return v;
        p.add('account', context.account, 'a 12-digit AWS account id');
        return undefined;
      })()
    : undefined;
  const region = pick('region', d.region, (raw) => {
    const v = readString(p, 'region', raw, 'an AWS region name, e.g. us-west-2');
    if (v === undefined || REGION.test(v)) return v;
    p.add('region', raw, 'an AWS region name, e.g. us-west-2');
    return undefined;
  });
  const kubernetesVersion = pick('kubernetesVersion', d.kubernetesVersion, (raw) =>
    readEnum(p, 'kubernetesVersion', typeof raw === 'number' ? raw.toFixed(2) : raw, SUPPORTED_KUBERNETES_VERSIONS),
  );
  const azCount = pick('azCount', d.azCount, (raw) => readInteger(p, 'azCount', raw, 2, 3));
  const availabilityZones = resolveAvailabilityZones(p, context, region, azCount);

  const vpcCidr = pick('vpcCidr', d.vpcCidr, (raw) => {
    const cidr = typeof raw === 'string' ? parseCidr(raw.trim()) : undefined;
    if (cidr && cidr.prefix >= 16 && cidr.prefix <= 20 && isPrivateRange(cidr)) return (raw as string).trim();
    p.add('vpcCidr', raw, 'a private (RFC 1918) IPv4 CIDR with a prefix from /16 to /20 and no host bits set, e.g. 10.0.0.0/16');
    return undefined;
  });
  const natDefault = d.natGateways === 'per-az' ? azCount : d.natGateways;
  const natGateways = pick('natGateways', natDefault, (raw) => readInteger(p, 'natGateways', raw, 1, azCount));
  if (!given('natGateways') && natGateways > azCount) {
    p.add('natGateways', natGateways, `an integer from 1 to azCount (${azCount})`);
  }

  const endpointAccess = pick<EndpointAccessMode>('endpointAccess', d.endpointAccess, (raw) =>
    readEnum(p, 'endpointAccess', raw, ['private', 'public-and-private'] as const),
  );
  const publicAccessCidrs = readPublicAccessCidrs(p, context, endpointAccess, d.publicAccessCidrs);

  const clusterAdmins = pick('clusterAdmins', d.clusterAdmins, (raw) => {
    const list = readStringList(p, 'clusterAdmins', raw);
    const arns = list?.map((arn, i) => checkPrincipalArn(p, `clusterAdmins[${i}]`, arn));
    return arns?.every((a): a is string => a !== undefined) ? arns : undefined;
  });
  const accessEntries = pick('accessEntries', d.accessEntries, (raw) => readAccessEntries(p, raw));

  const compute = pick<ComputeMode>('compute', d.compute, (raw) => readEnum(p, 'compute', raw, ['auto', 'nodegroups'] as const));
  const autoModeNodePools = pick('autoModeNodePools', d.autoModeNodePools, (raw) => {
    const list = readStringList(p, 'autoModeNodePools', raw);
    const pools = ['system', 'general-purpose'] as const;
    const bad = list?.filter((x) => !(pools as readonly string[]).includes(x)) ?? [];
    if (list && bad.length === 0 && list.length > 0) return list as (typeof pools)[number][];
    p.add('autoModeNodePools', raw, 'a non-empty list of system, general-purpose');
    return undefined;
  });
  const nodeGroups = compute === 'nodegroups' ? pick('nodeGroups', d.nodeGroups, (raw) => readNodeGroups(p, raw)) : d.nodeGroups;

  const addons = readAddOnSelection(p, context.addons, compute);
  const sampleWorkloads = pick('sampleWorkloads', d.sampleWorkloads, (raw) => readBoolean(p, 'sampleWorkloads', raw));
  const workloads = readWorkloads(p, context.workloads, { sampleWorkloads, addons });
  const teams = readTeams(p, context.teams, [...SYSTEM_NAMESPACES, ...addOnNamespaces(addons), ...workloadNamespaces(workloads)]);
  checkUniquePrincipals(p, [
    ...clusterAdmins.map((principalArn, i) => ({ key: `clusterAdmins[${i}]`, principalArn })),
    ...accessEntries.map((e, i) => ({ key: `accessEntries[${i}].principalArn`, principalArn: e.principalArn })),
    ...teams.flatMap((t, i) => t.principals.map((principalArn, j) => ({ key: `teams[${i}].principals[${j}]`, principalArn }))),
  ]);

  const logRetentionDays = pick('logRetentionDays', d.logRetentionDays, (raw) => {
    const n = readInteger(p, 'logRetentionDays', raw, 1, 3653);
    if (n === undefined || RETENTION_DAYS.includes(n)) return n;
    p.add('logRetentionDays', raw, RETENTION_DAYS.join(', '));
    return undefined;
  });
  const tags = pick('tags', d.tags, (raw) => {
    const v = readJson(p, 'tags', raw);
    if (v === REPORTED) return undefined;
    if (isRecord(v) && Object.entries(v).every(([k, x]) => typeof x === 'string' && k.length <= 128 && !k.startsWith('aws:'))) {
      return v as Record<string, string>;
    }
    p.add('tags', raw, 'a JSON object of tag keys to string values (keys not starting with "aws:")');
    return undefined;
  });

  p.throwIfAny();
  return {
    environment, profile, account, region, kubernetesVersion, azCount, availabilityZones, vpcCidr, natGateways,
    endpointAccess, publicAccessCidrs, clusterAdmins, accessEntries, compute, autoModeNodePools, nodeGroups, addons,
    teams, logRetentionDays, sampleWorkloads, workloads, tags,
  };
}

function resolveAvailabilityZones(
  p: Problems,
  context: Readonly<Record<string, unknown>>,
  region: string,
  azCount: number,
): string[] {
  if (context.availabilityZones !== undefined) {
    const list = readStringList(p, 'availabilityZones', context.availabilityZones) ?? [];
    const wellFormed = list.every((az) => az.startsWith(region) && /^[a-z]$/.test(az.slice(region.length)));
    if (!wellFormed || list.length !== azCount || new Set(list).size !== list.length) {
      p.add('availabilityZones', context.availabilityZones, `${azCount} distinct AZ names of region ${region} (azCount), e.g. ${region}a,${region}b`);
    }
    return list;
  }
  const known = REGION_AVAILABILITY_ZONES[region];
  if (!known) {
    p.add('region', region, `a region with committed AZ names (${Object.keys(REGION_AVAILABILITY_ZONES).join(', ')}), or set availabilityZones explicitly`);
    return [];
  }
  return known.slice(0, azCount);
}

function readPublicAccessCidrs(
  p: Problems,
  context: Readonly<Record<string, unknown>>,
  endpointAccess: EndpointAccessMode,
  profileDefault: readonly string[],
): readonly string[] {
  if (endpointAccess === 'private') {
    if (context.publicAccessCidrs !== undefined) {
      p.add('publicAccessCidrs', context.publicAccessCidrs, 'nothing when endpointAccess is "private" (set endpointAccess=public-and-private to use it)');
    }
    return [];
  }
  const list = context.publicAccessCidrs === undefined
    ? profileDefault
    : (readStringList(p, 'publicAccessCidrs', context.publicAccessCidrs) ?? profileDefault);
  if (list.length === 0) {
    p.add('publicAccessCidrs', context.publicAccessCidrs ?? [], 'at least one public IPv4 CIDR when endpointAccess is "public-and-private", e.g. 203.0.113.0/24');
  }
  for (const cidrText of list) {
    const cidr = parseCidr(cidrText);
    if (!cidr || (cidr.prefix > 0 && isPrivateRange(cidr))) {
      p.add('publicAccessCidrs', cidrText, 'public IPv4 CIDRs without host bits (EKS rejects private ranges here), e.g. 203.0.113.0/24');
    }
  }
  return list;
}
