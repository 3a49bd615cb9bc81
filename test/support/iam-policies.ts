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
  return Object.fromEntries(Object.entries(template.findResources('AWS::IAM::ManagedPolicy'))
    .filter(([id]) => id.startsWith(prefix))
    .map(([id, p]) => [id, p.Properties.PolicyDocument]));
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
