import { synth } from './helpers';
import { expectFunctionsLogToOwnGroups } from './support/function-logs';

describe.each([
  ['workshop', {}, 'Delete', 30],
  ['production', { profile: 'production' }, 'Retain', 365],
] as const)('every Lambda function logs to a log group of its own stack (%s)', (_profile, context, policy, days) => {
  const app = synth(context);

  test('InfraStack: the restrict-default-security-group handler', () => {
    expect(expectFunctionsLogToOwnGroups(app.infraTemplate, policy, days)).toEqual([
      'CustomVpcRestrictDefaultSGCustomResourceProviderHandlerDC833E5E',
    ]);
    app.infraTemplate.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/lambda/dev-infra/CustomVpcRestrictDefaultSGCustomResourceProviderHandlerDC833E5E',
      KmsKeyId: { 'Fn::GetAtt': ['LogsKeyFE4C4A83', 'Arn'] },
    });
  });

  test('PlatformStack: the kubectl handler and its provider framework, under /aws/lambda/ where the kubectl role may write', () => {
    expect(expectFunctionsLogToOwnGroups(app.platformTemplate, policy, days)).toEqual(
      expect.arrayContaining(['ClusterKubectlProviderHandler2E05C68A', 'ClusterKubectlProviderframeworkonEvent68E0CF80']),
    );
    for (const fn of ['ClusterKubectlProviderHandler2E05C68A', 'ClusterKubectlProviderframeworkonEvent68E0CF80']) {
      app.platformTemplate.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: `/aws/lambda/dev-platform/${fn}`,
        KmsKeyId: { 'Fn::ImportValue': 'dev-infra:LogsKeyArn' },
      });
    }
  });
});
