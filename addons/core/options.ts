import { isRecord, readString } from '../../lib/config/parse';
import type { Problems } from '../../lib/config/problems';
import type { HelmAddOnProps, HelmValues } from './helm-addon';
import type { Toleration } from './kubernetes-object';

/*
 * Readers for add-on options given in configuration, e.g.
 *   "addons": { "metrics-server": { "version": "3.13.0", "nodeSelector": { "workload-type": "ops" } } }
 * They report problems with the full key (`addons.metrics-server.version`) like every other key.
 */

/** Reports options the add-on does not know, so typos do not pass silently. */
export function checkOptionKeys(p: Problems, key: string, options: Readonly<Record<string, unknown>>, known: readonly string[]): void {
  for (const name of Object.keys(options)) {
    if (!known.includes(name)) {
      p.add(`${key}.${name}`, options[name], `one of the options ${known.join(', ')}`);
    }
  }
}

export function optionalString(p: Problems, key: string, raw: unknown, allowed: string, pattern?: RegExp): string | undefined {
  if (raw === undefined) return undefined;
  const value = readString(p, key, raw, allowed);
  if (value !== undefined && pattern && !pattern.test(value)) {
    p.add(key, raw, allowed);
    return undefined;
  }
  return value;
}

function stringMap(p: Problems, key: string, raw: unknown): Record<string, string> | undefined {
  if (isRecord(raw) && Object.values(raw).every((v) => typeof v === 'string')) {
    return raw as Record<string, string>;
  }
  p.add(key, raw, 'an object of string keys to string values');
  return undefined;
}

function tolerations(p: Problems, key: string, raw: unknown): Toleration[] | undefined {
  const effects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
  if (Array.isArray(raw) && raw.every((t) => isRecord(t) && (t.effect === undefined || effects.includes(String(t.effect))))) {
    return raw as Toleration[];
  }
  p.add(key, raw, `a list of tolerations {key, operator, value, effect} with effect ${effects.join(', ')}`);
  return undefined;
}

/** Options common to every Helm add-on. */
export const HELM_OPTION_KEYS = ['version', 'values', 'nodeSelector', 'tolerations'];

export function readHelmOptions(p: Problems, key: string, options: Readonly<Record<string, unknown>>): HelmAddOnProps {
  return {
    version: optionalString(p, `${key}.version`, options.version, 'an exact chart version, e.g. 1.2.3', /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/),
    values: options.values === undefined ? undefined : (isRecord(options.values) ? (options.values as HelmValues) : (p.add(`${key}.values`, options.values, 'an object of Helm values'), undefined)),
    nodeSelector: options.nodeSelector === undefined ? undefined : stringMap(p, `${key}.nodeSelector`, options.nodeSelector),
    tolerations: options.tolerations === undefined ? undefined : tolerations(p, `${key}.tolerations`, options.tolerations),
  };
}
