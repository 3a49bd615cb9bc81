import { z } from 'zod';

import { documented, oneOf, parseInto, Problems, strictObject, text } from '../../lib/core/config';

/*
 * Option schemas shared by add-ons. Configuration gives options as
 *   "addons": { "metrics-server": { "version": "3.13.0", "nodeSelector": { "workload-type": "ops" } } }
 * and code passes the same object to the add-on's constructor; both go through the add-on's
 * schema, and problems name the full key (`addons.metrics-server.version`).
 */

/** An exact version: ranges would make two synths deploy different software. */
export const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/** An exact chart version such as 1.2.3. */
export const chartVersion = text('an exact chart version, e.g. 1.2.3', EXACT_VERSION);

/** An EKS managed add-on version as `aws eks describe-addon-versions` prints it. */
export const eksAddonVersion = text('an EKS add-on version such as v1.57.1-eksbuild.1', /^v\d+\.\d+\.\d+-eksbuild\.\d+$/);

/**
 * The name of a class object (StorageClass, IngressClass, IngressClassParams): a DNS-1123 subdomain,
 * at most 253 characters of lower-case labels joined by dots (Kubernetes API conventions, "Names";
 * apimachinery validation IsDNS1123Subdomain, which the API server applies to these kinds).
 */
export const objectName = text(
  'a Kubernetes object name: at most 253 characters of a-z, 0-9, "-" and ".", starting and ending with a letter or digit, e.g. gp3 or fast.ssd',
  /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
);

const STRING_MAP = 'an object of string keys to string values';
const TOLERATION_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;

/** A Kubernetes toleration, as Helm charts take them. */
export const tolerationSchema = strictObject(
  {
    key: z.string().optional(),
    operator: oneOf(['Equal', 'Exists']).optional(),
    value: z.string().optional(),
    effect: oneOf(TOLERATION_EFFECTS).optional(),
    tolerationSeconds: z.number().int().optional(),
  },
  `a toleration {key, operator, value, effect} with effect ${TOLERATION_EFFECTS.join(', ')}`,
);

/*
 * A default that is the same wherever the add-on runs is the schema's (`.default(x)`): parsed
 * options carry it, the docs show it, and no use site repeats it. A default computed from the
 * context (the cluster name, the profile, the node groups) cannot be: such an option stays
 * `.optional()`, its description says the rule once, and the use site computes it. So does an
 * option whose absence means something of its own (EKS's default, "not set" checks).
 */

/** Keys of `T` that may be left out. */
type OptionalKey<T> = { [K in keyof T]-?: Record<never, never> extends Pick<T, K> ? K : never }[keyof T];
/** Keys the schema `S` fills in with its default when they are left out. */
type DefaultedKey<S extends z.ZodType> = Exclude<OptionalKey<z.input<S>>, OptionalKey<z.output<S>>> & keyof z.output<S>;

/**
 * The options an add-on takes in code: what its schema returns, with every key that has a default
 * optional. (`z.input` has the same keys but types most values `unknown`: the schema-kit readers
 * accept what the CLI gives, such as "3" for 3.)
 */
export type OptionsInput<S extends z.ZodType> = Omit<z.output<S>, DefaultedKey<S>> & Partial<Pick<z.output<S>, DefaultedKey<S>>>;

/** Options every Helm add-on accepts; add-ons spread this into their own schema. */
export const HELM_OPTIONS = {
  /** @default - the version pinned beside the add-on */
  version: documented(chartVersion, { description: 'Exact chart version to deploy instead of the tested one.' }).optional(),
  /** @default - none: the add-on's own values (with install "eks-addon", values must stay unset) */
  values: documented(z.record(z.string(), z.unknown(), 'an object of Helm values'), {
    allowed: 'an object of Helm values',
    description: "Values merged over the add-on's own (objects merge deeply, arrays and scalars are replaced).",
  }).optional(),
  /** @default - no node selector */
  nodeSelector: documented(z.record(z.string(), z.string(STRING_MAP), STRING_MAP), {
    allowed: STRING_MAP,
    description: 'Node selector for the add-on\'s pods, e.g. {"workload-type": "ops"}.',
  }).optional(),
  /** @default - with a nodeSelector, the taints of the node groups it picks; else the add-on's own */
  tolerations: documented(z.array(tolerationSchema, 'a list of tolerations'), {
    allowed: 'a list of tolerations {key, operator, value, effect}',
    description: "Tolerations for the add-on's pods.",
  }).optional(),
} as const;

/**
 * Validates an add-on's options (from configuration or from code) with its schema. Throws a
 * `ConfigError` naming every problem under `addons.<id>`, so a mistake in code reads exactly like
 * one in cdk.json.
 */
export function addOnOptions<S extends z.ZodType>(id: string, schema: S, options: unknown): z.output<S> {
  const p = new Problems();
  const parsed = parseInto(p, `addons.${id}`, schema, options ?? {});
  p.throwIfAny();
  return parsed as z.output<S>;
}

/**
 * `schema` (a list) with every item at most once, or, given `field`, every item's value of that
 * field: the lists it is used for are sets (policies, zones, namespaces, repository URLs), where a
 * repeat is a typo that AWS or Kubernetes would refuse or silently fold.
 */
export function distinct<T>(schema: z.ZodType<T[]>, what: string, field?: keyof T & string): z.ZodType<T[]> {
  return schema.superRefine((items, ctx) => {
    const keys: unknown[] = items.map((item) => (field === undefined ? item : item[field]));
    keys.forEach((key, i) => {
      const first = keys.indexOf(key);
      if (first !== i) {
        const path = field === undefined ? [i] : [i, field];
        ctx.addIssue({ code: 'custom', path, input: key, message: `each ${what} once (it is item ${first} already)` });
      }
    });
  });
}
