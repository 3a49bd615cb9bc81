import { REPORTED, isRecord, readEnum, readJson, readStringList, rejectUnknownKeys } from './parse';
import type { Problems } from './problems';
import type { AccessEntryConfig, AccessPolicyName, AccessScope } from './types';

export const ACCESS_POLICIES: readonly AccessPolicyName[] = [
  'AmazonEKSClusterAdminPolicy',
  'AmazonEKSAdminPolicy',
  'AmazonEKSEditPolicy',
  'AmazonEKSViewPolicy',
];
const SCOPES: readonly AccessScope[] = ['cluster', 'namespace'];

const PRINCIPAL_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/;
const ASSUMED_ROLE_ARN = /^arn:aws(-cn|-us-gov)?:sts::\d{12}:assumed-role\/([\w+=,.@-]+)\//;
export const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Validates an IAM principal ARN as EKS access entries accept it. */
export function checkPrincipalArn(p: Problems, key: string, raw: unknown): string | undefined {
  if (typeof raw === 'string' && PRINCIPAL_ARN.test(raw)) {
    return raw;
  }
  const assumed = typeof raw === 'string' ? ASSUMED_ROLE_ARN.exec(raw) : null;
  p.add(
    key,
    raw,
    assumed
      ? `an IAM role or user ARN; access entries need the role, e.g. arn:aws:iam::<account>:role/${assumed[2]}, not the sts session ARN`
      : 'an IAM role or user ARN, e.g. arn:aws:iam::111122223333:role/Admin',
  );
  return undefined;
}

export function checkNamespaces(p: Problems, key: string, raw: unknown): string[] | undefined {
  const list = readStringList(p, key, raw);
  const bad = list?.filter((ns) => !NAMESPACE_NAME.test(ns)) ?? [];
  if (bad.length > 0) {
    p.add(key, bad, 'Kubernetes namespace names (lowercase letters, digits, "-", at most 63 characters)');
    return undefined;
  }
  return list;
}

function readAccessEntry(p: Problems, key: string, raw: unknown): AccessEntryConfig | undefined {
  if (!isRecord(raw)) {
    p.add(key, raw, 'an object {principalArn, policy, scope, namespaces?}');
    return undefined;
  }
  rejectUnknownKeys(p, key, raw, ['principalArn', 'policy', 'scope', 'namespaces']);
  const principalArn = checkPrincipalArn(p, `${key}.principalArn`, raw.principalArn);
  const policy = readEnum(p, `${key}.policy`, raw.policy, ACCESS_POLICIES);
  const scope = readEnum(p, `${key}.scope`, raw.scope ?? 'cluster', SCOPES);
  const namespaces = raw.namespaces === undefined ? [] : checkNamespaces(p, `${key}.namespaces`, raw.namespaces);
  if (scope === 'namespace' && namespaces?.length === 0) {
    p.add(`${key}.namespaces`, raw.namespaces ?? [], 'at least one namespace when scope is "namespace"');
  }
  if (scope === 'cluster' && namespaces && namespaces.length > 0) {
    p.add(`${key}.namespaces`, raw.namespaces, 'no namespaces when scope is "cluster" (use scope "namespace")');
  }
  if (!principalArn || !policy || !scope || !namespaces) {
    return undefined;
  }
  return { principalArn, policy, scope, namespaces };
}

export function readAccessEntries(p: Problems, raw: unknown): AccessEntryConfig[] | undefined {
  const value = readJson(p, 'accessEntries', raw);
  if (value === REPORTED) {
    return undefined;
  }
  if (!Array.isArray(value)) {
    p.add('accessEntries', raw, 'a JSON array of {principalArn, policy, scope, namespaces?}');
    return undefined;
  }
  const entries = value.map((entry, i) => readAccessEntry(p, `accessEntries[${i}]`, entry));
  return entries.every((e): e is AccessEntryConfig => e !== undefined) ? entries : undefined;
}

/** EKS allows one access entry per principal; a duplicate only fails at deploy time (409). */
export function checkUniquePrincipals(p: Problems, owners: ReadonlyArray<{ key: string; principalArn: string }>): void {
  const seen = new Map<string, string>();
  for (const { key, principalArn } of owners) {
    const first = seen.get(principalArn);
    if (first) {
      p.add(key, principalArn, `a principal without another access entry (already given by ${first}); EKS allows one access entry per principal`);
    } else {
      seen.set(principalArn, key);
    }
  }
}
