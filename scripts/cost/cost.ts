import { ConfigError, Problems } from '../../lib/core/config';
import { readAssumptions } from '../../lib/core/cost/assumptions';
import { estimateEnvironment, formatEstimate, workshopCost } from '../../lib/tools/cost';
import { cdkJsonContext } from '../cdk-json';

/*
 * `npm run cost -- [-c key=value ...] [--assume key=value ...] [--participants N --hours H]
 * [--date YYYY-MM-DD] [--json]`: what the environment `npx cdk synth` would build with the same
 * context costs, offline. See docs/cost.md for the method and its limits.
 */

const USAGE = `Usage: npm run cost -- [options]

Estimates what the environment costs before it is deployed, from the same plan and templates
'npx cdk synth' builds, with the committed price table of its region (offline).

Options:
  -c, --context KEY=VALUE   configuration, exactly as for 'npx cdk synth' (repeatable)
  --assume KEY=VALUE        override a usage assumption (repeatable; see docs/cost.md)
  --participants N          workshop: N participants, one environment each (needs --hours)
  --hours H                 workshop: how long the environments run
  --date YYYY-MM-DD         the day to price the control plane's support phase on (default today)
  --json                    print the estimate as JSON
  -h, --help                this help
`;

interface CliOptions {
  readonly context: Record<string, string>;
  readonly assumptions: Record<string, string>;
  readonly participants?: number;
  readonly hours?: number;
  readonly date?: string;
  readonly json: boolean;
}

function pair(flag: string, text: string | undefined, into: Record<string, string>, p: Problems): void {
  const at = text?.indexOf('=') ?? -1;
  if (text === undefined || at <= 0) {
    p.add(flag, text ?? 'nothing', 'KEY=VALUE');
    return;
  }
  into[text.slice(0, at)] = text.slice(at + 1);
}

function positive(flag: string, text: string | undefined, p: Problems): number | undefined {
  const value = text !== undefined && /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(value > 0)) {
    p.add(flag, text ?? 'nothing', 'a positive number');
    return undefined;
  }
  return value;
}

export function parseArgs(args: readonly string[]): CliOptions | 'help' {
  const context: Record<string, string> = {};
  const assumptions: Record<string, string> = {};
  const p = new Problems();
  let participants: number | undefined;
  let hours: number | undefined;
  let date: string | undefined;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    switch (arg) {
      case '-h':
      case '--help':
        return 'help';
      case '-c':
      case '--context':
        pair(arg, args[++i], context, p);
        break;
      case '--assume':
        pair(arg, args[++i], assumptions, p);
        break;
      case '--participants':
        participants = positive(arg, args[++i], p);
        break;
      case '--hours':
        hours = positive(arg, args[++i], p);
        break;
      case '--date': {
        date = args[++i];
        if (date === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date))) {
          p.add(arg, date ?? 'nothing', 'a date YYYY-MM-DD');
        }
        break;
      }
      case '--json':
        json = true;
        break;
      default:
        p.add('option', arg, '-c, --assume, --participants, --hours, --date, --json, --help');
    }
  }
  const workshop = args.filter((arg) => arg === '--participants' || arg === '--hours').length;
  if (workshop === 1) {
    p.add(args.includes('--hours') ? '--hours' : '--participants', 'alone', 'both --participants and --hours, or neither');
  }
  // The assumptions are checked here too, so one run reports every mistake on the command line.
  readAssumptions(p, assumptions);
  p.throwIfAny();
  return { context, assumptions, participants, hours, date, json };
}

function main(args: readonly string[]): number {
  try {
    const options = parseArgs(args);
    if (options === 'help') {
      process.stdout.write(USAGE);
      return 0;
    }
    const estimate = estimateEnvironment(
      { ...cdkJsonContext(), ...options.context },
      { assumptions: options.assumptions, today: options.date },
    );
    const workshop =
      options.participants !== undefined && options.hours !== undefined
        ? workshopCost(estimate, options.participants, options.hours)
        : undefined;
    process.stdout.write(options.json ? `${JSON.stringify({ ...estimate, workshop }, null, 2)}\n` : formatEstimate(estimate, workshop));
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
