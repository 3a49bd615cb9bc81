import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
  expect(stderr).toContain('Invalid cdk-eks-platform configuration (2 problems):\n  - computee: got "nodegroups"; allowed: a known key: did you mean "compute"?');
  expect(stderr).toContain('  - addons.metrics-server.replica: got 3; allowed: a known key: did you mean "replicas"?');
  expect(stderr).not.toMatch(/^\s+at /m);
});
