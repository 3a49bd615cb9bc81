import { CfnResource, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

import type { Profile } from '../config';

/** Props for {@link ownFunctionLogGroups}. */
export interface FunctionLogGroupsProps {
  /** The environment's CloudWatch Logs key (an ARN, so PlatformStack can pass its import). */
  readonly encryptionKeyArn: string;
  /** Retention in days; configuration accepts only CloudWatch Logs retentions. */
  readonly retentionDays: number;
  /** What CloudFormation does with the groups when the stack is deleted (see {@link functionLogRemovalPolicy}). */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Workshop environments leave nothing behind; production keeps what its functions logged (scripts/down.sh
 * lists the kept groups).
 */
export function functionLogRemovalPolicy(profile: Profile): RemovalPolicy {
  return profile === 'production' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
}

/** The container of the log groups this module creates, one per stack. */
const CONTAINER_ID = 'FunctionLogs';

/**
 * Gives every Lambda function of `stack` a log group the stack itself creates, and points the
 * function's `LoggingConfig.LogGroup` at it; call it once, after everything else is built.
 *
 * Without it Lambda creates `/aws/lambda/<function>` on the first write, outside CloudFormation:
 * unencrypted, kept forever, and found again only by a name CloudFormation forgets with the stack.
 * aws-cdk-lib's own managed group (`@aws-cdk/aws-lambda:useCdkManagedLogGroup`) is named after the
 * function, so it depends on the function and CloudFormation may delete it while custom resources
 * still invoke the function during stack deletion, which makes Lambda create it again. With
 * `LoggingConfig.LogGroup` the function depends on its group: the group outlives every invocation
 * and is deleted after the function. (LoggingConfig: https://docs.aws.amazon.com/lambda/latest/api/API_LoggingConfig.html,
 * default /aws/lambda/<function name>, any name of 1 to 512 characters `[.-_/#A-Za-z0-9]`.)
 *
 * Functions aws-cdk-lib creates without a log group prop (the kubectl handler and the provider
 * framework of aws-eks-v2's KubectlProvider, singleton `CustomResourceProvider` handlers such as the
 * restrict-default-security-group and CfnJson ones) are raw or L1 resources here, so the property
 * is set on the resource. A group aws-cdk-lib already made for a function is reused (renamed);
 * groups a function already names (an L2 `logGroup` prop) only get `removalPolicy`.
 *
 * Names are `/aws/lambda/<stack name>/<function logical id>` (at most 128 + 255 + 13 characters):
 * under /aws/lambda/, where the kubectl role (InfraStack) may write, and each an exact name of this
 * stack.
 */
export function ownFunctionLogGroups(stack: Stack, props: FunctionLogGroupsProps): void {
  const functions = stack.node
    .findAll()
    .filter((c): c is CfnResource => c instanceof CfnResource && c.cfnResourceType === 'AWS::Lambda::Function' && Stack.of(c) === stack);
  const groupsById = new Map(
    stack.node
      .findAll()
      .filter((c): c is logs.CfnLogGroup => c instanceof logs.CfnLogGroup && Stack.of(c) === stack)
      .map((group) => [stack.getLogicalId(group), group]),
  );
  let container: Construct | undefined;
  for (const fn of functions) {
    const named = namedLogGroupId(stack, fn);
    if (named !== undefined) {
      groupsById.get(named)?.applyRemovalPolicy(props.removalPolicy);
      continue;
    }
    const logicalId = stack.getLogicalId(fn);
    const logGroupName = `/aws/lambda/${stack.stackName}/${logicalId}`;
    const managed = fn.node.scope?.node.tryFindChild('LogGroup');
    let group: logs.CfnLogGroup;
    if (managed instanceof logs.LogGroup) {
      group = managed.node.defaultChild as logs.CfnLogGroup;
      group.logGroupName = logGroupName;
      group.kmsKeyId = props.encryptionKeyArn;
      group.retentionInDays = props.retentionDays;
      group.applyRemovalPolicy(props.removalPolicy);
    } else {
      container ??= new Construct(stack, CONTAINER_ID);
      const scope = new Construct(container, logicalId);
      group = new logs.LogGroup(scope, 'Resource', {
        logGroupName,
        encryptionKey: kms.Key.fromKeyArn(scope, 'Key', props.encryptionKeyArn),
        // Configuration accepts only CloudWatch Logs retentions, the values of this numeric enum.
        retention: props.retentionDays as logs.RetentionDays,
        removalPolicy: props.removalPolicy,
      }).node.defaultChild as logs.CfnLogGroup;
    }
    fn.addPropertyOverride('LoggingConfig.LogGroup', group.ref);
  }
}

/** The logical id of the group a function's LoggingConfig already names, if it names one by Ref. */
function namedLogGroupId(stack: Stack, fn: CfnResource): string | undefined {
  if (!(fn instanceof lambda.CfnFunction)) {
    return undefined;
  }
  const config: unknown = stack.resolve(fn.loggingConfig);
  const group = config as { LogGroup?: unknown; logGroup?: unknown } | undefined;
  const ref: unknown = group?.LogGroup ?? group?.logGroup;
  if (ref !== null && typeof ref === 'object' && 'Ref' in ref && typeof ref.Ref === 'string') {
    return ref.Ref;
  }
  return undefined;
}
