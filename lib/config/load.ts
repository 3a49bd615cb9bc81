import type { z } from 'zod';

import { AZ_LETTERS, REGION_AVAILABILITY_ZONES } from './availability-zones';
import { isPrivateRange, parseCidr } from './network-rules';
import { Problems } from './problems';
import { DEFAULT_ADDON_IDS, PROFILES } from './profiles';
import type { ConfigKey, ConfigValue } from './schema';
import { CONFIG_KEYS, CONFIG_SHAPE } from './schema';
import { parseInto, unknownKeyAllowed } from './schema-kit';
import type { PlatformConfig } from './types';
import { resolveWorkloads } from './workload-schema';

/** EKS accepts at most this many CIDR blocks for public endpoint access. */
const MAX_PUBLIC_ACCESS_CIDRS = 40;

/** Context keys that belong to the CDK itself: feature flags (`@aws-cdk/...`), `aws:cdk:*`, lookups. */
function isCdkKey(key: string): boolean {
  return key.startsWith('@') || key.includes(':');
}

/**
 * Resolves the configuration from CDK context (cdk.json `context` merged with `-c key=value`):
 * profile defaults first, then every key given explicitly. Reports every problem at once, by
 * adding it to `p`; the caller throws before any construct exists.
 *
 * Returns a complete configuration even when there are problems (a bad key keeps its default), so
 * that the checks that combine keys still run and report theirs.
 */
export function readConfig(p: Problems, context: Readonly<Record<string, unknown>>): PlatformConfig {
  for (const key of Object.keys(context)) {
    if (!isCdkKey(key) && !(key in CONFIG_SHAPE)) {
      p.add(key, context[key], unknownKeyAllowed(key, CONFIG_KEYS));
    }
  }
  const given = <K extends ConfigKey>(key: K): ConfigValue<K> | undefined =>
    context[key] === undefined ? undefined : parseInto(p, key, CONFIG_SHAPE[key] as unknown as z.ZodType<ConfigValue<K>>, context[key]);

  const profile = given('profile') ?? 'workshop';
  const d = PROFILES[profile];
  const azCount = given('azCount') ?? d.azCount;
  const region = given('region') ?? d.region;
  const compute = given('compute') ?? d.compute;
  const endpointAccess = given('endpointAccess') ?? d.endpointAccess;
  const sampleWorkloads = given('sampleWorkloads') ?? d.sampleWorkloads;

  const natGateways = given('natGateways') ?? (d.natGateways === 'per-az' ? azCount : d.natGateways);
  if (natGateways > azCount) {
    p.add('natGateways', natGateways, `an integer from 1 to ${azCount} (azCount)`);
  }
  let nodeGroups = d.nodeGroups;
  if (context.nodeGroups !== undefined) {
    if (compute === 'nodegroups') {
      nodeGroups = given('nodeGroups') ?? d.nodeGroups;
    } else {
      // Silently dropping them would deploy a cluster without the nodes the user described.
      p.add('nodeGroups', context.nodeGroups, `nothing when compute is "${compute}" (set compute=nodegroups to use node groups)`);
    }
  }

  return {
    environment: given('environment') ?? d.environment,
    profile,
    account: given('account'),
    region,
    kubernetesVersion: given('kubernetesVersion') ?? d.kubernetesVersion,
    azCount,
    availabilityZones: availabilityZones(p, given('availabilityZones'), context.availabilityZones, region, azCount),
    vpcCidr: given('vpcCidr') ?? d.vpcCidr,
    natGateways,
    endpointAccess,
    publicAccessCidrs: publicAccessCidrs(
      p,
      given('publicAccessCidrs'),
      context.publicAccessCidrs,
      endpointAccess,
      profile,
      d.publicAccessCidrs,
    ),
    clusterAdmins: given('clusterAdmins') ?? d.clusterAdmins,
    accessEntries: given('accessEntries') ?? d.accessEntries,
    supportType: given('supportType') ?? d.supportType,
    deletionProtection: given('deletionProtection') ?? d.deletionProtection,
    zonalShift: given('zonalShift') ?? d.zonalShift,
    controlPlaneTier: given('controlPlaneTier') ?? d.controlPlaneTier,
    forceVersionUpdate: given('forceVersionUpdate') ?? d.forceVersionUpdate,
    rollbackTimeoutMinutes: given('rollbackTimeoutMinutes') ?? d.rollbackTimeoutMinutes,
    compute,
    autoModeNodePools: given('autoModeNodePools') ?? d.autoModeNodePools,
    nodeGroups,
    logRetentionDays: given('logRetentionDays') ?? d.logRetentionDays,
    sampleWorkloads,
    workloads: resolveWorkloads(given('workloads'), sampleWorkloads),
    teams: given('teams') ?? [],
    addons: given('addons') ?? DEFAULT_ADDON_IDS[compute].map((id) => ({ id, options: {} })),
    tags: given('tags') ?? d.tags,
  };
}

