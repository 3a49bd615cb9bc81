import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

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
  'eks.amazonaws.com/v1/IngressClassParams': 'ingressclassparams.eks.amazonaws.com.json',
  'external-secrets.io/v1/SecretStore': 'secretstore.external-secrets.io.json',
  'external-secrets.io/v1/ClusterSecretStore': 'clustersecretstore.external-secrets.io.json',
};
const ajv = new Ajv({ allErrors: true, strict: false });

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
      const schema = JSON.parse(readFileSync(join(__dirname, 'schemas', local), 'utf8')) as object;
      if (!ajv.validate(schema, object)) {
        problems.push(`${label}: ${ajv.errorsText(ajv.errors)}`);
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
