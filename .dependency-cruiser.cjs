/* global module */
/*
 * Import rules of the published code (`npm run lint:deps`; docs/architecture.md draws them). The
 * folders are the layers, bottom to top:
 *   lib/core    configuration primitives: lib/core/config, the cost vocabulary (lib/core/cost),
 *               the Kubernetes object types, and lib/core/compliance, which every layer uses;
 *   addons/     the add-on contract (addons/core) and the add-ons;
 *   lib/stacks  composition and stacks: the plan, InfraStack, PlatformStack, teams, workloads, the
 *               export contract, the app;
 *   lib/tools   the in-memory synth, the cost estimate, the add-on pages;
 *   bin/        the app entry.
 * Each rule keeps a layer from importing one above it, and every module from taking part in a
 * circle: a circle is how the configuration and the add-ons once became one 23-file knot.
 *
 * Type-only imports count. They vanish from the JavaScript but not from the design, and they are
 * what the emitted `.d.ts` files import.
 */

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import circle: the modules in it can only be understood, loaded and tested together.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-is-the-bottom',
      severity: 'error',
      comment:
        'lib/core holds the primitives everything else builds on (configuration, cost vocabulary, Kubernetes object ' +
        'types, compliance); it may not know add-ons, stacks or tools.',
      from: { path: '^lib/core/' },
      to: { path: '^addons/|^lib/(stacks|tools)/|^bin/' },
    },
    {
      name: 'addons-below-stacks',
      severity: 'error',
      comment:
        'Add-ons see the contract (AddOnContext) and lib/core, not the plan or the stacks that use them. They get ' +
        'cluster handles (logs key, OIDC issuer, security group) from AddOnContext: reading InfraStack exports ' +
        '(lib/stacks/contract.ts) would tie them to the two-stack topology.',
      from: { path: '^addons/' },
      to: { path: '^lib/(stacks|tools)/|^bin/' },
    },
    {
      name: 'stacks-below-tools',
      severity: 'error',
      comment:
        'The tools (the in-memory synth, the cost estimate and its formatting, the add-on pages) build whole apps ' +
        'or read what they are built from; nothing the app is built from may depend on them.',
      from: { path: '^lib/stacks/' },
      to: { path: '^lib/tools/|^bin/' },
    },
    {
      name: 'nothing-imports-bin',
      severity: 'error',
      comment: 'bin/ is the app entry: importing it runs the app. Shared code belongs in lib/.',
      from: {},
      to: { path: '^bin/' },
    },
    {
      name: 'runtime-imports-from-dependencies',
      severity: 'error',
      comment:
        'A consumer installs only `dependencies`: code that runs may not import a devDependency. Type-only ' +
        'imports are erased; whether their types reach the public declarations is checked on dist/ by ' +
        'scripts/package/check-dist.mjs.',
      from: {},
      // aws-cdk-lib and constructs are devDependencies of the repo and peers of the package: the
      // consumer's single copy is the one that runs.
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only', 'npm-peer'] },
    },
    {
      name: 'blueprints-stays-optional',
      severity: 'error',
      comment:
        '@aws-quickstart/eks-blueprints is an optional peer, loaded only through cdk-eks-platform/blueprints ' +
        '(addons/blueprints/): anything else that imported it or the adapter would load it for every consumer.',
      from: { pathNot: '^addons/blueprints/' },
      to: { path: '^addons/blueprints/|node_modules/@aws-quickstart/eks-blueprints/' },
    },
    {
      name: 'packages-are-declared',
      severity: 'error',
      comment: 'A package not in package.json is only there by accident (hoisted from another package) and can vanish.',
      from: {},
      // dependency-cruiser also tags an optional peer (Blueprints) npm-no-pkg: declared is declared.
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'], dependencyTypesNot: ['npm', 'npm-dev', 'npm-peer'] },
    },
    {
      name: 'imports-resolve',
      severity: 'error',
      comment: 'An import nothing resolves to fails at run time.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Only our own modules: the layers end at the package boundary.
    doNotFollow: { path: 'node_modules' },
    // Count `import type` (dependency-cruiser would otherwise see only what survives compilation).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // What Node uses to pick entry points, so `aws-cdk-lib/aws-eks-v2` resolves as it does at run time.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['require', 'node', 'types', 'default'],
      mainFields: ['types', 'main'],
      extensions: ['.ts', '.d.ts', '.js', '.cjs', '.json'],
    },
    // The handler asset is loaded by path (Code.fromAsset), not imported; nothing else is skipped.
    exclude: { path: '^lib/stacks/workloads/load-balancer-lookup-handler/' },
  },
};
