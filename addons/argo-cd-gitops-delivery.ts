import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import type { Construct } from 'constructs';

import { ArgoCdRelease } from './argo-cd-release';
import type { ChartRelease, ReleaseChart, ReleaseOrder } from './core/chart-release';

/** Where an add-on's releases fall within the three waves of its level. */
const ORDER_OFFSET: Readonly<Record<ReleaseOrder, number>> = { before: 0, main: 1, after: 2 };

/**
 * The sync wave of a release: three per dependency level of its add-on (0 for an add-on that needs
 * none), so CRD charts (`before`) come before their controller, objects admitted by it (`after`)
 * after it, and every release of an add-on after all releases of the add-ons it needs.
 */
export function syncWave(level: number, order: ReleaseOrder): number {
  return 3 * level + ORDER_OFFSET[order];
}

/** Props for {@link argoCdDelivery}. */
export interface ArgoCdDeliveryProps {
  readonly cluster: eks.ICluster;
  /** The add-on whose releases these are: Applications are named after it. */
  readonly addonId: string;
  /** Its dependency level in the plan (see {@link syncWave}). */
  readonly level: number;
  /** Argo CD's namespace, where Applications go. */
  readonly namespace: string;
  /** The cluster as that Argo CD names it (in-cluster, or the cluster ARN for the capability). */
  readonly server: string;
  /** The argo-cd add-on's scope: every Application is applied after Argo CD runs, and deleted before it. */
  readonly argoCd: Construct;
}

/** The Application of a release: the add-on's id for its main chart, else the id and the release's. */
function applicationName(addonId: string, release: ChartRelease): string {
  if (release.order === 'main') return addonId;
  return `${addonId}-${release.id.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}`;
}

/**
 * Delivery `gitops` for one add-on: each release an Argo CD Application ({@link ArgoCdRelease}).
 * Sync waves record the plan's order for whoever syncs the Applications together (an app-of-apps);
 * the platform applies each after the releases it needs through CloudFormation dependencies.
 */
export function argoCdDelivery(props: ArgoCdDeliveryProps): ReleaseChart {
  const names = new Set<string>();
  return (scope: Construct, release: ChartRelease) => {
    const name = applicationName(props.addonId, release);
    if (names.has(name)) {
      throw new Error(`${props.addonId}: two chart releases would both be the Argo CD Application "${name}": give each its own id`);
    }
    names.add(name);
    const delivered = new ArgoCdRelease(scope, release.id, {
      cluster: props.cluster,
      application: {
        name,
        namespace: props.namespace,
        server: props.server,
        release,
        wave: syncWave(props.level, release.order),
      },
    });
    delivered.node.addDependency(props.argoCd);
    return delivered;
  };
}
