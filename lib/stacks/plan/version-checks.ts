import type { PlatformAddOn } from '../../../addons/core/addon';
import type { Problems } from '../../core/config';

/** `1.9` < `1.10`: minor versions compare as numbers. */
function minor(version: string): number {
  return Number(version.split('.')[1]);
}

/** Every add-on supports the cluster's Kubernetes version; the problem names both and the source. */
export function checkAddOnVersions(p: Problems, kubernetesVersion: string, addons: readonly PlatformAddOn[]): void {
  for (const addon of addons) {
    const range = addon.kubernetesVersions;
    if (!range) continue;
    const tooOld = range.min !== undefined && minor(kubernetesVersion) < minor(range.min);
    const tooNew = range.max !== undefined && minor(kubernetesVersion) > minor(range.max);
    if (tooOld || tooNew) {
      const bounds = `${range.min ?? 'any'} to ${range.max ?? 'any'}`;
      p.add(
        'kubernetesVersion',
        kubernetesVersion,
        `a version the "${addon.id}" add-on supports (${bounds}, per ${range.source}): change kubernetesVersion or remove the add-on`,
      );
    }
  }
}
