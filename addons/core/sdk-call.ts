import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

import { acknowledge, wildcardFinding } from '../../lib/core/compliance/acknowledge';
import { acknowledgeCustomResourceHandler, lambdaVpcNetworkingStatement } from '../../lib/core/compliance/custom-resource-handler';
import type { EnvironmentNames } from '../../lib/core/config';

/** Props for {@link SdkCall}. */
export interface SdkCallProps {
  readonly vpc: ec2.IVpc;
  readonly names: EnvironmentNames;
  /** The key the handler's log group is encrypted with (the environment's logs key). */
  readonly logsKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  /** The custom resource type, e.g. `Custom::EksAccessPolicyAssociation`. */
  readonly resourceType: string;
  /** What the calls do, for the policy's description. */
  readonly purpose: string;
  /** Exactly the permissions the calls need; attached to the stack's handler role. */
  readonly statements: readonly iam.PolicyStatement[];
  /** @default - nothing on create */
  readonly onCreate?: cr.AwsSdkCall;
  /** @default - nothing on update */
  readonly onUpdate?: cr.AwsSdkCall;
  /** @default - nothing on delete */
  readonly onDelete?: cr.AwsSdkCall;
}

/**
 * One `AwsCustomResource` of PlatformStack. aws-cdk-lib runs every AwsCustomResource of a stack in
 * ONE singleton function (custom-resources aws-custom-resource.ts: `SingletonFunction` with a fixed
 * uuid), and that function keeps the role, log group and VPC of the first resource created: a
 * second resource's own role would be silently ignored. So the stack has one handler role, log
 * group and network (created once, by {@link handlerOf}), and each call brings its permissions as a
 * customer-managed policy attached to that role, which its custom resource waits for.
 */
export class SdkCall extends Construct {
  readonly resource: cr.AwsCustomResource;
  readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: SdkCallProps) {
    super(scope, id);
    const handler = handlerOf(Stack.of(this), props);
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: props.purpose,
      statements: [...props.statements],
      roles: [handler.role],
    });
    this.resource = new cr.AwsCustomResource(this, 'Resource', {
      resourceType: props.resourceType,
      onCreate: props.onCreate,
      onUpdate: props.onUpdate,
      onDelete: props.onDelete,
      // Immutable: every permission is in a customer-managed policy attached to it.
      role: handler.role.withoutPolicyUpdates(),
      vpc: props.vpc,
      vpcSubnets: { subnets: props.vpc.privateSubnets },
      logGroup: handler.logGroup,
      installLatestAwsSdk: false,
    });
    this.resource.node.addDependency(this.policy);
    const fn = Stack.of(this).node.tryFindChild(SINGLETON_ID);
    if (fn instanceof lambda.Function && !acknowledged.has(fn)) {
      acknowledged.add(fn);
      acknowledgeCustomResourceHandler(fn);
    }
  }
}

/** The construct id aws-cdk-lib gives the AwsCustomResource singleton function (its uuid). */
const SINGLETON_ID = 'AWS679f53fac002430cb0da5b7982bd2287';
const HANDLER_ID = 'SdkCallHandler';
const acknowledged = new WeakSet<lambda.Function>();

interface Handler {
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
}

/** The stack's one handler role (Lambda trust, logs and VPC networking only) and its log group. */
function handlerOf(stack: Stack, props: SdkCallProps): Handler {
  const existing = stack.node.tryFindChild(HANDLER_ID);
  if (existing) {
    const found = existing as Construct;
    return { role: found.node.findChild('Role') as iam.Role, logGroup: found.node.findChild('Logs') as logs.LogGroup };
  }
  const scope = new Construct(stack, HANDLER_ID);
  const logGroup = new logs.LogGroup(scope, 'Logs', {
    encryptionKey: props.logsKey,
    retention: props.logRetention,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const base = new iam.ManagedPolicy(scope, 'Policy', {
    description: `Logs and VPC networking of the AWS SDK call handler of ${props.names.clusterName}`,
    statements: [
      new iam.PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
      lambdaVpcNetworkingStatement('LambdaVpcNetworking'),
    ],
  });
  acknowledge(
    base,
    'The EC2 network-interface actions a VPC-attached Lambda needs do not support resource-level permissions (they are ' +
      'limited to this region).',
    [wildcardFinding('Resource', '*')],
  );
  const role = new iam.Role(scope, 'Role', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `Runs the deployment-time AWS SDK calls of ${props.names.clusterName}'s platform stack`,
    managedPolicies: [base],
  });
  return { role, logGroup };
}
