import { createHash } from 'node:crypto';

import { CustomResource, Lazy, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';

import type { AddOnContext } from './addon';
import type { HelmRecoveryFunction } from './helm-recovery-function';
import { HELM_PENDING_QUIET, HELM_RECOVERY_TIMEOUT } from './helm-release-behaviour';

/** A chart with its release named: the recovery must know the exact release it may touch. */
export type ReleasedChartProps = eks.HelmChartProps & { readonly release: string; readonly namespace: string };

/** Props for {@link HelmReleaseRecovery}. */
export interface HelmReleaseRecoveryProps {
  readonly recovery: HelmRecoveryFunction;
  readonly clusterName: string;
  /** The chart whose release this recovers; its release name and namespace are the only ones touched. */
  readonly chart: ReleasedChartProps;
}

/**
 * Runs before a release's HelmChart on every create and update of it, and recovers the release if
 * an interrupted Helm command left it `pending-*` (see helm-recovery-handler/index.py): every later
 * `helm upgrade` would fail otherwise, and with it the stack's deploy and its rollback.
 *
 * Its `Chart` property changes whenever the chart's does: a hash of the chart's properties as
 * synthesized, and every deploy-time value they reference (so a referenced resource's new name
 * also runs it).
 */
export class HelmReleaseRecovery extends Construct {
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: HelmReleaseRecoveryProps) {
    super(scope, id);
    const { chart } = props;
    const inputs = {
      chart: chart.chart,
      repository: chart.repository,
      version: chart.version,
      values: chart.values,
      release: chart.release,
      namespace: chart.namespace,
      createNamespace: chart.createNamespace,
      skipCrds: chart.skipCrds,
      wait: chart.wait,
      atomic: chart.atomic,
      timeout: chart.timeout?.toSeconds(),
    };
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: props.recovery.function.functionArn,
      resourceType: 'Custom::HelmReleaseRecovery',
      serviceTimeout: props.recovery.serviceTimeout,
      properties: {
        ClusterName: props.clusterName,
        Release: chart.release,
        Namespace: chart.namespace,
        QuietSeconds: HELM_PENDING_QUIET.toSeconds(),
        TimeoutSeconds: HELM_RECOVERY_TIMEOUT.toSeconds(),
        Chart: Lazy.any({ produce: () => chartTrigger(Stack.of(this).resolve(inputs)) }),
      },
    });
  }
}

/** Intrinsics whose value CloudFormation supplies at deploy time. */
const REFERENCES = new Set(['Ref', 'Fn::GetAtt', 'Fn::ImportValue', 'Fn::GetStackOutput']);

/** A hash of the synthesized chart properties, and the deploy-time values they reference (each once). */
export function chartTrigger(resolved: unknown): { Hash: string; References?: unknown[] } {
  const references = new Map<string, unknown>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(walk);
    } else if (value !== null && typeof value === 'object') {
      const keys = Object.keys(value);
      if (keys.length === 1 && REFERENCES.has(keys[0])) references.set(JSON.stringify(value), value);
      else Object.values(value).forEach(walk);
    }
  };
  walk(resolved);
  const hash = createHash('sha256').update(JSON.stringify(resolved)).digest('hex');
  return { Hash: hash, ...(references.size > 0 ? { References: [...references.values()] } : {}) };
}

/**
 * A HelmChart behind its {@link HelmReleaseRecovery}: the recovery (`<id>Recovery`, a sibling) runs
 * first on every create and update.
 */
export function recoverableHelmChart(
  scope: Construct,
  id: string,
  context: Pick<AddOnContext, 'cluster' | 'helmRecovery'>,
  props: ReleasedChartProps,
): eks.HelmChart {
  const recovery = new HelmReleaseRecovery(scope, `${id}Recovery`, {
    recovery: context.helmRecovery(),
    clusterName: context.cluster.clusterName,
    chart: props,
  });
  const chart = new eks.HelmChart(scope, id, props);
  chart.node.addDependency(recovery);
  return chart;
}
