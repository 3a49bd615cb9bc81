import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Every App a test builds without an `outdir` writes its cloud assembly to a fresh
 * `cdk.outXXXX` in the system temp directory and nothing removes it: with the kubectl and AWS
 * CLI layers staged into each one, a test run left ~60 of them (~3.5 GB) behind, and repeated
 * runs filled the disk. Jest's global setup points TMPDIR at a directory of this run (forked
 * workers inherit it) and the global teardown removes it.
 */
const PREFIX = 'cdk-eks-platform-jest-';
const ENV = 'CDK_EKS_PLATFORM_TEST_SCRATCH';

/** The run's scratch directory, for tests that check assemblies land there. */
export function scratchDirectory(): string | undefined {
  return process.env[ENV];
}

export function isScratchPath(path: string): boolean {
  return path.split('/').some((part) => part.startsWith(PREFIX));
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes what interrupted runs (Ctrl-C skips the teardown) left behind; live runs keep theirs. */
export function sweepAbandoned(root: string): void {
  for (const name of readdirSync(root)) {
    const owner = new RegExp(`^${PREFIX}(\\d+)-`).exec(name);
    if (owner && !isRunning(Number(owner[1]))) {
      rmSync(join(root, name), { recursive: true, force: true });
    }
  }
}

/** Jest global setup: a scratch directory for this run, named after its process, as TMPDIR. */
export function createScratchDirectory(root: string = tmpdir(), env: NodeJS.ProcessEnv = process.env): string {
  sweepAbandoned(root);
  const scratch = mkdtempSync(join(root, `${PREFIX}${process.pid}-`));
  env[ENV] = scratch;
  env.TMPDIR = scratch;
  return scratch;
}

/** Jest global teardown. */
export function removeScratchDirectory(env: NodeJS.ProcessEnv = process.env): void {
  const scratch = env[ENV];
  if (scratch) {
    rmSync(scratch, { recursive: true, force: true });
  }
}
