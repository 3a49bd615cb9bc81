/*
 * The second half of `npm run build`, after tsc has written dist/: copies the files tsc does not
 * emit, then checks that dist/ is a package a consumer can use. Any failed check exits 1.
 */
import { builtinModules, createRequire } from 'node:module';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { emittedBesideSources } from './check-tree.mjs';

const ROOT = join(import.meta.dirname, '../..');
const DIST = join(ROOT, 'dist');
const SOURCE_DIRS = ['bin', 'lib', 'addons'];
const require = createRequire(import.meta.url);
const ts = require('typescript');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

const problems = [];

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
 * The declarations a consumer's compiler loads (everything reachable from `types`) may only name
 * packages the consumer gets installed with ours: a devDependency there makes their build fail,
 * or with skipLibCheck silently turns our types into `any`. Declarations not reachable from the
 * entry point (the `exports` map keeps consumers from importing them) are not checked.
 */
function checkPublicDeclarations() {
  const allowed = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]);
  const builtins = new Set(builtinModules);
  const program = ts.createProgram([join(ROOT, pkg.types)], {
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
      problems.push(`public declarations import "${name}", which is not in dependencies (${[...new Set(files)].join(', ')})`);
    }
  }
  return { files: ours.length, packages: [...used.keys()].sort() };
}

const copied = copyAssets();
checkEntryPoints();
const declarations = checkPublicDeclarations();
for (const path of emittedBesideSources()) {
  problems.push(`${path} sits beside its .ts source and would be loaded instead of it`);
}

if (problems.length > 0) {
  console.error(`build: dist/ is not publishable:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`build: dist/ ready; copied ${copied.join(', ')}; public declarations (${declarations.files} files) use ${declarations.packages.join(', ')}`);
