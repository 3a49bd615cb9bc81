import * as eks from 'aws-cdk-lib/aws-eks-v2';
import type { Construct } from 'constructs';
import { isRecord, readBoolean } from '../lib/config/parse';
import { show } from '../lib/config/problems';
import type { Problems } from '../lib/config/problems';
import type { AddOnContext } from './core/addon';
import { HelmAddOn, mergeValues } from './core/helm-addon';
import type { HelmAddOnProps, HelmChartSpec, HelmValues } from './core/helm-addon';
import type { KubernetesObject, Toleration } from './core/kubernetes-object';
import { PLATFORM_LABELS } from './core/kubernetes-object';
import { checkOptionKeys, HELM_OPTION_KEYS, readHelmOptions } from './core/options';

/**
 * The tested chart. The release is named `argocd` because the chart names its objects
 * `<release>-<component>` unless the release name contains `argocd`: this keeps the documented
 * names (`argocd-server`, `argocd-repo-server`, ...).
 */
export const ARGO_CD_CHART: HelmChartSpec = {
  repository: 'https://argoproj.github.io/argo-helm',
  chart: 'argo-cd',
  version: '10.1.2',
  namespace: 'argocd',
  release: 'argocd',
};

/** How the bootstrap repository is turned into Applications. */
export type ArgoCdBootstrapKind = 'Application' | 'ApplicationSet';
const BOOTSTRAP_KINDS: readonly ArgoCdBootstrapKind[] = ['Application', 'ApplicationSet'];

/** The GitOps entry point: one Git directory that Argo CD keeps the cluster in sync with. */
export interface ArgoCdBootstrap {
  /**
   * Git repository: `https://host/path` (public, or with credentials configured in Argo CD),
   * `git@host:path` or `ssh://host/path`. Never put credentials in the URL: it ends up in the template.
   */
  readonly repoUrl: string;
  /** Directory in the repository, relative to its root (`.` for the root). */
  readonly path: string;
  /**
   * Branch, tag or commit to follow.
   * @default 'HEAD'
   */
  readonly targetRevision?: string;
  /**
   * Name of the Application or ApplicationSet.
   * @default 'bootstrap'
   */
  readonly name?: string;
  /**
   * `Application`: an app-of-apps that applies every manifest under `path` (typically Application
   * objects) into the argocd namespace. `ApplicationSet`: one Application per directory directly under
   * `path`, each deployed into a namespace named after its directory.
   * @default 'Application'
   */
  readonly kind?: ArgoCdBootstrapKind;
}

/** Props for {@link ArgoCdAddOn}. */
export interface ArgoCdAddOnProps extends HelmAddOnProps {
  /**
   * High availability: Redis HA (3 Redis pods with required anti-affinity, so at least 3 nodes)
   * and 2 replicas of the API server, repo server and ApplicationSet controller.
   * @default false
   */
  readonly ha?: boolean;
  /**
   * Git repository Argo CD syncs from once it runs.
   * @default - none: Argo CD is installed without Applications
   */
  readonly bootstrap?: ArgoCdBootstrap;
}

const BOOTSTRAP_FIELDS = ['repoUrl', 'path', 'targetRevision', 'name', 'kind'] as const;
type BootstrapField = (typeof BOOTSTRAP_FIELDS)[number];

const REPO_URL = [
  // No "@" before the host: credentials in the URL would be stored in the CloudFormation template.
  /^https:\/\/[A-Za-z0-9.-]+(:\d{1,5})?\/[^\s@]+$/,
  /^git@[A-Za-z0-9.-]+:[^\s]+$/,
  /^ssh:\/\/([A-Za-z0-9._-]+@)?[A-Za-z0-9.-]+(:\d{1,5})?\/[^\s]+$/,
];
const PATH_SEGMENT = /^[A-Za-z0-9._-]+$/;
const REVISION = /^(?![-/.])(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9._/-]{1,250}(?<![/.])$/;
const NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

const ALLOWED: Readonly<Record<BootstrapField, string>> = {
  repoUrl: 'a Git URL https://host/path (no credentials), git@host:path or ssh://host/path',
  path: 'a directory relative to the repository root, without "..", e.g. apps or clusters/dev ("." for the root)',
  targetRevision: 'a branch, tag or commit, e.g. HEAD, main, v1.2.0',
  name: 'a Kubernetes object name (lower-case letters, digits, "-", at most 63)',
  kind: BOOTSTRAP_KINDS.join(', '),
};

