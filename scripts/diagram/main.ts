import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import { ConfigError } from '../../lib/core/config';
import { cdkJsonContext } from '../cdk-json';
import { architectureDot } from './architecture';
import { dotHash, renderSvg, svgDotHash } from './render';

/*
 * npm run diagram -- [--out FILE.svg] [-c key=value ...] [--check]
 *
 * Draws the environment the configuration describes (cdk.json's context, then each -c value, as
 * `cdk synth` reads them) into FILE.svg and its source FILE.dot (default docs/architecture.svg).
 * --check writes nothing: it fails when FILE.dot is not what the code draws now, or FILE.svg was
 * not rendered from FILE.dot. It does not render.
 */

const ROOT = join(__dirname, '..', '..');
export const DEFAULT_SVG = join(ROOT, 'docs', 'architecture.svg');

const USAGE = 'usage: npm run diagram -- [--out FILE.svg] [-c key=value ...] [--check]';

interface Options {
  readonly svg: string;
  readonly check: boolean;
  readonly context: Record<string, unknown>;
}

export function parseArgs(args: readonly string[]): Options {
  let svg = DEFAULT_SVG;
  let check = false;
  const context = cdkJsonContext();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--check') {
      check = true;
    } else if (arg === '--out') {
      svg = args[++i] ?? '';
      if (!svg.endsWith('.svg')) throw new Error(`--out: got "${svg}"; allowed: a file name ending in .svg\n${USAGE}`);
    } else if (arg === '-c' || arg === '--context') {
      // Like the CDK CLI: the value stays a string; the configuration loader parses it.
      const pair = args[++i] ?? '';
      const at = pair.indexOf('=');
      if (at < 1) throw new Error(`${arg}: got "${pair}"; allowed: key=value\n${USAGE}`);
      context[pair.slice(0, at)] = pair.slice(at + 1);
    } else {
      throw new Error(`unknown argument "${arg}"\n${USAGE}`);
    }
  }
  return { svg, check, context };
}

/** Problems of the committed picture, empty when it is current. */
export function checkPicture(svgFile: string, dot: string): string[] {
  const dotFile = svgFile.replace(/\.svg$/, '.dot');
  const problems: string[] = [];
  const name = (f: string): string => relative(process.cwd(), f);
  if (!existsSync(dotFile) || readFileSync(dotFile, 'utf8') !== dot) {
    problems.push(`${name(dotFile)} is not what the code draws now`);
  }
  if (!existsSync(svgFile) || svgDotHash(readFileSync(svgFile, 'utf8')) !== dotHash(dot)) {
    problems.push(`${name(svgFile)} was not rendered from the current DOT`);
  }
  return problems;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const dot = architectureDot(options.context);
  const dotFile = options.svg.replace(/\.svg$/, '.dot');
  if (options.check) {
    const problems = checkPicture(options.svg, dot);
    if (problems.length) {
      process.stderr.write(`${problems.join('\n')}\nRegenerate: npm run diagram\n`);
      process.exit(1);
    }
    process.stdout.write(`diagram: ${relative(process.cwd(), options.svg)} is current\n`);
    return;
  }
  const svg = await renderSvg(dot);
  writeFileSync(dotFile, dot);
  writeFileSync(options.svg, svg);
  process.stdout.write(`diagram: wrote ${relative(process.cwd(), options.svg)} and ${relative(process.cwd(), dotFile)}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : (error as Error).message}\n`);
    process.exit(1);
  });
}
