import { checkNamespaces, checkPrincipalArn } from './access-rules';
import { isRecord, readEnum, readInteger, readJson, readStringList, rejectUnknownKeys, REPORTED } from './parse';
import type { Problems } from './problems';
import type { TeamAccess, TeamConfig, TeamQuota } from './types';

const ACCESS_LEVELS: readonly TeamAccess[] = ['admin', 'edit', 'view'];
const QUANTITY = /^\d+(\.\d+)?(m|Ki|Mi|Gi|Ti)?$/;
const TEAM_KEYS = ['name', 'namespaces', 'principals', 'access', 'quota'];

/** A team as code passes it: omitted fields take their defaults. */
export interface TeamInput {
  readonly name: string;
  /** @default [name] */
  readonly namespaces?: readonly string[];
  readonly principals: readonly string[];
  /** @default 'edit' */
  readonly access?: TeamAccess;
  /** @default DEFAULT_TEAM_QUOTA */
  readonly quota?: Partial<TeamQuota>;
}

/** A team gets room for a handful of services; raise it per team in configuration. */
export const DEFAULT_TEAM_QUOTA: TeamQuota = { cpu: '4', memory: '8Gi', pods: 50 };

/** Namespaces no team may own: Kubernetes', EKS's and the platform's own. */
export const SYSTEM_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'platform-system'];

function readQuota(p: Problems, key: string, raw: unknown): TeamQuota | undefined {
  if (raw === undefined) return DEFAULT_TEAM_QUOTA;
  if (!isRecord(raw)) {
    p.add(key, raw, 'an object {cpu, memory, pods}');
    return undefined;
  }
  rejectUnknownKeys(p, key, raw, ['cpu', 'memory', 'pods']);
  const quantity = (field: 'cpu' | 'memory'): string | undefined => {
    const v = raw[field] ?? DEFAULT_TEAM_QUOTA[field];
    if (typeof v === 'string' && QUANTITY.test(v)) return v;
    if (typeof v === 'number' && v > 0) return String(v);
    p.add(`${key}.${field}`, v, field === 'cpu' ? 'a CPU quantity, e.g. "4" or "500m"' : 'a memory quantity, e.g. "8Gi"');
    return undefined;
  };
  const cpu = quantity('cpu');
  const memory = quantity('memory');
  const pods = readInteger(p, `${key}.pods`, raw.pods ?? DEFAULT_TEAM_QUOTA.pods, 1, 1000);
  return cpu && memory && pods !== undefined ? { cpu, memory, pods } : undefined;
}

function readTeam(p: Problems, key: string, raw: unknown, reserved: readonly string[]): TeamConfig | undefined {
  if (!isRecord(raw)) {
    p.add(key, raw, 'an object {name, namespaces?, principals, access?, quota?}');
    return undefined;
  }
  rejectUnknownKeys(p, key, raw, TEAM_KEYS);
  const name = typeof raw.name === 'string' && /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(raw.name) ? raw.name : undefined;
  if (!name) p.add(`${key}.name`, raw.name, 'a DNS label: lowercase letters, digits and "-", at most 63 characters');
  const namespaces = raw.namespaces === undefined ? (name ? [name] : undefined) : checkNamespaces(p, `${key}.namespaces`, raw.namespaces);
  for (const ns of namespaces ?? []) {
    if (reserved.includes(ns) || ns.startsWith('kube-')) {
      p.add(`${key}.namespaces`, ns, `a namespace that is not a system or platform namespace (${reserved.join(', ')}, kube-*)`);
    }
  }
  if (namespaces && namespaces.length === 0) p.add(`${key}.namespaces`, raw.namespaces, 'at least one namespace');
  const principalList = readStringList(p, `${key}.principals`, raw.principals ?? []) ?? [];
  const principals = principalList.map((arn, i) => checkPrincipalArn(p, `${key}.principals[${i}]`, arn));
  const access = readEnum(p, `${key}.access`, raw.access ?? 'edit', ACCESS_LEVELS);
  const quota = readQuota(p, `${key}.quota`, raw.quota);
  if (!name || !namespaces || !access || !quota || principals.some((a) => a === undefined)) return undefined;
  return { name, namespaces, principals: principals as string[], access, quota };
}

/**
 * Reads application teams. Rejects a namespace used by two teams and system or platform
 * namespaces (`reserved`); principal uniqueness across the app is checked by the caller with
 * every other access entry.
 */
export function readTeams(p: Problems, raw: unknown, reserved: readonly string[], keyPrefix = 'teams'): TeamConfig[] {
  if (raw === undefined) return [];
  const value = readJson(p, keyPrefix, raw);
  if (value === REPORTED) return [];
  if (!Array.isArray(value)) {
    p.add(keyPrefix, raw, 'a JSON array of teams {name, namespaces?, principals, access?, quota?}');
    return [];
  }
  const teams = value.map((t, i) => readTeam(p, `${keyPrefix}[${i}]`, t, reserved)).filter((t): t is TeamConfig => t !== undefined);
  const owner = new Map<string, string>();
  teams.forEach((team) => {
    for (const ns of team.namespaces) {
      const first = owner.get(ns);
      if (first && first !== team.name) {
        p.add(`${keyPrefix}[${teams.indexOf(team)}].namespaces`, ns, `a namespace no other team uses (team "${first}" has it)`);
      }
      owner.set(ns, team.name);
    }
  });
  const names = teams.map((t) => t.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) p.add(keyPrefix, dup, 'unique team names');
  return teams;
}
