import type { z } from 'zod';

import { AZ_LETTERS, REGION_AVAILABILITY_ZONES } from './availability-zones';
import { isPrivateRange, parseCidr } from './network-rules';
import { Problems } from './problems';
import type { ProfileDefaults } from './profiles';
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
 * Keys whose default is computed from other keys (or that a profile does not hold): each has its
 * resolver in {@link readConfig}. Every other key is its given value or its profile's.
 */
const RESOLVED_KEYS = [
  'profile',
  'account',
  'availabilityZones',
  'natGateways',
  'publicAccessCidrs',
  'nodeGroups',
  'workloads',
  'teams',
  'addons',
] as const satisfies readonly ConfigKey[];
type ProfileKey = Exclude<ConfigKey, (typeof RESOLVED_KEYS)[number]>;
const PROFILE_KEYS = CONFIG_KEYS.filter((key): key is ProfileKey => !(RESOLVED_KEYS as readonly ConfigKey[]).includes(key));

/** Reads one key of the context with its schema: `undefined` when absent or invalid (then reported). */
type Given = <K extends ConfigKey>(key: K) => ConfigValue<K> | undefined;

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
  const given: Given = (key) =>
    context[key] === undefined
      ? undefined
      : parseInto(p, key, CONFIG_SHAPE[key] as unknown as z.ZodType<ConfigValue<typeof key>>, context[key]);

  const profile = given('profile') ?? 'workshop';
  const d = PROFILES[profile];
  const base = fromProfile(given, d);
  return {
    ...base,
    profile,
    account: given('account'),
    availabilityZones: availabilityZones(p, given('availabilityZones'), context.availabilityZones, base.region, base.azCount),
    natGateways: natGateways(p, given('natGateways'), d.natGateways, base.azCount),
    publicAccessCidrs: publicAccessCidrs(
      p,
      given('publicAccessCidrs'),
      context.publicAccessCidrs,
      base.endpointAccess,
      profile,
      d.publicAccessCidrs,
    ),
    nodeGroups: nodeGroups(p, given, context.nodeGroups, base.compute, d.nodeGroups),
    workloads: resolveWorkloads(given('workloads'), base.sampleWorkloads),
    teams: given('teams') ?? [],
    addons: given('addons') ?? DEFAULT_ADDON_IDS[base.compute].map((id) => ({ id, options: {} })),
  };
}

/** Every key a profile holds as it is: the given value, else the profile's. */
function fromProfile(given: Given, d: ProfileDefaults): Pick<PlatformConfig, ProfileKey> {
  // fromEntries loses the pairing of key and value type that `given(key) ?? d[key]` has per key.
  return Object.fromEntries(PROFILE_KEYS.map((key) => [key, given(key) ?? d[key]])) as Pick<PlatformConfig, ProfileKey>;
}

/** {@link readConfig} on its own: throws a `ConfigError` listing every problem. */
export function loadConfig(context: Readonly<Record<string, unknown>>): PlatformConfig {
  const p = new Problems();
  const config = readConfig(p, context);
  p.throwIfAny();
  return config;
}

/** The given count, else the profile's ("per-az": one per AZ); never more than the AZs. */
function natGateways(p: Problems, count: number | undefined, profileDefault: ProfileDefaults['natGateways'], azCount: number): number {
  const resolved = count ?? (profileDefault === 'per-az' ? azCount : profileDefault);
  if (resolved > azCount) {
    p.add('natGateways', resolved, `an integer from 1 to ${azCount} (azCount)`);
  }
  return resolved;
}

/** Node groups apply to compute "nodegroups" only: given for another mode, they are a problem. */
function nodeGroups(
  p: Problems,
  given: Given,
  raw: unknown,
  compute: PlatformConfig['compute'],
  profileDefault: PlatformConfig['nodeGroups'],
): PlatformConfig['nodeGroups'] {
  if (raw === undefined) return profileDefault;
  if (compute === 'nodegroups') return given('nodeGroups') ?? profileDefault;
  // Silently dropping them would deploy a cluster without the nodes the user described.
  p.add('nodeGroups', raw, `nothing when compute is "${compute}" (set compute=nodegroups to use node groups)`);
  return profileDefault;
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
