import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { synth } from './helpers';
import { createScratchDirectory, isScratchPath, removeScratchDirectory, scratchDirectory, sweepAbandoned } from './support/scratch-dir';

// Regression: test runs left every App's cloud assembly (~57 MB each) in the system temp directory.
test("apps built by tests write their cloud assembly into the run's scratch directory", () => {
  const { app } = synth({ addons: '' });
  expect(scratchDirectory()).toBeDefined();
  expect(isScratchPath(app.outdir)).toBe(true);
});

describe('the scratch directory', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'scratch-dir-test-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('is created as TMPDIR and removed with its contents by the teardown', () => {
    const env: NodeJS.ProcessEnv = {};
    const scratch = createScratchDirectory(root, env);
    expect(env.TMPDIR).toBe(scratch);
    mkdirSync(join(scratch, 'cdk.outABC', 'nested'), { recursive: true });
    removeScratchDirectory(env);
    expect(existsSync(scratch)).toBe(false);
  });

  test('of an interrupted run is swept by the next one; a live run keeps its own', () => {
    const exited = spawnSync(process.execPath, ['-e', '']).pid;
    mkdirSync(join(root, `cdk-eks-platform-jest-${exited}-dead`));
    mkdirSync(join(root, `cdk-eks-platform-jest-${process.pid}-live`));
    mkdirSync(join(root, 'unrelated'));
    sweepAbandoned(root);
    expect(readdirSync(root).sort()).toEqual([`cdk-eks-platform-jest-${process.pid}-live`, 'unrelated']);
  });
});
