import { figures } from '../../scripts/bench/delivery';

describe('npm run bench:delivery', () => {
  test('counts custom resources, Helm releases and the invocations each takes on create', () => {
    const framework = { 'Fn::GetAtt': ['ClusterKubectlProviderframeworkonEvent68E0CF80', 'Arn'] };
    const template = {
      Resources: {
        Chart: { Type: 'Custom::AWSCDK-EKS-HelmChart', Properties: { ServiceToken: framework } },
        Manifest: { Type: 'Custom::AWSCDK-EKS-KubernetesResource', Properties: { ServiceToken: framework } },
        Recovery: { Type: 'Custom::HelmReleaseRecovery', Properties: { ServiceToken: { 'Fn::GetAtt': ['HelmRecoveryFunction', 'Arn'] } } },
        Queue: { Type: 'AWS::SQS::Queue' },
      },
    };
    expect(figures(template)).toEqual({
      resources: 4,
      customResources: 3,
      helmCharts: 1,
      invocations: 2 + 2 + 1,
      templateBytes: JSON.stringify(template).length,
    });
  });
});
