/*
 * Fails when compiled output sits beside a TypeScript source: `node --require sucrase/register/ts`
 * and jest resolve `./x` to x.js before x.ts, so an old `tsc` run would make synth and tests
 * silently use stale code. `npm run build` writes to dist/ only; this catches anything else.
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

if (process.argv[1] === import.meta.filename) {
  const found = emittedBesideSources();
  if (found.length > 0) {
    console.error(`check-tree: compiled files beside their .ts sources would be loaded instead of them:\n  ${found.join('\n  ')}`);
    console.error('Delete them (git clean -n shows them); `npm run build` writes to dist/ only.');
    process.exit(1);
  }
}
