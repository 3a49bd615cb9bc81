import { z } from 'zod';

import { parseJsonText } from './json-text';
import type { Problems } from './problems';

/*
 * The building blocks every configuration schema and every add-on options schema is made of.
 *
 * Context values arrive typed from cdk.json ("azCount": 3) but always as strings from the CLI
 * (-c azCount=3, -c sampleWorkloads=false, -c 'nodeGroups=[...]'), so the readers here accept both
 * forms. Each leaf carries one "allowed" text: it is the error message for every way the value can
 * be wrong, and the README reference shows it, so the two never disagree.
 */

/** Metadata the README generator reads from a schema. */
export interface SchemaDoc {
  /** What the key does, one or two sentences. */
  readonly description?: string;
  /** What values are accepted, as the error message says it. */
  readonly allowed?: string;
}

/** The one message of a leaf, for every check it makes. */
function message(allowed: string): { readonly error: string } {
  return { error: allowed };
}

/** Attaches the README text and the error message to a schema. */
export function documented<T extends z.ZodType>(schema: T, doc: SchemaDoc): T {
  // `.meta()` clones the schema without its metadata: keep what an inner helper attached.
  return schema.meta({ ...docOf(schema), ...doc }) as T;
}

/** A schema and the schemas it wraps (optional, default, pipe), outermost first. */
function layers(schema: z.ZodType): z.ZodType[] {
  const found: z.ZodType[] = [];
  let current: z.ZodType | undefined = schema;
  while (current) {
    found.push(current);
    const def: { innerType?: z.ZodType; out?: z.ZodType } = (
      current as unknown as { _zod: { def: { innerType?: z.ZodType; out?: z.ZodType } } }
    )._zod.def;
    current = def.innerType ?? def.out;
  }
  return found;
}

/** The documentation of a schema (through optional/default wrappers). */
export function docOf(schema: z.ZodType): SchemaDoc {
  const found: { description?: string; allowed?: string } = {};
  for (const layer of layers(schema)) {
    const meta = layer.meta() as SchemaDoc | undefined;
    found.description ??= meta?.description;
    found.allowed ??= meta?.allowed;
  }
  return Object.fromEntries(Object.entries(found).filter(([, v]) => v !== undefined));
}

/**
 * The value a schema gives a missing key (its `.default(...)`, through wrappers), boxed so that a
 * default of `undefined` differs from none; `undefined` when it has none.
 */
export function defaultOf(schema: z.ZodType): { readonly value: unknown } | undefined {
  const layer = layers(schema).find((l): l is z.ZodDefault => l instanceof z.ZodDefault);
  return layer ? { value: layer.def.defaultValue } : undefined;
}

/** A CLI string that looks like JSON is parsed; anything unparsable is left for the schema to reject. */
function fromJsonText(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  const parsed = parseJsonText(raw);
  return parsed.ok ? parsed.value : raw;
}

/** JSON text parsed inside a schema: invalid JSON or a repeated key is an issue of that schema. */
function parseInSchema(raw: string, ctx: z.core.$RefinementCtx): unknown {
  const parsed = parseJsonText(raw);
  if (parsed.ok) return parsed.value;
  ctx.addIssue({ code: 'custom', message: parsed.problem, input: raw });
  return z.NEVER;
}

/** The first value that occurs twice in `values`, or `undefined`. */
export function firstDuplicate<T>(values: readonly T[]): T | undefined {
  return values.find((v, i) => values.indexOf(v) !== i);
}

/** A string, trimmed; `allowed` names the form, `pattern` checks it. */
export function text(allowed: string, pattern?: RegExp): z.ZodType<string> {
  const base = z.string(message(allowed)).trim().min(1, message(allowed));
  return documented(pattern ? base.regex(pattern, message(allowed)) : base, { allowed });
}

/** One of `values`; the message lists them. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T, allowed = values.join(', ')): z.ZodType<T[number]> {
  return documented(
    z.preprocess((raw) => (typeof raw === 'string' ? raw.trim() : raw), z.enum(values, message(allowed))),
    { allowed },
  );
}

/** An integer in [min, max], also from a CLI string such as "3". */
export function integer(min: number, max: number, allowed = `an integer from ${min} to ${max}`): z.ZodType<number> {
  const schema = z.preprocess(
    (raw) => (typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : raw),
    z.number(message(allowed)).int(message(allowed)).min(min, message(allowed)).max(max, message(allowed)),
  );
  return documented(schema, { allowed });
}

/** `true` or `false`, also as the CLI strings "true" and "false". */
export function flag(): z.ZodType<boolean> {
  const allowed = 'true, false';
  return documented(
    z.preprocess((raw) => (raw === 'true' ? true : raw === 'false' ? false : raw), z.boolean(message(allowed))),
    { allowed },
  );
}

