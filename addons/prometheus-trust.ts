import type { CfnResource } from 'aws-cdk-lib';
import { Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

import type { EnvironmentNames } from '../lib/core/config';
import { SdkCall } from './core/sdk-call';

/** Props for {@link ScraperTrust}. */
export interface ScraperTrustProps {
  readonly vpc: ec2.IVpc;
  readonly names: EnvironmentNames;
  /** The environment's logs key, for the handler's log group. */
  readonly logsKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  /** A collector role whose template trust names every scraper of the account. */
  readonly role: iam.Role;
  /** The only statement of the narrowed trust policy, naming the one scraper. */
  readonly statement: iam.PolicyStatement;
}

/**
 * Replaces a collector role's trust policy with one naming its own scraper (iam:UpdateAssumeRolePolicy),
 * once the scraper exists: the step the AMP User Guide prescribes after CreateScraper. It runs again
 * whenever the narrowed policy changes (a new scraper ARN) and whenever CloudFormation writes the
 * role's template trust again (that document is a property here, so a change to it updates this
 * resource after the role), so the wildcard never outlives a deployment.
 * Known gap: a replaced scraper (a changed cluster, subnets or security group) is created while the
 * roles still name the old one; if AMP checks the roles at creation, that deployment fails and
 * rolls back.
 */
export class ScraperTrust extends Construct {
  readonly call: SdkCall;

  constructor(scope: Construct, id: string, props: ScraperTrustProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const policyDocument = stack.toJsonString(new iam.PolicyDocument({ statements: [props.statement] }));
    const update: cr.AwsSdkCall = {
      service: 'IAM',
      action: 'UpdateAssumeRolePolicy',
      parameters: { RoleName: props.role.roleName, PolicyDocument: policyDocument },
      physicalResourceId: cr.PhysicalResourceId.of(`${id}-trust`),
    };
    this.call = new SdkCall(this, 'Call', {
      vpc: props.vpc,
      names: props.names,
      logsKey: props.logsKey,
      logRetention: props.logRetention,
      resourceType: 'Custom::ScraperTrust',
      purpose: `Narrow the trust of one AMP collector role of ${props.names.clusterName} to its scraper`,
      statements: [
        new iam.PolicyStatement({ sid: 'UpdateThisRoleTrust', actions: ['iam:UpdateAssumeRolePolicy'], resources: [props.role.roleArn] }),
      ],
      onCreate: update,
      onUpdate: update,
    });
    // Not read by the handler: a change of the template trust (which CloudFormation writes back over the
    // narrowed one) changes this resource too, so it narrows again in the same deployment.
    const resource = this.call.resource.node.findChild('Resource').node.defaultChild as CfnResource;
    resource.addPropertyOverride('TemplateTrustPolicy', stack.toJsonString(props.role.assumeRolePolicy));
  }
}
