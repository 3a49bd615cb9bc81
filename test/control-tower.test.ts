import type { Template } from 'aws-cdk-lib/assertions';
import { evaluateControls, failingControls } from './support/control-tower';
import type { ControlId } from './support/control-tower';
import { synth } from './helpers';

const CONFIGURATIONS: ReadonlyArray<readonly [string, Record<string, unknown>]> = [
  ['workshop, auto', {}],
  ['workshop, node groups', { compute: 'nodegroups' }],
  ['production, auto', { profile: 'production' }],
  ['production, node groups', { profile: 'production', compute: 'nodegroups' }],
];

/** Verdicts of one control on both stacks, by logical id. */
function verdicts(context: Record<string, unknown>, control: ControlId): Record<string, boolean> {
  const app = synth(context);
  const of = (template: Template) => evaluateControls(template, 'hook', [control]).map((v) => [v.logicalId, v.pass] as const);
  return Object.fromEntries([...of(app.infraTemplate), ...of(app.platformTemplate)]);
}

describe('CT.KMS.PR.3: grants only for AWS services', () => {
  test.each(CONFIGURATIONS)('%s: the logs key passes; the Secrets key is the documented exception', (_name, context) => {
    const app = synth(context);
    expect(failingControls(app.infraTemplate, 'hook', ['CT.KMS.PR.3'])).toEqual(['CT.KMS.PR.3 EksSecretsKey89C78FFD']);
    expect(verdicts(context, 'CT.KMS.PR.3')).toMatchObject({ LogsKeyFE4C4A83: true });
  });
});

describe('CT.SQS.PR.1: every queue has a dead-letter queue', () => {
  test.each(CONFIGURATIONS)('%s: all queues pass', (_name, context) => {
    const app = synth(context);
    expect([...failingControls(app.infraTemplate, 'hook', ['CT.SQS.PR.1']), ...failingControls(app.platformTemplate, 'template', ['CT.SQS.PR.1'])]).toEqual([]);
  });

  test('the Karpenter interruption queue is checked, its dead-letter queue is one', () => {
    expect(verdicts({ compute: 'nodegroups' }, 'CT.SQS.PR.1')).toEqual({ AddOnskarpenterInterruptionQueueF4A22C47: true });
  });
});

describe('CT.LAMBDA.PR.3: every Lambda function in a VPC', () => {
  test.each(CONFIGURATIONS)('%s: all functions pass (InfraStack also in template mode)', (_name, context) => {
    const app = synth(context);
    expect(failingControls(app.infraTemplate, 'template', ['CT.LAMBDA.PR.3'])).toEqual([]);
    expect(failingControls(app.platformTemplate, 'hook', ['CT.LAMBDA.PR.3'])).toEqual([]);
  });

  test('the default-security-group handler is among them', () => {
    expect(verdicts({}, 'CT.LAMBDA.PR.3')).toMatchObject({ CustomVpcRestrictDefaultSGCustomResourceProviderHandlerDC833E5E: true });
  });
});

describe('what fails is what the README documents', () => {
  const failing = (context: Record<string, unknown>): string[] => {
    const app = synth(context);
    // One line per control and stack: the README documents controls, not resources.
    return [...new Set([
      ...failingControls(app.infraTemplate).map((line) => `InfraStack ${line.split(' ')[0]}`),
      ...failingControls(app.platformTemplate).map((line) => `PlatformStack ${line.split(' ')[0]}`),
    ])].sort();
  };

  test.each(CONFIGURATIONS.filter(([name]) => name.startsWith('workshop')))('%s: Secrets key grants, one month of logs, public endpoint', (_name, context) => {
    expect(failing(context)).toEqual([
      'InfraStack CT.CLOUDWATCH.PR.2', 'InfraStack CT.EKS.PR.1', 'InfraStack CT.KMS.PR.3', 'PlatformStack CT.CLOUDWATCH.PR.2',
    ]);
  });

  test.each(CONFIGURATIONS.filter(([name]) => name.startsWith('production')))('%s: only the Secrets key grants', (_name, context) => {
    expect(failing(context)).toEqual(['InfraStack CT.KMS.PR.3']);
  });

  test('a year of retention (logRetentionDays=365) and a private endpoint make the workshop pass them too', () => {
    expect(failing({ logRetentionDays: 365, endpointAccess: 'private' })).toEqual(['InfraStack CT.KMS.PR.3']);
  });

  test('in template mode (cfn-guard on cdk.out) PlatformStack\'s imported key and subnets read as missing', () => {
    const app = synth({ profile: 'production' });
    const lines = failingControls(app.platformTemplate, 'template').map((line) => line.split(' ')[0]);
    expect([...new Set(lines)].sort()).toEqual(['CT.CLOUDWATCH.PR.3', 'CT.LAMBDA.PR.3']);
  });
});
