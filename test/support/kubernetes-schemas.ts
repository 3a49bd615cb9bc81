import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { ValidateFunction } from 'ajv';
import Ajv from 'ajv';

/** Any rendered Kubernetes object. */
export interface AnyKubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly name?: string };
  readonly [field: string]: unknown;
}

interface Model {
  validate(): void;
}
type ModelClass = new (data: unknown) => Model;

const ESM_GROUPS = ['karpenter.sh', 'karpenter.k8s.aws'];
const LOCAL_SCHEMAS: Record<string, string> = {
  // The CRD of the Argo CD the argo-cd chart installs (see its $comment), rather than the older one
  // of @kubernetes-models/argo-cd.
  'argoproj.io/v1alpha1/Application': 'application.argoproj.io.json',
  'eks.amazonaws.com/v1/IngressClassParams': 'ingressclassparams.eks.amazonaws.com.json',
  'external-secrets.io/v1/SecretStore': 'secretstore.external-secrets.io.json',
  'external-secrets.io/v1/ClusterSecretStore': 'clustersecretstore.external-secrets.io.json',
  // Copied from ESO's CRD (see its $comment), so template fields such as mergePolicy are checked too.
  'external-secrets.io/v1/ExternalSecret': 'externalsecret.external-secrets.io.json',
};
/** Local schemas copied from a CRD, unchanged. */
const CRD_SCHEMAS = new Set(['application.argoproj.io.json', 'externalsecret.external-secrets.io.json']);
// The CRD's formats carry no constraint `type` does not: int64 fields are `type: integer`, and
// date-time fields are status the platform never writes.
const ajv = new Ajv({ allErrors: true, strict: false, formats: { int64: true, 'date-time': true } });

/**
 * A schema in which an object with `properties` takes no others, unless it preserves unknown
 * fields: the API server silently drops fields a CRD's structural schema does not declare
 * (Kubernetes docs, "Custom Resources", field pruning), so a misspelt field would be lost at deploy
 * without an error. Here it is one.
 */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (schema === null || typeof schema !== 'object') return schema;
  const node = Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, key === 'enum' ? value : closed(value)]));
  const open = node['x-kubernetes-preserve-unknown-fields'] === true || 'additionalProperties' in node;
  return node.properties !== undefined && node.type === 'object' && !open ? { ...node, additionalProperties: false } : node;
}

const validators = new Map<string, ValidateFunction>();

/** The compiled schema of a local file (compiling the Application CRD's takes a second). */
function localValidator(file: string): ValidateFunction {
  let validate = validators.get(file);
  if (!validate) {
    const read: unknown = JSON.parse(readFileSync(join(__dirname, 'schemas', file), 'utf8'));
    // Hand-written schemas say what they allow; a CRD's is made as strict as pruning is.
    validate = ajv.compile((CRD_SCHEMAS.has(file) ? closed(read) : read) as object);
    validators.set(file, validate);
  }
  return validate;
}

/** The kubernetes-models class of a built-in kind or a CRD with a CommonJS model package. */
function modelClass(apiVersion: string, kind: string): ModelClass | undefined {
  const candidates = apiVersion.startsWith('argoproj.io/')
    ? [`@kubernetes-models/argo-cd/${apiVersion}/${kind}`]
    : [`kubernetes-models/${apiVersion}/${kind}`];
  for (const path of candidates) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return (require(path) as Record<string, ModelClass>)[kind];
    } catch {
      // not a kind of this package
    }
  }
  return undefined;
}

/**
 * Validates objects against the Kubernetes OpenAPI schemas (kubernetes-models) or the CRD
 * schemas of the controllers we install. Returns one line per problem; an object without any
 * schema is a problem too, so nothing we render goes unchecked.
 */
export function schemaProblems(objects: readonly AnyKubernetesObject[]): string[] {
  const problems: string[] = [];
  const esm: AnyKubernetesObject[] = [];
  for (const object of objects) {
    const label = `${object.apiVersion}/${object.kind} ${object.metadata?.name ?? '?'}`;
    if (ESM_GROUPS.includes(object.apiVersion.split('/')[0])) {
      esm.push(object);
      continue;
    }
    const local = LOCAL_SCHEMAS[`${object.apiVersion}/${object.kind}`];
    if (local) {
      const validate = localValidator(local);
      if (!validate(object)) {
        problems.push(`${label}: ${ajv.errorsText(validate.errors)}`);
      }
      continue;
    }
    const Model = modelClass(object.apiVersion, object.kind);
    if (!Model) {
      problems.push(`${label}: no schema`);
      continue;
    }
    try {
      new Model(object).validate();
    } catch (error) {
      problems.push(`${label}: ${(error as Error).message}`);
    }
  }
  if (esm.length > 0) {
    const result = spawnSync(process.execPath, [join(__dirname, 'validate-esm-models.mjs')], {
      input: JSON.stringify(esm),
      encoding: 'utf8',
      cwd: join(__dirname, '..', '..'),
    });
    if (result.status !== 0) {
      throw new Error(`ESM schema validation failed to run: ${result.stderr}`);
    }
    problems.push(...(JSON.parse(result.stdout) as string[]));
  }
  return problems;
}