/** {@link readConfig} on its own: throws a `ConfigError` listing every problem. */
export function loadConfig(context: Readonly<Record<string, unknown>>): PlatformConfig {
  const p = new Problems();
  const config = readConfig(p, context);
  p.throwIfAny();
  return config;
}

function availabilityZones(
  p: Problems,
  list: readonly string[] | undefined,
  raw: unknown,
  region: string,
  azCount: number,
): readonly string[] {
  if (raw !== undefined) {
    const zones = list ?? [];
    const wellFormed = zones.every((az) => az.startsWith(region) && AZ_LETTERS.test(az.slice(region.length)));
    if (!wellFormed || zones.length !== azCount || new Set(zones).size !== zones.length) {
      p.add(
        'availabilityZones',
        raw,
        `${azCount} distinct AZ names of region ${region} (azCount), each the region and a letter a to f, e.g. ${region}a,${region}b`,
      );
    }
    return zones;
  }
  const known = REGION_AVAILABILITY_ZONES[region];
  if (!known) {
    p.add(
      'region',
      region,
      `a region with committed AZ names (${Object.keys(REGION_AVAILABILITY_ZONES).join(', ')}), or set availabilityZones explicitly`,
    );
    return [];
  }
  return known.slice(0, azCount);
}

function publicAccessCidrs(
  p: Problems,
  list: readonly string[] | undefined,
  raw: unknown,
  endpointAccess: PlatformConfig['endpointAccess'],
  profile: PlatformConfig['profile'],
  profileDefault: readonly string[],
): readonly string[] {
  if (endpointAccess === 'private') {
    if (raw !== undefined) {
      p.add('publicAccessCidrs', raw, 'nothing when endpointAccess is "private" (set endpointAccess=public-and-private to use it)');
    }
    return [];
  }
  const cidrs = raw === undefined ? profileDefault : (list ?? profileDefault);
  if (cidrs.length === 0) {
    p.add('publicAccessCidrs', raw ?? [], 'at least one public IPv4 CIDR when endpointAccess is "public-and-private", e.g. 203.0.113.0/24');
  }
  if (cidrs.length > MAX_PUBLIC_ACCESS_CIDRS) {
    p.add('publicAccessCidrs', cidrs.length, `at most ${MAX_PUBLIC_ACCESS_CIDRS} CIDRs (the EKS limit per cluster)`);
  }
  for (const text of cidrs) {
    const cidr = parseCidr(text);
    if (!cidr || (cidr.prefix > 0 && isPrivateRange(cidr))) {
      p.add('publicAccessCidrs', text, 'public IPv4 CIDRs without host bits (EKS rejects private ranges here), e.g. 203.0.113.0/24');
    } else if (cidr.prefix === 0 && profile === 'production') {
      // The EKS best practices guide (Cluster access, "Make the EKS Cluster Endpoint private")
      // and AWS Control Tower CT.EKS.PR.1 want no endpoint open to the internet; the workshop
      // profile opens it on purpose for laptops, production does not.
      p.add(
        'publicAccessCidrs',
        text,
        'CIDRs of the networks that administer the cluster in the production profile, not the whole internet (0.0.0.0/0), e.g. 203.0.113.0/24; or endpointAccess=private',
      );
    }
  }
  return cidrs;
}
