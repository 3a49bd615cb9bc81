/*
 * After `.ci/run` synthesized examples/custom-addon: proves that the example is the consumer it
 * claims to be. A synth alone would pass with two copies of aws-cdk-lib loaded, or with the
 * custom add-on silently left out.
 */
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const EXAMPLE = join(ROOT, 'examples/custom-addon');
const problems = [];

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

/**
 * The module file Node loads for `specifier` when `fromFile` imports it. Node caches modules by
 * real path, so two importers share one copy exactly when the real paths agree.
 */
const loadedFile = (specifier, fromFile) => realpathSync(createRequire(fromFile).resolve(specifier));

/** Every file under `dir`, as paths relative to it. */
const filesUnder = (dir) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();

/**
 * The example installs the tarball `npm pack` made (as a consumer gets the package), not a link to
 * this checkout, and what it installed is what the build just wrote: a lock that kept the
 * tarball's integrity would let npm serve an older copy from its cache.
 */
function checkInstalledFromTarball() {
  const installed = join(EXAMPLE, 'node_modules/cdk-eks-platform');
  if (realpathSync(installed) !== installed) {
    problems.push(`the example's cdk-eks-platform is a link (${realpathSync(installed)}), not the packed tarball`);
    return;
  }
  const lock = readJson(join(EXAMPLE, 'package-lock.json')).packages['node_modules/cdk-eks-platform'];
  if (lock?.integrity) {
    problems.push(
      'examples/custom-addon/package-lock.json records an integrity for cdk-eks-platform.tgz: remove it, or npm ci installs a cached older build',
    );
  }
  const built = filesUnder(join(ROOT, 'dist'));
  const shipped = filesUnder(join(installed, 'dist'));
  if (JSON.stringify(built) !== JSON.stringify(shipped)) {
    problems.push(`the installed package has other files than dist/ (${built.length} built, ${shipped.length} installed)`);
    return;
  }
  const stale = built.filter((file) => !readFileSync(join(ROOT, 'dist', file)).equals(readFileSync(join(installed, 'dist', file))));
  if (stale.length > 0) problems.push(`the installed package is not this build: ${stale.slice(0, 3).join(', ')} differ`);
}

/**
 * One copy of aws-cdk-lib and constructs, the consumer's own, at the version this repository pins
 * (the registry's newest when it was pinned), and no Blueprints: the package does not pull it in.
 */
function checkOneCopy() {
  const app = join(EXAMPLE, 'bin/app.ts');
  const platform = loadedFile('cdk-eks-platform', app);
  if (!platform.startsWith(join(EXAMPLE, 'node_modules/cdk-eks-platform/'))) {
    problems.push(`the example loads cdk-eks-platform from ${platform}, not its own node_modules`);
  }
  for (const shared of ['aws-cdk-lib', 'constructs']) {
    const mine = loadedFile(shared, app);
    const theirs = loadedFile(shared, platform);
    if (mine !== theirs) {
      problems.push(`two copies of ${shared}: the example loads ${dirname(mine)}, cdk-eks-platform ${dirname(theirs)}`);
    }
  }
  const copies = filesUnder(join(EXAMPLE, 'node_modules')).filter((file) =>
    /(^|\/)node_modules\/aws-cdk-lib\/package\.json$|^aws-cdk-lib\/package\.json$/.test(file),
  );
  if (copies.length !== 1) problems.push(`${copies.length} copies of aws-cdk-lib in the example's node_modules: ${copies.join(', ')}`);
  const pinned = readJson(join(ROOT, 'package.json')).devDependencies['aws-cdk-lib'];
  const installed = readJson(join(EXAMPLE, 'node_modules/aws-cdk-lib/package.json')).version;
  if (installed !== pinned) problems.push(`the example runs aws-cdk-lib ${installed}, this repository pins ${pinned}`);
  if (existsSync(join(EXAMPLE, 'node_modules/@aws-quickstart/eks-blueprints'))) {
    problems.push('@aws-quickstart/eks-blueprints is installed in the example: the package must not pull it in');
  }
}

/** The example must behave like the root app in everything it does not configure on purpose. */
function checkFeatureFlags() {
  const flags = (path) => Object.fromEntries(Object.entries(readJson(path).context).filter(([key]) => key.startsWith('@aws-cdk')));
  const root = flags(join(ROOT, 'cdk.json'));
  const example = flags(join(EXAMPLE, 'cdk.json'));
  for (const key of new Set([...Object.keys(root), ...Object.keys(example)])) {
    if (JSON.stringify(root[key]) !== JSON.stringify(example[key])) {
      problems.push(`feature flag ${key}: ${JSON.stringify(root[key])} in cdk.json, ${JSON.stringify(example[key])} in the example's`);
    }
  }
}

