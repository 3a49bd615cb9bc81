import type { Construct } from 'constructs';

import type { AddOnContext } from './addon';
import type { ChartRelease, ReleaseChart } from './chart-release';
import { HELM_RELEASE_BEHAVIOUR } from './helm-release-behaviour';
import { recoverableHelmChart } from './helm-release-recovery';

/**
 * Delivery `helm`: each release a Custom::AWSCDK-EKS-HelmChart run by the kubectl handler, behind
 * its recovery, waiting for its workloads and rolling itself back on failure.
 */
export function helmDelivery(context: Pick<AddOnContext, 'cluster' | 'helmRecovery'>): ReleaseChart {
  return (scope: Construct, { id, source, values, createNamespace, skipCrds }: ChartRelease) =>
    recoverableHelmChart(scope, id, context, {
      cluster: context.cluster,
      repository: source.repository,
      chart: source.chart,
      version: source.version,
      namespace: source.namespace,
      release: source.release,
      createNamespace,
      ...(skipCrds !== undefined ? { skipCrds } : {}),
      ...(values ? { values } : {}),
      ...HELM_RELEASE_BEHAVIOUR,
    });
}
