import { existsSync, readFileSync } from 'node:fs';

import { parseJsonText } from './json-text';
import type { Problems } from './problems';

/**
 * The problems of the project's cdk.json that the app cannot see in its context: the CDK CLI
 * parses the file with `JSON.parse`, so of a key given twice in "context" the app only receives
 * the last value. Reads the file again and adds such a key to `p` (at any depth). A missing file
 * (a consumer app with its own configuration) is no problem.
 */
export function checkCdkJson(p: Problems, path: string): void {
  if (!existsSync(path)) return;
  const parsed = parseJsonText(readFileSync(path, 'utf8'));
  // Invalid JSON never gets this far: the CLI refuses it before it starts the app.
  if (!parsed.ok) p.add('cdk.json', path, parsed.problem);
}
