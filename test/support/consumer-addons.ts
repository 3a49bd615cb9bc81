import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

import type { AddOnContext } from '../../addons/core/addon';
import type { AdditionalChart, HelmChartSpec, HelmValues } from '../../addons/core/helm-addon';
import { HelmAddOn } from '../../addons/core/helm-addon';
import type { InstallableOptions, InstallMethod } from '../../addons/core/install-method';

/*
 * Helm add-ons written as a consumer writes them, against the public base class only: the tests of
 * both deliveries use them unchanged (QueueAddOn's afterChart still takes an eks.HelmChart, as
 * consumers' hooks written before the gitops delivery do).
 */

const spec = (chart: string, namespace = 'demo'): HelmChartSpec => ({
  repository: 'https://charts.example.com/',
  chart,
  version: '1.2.3',
  namespace,
  release: chart,
});

/** A Helm add-on with a release before its main chart and one after it. */
export class ThreeChartAddOn extends HelmAddOn<InstallableOptions> {
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

/** A Helm add-on whose prerequisites make a queue that its values and its afterChart objects name. */
export class QueueAddOn extends HelmAddOn<{ readonly version?: string }, { readonly queue: sqs.IQueue }> {
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
