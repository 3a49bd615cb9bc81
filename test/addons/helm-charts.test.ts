import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

import type { AddOnContext } from '../../addons/core/addon';
import type { AdditionalChart, HelmChartSpec, HelmValues } from '../../addons/core/helm-addon';
import { HELM_RELEASE_BEHAVIOUR, HelmAddOn } from '../../addons/core/helm-addon';
import type { InstallableOptions, InstallMethod } from '../../addons/core/install-method';
import { helmReleases } from '../helpers';
import { deployAlone } from '../support/addon-fixture';

const spec = (chart: string, namespace = 'demo'): HelmChartSpec => ({
  repository: 'https://charts.example.com/',
  chart,
  version: '1.2.3',
  namespace,
  release: chart,
});

/** A Helm add-on with a release before its main chart and one after it. */
class ThreeChartAddOn extends HelmAddOn<InstallableOptions> {
  readonly id = 'three-charts';
  readonly computeModes = ['auto', 'nodegroups'] as const;
  readonly additionalCharts: readonly AdditionalChart[] = [
    {
      id: 'AfterChart',
      spec: spec('demo-policies', 'demo-policies'),
      order: 'after',
      createNamespace: false,
      values: (c) => this.after(c),
    },
    { id: 'BeforeChart', spec: spec('demo-crds'), order: 'before' },
  ];

  /** With `eks-addon`, the main chart is replaced by an EKS add-on built from it. */
  constructor(install: InstallMethod = 'helm') {
    super(spec('demo'), { install }, { addonName: 'metrics-server', namespace: 'demo' });
  }

  protected prerequisites(): undefined {
    return undefined;
  }

  protected chartValues(): HelmValues {
    return { replicas: 2 };
  }

  private after(context: AddOnContext): HelmValues {
    return { clusterName: context.names.clusterName };
  }
}

describe('a Helm add-on with additional charts', () => {
  const addon = new ThreeChartAddOn();
  const releases = helmReleases(deployAlone(addon).template);
  const { demo, 'demo-crds': before, 'demo-policies': after } = releases;

  test('installs each release with the release behaviour of the main chart', () => {
    expect(Object.keys(releases).sort()).toEqual(['demo', 'demo-crds', 'demo-policies']);
    const behaviour = { Wait: true, Atomic: true, Timeout: `${HELM_RELEASE_BEHAVIOUR.timeout.toSeconds()}s` };
    for (const release of [demo, before, after]) expect(release).toMatchObject(behaviour);
    expect(before).toMatchObject({ Chart: 'demo-crds', Namespace: 'demo', CreateNamespace: true, Values: {} });
    expect(after).toMatchObject({ Chart: 'demo-policies', Namespace: 'demo-policies', Values: { clusterName: expect.any(String) } });
    expect(after).not.toHaveProperty('CreateNamespace', true);
  });

  test('orders them: the main chart after a "before" release, an "after" release after the main chart', () => {
    expect(demo.DependsOn).toContain(before.logicalId);
    expect(after.DependsOn).toContain(demo.logicalId);
    expect(before.DependsOn ?? []).not.toContain(demo.logicalId);
    expect(demo.DependsOn ?? []).not.toContain(after.logicalId);
  });

  test('counts the namespaces of every release', () => {
    expect(addon.namespaces).toEqual(['demo', 'demo-policies']);
  });

  test('orders them around the EKS add-on that replaces the main chart with install "eks-addon"', () => {
    const { template } = deployAlone(new ThreeChartAddOn('eks-addon'));
    const charts = helmReleases(template);
    expect(Object.keys(charts).sort()).toEqual(['demo-crds', 'demo-policies']);
    const [[addonId, eksAddon]] = Object.entries(
      template.findResources('AWS::EKS::Addon', { Properties: { AddonName: 'metrics-server' } }),
    );
    expect(eksAddon.DependsOn).toContain(charts['demo-crds'].logicalId);
    expect(charts['demo-policies'].DependsOn).toContain(addonId);
  });
});

/** A Helm add-on whose prerequisites make a queue that its values and its afterChart objects name. */
class QueueAddOn extends HelmAddOn<{ readonly version?: string }, { readonly queue: sqs.IQueue }> {
  readonly id = 'queue-reader';
  readonly computeModes = ['auto', 'nodegroups'] as const;

  constructor() {
    super(spec('reader'), {});
  }

  protected prerequisites(scope: Construct): { readonly queue: sqs.IQueue } {
    return { queue: new sqs.Queue(scope, 'Queue', { enforceSSL: true }) };
  }

  protected chartValues(_context: AddOnContext, { queue }: { readonly queue: sqs.IQueue }): HelmValues {
    return { queue: queue.queueName };
  }

  protected afterChart(scope: Construct, context: AddOnContext, chart: eks.HelmChart, { queue }: { readonly queue: sqs.IQueue }): void {
    const config = new eks.KubernetesManifest(scope, 'QueueConfig', {
      cluster: context.cluster,
      manifest: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'queue', namespace: 'demo' }, data: { url: queue.queueUrl } }],
    });
    config.node.addDependency(chart);
  }
}

describe('a Helm add-on with prerequisites', () => {
  const { template } = deployAlone(new QueueAddOn());
  const queueId = Object.keys(template.findResources('AWS::SQS::Queue')).find((id) => id.startsWith('AddOnsqueuereader')) as string;
  const { reader } = helmReleases(template);

  test('the chart depends on what prerequisites created, and its values name it', () => {
    expect(queueId).toBeDefined();
    expect(reader.DependsOn).toContain(queueId);
    expect(reader.Values).toEqual({ queue: '<deploy-time>' });
  });

  test('afterChart gets the same handles', () => {
    const manifests = template.findResources('Custom::AWSCDK-EKS-KubernetesResource');
    const config = Object.values(manifests).find((m) => JSON.stringify(m.Properties.Manifest).includes('queue'));
    expect(JSON.stringify(config?.Properties.Manifest)).toContain(queueId);
  });
});
