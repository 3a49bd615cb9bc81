/**
 * The docs facet of an add-on: what `npm run docs` needs, beyond the registration's summary and
 * options schema, to write the add-on's page (docs/addons/<id>.md). Facts the code knows (compute
 * modes, chart and version, Kubernetes range, dependencies, options) are read from the add-on and
 * its schema; only the prose is written by hand.
 */
export interface AddOnDocs {
  /**
   * Absolute path of a Markdown file with the add-on's prose: what it gives, how to use it, how to
   * look at it, what it costs. Its headings start at `##`: the page's title is the add-on's id.
   * @default - the page holds only the generated facts
   */
  readonly prose?: string;
  /**
   * Options the page creates the add-on with, for an add-on that cannot be created without some.
   * @default {}
   */
  readonly example?: Readonly<Record<string, unknown>>;
}