/** The Kubernetes objects PlatformStack applies, parsed from every manifest resource of a template. */
const manifests = (template) =>
  Object.values(template.Resources)
    .filter((r) => r.Type === 'Custom::AWSCDK-EKS-KubernetesResource' && typeof r.Properties.Manifest === 'string')
    .flatMap((r) => JSON.parse(r.Properties.Manifest));

/** The objects of the example's own add-on, with the options its cdk.json selects, are in PlatformStack. */
function checkCustomAddOn() {
  const options = readJson(join(EXAMPLE, 'cdk.json')).context.addons?.headroom;
  if (!options) {
    problems.push('the example\'s cdk.json does not select its add-on ("addons": {"headroom": {...}})');
    return;
  }
  const namespace = options.namespace ?? 'headroom';
  const objects = manifests(readJson(join(EXAMPLE, 'cdk.out/PlatformStack.template.json')));
  const find = (kind, name) => objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!find('Namespace', namespace)) problems.push(`PlatformStack has no Namespace ${namespace}`);
  if (!find('PriorityClass', `${namespace}-placeholder`)) problems.push(`PlatformStack has no PriorityClass ${namespace}-placeholder`);
  const deployment = find('Deployment', 'headroom');
  if (!deployment || deployment.metadata.namespace !== namespace) {
    problems.push(`PlatformStack has no Deployment headroom in namespace ${namespace}`);
  } else if (options.replicas !== undefined && deployment.spec.replicas !== options.replicas) {
    problems.push(`the headroom Deployment has ${deployment.spec.replicas} replicas, cdk.json asks for ${options.replicas}`);
  }
}

/**
 * The example's Helm add-on, written once, in both deliveries: a HelmChart with `delivery: helm`,
 * and with `delivery: gitops` no HelmChart but Argo CD's own and an Application of the same chart,
 * repository, version, release, namespace and values.
 */
function checkHelmAddOnInBothDeliveries() {
  const helm = readJson(join(EXAMPLE, 'cdk.out/PlatformStack.template.json'));
  const gitops = readJson(join(EXAMPLE, 'cdk.out.gitops/PlatformStack.template.json'));
  const charts = (template) => Object.values(template.Resources).filter((r) => r.Type === 'Custom::AWSCDK-EKS-HelmChart');
  const release = charts(helm).find((r) => r.Properties.Chart === 'reloader')?.Properties;
  if (!release) {
    problems.push('PlatformStack (delivery helm) has no HelmChart of the reloader chart');
    return;
  }
  const others = charts(gitops).filter((r) => r.Properties.Chart !== 'argo-cd');
  if (others.length > 0) problems.push(`delivery gitops still has HelmCharts: ${others.map((r) => r.Properties.Chart).join(', ')}`);
  const application = manifests(gitops).find((o) => o.kind === 'Application' && o.metadata.name === 'reloader');
  if (!application) {
    problems.push('PlatformStack (delivery gitops) has no Argo CD Application "reloader"');
    return;
  }
  const { source, destination } = application.spec;
  const expected = {
    repoURL: release.Repository,
    chart: release.Chart,
    targetRevision: release.Version,
    releaseName: release.Release,
    namespace: release.Namespace,
    values: JSON.parse(release.Values),
  };
  const actual = {
    repoURL: source.repoURL,
    chart: source.chart,
    targetRevision: source.targetRevision,
    releaseName: source.helm.releaseName,
    namespace: destination.namespace,
    values: source.helm.valuesObject,
  };
  for (const key of Object.keys(expected)) {
    if (JSON.stringify(actual[key]) !== JSON.stringify(expected[key])) {
      problems.push(
        `the reloader Application's ${key} is ${JSON.stringify(actual[key])}, its HelmChart's ${JSON.stringify(expected[key])}`,
      );
    }
  }
}

checkInstalledFromTarball();
checkOneCopy();
checkFeatureFlags();
checkCustomAddOn();
checkHelmAddOnInBothDeliveries();
if (problems.length > 0) {
  console.error(`ci: examples/custom-addon:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(
  'ci: examples/custom-addon runs the packed package on one aws-cdk-lib and constructs, without Blueprints, its headroom add-on is in PlatformStack, and its reloader add-on is the same release in both deliveries',
);
