import type { Template } from 'aws-cdk-lib/assertions';

import type { ConfigError } from '../../lib/core/config';
import { Problems } from '../../lib/core/config';

/** The problem lines building something reports (every one, as ConfigError collects them). */
export function problemsOf(build: () => unknown): string[] {
  const p = new Problems();
  p.collect(build);
  try {
    p.throwIfAny();
    return [];
  } catch (error) {
    return [...(error as ConfigError).problems];
  }
}

/** The capability role's trust policy: only the EKS capabilities service, with session tags. */
export function expectCapabilityTrust(template: Template, roleLogicalId: string): void {
  template.hasResource('AWS::IAM::Role', {
    Properties: {
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'capabilities.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] },
        ],
      },
    },
  });
  expect(Object.keys(template.findResources('AWS::IAM::Role'))).toContain(roleLogicalId);
}

/** The one capability of the template, with its role's logical id. */
export function onlyCapability(template: Template): { properties: Record<string, unknown>; roleLogicalId: string; logicalId: string } {
  const capabilities = Object.entries(template.findResources('AWS::EKS::Capability'));
  expect(capabilities).toHaveLength(1);
  const [logicalId, resource] = capabilities[0];
  const properties = resource.Properties as Record<string, unknown>;
  const roleLogicalId = (properties.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return { properties, roleLogicalId, logicalId };
}
