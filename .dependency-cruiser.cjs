/* global module */
/*
 * Import rules of the published code (`npm run lint:deps`; docs/architecture.md draws them). The
 * layers, bottom to top: configuration primitives (lib/config, and the cost vocabulary in
 * lib/cost/{ledger,assumptions,prices}), the add-on contract and add-ons (addons/), composition
 * and stacks (lib/plan, lib/infra, lib/platform, lib/teams, lib/workloads, lib/app.ts), the tools
 * (lib/synthesize.ts and the cost estimate), and the app entry (bin/). The rules below keep each of these from importing a layer above it, and every
 * module from taking part in a circle: a circle is how lib/config and addons/ once became one
 * 23-file knot. lib/compliance is used by every layer; lib/contract.ts only by the stacks.
 *
 * Type-only imports count. They vanish from the JavaScript but not from the design, and they are
 * what the emitted `.d.ts` files import.
 */

/** Everything above the add-on layer. */
const COMPOSITION = '^lib/(plan|infra|platform|teams|workloads)/|^lib/app\\.ts$';
/** The tools on top: they synthesize whole apps in memory and read the templates. */
const TOOLS = '^lib/synthesize\\.ts$|^lib/cost/(estimate|format|template|index)\\.ts$|^lib/docs/';

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
      name: 'config-is-the-bottom',
      severity: 'error',
      comment: 'lib/config holds the configuration primitives everything else builds on; it may not know add-ons or stacks.',
      from: { path: '^lib/config/' },
      to: { path: `^addons/|${COMPOSITION}` },
    },
    {
      name: 'addons-below-composition',
      severity: 'error',
      comment: 'Add-ons see the contract (AddOnContext) and the configuration primitives, not the plan or the stacks that use them.',
      from: { path: '^addons/' },
      to: { path: `${COMPOSITION}|^bin/` },
    },
    {
      name: 'addons-get-handles-not-exports',
      severity: 'error',
      comment:
        'Add-ons get cluster handles (logs key, OIDC issuer, security group) from AddOnContext; reading InfraStack exports ties them to the two-stack topology.',
      from: { path: '^addons/' },
      to: { path: '^lib/contract\\.ts$' },
    },
    {
      name: 'addons-see-the-cost-vocabulary-only',
      severity: 'error',
      comment:
        "An add-on declares its cost lines (addons/core/cost.ts) with the estimate's vocabulary: line specs, the price " +
        "table's shape and the usage assumptions. The estimate itself reads the plan, which sits above the add-ons.",
      from: { path: '^addons/' },
      to: { path: '^lib/cost/', pathNot: '^lib/cost/(ledger|assumptions|prices/price-table)\\.ts$' },
    },
    {
      name: 'cost-vocabulary-is-primitive',
      severity: 'error',
      comment:
        "The estimate's vocabulary (line specs, usage assumptions, price tables) sits beside the configuration " +
        'primitives so add-ons can declare cost lines with it; it may not know add-ons, the plan or the stacks.',
      from: { path: '^lib/cost/(ledger|assumptions)\\.ts$|^lib/cost/prices/' },
      to: { path: `^addons/|${COMPOSITION}|${TOOLS}` },
    },
    {
      name: 'tools-on-top',
      severity: 'error',
      comment:
        'The tools (the in-memory synth, the cost estimate and its formatting, the add-on pages) build whole apps ' +
        'or read what they are built from; nothing the app is built from may depend on them.',
      from: { path: `^lib/config/|^lib/compliance/|^addons/|${COMPOSITION}|^lib/(cli|contract)\\.ts$` },
      to: { path: TOOLS },
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
    exclude: { path: '^lib/workloads/load-balancer-lookup-handler/' },
  },
};
