import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';

import { acknowledge } from './acknowledge';

/**
 * Acknowledges AwsSolutions-L1 on a Node.js function that runs the newest runtime AWS Lambda offers.
 *
 * cdk-nag takes the newest runtime aws-cdk-lib can name as "latest": aws-cdk-lib 2.278 names
 * `nodejs26.x`, while the AWS Lambda developer guide ("Building Lambda functions with Node.js",
 * read 2026-12-07) lists `nodejs24.x` as the newest Node.js runtime, and aws-cdk-lib's region
 * facts (`determineLatestNodeRuntime`) name it the latest in every region. Only a function on
 * exactly that runtime is acknowledged: an older one stays a finding.
 */
export function acknowledgeLatestNodeRuntime(fn: lambda.Function): void {
  const stack = Stack.of(fn);
  const latest = stack.resolve(lambda.determineLatestNodeRuntime(fn).name);
  if (stack.resolve(fn.runtime.name) !== latest) return;
  acknowledge(
    fn,
    `Runs ${latest}, the newest Node.js runtime AWS Lambda offers in every region (aws-cdk-lib's region facts, ` +
      'the Lambda developer guide); cdk-nag compares against a newer runtime aws-cdk-lib can name but Lambda ' +
      'does not list.',
    ['AwsSolutions-L1'],
  );
}
