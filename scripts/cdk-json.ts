import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** cdk.json's context: the feature flags every synth starts from, under the command line's `-c` values. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(__dirname, '..', 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}
