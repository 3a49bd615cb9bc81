import { ConfigError } from './config';

/**
 * Runs an app's `build`. A configuration mistake, from cdk.json or from code, is the user's to
 * fix: it prints as the configuration message, not a stack trace, and the process exits 1.
 *
 * ```ts
 * runPlatformApp(() => buildPlatformApp(new App(), { catalog }));
 * ```
 */
export function runPlatformApp(build: () => unknown): void {
  try {
    build();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
