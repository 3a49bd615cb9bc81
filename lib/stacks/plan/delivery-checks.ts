import { ARGO_CD_ID } from '../../../addons/argo-cd-options';
import type { PlatformConfig, Problems } from '../../core/config';

/**
 * With `delivery: gitops` Argo CD installs every add-on chart, so the plan must have Argo CD: the
 * argo-cd add-on, self-managed or managed. `selectedIds` are every id selected, those with bad
 * options too (their problems are reported already, not again as missing).
 */
export function checkDelivery(p: Problems, config: PlatformConfig, selectedIds: readonly string[]): void {
  if (config.delivery === 'gitops' && !selectedIds.includes(ARGO_CD_ID)) {
    p.add(
      'delivery',
      config.delivery,
      `helm, or gitops together with the ${ARGO_CD_ID} add-on (self-managed, or managed: true), which then installs every add-on chart as an Argo CD Application: add "${ARGO_CD_ID}" to addons or set delivery=helm`,
    );
  }
}

/**
 * The capacity waits of the plan, less Argo CD's with delivery gitops: there Argo CD installs the
 * node autoscaler, so waiting for the autoscaler's nodes would be a cycle. Its pods go to the ops
 * nodes instead (or where its nodeSelector says; the argo-cd add-on checks that a group is there),
 * and the managed capability runs no pods on the cluster.
 */
export function deliveryCapacityWaits(
  config: PlatformConfig,
  waits: ReadonlyMap<string, readonly string[]>,
): ReadonlyMap<string, readonly string[]> {
  if (config.delivery !== 'gitops') return waits;
  return new Map([...waits].filter(([id]) => id !== ARGO_CD_ID));
}
