import type { Problems } from './problems';

/*
 * Context values arrive typed from cdk.json ("azCount": 3) but always as strings from the CLI
 * (-c azCount=3, -c sampleWorkloads=false), so every reader accepts both forms.
 */

export function readString(p: Problems, key: string, raw: unknown, allowed: string): string | undefined {
  if (typeof raw === 'string' && raw.trim() !== '') {
    return raw.trim();
  }
  p.add(key, raw, allowed);
  return undefined;
}

export function readEnum<T extends string>(p: Problems, key: string, raw: unknown, values: readonly T[]): T | undefined {
  if (typeof raw === 'string' && (values as readonly string[]).includes(raw.trim())) {
    return raw.trim() as T;
  }
  p.add(key, raw, values.join(', '));
  return undefined;
}

export function readInteger(p: Problems, key: string, raw: unknown, min: number, max: number): number | undefined {
  const value = typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : raw;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) {
    return value;
  }
  p.add(key, raw, min === max ? `${min}` : `an integer from ${min} to ${max}`);
  return undefined;
}

export function readBoolean(p: Problems, key: string, raw: unknown): boolean | undefined {
  if (typeof raw === 'boolean') {
    return raw;
  }
  if (raw === 'true' || raw === 'false') {
    return raw === 'true';
  }
  p.add(key, raw, 'true, false');
  return undefined;
}

/** A list given as a JSON array or a comma-separated string ("" is the empty list). */
export function readStringList(p: Problems, key: string, raw: unknown): string[] | undefined {
  if (Array.isArray(raw) && raw.every((v) => typeof v === 'string')) {
    return raw.map((v: string) => v.trim());
  }
  if (typeof raw === 'string') {
    const text = raw.trim();
    if (text.startsWith('[')) {
      const parsed = parseJson(p, key, text);
      return parsed === REPORTED ? undefined : readStringList(p, key, parsed);
    }
    return text === '' ? [] : text.split(',').map((v) => v.trim());
  }
  p.add(key, raw, 'a list of strings (JSON array, or comma-separated on the command line)');
  return undefined;
}

/** Marks a value whose problem is already reported, so callers do not report it twice. */
export const REPORTED = Symbol('reported');

/** Structured values (objects, arrays of objects) come as JSON text from the command line. */
export function readJson(p: Problems, key: string, raw: unknown): unknown {
  return typeof raw === 'string' ? parseJson(p, key, raw) : raw;
}

function parseJson(p: Problems, key: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    p.add(key, text, 'valid JSON');
    return REPORTED;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reports keys of an object that the schema does not know, so typos do not pass silently. */
export function rejectUnknownKeys(
  p: Problems,
  key: string,
  value: Record<string, unknown>,
  known: readonly string[],
): void {
  for (const k of Object.keys(value)) {
    if (!known.includes(k)) {
      p.add(`${key}.${k}`, value[k], `one of the keys ${known.join(', ')}`);
    }
  }
}
