import { EXTERNAL_DNS } from '../workloads/controllers';
import { REPORTED, isRecord, readBoolean, readJson, rejectUnknownKeys } from './parse';
import type { Problems } from './problems';

/** The petstore API: an NLB that the cluster creates from a plain Service, optionally behind API Gateway. */
export interface PetstoreWorkloadConfig {
  readonly enabled: boolean;
  /**
   * An internal NLB is reachable only inside the VPC (API Gateway reaches it through its VPC link);
   * `false` makes it internet-facing.
   * @default true
   */
  readonly internal: boolean;
  /**
   * Put a REST API in front of the NLB through a VPC link; its stage URL is the app URL.
   * @default true
   */
  readonly apiGateway: boolean;
}

/** nginx behind a TLS NLB with an ACM certificate and a DNS name external-dns publishes. */
export interface NginxWorkloadConfig {
  /** Route 53 public hosted zone id (`Z...`, without `/hostedzone/`). */
  readonly hostedZoneId: string;
  /** The zone's domain name, e.g. `example.com`. */
  readonly zoneName: string;
  /**
   * The name participants open, inside `zoneName`.
   * @default 'nginx.<zoneName>'
   */
  readonly hostname: string;
}

/** Which sample workloads PlatformStack deploys (README "Sample workloads"). */
export interface WorkloadsConfig {
  /** game-2048 behind an internet-facing ALB. */
  readonly game2048: boolean;
  readonly petstore: PetstoreWorkloadConfig;
  /**
   * nginx with TLS and a DNS name; only when a hosted zone is configured.
   * @default - not deployed
   */
  readonly nginx?: NginxWorkloadConfig;
}

/** Nothing deployed. */
export const NO_WORKLOADS: WorkloadsConfig = {
  game2048: false,
  petstore: { enabled: false, internal: true, apiGateway: true },
};

/** Whether any workload is on (PlatformStack creates the workloads construct only then). */
export function hasWorkloads(workloads: WorkloadsConfig): boolean {
  return workloads.game2048 || workloads.petstore.enabled || workloads.nginx !== undefined;
}

/** Namespaces the enabled workloads use (each workload lives in the namespace of its name). */
export function workloadNamespaces(workloads: WorkloadsConfig): string[] {
  return [
    ...(workloads.game2048 ? ['game-2048'] : []),
    ...(workloads.petstore.enabled ? ['petstore'] : []),
    ...(workloads.nginx ? ['nginx'] : []),
  ];
}

/** What the `workloads` key is read against. */
export interface WorkloadDefaults {
  /** The resolved `sampleWorkloads` key: turns game2048 and petstore on unless `workloads` says otherwise. */
  readonly sampleWorkloads: boolean;
  /**
   * The add-ons selected in configuration (`addons` key). When given, nginx is checked against
   * external-dns: it must be selected, manage the nginx hosted zone and accept its host name.
   * @default - not checked (add-ons passed in code are checked when the workloads are built)
   */
  readonly addons?: ReadonlyArray<{ readonly id: string; readonly options: Readonly<Record<string, unknown>> }>;
}

const KEY = 'workloads';
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,32}$/;
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
/** ACM refuses a certificate whose first domain name is longer than 64 characters. */
const MAX_CERTIFICATE_NAME = 64;

const ALLOWED = {
  workloads: 'a JSON object {"game2048": true|false, "petstore": true|false|{"enabled", "internal", "apiGateway"}, "nginx": {"hostedZoneId", "zoneName", "hostname"}}',
  boolean: 'true, false',
  petstore: 'true, false, or an object {"enabled": true|false, "internal": true|false, "apiGateway": true|false}',
  nginx: 'an object {"hostedZoneId": "Z...", "zoneName": "example.com", "hostname": "nginx.example.com"}, or false',
  hostedZoneId: 'a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ (without /hostedzone/)',
  zoneName: 'the hosted zone\'s lower-case domain name without a trailing dot, e.g. example.com',
} as const;

/**
 * Reads the `workloads` key (a JSON object, or JSON text from the command line). Keys left out
 * take their defaults: game2048 and petstore follow `sampleWorkloads`, nginx is off. Every problem
 * names its key (`workloads.petstore.internal`), the value and what is allowed.
 */
export function readWorkloads(p: Problems, raw: unknown, defaults: WorkloadDefaults): WorkloadsConfig {
  const on = defaults.sampleWorkloads;
  const fallback: WorkloadsConfig = { game2048: on, petstore: { enabled: on, internal: true, apiGateway: true } };
  if (raw === undefined) {
    return fallback;
  }
  const value = readJson(p, KEY, raw);
  if (value === REPORTED) {
    return fallback;
  }
  if (!isRecord(value)) {
    p.add(KEY, raw, ALLOWED.workloads);
    return fallback;
  }
  rejectUnknownKeys(p, KEY, value, ['game2048', 'petstore', 'nginx']);
  const game2048 = value.game2048 === undefined ? on : (readBoolean(p, `${KEY}.game2048`, value.game2048) ?? on);
  const petstore = value.petstore === undefined ? fallback.petstore : readPetstore(p, value.petstore, fallback.petstore);
  const nginx = readNginx(p, value.nginx);
  if (nginx && defaults.addons) {
    checkExternalDns(p, nginx, value.nginx, defaults.addons);
  }
  return { game2048, petstore, ...(nginx ? { nginx } : {}) };
}

