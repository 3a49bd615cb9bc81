import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { App } from 'aws-cdk-lib';

import { buildPlatformApp } from '../lib/stacks/app';
import { CDK_JSON_CONTEXT } from './helpers';

function synthFiles(context: Record<string, unknown>): Map<string, string> {
  const outdir = mkdtempSync(join(tmpdir(), 'cdk-eks-platform-'));
  try {
    // Assets are staged here (unlike other test apps): the asset manifest is part of what must not
    // vary. The CloudFormation Validate plugin only reports (test/cloudformation-validate.test.ts).
    const app = new App({ outdir, context: { ...CDK_JSON_CONTEXT, ...context }, builtinCloudFormationValidation: false });
    buildPlatformApp(app, { compliancePacks: false }).app.synth();
    const files = readdirSync(outdir).filter((f) => f.endsWith('.template.json') || f.endsWith('.assets.json'));
    return new Map(files.map((f) => [f, readFileSync(join(outdir, f), 'utf8')]));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The first synth of each configuration, which the secrets test reads too. */
const firstSynths = new Map<string, Map<string, string>>();
function firstSynth(context: Record<string, unknown>): Map<string, string> {
  const key = JSON.stringify(context);
  if (!firstSynths.has(key)) firstSynths.set(key, synthFiles(context));
  return firstSynths.get(key) as Map<string, string>;
}

test.each([{}, { compute: 'nodegroups' }])('two synths are byte-identical (%j)', (context) => {
  const first = firstSynth(context);
  const second = synthFiles(context);
  expect([...first.keys()].sort()).toEqual([
    'InfraStack.assets.json',
    'InfraStack.template.json',
    'PlatformStack.assets.json',
    'PlatformStack.template.json',
  ]);
  for (const [name, content] of first) {
    expect(second.get(name)).toBe(content);
  }
});

test('templates carry no secrets or machine-specific paths', () => {
  for (const content of firstSynth({}).values()) {
    expect(content).not.toMatch(/AKIA[0-9A-Z]{16}|aws_secret_access_key|BEGIN (RSA )?PRIVATE KEY/);
    expect(content).not.toContain(process.cwd());
  }
});
