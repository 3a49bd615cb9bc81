import type { z } from 'zod';

import { documented, flag, Problems, strictObject } from '../lib/core/config';
import { ARGO_CD_BOOTSTRAP_OPTIONS } from './argo-cd-bootstrap';
import { MANAGED_ARGO_CD_OPTIONS } from './argo-cd-managed-options';
import { ARGO_CD_REPOSITORIES, refineBootstrapCredentials } from './argo-cd-repositories';
import { addOnOptions, HELM_OPTIONS } from './core/options';

/** The id of the argo-cd add-on, in configuration and in problem keys. */
export const ARGO_CD_ID = 'argo-cd';

/** Options only the self-managed delivery (the Helm chart) reads. */
const SELF_MANAGED_ARGO_CD_OPTIONS = {
  ...HELM_OPTIONS,
  // Self-managed only, so no schema default: one would be refused as a chart option with `managed`.
  ha: documented(flag(), {
    description:
      'High availability: Redis HA (3 Redis pods with required anti-affinity, so at least 3 nodes) and 2 replicas of the API server, repo server and ApplicationSet controller. Default false.',
  }).optional(),
} as const;

/** Options of the argo-cd add-on, in configuration and in code. */
export const ARGO_CD_OPTIONS = strictObject(
  {
    ...SELF_MANAGED_ARGO_CD_OPTIONS,
    bootstrap: documented(ARGO_CD_BOOTSTRAP_OPTIONS, {
      description:
        'Git repository Argo CD syncs from once it runs: {repoUrl, path, targetRevision?, name?, kind?}. Without it, Argo CD runs with no Application.',
    }).optional(),
    repositories: ARGO_CD_REPOSITORIES.optional(),
    managed: documented(flag(), {
      description:
        'Use the EKS Capability for Argo CD (run by EKS, off your nodes, IAM Identity Center sign-in) instead of the Helm chart. Needs identityCenter.',
    }).default(false),
    ...MANAGED_ARGO_CD_OPTIONS,
  },
  'an object of argo-cd options',
).superRefine(refineBootstrapCredentials);

/** Props of the argo-cd add-on: its options as configuration or code gives them. */
export type ArgoCdAddOnProps = z.input<typeof ARGO_CD_OPTIONS>;
/** The options of the argo-cd add-on, validated (defaults applied). */
export type ArgoCdOptions = z.output<typeof ARGO_CD_OPTIONS>;

/** Options that configure the Helm chart, meaningless for the capability. */
const SELF_MANAGED_ONLY = Object.keys(SELF_MANAGED_ARGO_CD_OPTIONS);
/** Options that configure the capability, meaningless for the chart. */
const MANAGED_ONLY = Object.keys(MANAGED_ARGO_CD_OPTIONS);

/** Options given for the other delivery, and settings the chosen delivery lacks: every one of them. */
function modeProblems(prefix: string, raw: unknown): Problems {
  const p = new Problems();
  if (typeof raw !== 'object' || raw === null) return p;
  const options = raw as Record<string, unknown>;
  const managed = options.managed === true || options.managed === 'true';
  for (const key of managed ? SELF_MANAGED_ONLY : MANAGED_ONLY) {
    if (options[key] !== undefined) {
      p.add(
        `${prefix}.${key}`,
        options[key],
        managed
          ? 'nothing when managed is true (EKS runs the capability: no chart, values, pod placement or HA settings)'
          : 'nothing unless managed is true (it configures the EKS Capability for Argo CD)',
      );
    }
  }
  if (managed) {
    const center = options.identityCenter;
    const instanceArn = typeof center === 'object' && center !== null ? (center as Record<string, unknown>).instanceArn : undefined;
    if (instanceArn === undefined) {
      p.missing(
        `${prefix}.identityCenter.instanceArn`,
        'required when managed is true (the capability signs users in through IAM Identity Center only)',
      );
    }
  }
  return p;
}

/**
 * The validated options: the schema's problems and those of the delivery (an option of the other
 * one, a setting it lacks), all of them in one error.
 */
export function argoCdOptions(props: ArgoCdAddOnProps): ArgoCdOptions {
  const p = modeProblems(`addons.${ARGO_CD_ID}`, props);
  const options = p.collect(() => addOnOptions(ARGO_CD_ID, ARGO_CD_OPTIONS, props));
  p.throwIfAny();
  // `collect` gives undefined only after recording a problem, and throwIfAny has thrown then.
  return options as ArgoCdOptions;
}
