import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loadConfig } from '../lib/core/config';
import { runPlatformApp } from '../lib/stacks/cli';

/** Runs bin/app.ts as `cdk synth` does, with `context` as the CLI passes it. */
function runApp(context: Record<string, unknown>): { status: number | null; stderr: string } {
  const outdir = mkdtempSync(join(tmpdir(), 'cdk-eks-platform-cli-'));
  try {
    const result = spawnSync(process.execPath, ['--require', 'sucrase/register/ts', 'bin/app.ts'], {
      cwd: join(__dirname, '..'),
      encoding: 'utf8',
      env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify({ 'aws:cdk:disable-asset-staging': true, ...context }) },
    });
    return { status: result.status, stderr: result.stderr };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

test('a configuration mistake prints the configuration message, exit 1, no stack trace', () => {
  const { status, stderr } = runApp({ computee: 'nodegroups', addons: { 'metrics-server': { replica: 3 } }, sampleWorkloads: false });
  expect(status).toBe(1);
  expect(stderr).toContain(
    'Invalid cdk-eks-platform configuration (2 problems):\n  - computee: got "nodegroups"; allowed: a known key: did you mean "compute"?',
  );
  expect(stderr).toContain('  - addons.metrics-server.replica: got 3; allowed: a known key: did you mean "replicas"?');
  expect(stderr).not.toMatch(/^\s+at /m);
});

describe("cdk.json keys given twice, which the CLI's JSON.parse would drop", () => {
  /** What runPlatformApp prints and the exit code it asks for, with `cdkJson` as the project's cdk.json. */
  function run(cdkJson: string, build: () => unknown = () => undefined): { exit?: number; stderr: string } {
    const dir = mkdtempSync(join(tmpdir(), 'cdk-eks-platform-cdkjson-'));
    const path = join(dir, 'cdk.json');
    writeFileSync(path, cdkJson);
    let stderr = '';
    const write = jest.spyOn(process.stderr, 'write').mockImplementation((text) => {
      stderr += String(text);
      return true;
    });
    const exit = jest.spyOn(process, 'exit').mockImplementation((code) => {
      throw new ExitCalled(Number(code));
    });
    try {
      runPlatformApp(build, { cdkJsonPath: path });
      return { stderr };
    } catch (error) {
      if (error instanceof ExitCalled) return { exit: error.code, stderr };
      throw error;
    } finally {
      write.mockRestore();
      exit.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  test("a repeated context key is a problem, reported with the app's own", () => {
    const { exit, stderr } = run('{"app":"x","context":{"compute":"auto","compute":"nodegroups"}}', () => loadConfig({ azCount: 4 }));
    expect(exit).toBe(1);
    expect(stderr).toContain('Invalid cdk-eks-platform configuration (2 problems):');
    expect(stderr).toMatch(
      / {2}- cdk\.json: got ".*cdk\.json"; allowed: JSON without a repeated key in one object \(context\.compute is given twice; JSON keeps only the last\)/,
    );
    expect(stderr).toContain('  - azCount: got 4;');
  });

  test('a cdk.json without repeats passes, with the same key in different objects', () => {
    expect(run('{"app":"x","context":{"tags":{"app":"a"},"app":"y"}}')).toEqual({ stderr: '' });
  });
});

class ExitCalled extends Error {
  constructor(readonly code: number) {
    super(`process.exit(${code})`);
  }
}
