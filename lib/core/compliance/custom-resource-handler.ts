import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';

import { acknowledge, ruleIds } from './acknowledge';
import { acknowledgeLatestNodeRuntime } from './lambda-runtime';

/**
 * The EC2 network-interface actions a VPC-attached Lambda needs (what the AWS managed
 * AWSLambdaVPCAccessExecutionRole grants), limited to this region; they support no resource-level
 * permissions.
 */
export function lambdaVpcNetworkingStatement(sid?: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid,
    actions: [
      'ec2:CreateNetworkInterface',
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeSubnets',
      'ec2:DeleteNetworkInterface',
      'ec2:AssignPrivateIpAddresses',
      'ec2:UnassignPrivateIpAddresses',
    ],
    resources: ['*'],
    conditions: { StringEquals: { 'aws:RequestedRegion': Aws.REGION } },
  });
}

/** Acknowledges what a CloudFormation custom-resource handler function cannot meet. */
export function acknowledgeCustomResourceHandler(fn: lambda.Function): void {
  acknowledgeLatestNodeRuntime(fn);
  acknowledge(
    fn,
    'A CloudFormation custom resource handler: it answers CloudFormation itself, also on failure, so a DLQ ' +
      "would never receive an event anyone replays; reserved concurrency would take from the account's " +
      'unreserved pool, which new accounts cannot lower (deployment would fail).',
    [...ruleIds('LambdaDLQ', 'nist', 'hipaa'), ...ruleIds('LambdaConcurrency', 'nist', 'hipaa')],
  );
}
