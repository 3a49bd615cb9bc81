import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';

import { acknowledgeLatestNodeRuntime } from '../lib/core/compliance/lambda-runtime';

const acknowledged = (fn: lambda.Function) =>
  fn.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules').flatMap((m) => Object.keys(m.data as object));

function fn(runtime: lambda.Runtime, region?: string): lambda.Function {
  const stack = new Stack(undefined, 'S', region ? { env: { region } } : {});
  return new lambda.Function(stack, 'Fn', {
    runtime,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {}'),
  });
}

describe('acknowledgeLatestNodeRuntime()', () => {
  test.each([undefined, 'us-west-2', 'eu-central-1'])('the newest runtime Lambda offers (region %s) is acknowledged', (region) => {
    const latest = fn(lambda.Runtime.NODEJS_LATEST, region);
    acknowledgeLatestNodeRuntime(latest);
    expect(acknowledged(latest)).toEqual(['AwsSolutions-L1']);
  });

  test('an older runtime stays a finding', () => {
    const old = fn(lambda.Runtime.NODEJS_22_X, 'us-west-2');
    acknowledgeLatestNodeRuntime(old);
    expect(acknowledged(old)).toEqual([]);
  });
});
