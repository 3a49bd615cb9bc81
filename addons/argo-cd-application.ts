import type { KubernetesObject } from '../lib/core/kubernetes-object';
import { PLATFORM_LABELS } from '../lib/core/kubernetes-object';
import { AUTOMATED_SYNC, CASCADE_FINALIZER, SYNC_RETRY } from './argo-cd-sync-policy';
import type { ChartRelease, ChartSource } from './core/chart-release';

/*
 * A chart release as an Argo CD Application (delivery `gitops`). Every field is checked against the
 * Application CRD of Argo CD v3.4 (argoproj/argo-cd@v3.4.4 manifests/crds/application-crd.yaml,
 * vendored in test/support/schemas) and its Helm guide (docs/user-guide/helm.md at that tag).
 */

/** The annotation that orders Applications synced together (docs/user-guide/sync-waves.md). */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/** What an add-on's release becomes in Argo CD. */
export interface ChartApplicationProps {
  /** The Application's name, unique in Argo CD's namespace. */
  readonly name: string;
  /** Where Argo CD watches for Applications. */
  readonly namespace: string;
  /** The destination cluster's API server as Argo CD names it (in-cluster, or the cluster ARN). */
  readonly server: string;
  readonly release: ChartRelease;
  /** Its sync wave: releases a later one needs have a lower wave. */
  readonly wave: number;
}

/**
 * Argo CD's Helm source for a chart: an `oci://` chart reference of the kind Helm pulls
 * (`oci://<registry>/<path>/<chart>`) becomes the registry path without scheme and chart, as
 * helm.md's OCI example writes it ("the oci:// syntax is not included").
 */
export function helmRepoUrl(source: Pick<ChartSource, 'repository' | 'chart'>): string {
  if (!source.repository.startsWith('oci://')) return source.repository;
  const path = source.repository.slice('oci://'.length);
  return path.endsWith(`/${source.chart}`) ? path.slice(0, -(source.chart.length + 1)) : path;
}

/**
 * The Application: the pinned chart with the values the add-on computed, released under the same
 * name into the same namespace as with Helm (charts name their objects after the release), synced
 * automatically with prune, self-heal and bounded retries. Server-side apply, because the CRDs
 * several charts carry exceed the 262,144-byte annotation client-side apply stores
 * (docs/user-guide/sync-options.md, "Server-Side Apply"). Deleting it deletes what it deployed.
 */
export function chartApplication({ name, namespace, server, release, wave }: ChartApplicationProps): KubernetesObject {
  const { source, values, createNamespace, skipCrds } = release;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name,
      namespace,
      labels: PLATFORM_LABELS,
      annotations: { [SYNC_WAVE_ANNOTATION]: String(wave) },
      finalizers: [CASCADE_FINALIZER],
    },
    spec: {
      project: 'default',
      source: {
        repoURL: helmRepoUrl(source),
        chart: source.chart,
        targetRevision: source.version,
        helm: { releaseName: source.release, ...(values ? { valuesObject: values } : {}), ...(skipCrds ? { skipCrds } : {}) },
      },
      destination: { server, namespace: source.namespace },
      syncPolicy: {
        automated: AUTOMATED_SYNC,
        syncOptions: [...(createNamespace ? ['CreateNamespace=true'] : []), 'ServerSideApply=true'],
        retry: SYNC_RETRY,
      },
    },
  };
}
