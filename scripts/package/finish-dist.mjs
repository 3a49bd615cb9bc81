/*
 * The second half of `npm run build`, after tsc has written dist/: copies the files tsc does not
 * emit, then checks that dist/ is a package a consumer can use. Any failed check exits 1.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';

import { emittedBesideSources } from './check-tree.mjs';

const ROOT = join(import.meta.dirname, '../..');
const DIST = join(ROOT, 'dist');
const SOURCE_DIRS = ['bin', 'lib', 'addons'];
const require = createRequire(import.meta.url);
const ts = require('typescript');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

const problems = [];

/** Peers a consumer installs only for the entry point that needs them (package.json peerDependenciesMeta). */
const OPTIONAL_PEERS = Object.entries(pkg.peerDependenciesMeta ?? {})
  .filter(([, meta]) => meta.optional)
  .map(([name]) => name);

/**
 * Files loaded by path rather than imported, such as the Lambda handler that
 * `Code.fromAsset(join(__dirname, ...))` packages: they must sit at the same place relative to the
 * compiled code as to the sources. Copied byte for byte, so the asset hash (and the template) is
 * the same whether the app runs from the sources or from dist/. Declaration files of such assets
 * exist for the tests' type-checking only.
 */
function copyAssets() {
  const copied = [];
  const walk = (dir) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(path);
      } else if (!/\.ts$|\.d\.[cm]ts$/.test(entry.name)) {
        mkdirSync(dirname(join(DIST, path)), { recursive: true });
        copyFileSync(join(ROOT, path), join(DIST, path));
        copied.push(path);
      }
    }
  };
  SOURCE_DIRS.forEach(walk);
  return copied;
}

/** Every path package.json promises (main, types, bin, exports) exists after the build. */
function checkEntryPoints() {
  const targets = [pkg.main, pkg.types, ...Object.values(pkg.bin ?? {})];
  for (const target of Object.values(pkg.exports ?? {})) {
    targets.push(...(typeof target === 'string' ? [target] : Object.values(target)));
  }
  for (const target of targets) {
    if (!existsSync(join(ROOT, target))) {
      problems.push(`package.json names ${target}, which the build did not produce`);
    }
  }
}

/** `@scope/name` or `name` of a bare module specifier. */
function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * The declarations a consumer's compiler loads for one entry point (everything reachable from its
 * `types`) may only name packages the consumer gets installed with ours: a devDependency there
 * makes their build fail, or with skipLibCheck silently turns our types into `any`. An optional
 * peer is allowed only in an entry point that exists for it (`optionalPeers`), never in the main one.
 */
function checkDeclarations(entry, typesPath, optionalPeers) {
  const peers = Object.keys(pkg.peerDependencies ?? {}).filter((name) => !OPTIONAL_PEERS.includes(name) || optionalPeers.includes(name));
  const allowed = new Set([...Object.keys(pkg.dependencies ?? {}), ...peers]);
  const builtins = new Set(builtinModules);
  const program = ts.createProgram([join(ROOT, typesPath)], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
    noEmit: true,
  });
  // The compiler writes paths with `/` on every platform.
  const ours = program.getSourceFiles().filter((file) => file.fileName.startsWith(`${DIST.split(sep).join('/')}/`));
  const used = new Map();
  for (const file of ours) {
    const info = ts.preProcessFile(file.text, true, true);
    const specifiers = [...info.importedFiles, ...info.typeReferenceDirectives].map((ref) => ref.fileName);
    for (const specifier of specifiers.filter((s) => !s.startsWith('.'))) {
      const name = packageOf(specifier.replace(/^node:/, ''));
      if (specifier.startsWith('node:') || builtins.has(name)) continue;
      used.set(name, [...(used.get(name) ?? []), relative(ROOT, file.fileName)]);
    }
    // Our own declarations must compile as the consumer's compiler sees them.
    for (const diagnostic of program.getSemanticDiagnostics(file)) {
      problems.push(`${relative(ROOT, file.fileName)}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`);
    }
  }
  for (const [name, files] of used) {
    if (!allowed.has(name)) {
      problems.push(
        `the declarations of "${entry}" import "${name}", which its consumers need not have (${[...new Set(files)].join(', ')})`,
      );
    }
  }
  return { entry, files: ours.length, packages: [...used.keys()].sort() };
}

/** The optional peers an entry point exists for: `./blueprints` for the Blueprints adapter. */
const ENTRY_OPTIONAL_PEERS = { './blueprints': ['@aws-quickstart/eks-blueprints'] };

/** Every entry point of the `exports` map that has types. */
function checkPublicDeclarations() {
  return Object.entries(pkg.exports)
    .filter(([, target]) => typeof target === 'object' && target.types)
    .map(([entry, target]) => checkDeclarations(entry, target.types, ENTRY_OPTIONAL_PEERS[entry] ?? []));
}

/**
 * Loading the main entry point must not load an optional peer: a consumer without Blueprints
 * would get "Cannot find module", one with it a second of start-up and a pinned aws-cdk-lib.
 */
function checkMainLoadsNoOptionalPeer() {
  const load = `require(${JSON.stringify(join(ROOT, pkg.main))});` + 'console.log(JSON.stringify(Object.keys(require.cache)))';
  const loaded = JSON.parse(execFileSync(process.execPath, ['-e', load], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }));
  for (const name of OPTIONAL_PEERS) {
    const file = loaded.find((path) => path.includes(`${sep}node_modules${sep}${name.split('/').join(sep)}${sep}`));
    if (file) problems.push(`loading ${pkg.main} loads the optional peer ${name} (${relative(ROOT, file)})`);
  }
}

const copied = copyAssets();
checkEntryPoints();
const declarations = checkPublicDeclarations();
checkMainLoadsNoOptionalPeer();
for (const path of emittedBesideSources()) {
  problems.push(`${path} sits beside its .ts source and would be loaded instead of it`);
}

if (problems.length > 0) {
  console.error(`build: dist/ is not publishable:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
const summary = declarations.map((d) => `${d.entry} (${d.files} files) uses ${d.packages.join(', ')}`).join('; ');
console.log(`build: dist/ ready; copied ${copied.join(', ')}; public declarations: ${summary}`);
