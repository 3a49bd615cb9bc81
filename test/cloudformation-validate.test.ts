import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { Stack } from 'aws-cdk-lib';

import { acknowledgeValidation } from '../lib/core/compliance/acknowledge';
import { buildTestApp } from './helpers';
import { fullPlatformContext } from './support/full-platform';

interface PluginReport {
  readonly pluginName: string;
  readonly violations: readonly { ruleName: string; violatingConstructs: readonly { constructPath: string }[] }[];
  readonly suppressedViolations?: readonly { ruleName: string }[];
}

/** The CloudFormation Validate report of one synth (aws-cdk-lib registers the plugin itself). */
function validateReport(context: Record<string, unknown>): PluginReport {
  const assembly = buildTestApp(context, { cloudFormationValidation: true }).app.synth();
  const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as { pluginReports: PluginReport[] };
  const plugin = report.pluginReports.find((r) => r.pluginName === 'CloudFormation Validate');
  if (!plugin) throw new Error('no CloudFormation Validate report: is the plugin still registered?');
  return plugin;
}

describe("aws-cdk-lib's CloudFormation Validate plugin", () => {
  test.each([
    ['auto mode (workshop)', {}],
    ['managed node groups', { compute: 'nodegroups' }],
    ['production profile', { profile: 'production' }],
    // Every first-party add-on, teams and workloads: other tests synthesize without the plugin.
    ['full platform on auto mode', fullPlatformContext('auto')],
    ['full platform on managed node groups', fullPlatformContext('nodegroups')],
  ])('%s: no finding', (_name, context) => {
    const report = validateReport(context);
    expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingConstructs.map((c) => c.constructPath).join(', ')}`)).toEqual([]);
    // The one we acknowledge ourselves: aws-eks-v2 writes the deprecated EncryptionConfig.Resources.
    expect(report.suppressedViolations?.map((v) => v.ruleName)).toContain('W9009');
  });
});

describe('acknowledgeValidation()', () => {
  const reason = 'A reason long enough for a security reviewer to judge the exception on its merits.';

  test('records the acknowledgment on the construct', () => {
    const stack = new Stack();
    acknowledgeValidation(stack, reason, ['CloudFormation-Validate::W9009']);
    expect(stack.node.metadata.find((m) => m.type === 'aws:cdk:acknowledged-rules')?.data).toEqual({
      'CloudFormation-Validate::W9009': reason,
    });
  });

  test('refuses cdk-nag ids, bare rule numbers and short reasons', () => {
    expect(() => acknowledgeValidation(new Stack(), reason, ['AwsSolutions-IAM4'])).toThrow(/not a CloudFormation-Validate rule id/);
    expect(() => acknowledgeValidation(new Stack(), reason, ['W9009'])).toThrow(/not a CloudFormation-Validate rule id/);
    expect(() => acknowledgeValidation(new Stack(), 'deprecated', ['CloudFormation-Validate::W9009'])).toThrow(
      /a reviewer needs a real reason/,
    );
  });
});