type Report = (field: BootstrapField, value: unknown) => void;

function validPath(path: string): boolean {
  return path === '.' || (!path.startsWith('/') && path.replace(/\/$/, '').split('/').every((s) => PATH_SEGMENT.test(s) && s !== '..' && s !== '.'));
}

function validateBootstrap(bootstrap: Readonly<Record<string, unknown>>, report: Report): void {
  const { repoUrl, path, targetRevision, name, kind } = bootstrap;
  if (!(typeof repoUrl === 'string' && REPO_URL.some((pattern) => pattern.test(repoUrl)))) report('repoUrl', repoUrl);
  if (!(typeof path === 'string' && validPath(path))) report('path', path);
  if (targetRevision !== undefined && !(typeof targetRevision === 'string' && REVISION.test(targetRevision))) report('targetRevision', targetRevision);
  if (name !== undefined && !(typeof name === 'string' && NAME.test(name))) report('name', name);
  if (kind !== undefined && !BOOTSTRAP_KINDS.includes(kind as ArgoCdBootstrapKind)) report('kind', kind);
}

const IN_CLUSTER = 'https://kubernetes.default.svc';

/**
 * `metadata.finalizers` is part of ObjectMeta but not of KubernetesObject's narrow metadata type;
 * spreading this keeps the object literal type-checked everywhere else.
 */
function finalizers(names: readonly string[]): Record<string, unknown> {
  return { finalizers: [...names] };
}

/** Deleting an Application with this finalizer deletes what it deployed first (load balancers included). */
const CASCADE_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

/**
 * Argo CD (GitOps continuous delivery), optionally bootstrapped from a Git repository with an
 * app-of-apps Application or an ApplicationSet. The UI and API stay inside the cluster
 * (`kubectl port-forward svc/argocd-server -n argocd 8080:443`).
 */
export class ArgoCdAddOn extends HelmAddOn {
  static readonly ID = 'argo-cd';
  readonly id = ArgoCdAddOn.ID;
  readonly computeModes = ['auto', 'nodegroups'] as const;

  static fromOptions(p: Problems, key: string, options: Readonly<Record<string, unknown>>): ArgoCdAddOn {
    checkOptionKeys(p, key, options, [...HELM_OPTION_KEYS, 'ha', 'bootstrap']);
    const ha = options.ha === undefined ? undefined : readBoolean(p, `${key}.ha`, options.ha);
    let bootstrap: ArgoCdBootstrap | undefined;
    if (options.bootstrap !== undefined) {
      if (isRecord(options.bootstrap)) {
        const before = p.count;
        checkOptionKeys(p, `${key}.bootstrap`, options.bootstrap, BOOTSTRAP_FIELDS);
        validateBootstrap(options.bootstrap, (field, value) => p.add(`${key}.bootstrap.${field}`, value, ALLOWED[field]));
        // A bootstrap with problems is dropped: the configuration load fails before anything is deployed.
        bootstrap = p.count > before ? undefined : (options.bootstrap as unknown as ArgoCdBootstrap);
      } else {
        p.add(`${key}.bootstrap`, options.bootstrap, `an object {${BOOTSTRAP_FIELDS.join(', ')}}`);
      }
    }
    return new ArgoCdAddOn({ ...readHelmOptions(p, key, options), ha, bootstrap });
  }

  constructor(private readonly options: ArgoCdAddOnProps = {}) {
    super(ARGO_CD_CHART, options);
    if (options.bootstrap) {
      const problems: string[] = [];
      validateBootstrap({ ...options.bootstrap }, (field, value) => problems.push(`bootstrap.${field}: got ${show(value)}; allowed: ${ALLOWED[field]}`));
      if (problems.length > 0) {
        throw new Error(`argo-cd: invalid props:\n${problems.map((line) => `  - ${line}`).join('\n')}`);
      }
    }
  }

