/** The part of a synthesized CloudFormation template the estimate reads. */
export interface CfnTemplate {
  readonly Resources?: Readonly<Record<string, { readonly Type: string; readonly Properties?: Readonly<Record<string, unknown>> }>>;
}

/** One resource of a template. */
export interface TemplateResource {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Readonly<Record<string, unknown>>;
}

/** The resources of `template`, in logical-id order so every estimate lists them the same way. */
export function resourcesOf(template: CfnTemplate): TemplateResource[] {
  return Object.entries(template.Resources ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([logicalId, resource]) => ({ logicalId, type: resource.Type, properties: resource.Properties ?? {} }));
}