/**
 * A list: a JSON array, or on the command line JSON text or comma-separated values ("" is the
 * empty list). Items are checked by `item`, each problem names its index.
 */
export function list<T>(item: z.ZodType<T>, allowed: string): z.ZodType<T[]> {
  const schema = z.preprocess(
    (raw, ctx) => {
      if (typeof raw !== 'string') return raw;
      const trimmed = raw.trim();
      if (trimmed.startsWith('[')) return parseInSchema(trimmed, ctx);
      return trimmed === '' ? [] : trimmed.split(',').map((v) => v.trim());
    },
    z.array(item, message(allowed)),
  );
  return documented(schema, { allowed });
}

/** A structured value (object or array of objects): typed in cdk.json, JSON text from the CLI. */
export function json<T extends z.ZodType>(schema: T): T {
  const wrapped = z.preprocess((raw, ctx) => (typeof raw === 'string' ? parseInSchema(raw, ctx) : raw), schema) as unknown as T;
  return documented(wrapped, docOf(schema));
}

/**
 * An object that knows its keys: any other key is a problem, with a "did you mean" for a near
 * miss. Every object of the configuration is one of these, at every depth.
 */
export function strictObject<S extends z.ZodRawShape>(shape: S, allowed: string): z.ZodObject<S, z.core.$strict> {
  const known = Object.keys(shape);
  return documented(
    z.strictObject(shape, {
      error: (issue) => (issue.code === 'unrecognized_keys' ? unknownKeyAdvice(known) : allowed),
    }),
    { allowed },
  );
}

/** Marks the message of an unknown-key issue, so the formatter can add the per-key suggestion. */
const UNKNOWN_KEY = 'unknown key; ';

function unknownKeyAdvice(known: readonly string[]): string {
  return `${UNKNOWN_KEY}${known.join(', ')}`;
}

/** Edit distance counting a swap of two neighbours as one edit (`nmae` is one edit from `name`). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

/** The known key a typo most likely meant: same letters in another case, or at most two edits away. */
export function nearestKey(typed: string, known: readonly string[]): string | undefined {
  const lower = typed.toLowerCase();
  const sameLetters = known.find((k) => k.toLowerCase() === lower);
  if (sameLetters) return sameLetters;
  const limit = typed.length <= 4 ? 1 : 2;
  let best: { key: string; d: number } | undefined;
  for (const key of known) {
    const d = distance(lower, key.toLowerCase());
    if (d <= limit && (!best || d < best.d)) best = { key, d };
  }
  return best?.key;
}

/** What to tell a user about a key nobody reads. */
export function unknownKeyAllowed(typed: string, known: readonly string[]): string {
  const near = nearestKey(typed, known);
  return near ? `a known key: did you mean "${near}"? (keys: ${known.join(', ')})` : `one of the keys ${known.join(', ')}`;
}

/** `nodeGroups[0].labels.team`, the way a user finds it in their configuration. */
export function keyPath(prefix: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, part) => {
    if (typeof part === 'number') return `${acc}[${part}]`;
    const name = String(part);
    if (name === '') return `${acc}[""]`;
    return acc === '' ? name : `${acc}.${name}`;
  }, prefix);
}

/** The value at `path` of `root`, for messages. */
function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

/**
 * Parses `raw` with `schema`, reporting every problem under `prefix` (the key the user typed).
 * Returns the parsed value, or `undefined` when there were problems.
 */
export function parseInto<S extends z.ZodType>(p: Problems, prefix: string, schema: S, raw: unknown): z.output<S> | undefined {
  const result = schema.safeParse(raw, { reportInput: true });
  if (result.success) {
    return result.data;
  }
  for (const issue of result.error.issues) {
    reportIssue(p, prefix, raw, issue);
  }
  return undefined;
}

function reportIssue(p: Problems, prefix: string, root: unknown, issue: z.core.$ZodIssue): void {
  if (issue.code === 'unrecognized_keys' && issue.message.startsWith(UNKNOWN_KEY)) {
    const known = issue.message.slice(UNKNOWN_KEY.length).split(', ');
    const object = issue.input ?? valueAt(fromJsonText(root), issue.path);
    for (const key of issue.keys) {
      p.add(keyPath(prefix, [...issue.path, key]), (object as Record<string, unknown> | undefined)?.[key], unknownKeyAllowed(key, known));
    }
    return;
  }
  // Show the value as the user typed it ("4", not the 4 it was read as), except where a check
  // names the offending part itself (a duplicate name, the mismatched items of a list).
  const typed = issue.code === 'custom' ? undefined : valueAt(root, issue.path);
  p.add(keyPath(prefix, issue.path), typed ?? ('input' in issue ? issue.input : undefined), issue.message);
}
