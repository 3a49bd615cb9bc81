/*
 * How every Application the platform writes is synced and deleted, whichever Argo CD runs it.
 * Field names: the Application CRD of Argo CD v3.4 (argoproj/argo-cd@v3.4.4
 * manifests/crds/application-crd.yaml, `spec.syncPolicy`), vendored in test/support/schemas.
 */

/** Deleting an Application with this finalizer deletes what it deployed first (load balancers included). */
export const CASCADE_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

/** Sync on every change, delete what the source no longer has, and put back what someone changed. */
export const AUTOMATED_SYNC = { prune: true, selfHeal: true } as const;

/**
 * Bounded retries of a failed sync: the first sync may race CRDs or webhooks that another release
 * installs at the same time. 10 s, doubling, at most 3 minutes apart, 5 times (about 6.5 minutes).
 */
export const SYNC_RETRY = { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } } as const;