function readPetstore(p: Problems, raw: unknown, fallback: PetstoreWorkloadConfig): PetstoreWorkloadConfig {
  const key = `${KEY}.petstore`;
  if (typeof raw === 'boolean' || raw === 'true' || raw === 'false') {
    return { ...fallback, enabled: raw === true || raw === 'true' };
  }
  if (!isRecord(raw)) {
    p.add(key, raw, ALLOWED.petstore);
    return fallback;
  }
  rejectUnknownKeys(p, key, raw, ['enabled', 'internal', 'apiGateway']);
  const flag = (name: 'enabled' | 'internal' | 'apiGateway', otherwise: boolean): boolean =>
    raw[name] === undefined ? otherwise : (readBoolean(p, `${key}.${name}`, raw[name]) ?? otherwise);
  // Giving petstore options means wanting petstore, whatever the profile's default.
  return { enabled: flag('enabled', true), internal: flag('internal', true), apiGateway: flag('apiGateway', true) };
}

function readNginx(p: Problems, raw: unknown): NginxWorkloadConfig | undefined {
  const key = `${KEY}.nginx`;
  if (raw === undefined || raw === false || raw === 'false') {
    return undefined;
  }
  if (!isRecord(raw)) {
    p.add(key, raw, ALLOWED.nginx);
    return undefined;
  }
  rejectUnknownKeys(p, key, raw, ['hostedZoneId', 'zoneName', 'hostname']);
  const before = p.count;
  const { hostedZoneId, zoneName } = raw;
  if (!(typeof hostedZoneId === 'string' && HOSTED_ZONE_ID.test(hostedZoneId))) {
    p.add(`${key}.hostedZoneId`, hostedZoneId, ALLOWED.hostedZoneId);
  }
  const zoneValid = typeof zoneName === 'string' && DOMAIN.test(zoneName);
  if (!zoneValid) {
    p.add(`${key}.zoneName`, zoneName, ALLOWED.zoneName);
  }
  const zone = zoneValid ? zoneName : undefined;
  const hostname = raw.hostname ?? (zone ? `nginx.${zone}` : undefined);
  const inZone = (name: string): boolean => zone === undefined || name === zone || name.endsWith(`.${zone}`);
  // Without a valid zone only the name itself is checked; the zone problem is already reported.
  if (hostname !== undefined && !(typeof hostname === 'string' && DOMAIN.test(hostname) && inZone(hostname) && hostname.length <= MAX_CERTIFICATE_NAME)) {
    const where = zone ? `in the zone (${zone} or ending in ".${zone}")` : 'in the zone';
    p.add(`${key}.hostname`, hostname, `a lower-case host name ${where}, at most ${MAX_CERTIFICATE_NAME} characters (the ACM certificate's limit), e.g. nginx.${zone ?? 'example.com'}`);
  }
  if (p.count > before) {
    return undefined;
  }
  return { hostedZoneId: hostedZoneId as string, zoneName: zoneName as string, hostname: hostname as string };
}

/** A list option as typed: a JSON array or a comma-separated string. */
function optionList(raw: unknown): string[] {
  if (Array.isArray(raw)) return raw.filter((v): v is string => typeof v === 'string');
  if (typeof raw === 'string') return raw.split(',').map((v) => v.trim()).filter((v) => v !== '');
  return [];
}

/**
 * external-dns publishes the nginx name only if it is selected, watches the nginx hosted zone and
 * the name passes its domain filters; otherwise the certificate validates but nobody can resolve
 * the name.
 */
function checkExternalDns(
  p: Problems,
  nginx: NginxWorkloadConfig,
  raw: unknown,
  addons: NonNullable<WorkloadDefaults['addons']>,
): void {
  const externalDns = addons.find((a) => a.id === EXTERNAL_DNS);
  if (!externalDns) {
    p.add(`${KEY}.nginx`, raw, `only together with the ${EXTERNAL_DNS} add-on, which publishes ${nginx.hostname}: add "${EXTERNAL_DNS}" to addons with hostedZoneIds ["${nginx.hostedZoneId}"] and domainFilters ["${nginx.zoneName}"]`);
    return;
  }
  const zones = optionList(externalDns.options.hostedZoneIds);
  if (zones.length > 0 && !zones.includes(nginx.hostedZoneId)) {
    p.add(`${KEY}.nginx.hostedZoneId`, nginx.hostedZoneId, `a hosted zone external-dns manages (addons.${EXTERNAL_DNS}.hostedZoneIds: ${zones.join(', ')})`);
  }
  const filters = optionList(externalDns.options.domainFilters);
  if (filters.length > 0 && !filters.some((d) => nginx.hostname === d || nginx.hostname.endsWith(`.${d}`))) {
    p.add(`${KEY}.nginx.hostname`, nginx.hostname, `a name inside the external-dns domain filters (addons.${EXTERNAL_DNS}.domainFilters: ${filters.join(', ')})`);
  }
}
