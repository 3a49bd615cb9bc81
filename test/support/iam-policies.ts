import type { Template } from 'aws-cdk-lib/assertions';

/** An IAM statement as it appears in a synthesized policy document. */
export interface Statement {
  Sid: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** A value or a list of values, as IAM JSON allows: always a list. */
export const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** The customer-managed policy documents whose logical ids start with `prefix` (an add-on's scope). */
export function policies(template: Template, prefix: string): Record<string, { Statement: Statement[] }> {
  return Object.fromEntries(
    Object.entries(template.findResources('AWS::IAM::ManagedPolicy'))
      .filter(([id]) => id.startsWith(prefix))
      .map(([id, p]) => [id, p.Properties.PolicyDocument]),
  );
}

/** Every statement of those policies. */
export function statements(template: Template, prefix: string): Statement[] {
  return Object.values(policies(template, prefix)).flatMap((d) => d.Statement);
}

/** The statement with `sid`; throws when there is none. */
export function statementBySid(template: Template, prefix: string, sid: string): Statement {
  const found = statements(template, prefix).find((s) => s.Sid === sid);
  if (!found) throw new Error(`no statement ${sid}`);
  return found;
}

/** A statement of any policy document (identity or resource policy), as synthesized. */
export interface AnyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** Values the evaluator puts in for deploy-time references. */
export interface Resolution {
  /** Pseudo parameters by name, e.g. `AWS::Region`. */
  readonly pseudo?: Readonly<Record<string, string>>;
  /** Named exports by export name. */
  readonly imports?: Readonly<Record<string, string>>;
}

const PSEUDO: Readonly<Record<string, string>> = {
  'AWS::Partition': 'aws',
  'AWS::Region': 'us-west-2',
  'AWS::AccountId': '111122223333',
  'AWS::URLSuffix': 'amazonaws.com',
};

/**
 * A template value with its CloudFormation references replaced by plain strings: pseudo parameters
 * by test values, imports by `resolution.imports` (or `<import:NAME>`), other references by
 * `<ref:ID>` and `<ID.Attr>`, so statements can be matched against concrete requests.
 */
export function resolve(value: unknown, resolution: Resolution = {}): unknown {
  if (Array.isArray(value)) return value.map((v) => resolve(v, resolution));
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ('Ref' in o) {
      const name = o.Ref as string;
      return resolution.pseudo?.[name] ?? PSEUDO[name] ?? `<ref:${name}>`;
    }
    if ('Fn::Join' in o) {
      const [separator, parts] = o['Fn::Join'] as [string, unknown[]];
      return parts.map((p) => resolve(p, resolution)).join(separator);
    }
    if ('Fn::ImportValue' in o) {
      const name = o['Fn::ImportValue'] as string;
      return resolution.imports?.[name] ?? `<import:${name}>`;
    }
    if ('Fn::GetAtt' in o) {
      const [id, attribute] = o['Fn::GetAtt'] as [string, string];
      return `<${id}.${attribute}>`;
    }
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, resolve(v, resolution)]));
  }
  return value;
}

/** One API call as IAM authorizes it, for one resource of the call. */
export interface Request {
  readonly action: string;
  readonly resource: string;
  /** Condition keys present for this resource: request tags, resource tags, service keys. */
  readonly context?: Readonly<Record<string, string | readonly string[] | boolean>>;
}

const glob = (pattern: string, flags = ''): RegExp =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    flags,
  );

/** IAM condition operators the project's policies use, evaluated for one key. */
function conditionHolds(operator: string, key: string, expected: unknown, context: Request['context'] = {}): boolean {
  const wanted = list(expected as unknown).map(String);
  const ifExists = operator.endsWith('IfExists');
  const [qualifier, base] = operator.includes(':') ? operator.split(':') : ['', operator];
  const op = base.replace(/IfExists$/, '');
  const present = Object.keys(context).find((k) => k.toLowerCase() === key.toLowerCase());
  if (op === 'Null') {
    return wanted[0] === 'true' ? present === undefined : present !== undefined;
  }
  if (present === undefined) {
    if (qualifier === 'ForAllValues') return true;
    if (qualifier === 'ForAnyValue') return false;
    return ifExists || op.includes('Not');
  }
  const actual = list(context[present] as string | boolean | string[]).map(String);
  const one = (value: string): boolean => {
    switch (op) {
      case 'StringEquals':
      case 'ArnEquals':
      case 'Bool':
        return wanted.includes(value);
      case 'StringNotEquals':
      case 'ArnNotEquals':
        return !wanted.includes(value);
      case 'StringLike':
      case 'ArnLike':
        return wanted.some((w) => glob(w).test(value));
      case 'StringNotLike':
      case 'ArnNotLike':
        return !wanted.some((w) => glob(w).test(value));
      default:
        throw new Error(`condition operator ${operator} is not modelled`);
    }
  };
  if (qualifier === 'ForAllValues') return actual.every(one);
  if (qualifier === 'ForAnyValue') return actual.some(one);
  return actual.some(one);
}

function statementMatches(statement: AnyStatement, request: Request): boolean {
  const actions = list(statement.Action ?? []);
  if (!actions.some((a) => glob(a, 'i').test(request.action))) return false;
  const resources = list(statement.Resource ?? []).map(String);
  if (!resources.some((r) => glob(r).test(request.resource))) return false;
  return Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, expected]) => conditionHolds(operator, key, expected, request.context)),
  );
}

/**
 * Whether resolved statements allow a request: an explicit deny wins, then any allow. The model
 * covers what this project's policies use (globbed actions and resources, the String/Arn/Bool/Null
 * operators with IfExists and ForAllValues/ForAnyValue), not IAM in general.
 */
export function allows(statements: readonly AnyStatement[], request: Request): boolean {
  const matching = statements.filter((s) => statementMatches(s, request));
  return !matching.some((s) => s.Effect === 'Deny') && matching.some((s) => s.Effect === 'Allow');
}
