import { Match } from 'aws-cdk-lib/assertions';

import { kubernetesObjects, synth } from './helpers';

/** Every Fn::ImportValue name anywhere in a template. */
function importedNames(template: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
    } else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'Fn::ImportValue' && typeof value === 'string') {
          found.push(value);
        } else {
          walk(value);
        }
      }
    }
  };
  walk(template);
  return [...new Set(found)].sort();
}

describe.each(['auto', 'nodegroups'])('PlatformStack with compute=%s', (compute) => {
  const app = synth({ compute });
  const platform = app.platformTemplate.toJSON();
  const infra = app.infraTemplate.toJSON();

  test('every Fn::ImportValue matches an Export of InfraStack, and every Export is consumed', () => {
    const exported = Object.values(infra.Outputs as Record<string, { Export?: { Name: string } }>)
      .map((o) => o.Export?.Name)
      .filter((n): n is string => n !== undefined)
      .sort();
    expect(exported).toEqual(expect.arrayContaining(importedNames(platform)));
    // The OIDC issuer serves only add-ons that bind roles to service accounts of other pods (IRSA).
    const withIrsa = importedNames(synth({ compute, addons: 'external-secrets' }).platformTemplate.toJSON());
    expect([...new Set([...importedNames(platform), ...withIrsa])].sort()).toEqual(exported);
    expect(exported).toContain('dev-infra:ClusterName');
  });

  test('no construct crosses stacks (no Fn::GetStackOutput, no unnamed exports)', () => {
    expect(JSON.stringify(platform)).not.toContain('Fn::GetStackOutput');
    expect(JSON.stringify(infra)).not.toContain('Fn::GetStackOutput');
  });

  test('declares its dependency on InfraStack', () => {
    expect(app.platform.dependencies.map((s) => s.node.id)).toEqual(['InfraStack']);
  });

  test('owns the kubectl handler: in the private subnets, with the InfraStack role, matching kubectl layer', () => {
    app.platformTemplate.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'onEvent handler for EKS kubectl resource provider',
      Role: { 'Fn::ImportValue': 'dev-infra:KubectlRoleArn' },
      VpcConfig: {
        SubnetIds: [0, 1, 2].map((i) => ({
          'Fn::Select': [i, { 'Fn::Split': [',', { 'Fn::ImportValue': 'dev-infra:PrivateSubnetIds' }] }],
        })),
        SecurityGroupIds: [{ 'Fn::ImportValue': 'dev-infra:ClusterSecurityGroupId' }],
      },
    });
    app.platformTemplate.hasResourceProperties('AWS::Lambda::LayerVersion', {
      Description: Match.stringLikeRegexp('kubectl/kubectl 1\\.35\\.'),
    });
  });

  test('its log groups are encrypted with the environment logs key and kept for its retention', () => {
    const groups = Object.values(app.platformTemplate.findResources('AWS::Logs::LogGroup'));
    expect(groups.length).toBeGreaterThan(0);
    for (const group of groups) {
      expect(group.Properties.KmsKeyId).toEqual({ 'Fn::ImportValue': 'dev-infra:LogsKeyArn' });
      // Not aws-eks-v2's own two years for the kubectl handler's groups: the workshop keeps 30 days.
      expect(group.Properties.RetentionInDays).toBe(30);
    }
  });

  test('creates no IAM role for the kubectl handler itself', () => {
    // The only Lambda role is the custom-resource framework's; the handler uses InfraStack's role.
    const lambdaRoles = app.platformTemplate.findResources('AWS::IAM::Role', {
      Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })] } },
    });
    const kubectlRoles = Object.keys(lambdaRoles).filter((id) => id.startsWith('ClusterKubectlProvider'));
    expect(kubectlRoles).toEqual([expect.stringMatching(/frameworkonEvent/)]);
  });

  test('applies the platform namespace and the environment ConfigMap through the handler', () => {
    const objects = kubernetesObjects(app.platformTemplate).filter((o) =>
      ['platform-system', 'platform-environment'].includes(o.metadata.name),
    );
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Namespace/platform-system', 'ConfigMap/platform-environment']);
    expect(objects[1].data).toMatchObject({
      environment: 'dev',
      compute,
      kubernetesVersion: '1.35',
      region: 'us-west-2',
      vpcId: '<deploy-time>',
    });
  });
});

test('the kubectl layer follows the Kubernetes version', () => {
  synth({ kubernetesVersion: '1.34' }).platformTemplate.hasResourceProperties('AWS::Lambda::LayerVersion', {
    Description: Match.stringLikeRegexp('kubectl/kubectl 1\\.34\\.'),
  });
});
