import { z } from 'zod';

import { documented, oneOf, strictObject, text } from '../lib/core/config';
import type { KubernetesObject } from '../lib/core/kubernetes-object';
import { PLATFORM_LABELS } from '../lib/core/kubernetes-object';
import { SSH_URL } from './argo-cd-repositories';
import { AUTOMATED_SYNC, CASCADE_FINALIZER, SYNC_RETRY } from './argo-cd-sync-policy';

/*
 * The GitOps entry point both deliveries of the argo-cd add-on share: one Git directory Argo CD
 * keeps the cluster in sync with, as an app-of-apps Application or an ApplicationSet.
 */

/** How the bootstrap repository is turned into Applications. */
export const ARGO_CD_BOOTSTRAP_KINDS = ['Application', 'ApplicationSet'] as const;

/*
 * https without "@" before the host (credentials in the URL would be stored in the CloudFormation
 * template), or ssh (git@host:path, ssh://), which Argo CD clones only with a private key: the
 * argo-cd options then require a `repositories` entry that covers it (refineBootstrapCredentials).
 */
const HTTPS_REPO_URL = /^https:\/\/[A-Za-z0-9.-]+(:\d{1,5})?\/[^\s@]+$/;
const PATH_SEGMENT = /^[A-Za-z0-9._-]+$/;
const REVISION = /^(?![-/.])(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9._/-]{1,250}(?<![/.])$/;
const NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

const REPO_URL_ALLOWED = 'a Git URL https://host/path without credentials, or ssh://user@host/path or user@host:path';
const PATH_ALLOWED = 'a directory relative to the repository root, without "..", e.g. apps or clusters/dev ("." for the root)';

function validPath(path: string): boolean {
  return (
    path === '.' ||
    (!path.startsWith('/') &&
      path
        .replace(/\/$/, '')
        .split('/')
        .every((s) => PATH_SEGMENT.test(s) && s !== '..' && s !== '.'))
  );
}

/** The bootstrap option of the argo-cd add-on. */
export const ARGO_CD_BOOTSTRAP_OPTIONS = strictObject(
  {
    repoUrl: documented(
      z.string(REPO_URL_ALLOWED).refine((url) => HTTPS_REPO_URL.test(url) || SSH_URL.test(url), REPO_URL_ALLOWED),
      {
        allowed: REPO_URL_ALLOWED,
        description:
          'Git repository: https (public, or covered by a `repositories` entry), or ssh (covered by a git entry of `repositories`). Never put credentials in the URL: it ends up in the template.',
      },
    ),
    path: documented(z.string(PATH_ALLOWED).refine(validPath, PATH_ALLOWED), {
      allowed: PATH_ALLOWED,
      description: 'Directory in the repository (`.` for the root).',
    }),
    targetRevision: documented(text('a branch, tag or commit, e.g. HEAD, main, v1.2.0', REVISION), {
      description: 'Branch, tag or commit to follow.',
    }).default('HEAD'),
    name: documented(text('a Kubernetes object name (lower-case letters, digits, "-", at most 63)', NAME), {
      description: 'Name of the Application or ApplicationSet.',
    }).default('bootstrap'),
    kind: documented(oneOf(ARGO_CD_BOOTSTRAP_KINDS), {
      description:
        '`Application`: an app-of-apps applying every manifest under `path`; `ApplicationSet`: one Application per directory under `path`, each in a namespace named after it.',
    }).default('Application'),
  },
  'an object {repoUrl, path, targetRevision?, name?, kind?}',
);

/** The bootstrap repository, as options give it. */
export type ArgoCdBootstrap = z.input<typeof ARGO_CD_BOOTSTRAP_OPTIONS>;
/** The bootstrap repository, validated (defaults applied). */
export type ArgoCdBootstrapOptions = z.output<typeof ARGO_CD_BOOTSTRAP_OPTIONS>;
/** How the bootstrap repository is turned into Applications. */
export type ArgoCdBootstrapKind = (typeof ARGO_CD_BOOTSTRAP_KINDS)[number];

/** Where the self-managed chart's Argo CD deploys: its own cluster. */
export const IN_CLUSTER = 'https://kubernetes.default.svc';

/**
 * `metadata.finalizers` is part of ObjectMeta but not of KubernetesObject's narrow metadata type;
 * spreading this keeps the object literal type-checked everywhere else.
 */
function finalizers(names: readonly string[]): Record<string, unknown> {
  return { finalizers: [...names] };
}

/**
 * The bootstrap Application or ApplicationSet, deploying to `server` (the managed capability names
 * clusters by ARN) from `namespace` (where Argo CD watches for Applications).
 */
export function argoCdBootstrapObject(bootstrap: ArgoCdBootstrapOptions, server: string, namespace: string): KubernetesObject {
  const { repoUrl, name, targetRevision: revision } = bootstrap;
  const path = bootstrap.path.replace(/\/$/, '');
  const syncPolicy = { automated: AUTOMATED_SYNC, syncOptions: ['CreateNamespace=true'], retry: SYNC_RETRY };
  if (bootstrap.kind === 'Application') {
    return {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name, namespace, labels: PLATFORM_LABELS, ...finalizers([CASCADE_FINALIZER]) },
      spec: {
        project: 'default',
        source: { repoURL: repoUrl, path, targetRevision: revision, directory: { recurse: true } },
        destination: { server, namespace },
        syncPolicy,
      },
    };
  }
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    // Its Applications are deleted through owner references; foreground deletion makes the delete
    // wait for them (and so for their cascade) instead of returning while Argo CD is still cleaning up.
    metadata: { name, namespace, labels: PLATFORM_LABELS, ...finalizers(['foregroundDeletion']) },
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [{ git: { repoURL: repoUrl, revision, directories: [{ path: path === '.' ? '*' : `${path}/*` }] } }],
      template: {
        // basenameNormalized turns a directory name into a valid object and namespace name.
        metadata: { name: '{{.path.basenameNormalized}}', labels: { ...PLATFORM_LABELS }, finalizers: [CASCADE_FINALIZER] },
        spec: {
          project: 'default',
          source: { repoURL: repoUrl, path: '{{.path.path}}', targetRevision: revision, directory: { recurse: true } },
          destination: { server, namespace: '{{.path.basenameNormalized}}' },
          syncPolicy,
        },
      },
    },
  };
}
