import { join } from 'node:path';

import { ConfigError, Problems } from '../core/config';
import { checkCdkJson } from '../core/config/cdk-json';

/** Options of {@link runPlatformApp}. */
export interface RunOptions {
  /**
   * The cdk.json the CDK CLI read the context from, checked for keys given twice.
   * @default cdk.json in the working directory (where the CLI runs the app)
   */
  readonly cdkJsonPath?: string;
}

/**
 * Runs an app's `build`. A configuration mistake, from cdk.json or from code, is the user's to
 * fix: it prints as the configuration message, not a stack trace, and the process exits 1.
 *
 * ```ts
 * runPlatformApp(() => buildPlatformApp(new App(), { catalog }));
 * ```
 */
export function runPlatformApp(build: () => unknown, options: RunOptions = {}): void {
  try {
    const p = new Problems();
    checkCdkJson(p, options.cdkJsonPath ?? join(process.cwd(), 'cdk.json'));
    p.collect(build);
    p.throwIfAny();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
