import { Match } from 'aws-cdk-lib/assertions';

import { CloudWatchObservabilityAddOn } from '../../addons/cloudwatch-observability';
import { ConfigError, Problems } from '../../lib/core/config';
import { nagFindings } from '../helpers';
import { deployAlone } from '../support/addon-fixture';

const KINDS = ['application', 'dataplane', 'host', 'performance'];
const LOGS_KEY = { 'Fn::ImportValue': 'dev-infra:LogsKeyArn' };

describe('cloudwatch-observability', () => {
  describe.each(['auto', 'nodegroups'])('compute=%s', (compute) => {
    const app = deployAlone(new CloudWatchObservabilityAddOn(), { compute });
    const template = app.template;

    test("the EKS add-on at EKS's default version (none documented per Kubernetes version), Fluent Bit left on", () => {
      template.resourceCountIs('AWS::EKS::Addon', 1);
      template.hasResourceProperties('AWS::EKS::Addon', {
        AddonName: 'amazon-cloudwatch-observability',
        ClusterName: { 'Fn::ImportValue': 'dev-infra:ClusterName' },
        AddonVersion: Match.absent(),
        ConfigurationValues: Match.absent(),
      });
    });

    test('its four log groups are pre-created with the logs key, the configured retention, and deleted with the stack', () => {
      template.resourceCountIs('AWS::Logs::LogGroup', KINDS.length + 3); // + Application Signals', + the kubectl handler's two
      for (const kind of KINDS) {
        template.hasResource('AWS::Logs::LogGroup', {
          Properties: { LogGroupName: `/aws/containerinsights/dev-eks/${kind}`, KmsKeyId: LOGS_KEY, RetentionInDays: 30 },
          DeletionPolicy: 'Delete',
          UpdateReplacePolicy: 'Delete',
        });
      }
    });

    test("Application Signals' account-wide log group is pre-created with the logs key and retention, kept with the stack, before the add-on", () => {
      const groups = Object.entries(
        template.findResources('AWS::Logs::LogGroup', {
          Properties: { LogGroupName: '/aws/application-signals/data', KmsKeyId: LOGS_KEY, RetentionInDays: 30 },
          DeletionPolicy: 'Retain',
          UpdateReplacePolicy: 'Retain',
        }),
      );
      expect(groups).toHaveLength(1);
      template.hasResource('AWS::EKS::Addon', { DependsOn: Match.arrayWith([groups[0][0]]) });
    });

    test('the add-on waits for its log groups and its Pod Identity', () => {
      const logGroupIds = Object.entries(template.findResources('AWS::Logs::LogGroup'))
        .filter(([, r]) => String(r.Properties.LogGroupName).startsWith('/aws/containerinsights/'))
        .map(([id]) => id);
      const [associationId] = Object.keys(template.findResources('AWS::EKS::PodIdentityAssociation'));
      expect(logGroupIds).toHaveLength(4);
      template.hasResource('AWS::EKS::Addon', { DependsOn: Match.arrayWith([...logGroupIds, associationId]) });
    });

    test('Pod Identity for amazon-cloudwatch/cloudwatch-agent with a role only EKS Pod Identity assumes', () => {
      template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 1);
      template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
        Namespace: 'amazon-cloudwatch',
        ServiceAccount: 'cloudwatch-agent',
        ClusterName: { 'Fn::ImportValue': 'dev-infra:ClusterName' },
      });
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({ Action: ['sts:AssumeRole', 'sts:TagSession'], Principal: { Service: 'pods.eks.amazonaws.com' } })],
        },
      });
    });

    test("CloudWatch Logs access only to this cluster's Container Insights groups and Application Signals, no retention changes", () => {
      const logGroup = (name: string) => ({
        'Fn::Join': [
          '',
          ['arn:', { Ref: 'AWS::Partition' }, ':logs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:log-group:${name}`],
        ],
      });
      template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Sid: 'MetricsTracesAndNodeMetadata',
              Action: Match.arrayWith(['cloudwatch:PutMetricData', 'ec2:DescribeVolumes', 'xray:PutTraceSegments']),
              Resource: '*',
            }),
            Match.objectLike({
              Sid: 'WriteOwnLogGroups',
              // CDK sorts actions and resources.
              Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
              Resource: [
                logGroup('/aws/application-signals/data'),
                logGroup('/aws/application-signals/data:*'),
                logGroup('/aws/containerinsights/dev-eks/*'),
              ],
            }),
            Match.objectLike({ Sid: 'DescribeLogGroups', Action: 'logs:DescribeLogGroups', Resource: logGroup('*') }),
          ]),
        },
      });
      const statements = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).flatMap(
        (p) => p.Properties.PolicyDocument.Statement as { Action: string | string[] }[],
      );
      expect(statements.flatMap((s) => [s.Action].flat())).not.toContain('logs:PutRetentionPolicy');
    });

    test('zero unacknowledged nag findings', () => {
      expect(nagFindings(app)).toEqual([]);
    });
  });

  test('containerLogs: false turns Fluent Bit off and pre-creates only the performance log group', () => {
    const { template } = deployAlone(new CloudWatchObservabilityAddOn({ containerLogs: false, configurationValues: { tolerations: [] } }));
    template.hasResourceProperties('AWS::EKS::Addon', {
      AddonName: 'amazon-cloudwatch-observability',
      ConfigurationValues: JSON.stringify({ tolerations: [], containerLogs: { enabled: false } }),
    });
    const names = Object.values(template.findResources('AWS::Logs::LogGroup')).map((r) => r.Properties.LogGroupName);
    expect(names.filter((n) => typeof n === 'string' && n.startsWith('/aws/containerinsights/'))).toEqual([
      '/aws/containerinsights/dev-eks/performance',
    ]);
  });

  test("the Application Signals log group carries the tag down.sh keeps it by, beside the stack's tags", () => {
    const { template } = deployAlone(new CloudWatchObservabilityAddOn(), { environment: 'alice', tags: { team: 'x' } });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/application-signals/data',
      Tags: Match.arrayWith([
        { Key: 'platform:environment', Value: 'alice' },
        { Key: 'platform:kept', Value: 'alice/application-signals-log-group' },
      ]),
    });
    // Only that group: the cluster's own log groups go with the stack.
    expect(
      Object.values(
        template.findResources('AWS::Logs::LogGroup', {
          Properties: { Tags: Match.arrayWith([Match.objectLike({ Key: 'platform:kept' })]) },
        }),
      ).map((r) => r.Properties.LogGroupName),
    ).toEqual(['/aws/application-signals/data']);
  });

  test('createApplicationSignalsLogGroup: false leaves an existing Application Signals log group alone', () => {
    const { template } = deployAlone(new CloudWatchObservabilityAddOn({ createApplicationSignalsLogGroup: false }));
    expect(
      Object.keys(template.findResources('AWS::Logs::LogGroup', { Properties: { LogGroupName: '/aws/application-signals/data' } })),
    ).toEqual([]);
  });

  test('the option wins over containerLogs.enabled in configurationValues, so the log groups match', () => {
    const addon = new CloudWatchObservabilityAddOn({ configurationValues: { containerLogs: { enabled: false, fluentBit: {} } } });
    deployAlone(addon).template.hasResourceProperties('AWS::EKS::Addon', {
      ConfigurationValues: JSON.stringify({ containerLogs: { enabled: true, fluentBit: {} } }),
    });
  });

  test('production: the version given, retention 365', () => {
    const { template } = deployAlone(new CloudWatchObservabilityAddOn({ version: 'v4.1.0-eksbuild.1' }), { profile: 'production' });
    template.hasResourceProperties('AWS::EKS::Addon', { AddonVersion: 'v4.1.0-eksbuild.1' });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: Match.stringLikeRegexp('/performance$'),
      RetentionInDays: 365,
    });
  });

  test('rejects bad options and a version without EKS Pod Identity', () => {
    expect(() => new CloudWatchObservabilityAddOn({ version: '4.1.0' })).toThrow(
      /addons\.cloudwatch-observability\.version: got "4\.1\.0"; allowed: an EKS add-on version/,
    );
    expect(() => new CloudWatchObservabilityAddOn({ version: 'v3.0.9-eksbuild.2' })).toThrow(ConfigError);
    expect(() => new CloudWatchObservabilityAddOn({ version: 'v3.0.9-eksbuild.2' })).toThrow(/allowed: v3\.1\.0-eksbuild\.1 or later/);
    expect(() => new CloudWatchObservabilityAddOn({ version: 'v3.1.0-eksbuild.1' })).not.toThrow();
    const p = new Problems();
    p.collect(() => CloudWatchObservabilityAddOn.registration.create({ containerLogs: 'yes', containerLog: true }));
    expect(p.count).toBe(2);
  });
});
