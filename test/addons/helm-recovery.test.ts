import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Template } from 'aws-cdk-lib/assertions';
import { Match } from 'aws-cdk-lib/assertions';

import { HELM_PENDING_QUIET, HELM_RECOVERY_TIMEOUT, KUBECTL_HANDLER_LIMIT } from '../../addons/core/helm-release-behaviour';
import { chartTrigger } from '../../addons/core/helm-release-recovery';
import { helmReleases, nagFindings, resourcesOfType, synth } from '../helpers';

const RECOVERY = 'Custom::HelmReleaseRecovery';

/** The recovery resources of a template, by release. */
function recoveries(
  template: Template,
): Record<string, { logicalId: string; Namespace: string; Chart: { Hash: string; References?: unknown[] } }> {
  return Object.fromEntries(
    Object.entries(resourcesOfType(template, RECOVERY)).map(([logicalId, r]) => {
      const props = r.Properties as { Release: string; Namespace: string; Chart: { Hash: string; References?: unknown[] } };
      return [props.Release, { logicalId, Namespace: props.Namespace, Chart: props.Chart }];
    }),
  );
}

/** Properties of the stack's kubectl handler function. */
function kubectlHandler(template: Template): Record<string, unknown> {
  const handlers = Object.values(
    template.findResources('AWS::Lambda::Function', {
      Properties: { Description: 'onEvent handler for EKS kubectl resource provider' },
    }),
  );
  expect(handlers).toHaveLength(1);
  return handlers[0].Properties as Record<string, unknown>;
}

describe('karpenter and kyverno on node groups (three charts, two of them added beside the main chart)', () => {
  const app = synth({ compute: 'nodegroups', addons: 'metrics-server,karpenter,kyverno', kubernetesVersion: '1.35' });
  const template = app.platformTemplate;
  const releases = helmReleases(template);

  test('every release has one recovery for its exact name and namespace, and its chart runs after it', () => {
    const recovered = recoveries(template);
    expect(Object.keys(recovered).sort()).toEqual(Object.keys(releases).sort());
    expect(Object.keys(releases)).toEqual(
      expect.arrayContaining(['karpenter', 'karpenter-crd', 'kyverno', 'kyverno-policies', 'metrics-server']),
    );
    for (const [release, chart] of Object.entries(releases)) {
      expect({ release, namespace: recovered[release].Namespace }).toEqual({ release, namespace: chart.Namespace });
      expect({ release, dependsOn: chart.DependsOn }).toEqual({
        release,
        dependsOn: expect.arrayContaining([recovered[release].logicalId]),
      });
    }
    template.resourceCountIs(RECOVERY, Object.keys(releases).length);
  });

  test('a chart value that CloudFormation resolves at deploy time is a property of the recovery too', () => {
    // Karpenter's interruption queue name is a GetAtt in its values.
    expect(recoveries(template).karpenter.Chart.References).toContainEqual({
      'Fn::GetAtt': [expect.stringMatching(/InterruptionQueue/), 'QueueName'],
    });
    expect(recoveries(template)['metrics-server'].Chart.References).toBeUndefined();
  });

  test('one function recovers them all, as the kubectl handler reaches the cluster', () => {
    const functions = template.findResources('AWS::Lambda::Function', {
      Properties: { Handler: 'index.handler', Description: Match.stringLikeRegexp('pending') },
    });
    expect(Object.keys(functions)).toHaveLength(1);
    const [functionId] = Object.keys(functions);
    for (const recovery of Object.values(resourcesOfType(template, RECOVERY))) {
      expect(recovery.Properties).toMatchObject({
        ServiceToken: { 'Fn::GetAtt': [functionId, 'Arn'] },
        QuietSeconds: HELM_PENDING_QUIET.toSeconds(),
        TimeoutSeconds: HELM_RECOVERY_TIMEOUT.toSeconds(),
        ClusterName: { 'Fn::ImportValue': 'dev-infra:ClusterName' },
      });
    }
    const handler = kubectlHandler(template);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('pending'),
      Role: handler.Role,
      VpcConfig: handler.VpcConfig,
      Runtime: handler.Runtime,
      Timeout: KUBECTL_HANDLER_LIMIT.toSeconds(),
      LoggingConfig: { LogGroup: { Ref: Match.anyValue() } },
    });
    // The same two layers (kubectl and AWS CLI), in whatever order.
    const layers = (of: unknown) => new Set((of as unknown[]).map((layer) => JSON.stringify(layer)));
    expect(layers(Object.values(functions)[0].Properties.Layers)).toEqual(layers(handler.Layers));
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/lambda/dev-platform-helm-recovery',
      KmsKeyId: { 'Fn::ImportValue': 'dev-infra:LogsKeyArn' },
      RetentionInDays: app.config.logRetentionDays,
    });
  });
});

test('the recovery of a release changes when its chart does, and only then', () => {
  const hash = (values: Record<string, unknown>) =>
    recoveries(synth({ addons: JSON.stringify({ 'metrics-server': values }) }).platformTemplate)['metrics-server'].Chart.Hash;
  const defaults = hash({});
  expect(hash({})).toBe(defaults);
  expect(hash({ values: { replicas: 3 } })).not.toBe(defaults);
  expect(hash({ version: '3.12.2' })).not.toBe(defaults);
});

test('deploy-time references are listed once each', () => {
  const queue = { Ref: 'Queue' };
  expect(
    chartTrigger({ values: { a: queue, b: [queue, { 'Fn::ImportValue': 'x' }], c: { 'Fn::Join': ['', ['q', queue]] } } }).References,
  ).toEqual([queue, { 'Fn::ImportValue': 'x' }]);
  expect(chartTrigger({ values: { a: 1 } })).toEqual({ Hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
});

test('the recovery function is cdk-nag clean in all four packs', () => {
  const app = synth({ addons: 'metrics-server' });
  expect(nagFindings(app).filter((f) => f.includes('HelmRecovery'))).toEqual([]);
});

test('the recovery waits out a handler that may still run, and still has time to recover', () => {
  expect(HELM_PENDING_QUIET.toSeconds()).toBeGreaterThan(KUBECTL_HANDLER_LIMIT.toSeconds());
  // The handler keeps the Helm timeout and 30 s to answer CloudFormation; the rest is for waiting.
  expect(KUBECTL_HANDLER_LIMIT.toSeconds() - HELM_RECOVERY_TIMEOUT.toSeconds() - 30).toBeGreaterThanOrEqual(9 * 60);
});

test('docs/workshop.md states the wait and the log group as built', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'docs', 'workshop.md'), 'utf8').replace(/\s+/g, ' ');
  expect(readme).toContain(`younger than ${HELM_PENDING_QUIET.toMinutes()} minutes`);
  expect(readme).toContain('`/aws/lambda/<environment>-platform-helm-recovery`');
  expect(
    synth({ addons: 'metrics-server' }).platformTemplate.findResources('AWS::Logs::LogGroup', {
      Properties: { LogGroupName: '/aws/lambda/dev-platform-helm-recovery' },
    }),
  ).not.toEqual({});
});

test('a stack without Helm charts has no recovery function', () => {
  const template = synth({ addons: 'cloudwatch-observability' }).platformTemplate;
  template.resourceCountIs('Custom::AWSCDK-EKS-HelmChart', 0);
  template.resourceCountIs(RECOVERY, 0);
  expect(template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('pending') } })).toEqual({});
});
