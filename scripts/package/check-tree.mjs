/*
 * Checks the shape of the source tree:
 * - compiled output beside a TypeScript source fails: `node --require sucrase/register/ts` and jest
 *   resolve `./x` to x.js before x.ts, so an old `tsc` run would make synth and tests silently use
 *   stale code. `npm run build` writes to dist/ only; this catches anything else.
 * - lib/ holds only its layer folders, so a listing of lib/ shows the layers that
 *   .dependency-cruiser.cjs enforces (docs/architecture.md): a module beside them would belong to none.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');

/** Output directories and installed packages: compiled files belong there. */
const SKIPPED = new Set(['.git', 'node_modules', 'dist', 'coverage', 'bench-out', '.workshop']);

/** What tsc emits for `x.ts`. */
const EMITTED = /\.(js|js\.map|d\.ts|d\.ts\.map)$/;

/** Compiled files (repository-relative) that have a `.ts` of the same name beside them. */
export function emittedBesideSources(dir = ROOT) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIPPED.has(entry.name) && !entry.name.startsWith('cdk.out')) {
        found.push(...emittedBesideSources(join(dir, entry.name)));
      }
    } else if (EMITTED.test(entry.name)) {
      const source = join(dir, entry.name.replace(EMITTED, '.ts'));
      // x.d.ts is only a problem beside an x.ts: a hand-written declaration file has none.
      if (existsSync(source)) {
        found.push(relative(ROOT, join(dir, entry.name)));
      }
    }
  }
  return found.sort();
}

/** The layers of lib/, bottom to top. */
export const LIB_LAYERS = ['core', 'stacks', 'tools'];

/** Entries of lib/ that are not a layer folder. */
export function outsideTheLayers(lib = join(ROOT, 'lib')) {
  return readdirSync(lib, { withFileTypes: true })
    .filter((entry) => !(entry.isDirectory() && LIB_LAYERS.includes(entry.name)))
    .map((entry) => `lib/${entry.name}`)
    .sort();
}

if (process.argv[1] === import.meta.filename) {
  let failed = false;
  const found = emittedBesideSources();
  if (found.length > 0) {
    console.error(`check-tree: compiled files beside their .ts sources would be loaded instead of them:\n  ${found.join('\n  ')}`);
    console.error('Delete them (git clean -n shows them); `npm run build` writes to dist/ only.');
    failed = true;
  }
  const strays = outsideTheLayers();
  if (strays.length > 0) {
    console.error(`check-tree: lib/ holds only the layer folders ${LIB_LAYERS.join(', ')}; move these into one:\n  ${strays.join('\n  ')}`);
    failed = true;
  }
  if (failed) process.exit(1);
}
