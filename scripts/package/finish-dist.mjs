/*
 * The second half of `npm run build`, after tsc has written dist/: copies the files tsc does not
 * emit, then checks that nothing compiled sits beside the sources. Any failed check exits 1.
 */
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { emittedBesideSources } from './check-tree.mjs';

const ROOT = join(import.meta.dirname, '../..');
const DIST = join(ROOT, 'dist');
const SOURCE_DIRS = ['bin', 'lib', 'addons'];

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

const copied = copyAssets();
for (const path of emittedBesideSources()) {
  problems.push(`${path} sits beside its .ts source and would be loaded instead of it`);
}

if (problems.length > 0) {
  console.error(`build: dist/ is not usable:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`build: dist/ ready; copied ${copied.join(', ')}`);
