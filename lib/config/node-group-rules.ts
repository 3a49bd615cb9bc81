import { REPORTED, isRecord, readEnum, readInteger, readJson, readStringList, rejectUnknownKeys } from './parse';
import type { Problems } from './problems';
import type { CapacityTypeName, NodeGroupAmiType, NodeGroupConfig, TaintConfig, TaintEffectName } from './types';

const AMI_TYPES: readonly NodeGroupAmiType[] = [
  'BOTTLEROCKET_x86_64',
  'BOTTLEROCKET_ARM_64',
  'AL2023_x86_64_STANDARD',
  'AL2023_ARM_64_STANDARD',
];
const CAPACITY_TYPES: readonly CapacityTypeName[] = ['SPOT', 'ON_DEMAND'];
const TAINT_EFFECTS: readonly TaintEffectName[] = ['NO_SCHEDULE', 'PREFER_NO_SCHEDULE', 'NO_EXECUTE'];
const NODE_GROUP_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}$/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
/** Graviton families carry a "g" after the generation digit: m7g, c7gn, t4g, r8gd. */
const ARM_INSTANCE = /^[a-z]+\d+g[a-z]*\./;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;
const NODE_GROUP_KEYS = [
  'name', 'amiType', 'instanceTypes', 'capacityType', 'minSize', 'maxSize', 'desiredSize', 'diskSize', 'labels', 'taints',
];

function readLabels(p: Problems, key: string, raw: unknown): Record<string, string> | undefined {
  if (!isRecord(raw)) {
    p.add(key, raw, 'an object of Kubernetes label keys to string values');
    return undefined;
  }
  let ok = true;
  for (const [k, v] of Object.entries(raw)) {
    if (!LABEL_KEY.test(k) || typeof v !== 'string' || !LABEL_VALUE.test(v)) {
      p.add(`${key}.${k}`, v, 'a valid Kubernetes label key with a string value of at most 63 characters');
      ok = false;
    }
  }
  return ok ? (raw as Record<string, string>) : undefined;
}

function readTaint(p: Problems, key: string, raw: unknown): TaintConfig | undefined {
  if (!isRecord(raw)) {
    p.add(key, raw, 'an object {key, value?, effect}');
    return undefined;
  }
  rejectUnknownKeys(p, key, raw, ['key', 'value', 'effect']);
  const taintKey = typeof raw.key === 'string' && LABEL_KEY.test(raw.key) ? raw.key : undefined;
  if (!taintKey) {
    p.add(`${key}.key`, raw.key, 'a valid Kubernetes taint key');
  }
  const value = raw.value ?? '';
  if (typeof value !== 'string' || !LABEL_VALUE.test(value)) {
    p.add(`${key}.value`, value, 'a string of at most 63 characters');
  }
  const effect = readEnum(p, `${key}.effect`, raw.effect, TAINT_EFFECTS);
  return taintKey && effect && typeof value === 'string' ? { key: taintKey, value, effect } : undefined;
}

function readNodeGroup(p: Problems, key: string, raw: unknown): NodeGroupConfig | undefined {
  if (!isRecord(raw)) {
    p.add(key, raw, 'an object describing a managed node group');
    return undefined;
  }
  const before = p.count;
  rejectUnknownKeys(p, key, raw, NODE_GROUP_KEYS);
  const name = typeof raw.name === 'string' && NODE_GROUP_NAME.test(raw.name) ? raw.name : undefined;
  if (!name) {
    p.add(`${key}.name`, raw.name, 'letters, digits, "-" and "_", 1-63 characters, starting with a letter or digit');
  }
  const amiType = readEnum(p, `${key}.amiType`, raw.amiType, AMI_TYPES);
  const instanceTypes = readStringList(p, `${key}.instanceTypes`, raw.instanceTypes) ?? [];
  if (instanceTypes.length === 0 || instanceTypes.some((t) => !INSTANCE_TYPE.test(t))) {
    p.add(`${key}.instanceTypes`, raw.instanceTypes, 'a non-empty list of EC2 instance types, e.g. ["m5.large", "t3.medium"]');
  } else if (amiType) {
    const wantArm = amiType.includes('ARM_64');
    const mismatched = instanceTypes.filter((t) => ARM_INSTANCE.test(t) !== wantArm);
    if (mismatched.length > 0) {
      p.add(`${key}.instanceTypes`, mismatched, `instance types of the ${wantArm ? 'arm64 (Graviton)' : 'x86_64'} architecture of amiType ${amiType}`);
    }
  }
  const capacityType = readEnum(p, `${key}.capacityType`, raw.capacityType ?? 'ON_DEMAND', CAPACITY_TYPES);
  const minSize = readInteger(p, `${key}.minSize`, raw.minSize, 0, 100);
  const maxSize = readInteger(p, `${key}.maxSize`, raw.maxSize, 1, 100);
  const desiredSize = readInteger(p, `${key}.desiredSize`, raw.desiredSize ?? minSize, 0, 100);
  if (minSize !== undefined && maxSize !== undefined && minSize > maxSize) {
    p.add(`${key}.minSize`, minSize, `at most maxSize (${maxSize})`);
  } else if (minSize !== undefined && maxSize !== undefined && desiredSize !== undefined && (desiredSize < minSize || desiredSize > maxSize)) {
    p.add(`${key}.desiredSize`, desiredSize, `between minSize (${minSize}) and maxSize (${maxSize})`);
  }
  const diskSize = readInteger(p, `${key}.diskSize`, raw.diskSize ?? 20, 20, 16384);
  const labels = readLabels(p, `${key}.labels`, raw.labels ?? {});
  const taintsRaw = raw.taints ?? [];
  const taints = Array.isArray(taintsRaw)
    ? taintsRaw.map((t, i) => readTaint(p, `${key}.taints[${i}]`, t))
    : (p.add(`${key}.taints`, taintsRaw, 'a list of {key, value?, effect}'), []);
  if (p.count > before || !name || !amiType || !capacityType || minSize === undefined || maxSize === undefined
    || desiredSize === undefined || diskSize === undefined || !labels) {
    return undefined;
  }
  return {
    name, amiType, instanceTypes, capacityType, minSize, maxSize, desiredSize, diskSize, labels,
    taints: taints.filter((t): t is TaintConfig => t !== undefined),
  };
}

export function readNodeGroups(p: Problems, raw: unknown): NodeGroupConfig[] | undefined {
  const value = readJson(p, 'nodeGroups', raw);
  if (value === REPORTED) {
    return undefined;
  }
  if (!Array.isArray(value) || value.length === 0) {
    p.add('nodeGroups', raw, 'a non-empty JSON array of node groups when compute is "nodegroups"');
    return undefined;
  }
  const groups = value.map((g, i) => readNodeGroup(p, `nodeGroups[${i}]`, g));
  const names = groups.map((g) => g?.name).filter((n): n is string => n !== undefined);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) {
    p.add('nodeGroups', dup, 'node group names that are unique in the cluster');
  }
  return groups.every((g): g is NodeGroupConfig => g !== undefined) && !dup ? groups : undefined;
}