  protected chartValues(_scope: Construct, _context: AddOnContext): HelmValues {
    const values: HelmValues = {
      // Deleting the CRDs would delete every Application and ApplicationSet with them.
      crds: { install: true, keep: true },
      // Reached through kubectl port-forward (TLS to the server itself); expose it with your own Ingress if needed.
      server: { service: { type: 'ClusterIP' }, resources: { requests: { cpu: '50m', memory: '128Mi' } } },
      controller: { resources: { requests: { cpu: '250m', memory: '512Mi' } } },
      repoServer: { resources: { requests: { cpu: '100m', memory: '256Mi' } } },
      applicationSet: { resources: { requests: { cpu: '50m', memory: '64Mi' } } },
      notifications: { resources: { requests: { cpu: '25m', memory: '64Mi' } } },
      redis: { resources: { requests: { cpu: '50m', memory: '64Mi' } } },
      // Dex only serves SSO connectors, which need configuration anyway; the admin account works without it.
      dex: { enabled: false },
    };
    if (!this.options.ha) {
      return values;
    }
    const twoReplicas = { replicas: 2, pdb: { enabled: true, minAvailable: 1 } };
    return mergeValues(values, {
      'redis-ha': { enabled: true },
      // One application controller: more replicas shard clusters, they do not fail over.
      controller: { replicas: 1 },
      server: twoReplicas,
      repoServer: twoReplicas,
      applicationSet: twoReplicas,
    });
  }

  /** `global.*` reaches every Argo CD component and hook; the Redis HA subchart has its own keys. */
  protected placementValues(nodeSelector: Readonly<Record<string, string>>, tolerations: readonly Toleration[]): HelmValues {
    const placement = { nodeSelector, tolerations };
    const values: HelmValues = { global: placement };
    if (this.options.ha) {
      values['redis-ha'] = { ...placement, haproxy: placement };
    }
    return values;
  }

  protected afterChart(scope: Construct, context: AddOnContext, chart: eks.HelmChart): void {
    const object = this.bootstrapObject();
    if (!object) return;
    const manifest = new eks.KubernetesManifest(scope, 'Bootstrap', {
      cluster: context.cluster,
      manifest: [object],
      overwrite: true,
    });
    // The CRDs and the controllers come with the chart; deleting the bootstrap first lets Argo CD clean up.
    manifest.node.addDependency(chart);
  }

  /** The bootstrap Application or ApplicationSet, if a bootstrap repository is configured. */
  bootstrapObject(): KubernetesObject | undefined {
    const bootstrap = this.options.bootstrap;
    if (!bootstrap) return undefined;
    const revision = bootstrap.targetRevision ?? 'HEAD';
    const path = bootstrap.path.replace(/\/$/, '');
    const name = bootstrap.name ?? 'bootstrap';
    const syncPolicy = {
      automated: { prune: true, selfHeal: true },
      syncOptions: ['CreateNamespace=true'],
      // The first sync may race CRDs that the same sync installs.
      retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
    };
    if ((bootstrap.kind ?? 'Application') === 'Application') {
      return {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name, namespace: this.chart.namespace, labels: PLATFORM_LABELS, ...finalizers([CASCADE_FINALIZER]) },
        spec: {
          project: 'default',
          source: { repoURL: bootstrap.repoUrl, path, targetRevision: revision, directory: { recurse: true } },
          destination: { server: IN_CLUSTER, namespace: this.chart.namespace },
          syncPolicy,
        },
      };
    }
    return {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      // Its Applications are deleted through owner references; foreground deletion makes the delete
      // wait for them (and so for their cascade) instead of returning while Argo CD is still cleaning up.
      metadata: { name, namespace: this.chart.namespace, labels: PLATFORM_LABELS, ...finalizers(['foregroundDeletion']) },
      spec: {
        goTemplate: true,
        goTemplateOptions: ['missingkey=error'],
        generators: [{ git: { repoURL: bootstrap.repoUrl, revision, directories: [{ path: path === '.' ? '*' : `${path}/*` }] } }],
        template: {
          // basenameNormalized turns a directory name into a valid object and namespace name.
          metadata: { name: '{{.path.basenameNormalized}}', labels: { ...PLATFORM_LABELS }, finalizers: [CASCADE_FINALIZER] },
          spec: {
            project: 'default',
            source: { repoURL: bootstrap.repoUrl, path: '{{.path.path}}', targetRevision: revision, directory: { recurse: true } },
            destination: { server: IN_CLUSTER, namespace: '{{.path.basenameNormalized}}' },
            syncPolicy,
          },
        },
      },
    };
  }
}
