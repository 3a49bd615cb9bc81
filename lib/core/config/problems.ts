/** Thrown when configuration is invalid; lists every problem found, not just the first. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `Invalid cdk-eks-platform configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p}`).join('\n') +
        '\nSet keys with `-c key=value` or in the "context" of cdk.json; see docs/configuration.md.',
    );
    this.name = 'ConfigError';
  }
}

/** Renders a user-supplied value the way they typed it, shortened if huge. */
export function show(value: unknown): string {
  const text = typeof value === 'string' ? `"${value}"` : (JSON.stringify(value) ?? String(value));
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** Collects configuration problems so that all of them are reported together. */
export class Problems {
  private readonly list: string[] = [];

  /** Records that `key` has the bad `value`; `allowed` says what would be accepted. */
  add(key: string, value: unknown, allowed: string): void {
    this.list.push(`${key}: got ${show(value)}; allowed: ${allowed}`);
  }

  /** Records that `key` is required but absent; `why` says when it is required. */
  missing(key: string, why: string): void {
    this.list.push(`${key}: missing; ${why}`);
  }

  /**
   * Runs `build`, collecting the problems of a {@link ConfigError} it throws (an add-on constructor
   * validating its props, say) instead of stopping at it. Returns `undefined` in that case.
   */
  collect<T>(build: () => T): T | undefined {
    try {
      return build();
    } catch (error) {
      if (error instanceof ConfigError) {
        this.list.push(...error.problems);
        return undefined;
      }
      throw error;
    }
  }

  get count(): number {
    return this.list.length;
  }

  throwIfAny(): void {
    if (this.list.length > 0) {
      throw new ConfigError(this.list);
    }
  }
}
