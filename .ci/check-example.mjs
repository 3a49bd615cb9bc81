/*
 * After `.ci/run` synthesized examples/custom-addon: proves that the example is the consumer it
 * claims to be. A synth alone would pass with two copies of aws-cdk-lib loaded, or with the
 * custom add-on silently left out.
 */
import { createRequire } from 'node:module';
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const EXAMPLE = join(ROOT, 'examples/custom-addon');
const problems = [];

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

/**
 * The module file Node loads for `specifier` when `fromFile` imports it. Node caches modules by
 * real path, so two importers share one copy exactly when the real paths agree.
 */
const loadedFile = (specifier, fromFile) => realpathSync(createRequire(fromFile).resolve(specifier));

function checkOneCopy() {
  const app = join(EXAMPLE, 'bin/app.ts');
  const platform = loadedFile('cdk-eks-platform', app);
  if (platform !== realpathSync(join(ROOT, 'dist/index.js'))) {
    problems.push(`the example loads cdk-eks-platform from ${platform}, not this repository's dist/index.js`);
  }
  for (const shared of ['aws-cdk-lib', 'constructs']) {
    const mine = loadedFile(shared, app);
    const theirs = loadedFile(shared, platform);
    if (mine !== theirs) {
      problems.push(`two copies of ${shared}: the example loads ${dirname(mine)}, cdk-eks-platform ${dirname(theirs)}`);
    }
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

/** The objects of the example's own add-on, with the options its cdk.json selects, are in PlatformStack. */
function checkCustomAddOn() {
  const options = readJson(join(EXAMPLE, 'cdk.json')).context.addons?.headroom;
  if (!options) {
    problems.push('the example\'s cdk.json does not select its add-on ("addons": {"headroom": {...}})');
    return;
  }
  const namespace = options.namespace ?? 'headroom';
  const template = readJson(join(EXAMPLE, 'cdk.out/PlatformStack.template.json'));
  const objects = Object.values(template.Resources)
    .filter((r) => r.Type === 'Custom::AWSCDK-EKS-KubernetesResource' && typeof r.Properties.Manifest === 'string')
    .flatMap((r) => JSON.parse(r.Properties.Manifest));
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

checkOneCopy();
checkFeatureFlags();
checkCustomAddOn();
if (problems.length > 0) {
  console.error(`ci: examples/custom-addon:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('ci: examples/custom-addon loads one aws-cdk-lib and constructs, and its headroom add-on is in PlatformStack');
