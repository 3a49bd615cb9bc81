import { Stack } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';

import { acknowledge } from '../lib/core/compliance/acknowledge';
import { buildTestApp, nagFindings, synth } from './helpers';

describe('cdk-nag: AwsSolutions, NIST 800-53 R5, HIPAA Security, PCI DSS 3.2.1', () => {
  test.each([
    ['auto mode (workshop)', {}],
    ['managed node groups', { compute: 'nodegroups' }],
    ['production profile', { profile: 'production' }],
    ['production with node groups', { profile: 'production', compute: 'nodegroups' }],
  ])('%s has zero unacknowledged findings', (_name, context) => {
    expect(nagFindings(synth(context))).toEqual([]);
  });

  test('the public-endpoint acknowledgment exists only when the endpoint is public', () => {
    const ids = (context: Record<string, unknown>) =>
      synth(context)
        .infra.node.findAll()
        .flatMap((c) => c.node.metadata)
        .flatMap((m) => (m.type === 'aws:cdk:acknowledged-rules' ? Object.keys(m.data as object) : []));
    expect(ids({})).toContain('AwsSolutions-EKS1');
    expect(ids({ profile: 'production' })).not.toContain('AwsSolutions-EKS1');
  });
});

describe('acknowledge()', () => {
  const reason = 'A reason long enough for a security reviewer to judge the exception on its merits.';

  test('refuses the app-wide Pack::Rule form', () => {
    expect(() => acknowledge(new Stack(), reason, ['AwsSolutions::AwsSolutions-IAM4'])).toThrow(/not a per-pack cdk-nag rule id/);
  });

  test('refuses an empty excuse', () => {
    expect(() => acknowledge(new Stack(), 'needed', ['AwsSolutions-IAM4'])).toThrow(/a reviewer needs a real reason/);
  });

  test('accepts granular ids that contain ::', () => {
    const stack = new Stack();
    acknowledge(stack, reason, ['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/X]']);
    expect(stack.node.metadata.find((m) => m.type === 'aws:cdk:acknowledged-rules')?.data).toEqual({
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/X]': reason,
    });
  });
});

describe('the packs run on every synth, as one validation plugin', () => {
  test('an unacknowledged finding fails the synth and names its rule', () => {
    const { app } = buildTestApp({}, { compliancePacks: true });
    new Bucket(new Stack(app, 'Extra'), 'Unlogged');
    // aws-cdk-lib 2.278 throws an error that carries the report (2.261 set process.exitCode instead).
    let failure: unknown;
    try {
      app.synth();
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(Error);
    const message = (failure as Error).message;
    expect(message).toMatch(/Extra\/Unlogged\/Resource/);
    expect(message).toMatch(/AwsSolutions-S1\b/);
    expect(message).toMatch(/NIST\.800\.53\.R5-S3BucketLoggingEnabled/);
  });
});
