import { join } from 'node:path';

import * as eks from 'aws-cdk-lib/aws-eks-v2';
import type { Construct } from 'constructs';
import { z } from 'zod';

import type { PlatformConfig, Problems } from '../lib/config';
import { documented, flag, oneOf, strictObject, text } from '../lib/config';
import { partitionOf } from '../lib/config';
import { argoCdModeProblems, deployManagedArgoCd, MANAGED_ARGO_CD_OPTIONS } from './argo-cd-managed';
import type { AddOnContext, KubernetesVersionRange } from './core/addon';
import { checkArnScope } from './core/arn';
import type { HelmChartSpec, HelmValues, Toleration } from './core/helm-addon';
import { HelmAddOn, mergeValues } from './core/helm-addon';
import type { KubernetesObject } from './core/kubernetes-object';
import { PLATFORM_LABELS } from './core/kubernetes-object';
import { addOnOptions, HELM_OPTIONS } from './core/options';
import type { AddOnRegistration } from './core/registration';
import { registerAddOn } from './core/registration';

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
export const ARGO_CD_BOOTSTRAP_KINDS = ['Application', 'ApplicationSet'] as const;

/*
 * https only. No "@" before the host: credentials in the URL would be stored in the CloudFormation
 * template. No ssh (git@host:path, ssh://): Argo CD clones over ssh only with a private key in a
 * repository Secret, which this add-on does not configure, so the sync would fail after deploy.
 */
const REPO_URL = /^https:\/\/[A-Za-z0-9.-]+(:\d{1,5})?\/[^\s@]+$/;
const PATH_SEGMENT = /^[A-Za-z0-9._-]+$/;
const REVISION = /^(?![-/.])(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9._/-]{1,250}(?<![/.])$/;
const NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

const REPO_URL_ALLOWED = 'a Git URL https://host/path without credentials (no ssh: the add-on configures no repository key)';
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

/** The GitOps entry point: one Git directory that Argo CD keeps the cluster in sync with. */
const bootstrapSchema = strictObject(
  {
    repoUrl: documented(z.string(REPO_URL_ALLOWED).regex(REPO_URL, REPO_URL_ALLOWED), {
      allowed: REPO_URL_ALLOWED,
      description:
        'Git repository over https (public, or with credentials you configure in Argo CD). Never put credentials in the URL: it ends up in the template.',
    }),
    path: documented(z.string(PATH_ALLOWED).refine(validPath, PATH_ALLOWED), {
      allowed: PATH_ALLOWED,
      description: 'Directory in the repository (`.` for the root).',
    }),
    /** @default 'HEAD' */
    targetRevision: documented(text('a branch, tag or commit, e.g. HEAD, main, v1.2.0', REVISION), {
      description: 'Branch, tag or commit to follow. Default HEAD.',
    }).optional(),
    /** @default 'bootstrap' */
    name: documented(text('a Kubernetes object name (lower-case letters, digits, "-", at most 63)', NAME), {
      description: 'Name of the Application or ApplicationSet. Default bootstrap.',
    }).optional(),
    /** @default 'Application' */
    kind: documented(oneOf(ARGO_CD_BOOTSTRAP_KINDS), {
      description:
        '`Application`: an app-of-apps applying every manifest under `path`; `ApplicationSet`: one Application per directory under `path`, each in a namespace named after it. Default Application.',
    }).optional(),
  },
  'an object {repoUrl, path, targetRevision?, name?, kind?}',
);

/** Options of {@link ArgoCdAddOn}, in configuration and in code. */
export const ARGO_CD_OPTIONS = strictObject(
  {
    ...HELM_OPTIONS,
    /** @default false */
    ha: documented(flag(), {
      description:
        'High availability: Redis HA (3 Redis pods with required anti-affinity, so at least 3 nodes) and 2 replicas of the API server, repo server and ApplicationSet controller. Default false.',
    }).optional(),
    /** @default - none: Argo CD is installed without Applications */
    bootstrap: documented(bootstrapSchema, {
      description: 'Git repository Argo CD syncs from once it runs: {repoUrl, path, targetRevision?, name?, kind?}. Default: none.',
    }).optional(),
    ...MANAGED_ARGO_CD_OPTIONS,
  },
  'an object of argo-cd options',
);

/** Props for {@link ArgoCdAddOn}. */
export type ArgoCdAddOnProps = z.output<typeof ARGO_CD_OPTIONS>;
/** The bootstrap repository. */
export type ArgoCdBootstrap = z.output<typeof bootstrapSchema>;
/** How the bootstrap repository is turned into Applications. */
export type ArgoCdBootstrapKind = (typeof ARGO_CD_BOOTSTRAP_KINDS)[number];

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

/** Schema problems and problems of the mode (managed or not), all of them in one error. */
function argoCdOptions(props: ArgoCdAddOnProps): ArgoCdAddOnProps {
  const p = argoCdModeProblems(`addons.${ArgoCdAddOn.ID}`, props);
  const options = p.collect(() => addOnOptions(ArgoCdAddOn.ID, ARGO_CD_OPTIONS, props));
  p.throwIfAny();
  return options as ArgoCdAddOnProps;
}

/**
 * Argo CD (GitOps continuous delivery), optionally bootstrapped from a Git repository with an
 * app-of-apps Application or an ApplicationSet. Self-managed (default): the Helm chart, whose UI
 * and API stay inside the cluster (`kubectl port-forward svc/argocd-server -n argocd 8080:443`).
 * `managed: true`: the EKS Capability for Argo CD (argo-cd-managed.ts), which EKS runs off the
 * nodes, with its UI behind IAM Identity Center.
 */
export class ArgoCdAddOn extends HelmAddOn<z.output<typeof ARGO_CD_OPTIONS>> {
  static readonly ID = 'argo-cd';
  static readonly registration: AddOnRegistration = registerAddOn({
    id: ArgoCdAddOn.ID,
    summary: 'Argo CD (GitOps), optionally bootstrapped from a Git repository (app-of-apps or ApplicationSet)',
    options: ARGO_CD_OPTIONS,
    create: (props) => new ArgoCdAddOn(props),
    docs: { prose: join(__dirname, 'argo-cd.md') },
  });
  readonly id = ArgoCdAddOn.ID;
  readonly computeModes = ['auto', 'nodegroups'] as const;

  constructor(props: ArgoCdAddOnProps = {}) {
    super(ARGO_CD_CHART, argoCdOptions(props));
  }

  /** The capability supports every version in standard and extended support (create-argocd-capability.adoc). */
  get kubernetesVersions(): KubernetesVersionRange | undefined {
    return this.managed ? undefined : super.kubernetesVersions;
  }

  /**
   * The capability signs users in through an Identity Center instance of the cluster's partition
   * (an ARN, and a Region, of another partition cannot be reached from it).
   */
  checkConfiguration(p: Problems, config: PlatformConfig): void {
    const center = this.options.identityCenter;
    if (!this.managed || center === undefined) return;
    const key = `addons.${ArgoCdAddOn.ID}.identityCenter`;
    const why = 'EKS reaches IAM Identity Center within its own partition only';
    checkArnScope(p, `${key}.instanceArn`, center.instanceArn, config, { why });
    if (center.region !== undefined && partitionOf(center.region) !== partitionOf(config.region)) {
      p.add(`${key}.region`, center.region, `a Region of partition ${partitionOf(config.region)}, like ${config.region} (${why})`);
    }
  }

  /** Whether this is the EKS Capability rather than the Helm chart. */
  get managed(): boolean {
    return this.options.managed === true;
  }

  get namespaces(): readonly string[] {
    return this.managed ? [this.options.namespace ?? 'argocd'] : super.namespaces;
  }

  deploy(scope: Construct, context: AddOnContext): void {
    if (this.managed) {
      deployManagedArgoCd(scope, context, this.options, (server, namespace) => this.bootstrapObject(server, namespace));
      return;
    }
    super.deploy(scope, context);
  }

  /** Needs no AWS resources. */
  protected prerequisites(): undefined {
    return undefined;
  }

  protected chartValues(): HelmValues {
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

  /**
   * The bootstrap Application or ApplicationSet, if a bootstrap repository is configured, deploying
   * to `server` (the managed capability names clusters by ARN) from `namespace`.
   */
  bootstrapObject(server = IN_CLUSTER, namespace = this.chart.namespace): KubernetesObject | undefined {
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
        metadata: { name, namespace, labels: PLATFORM_LABELS, ...finalizers([CASCADE_FINALIZER]) },
        spec: {
          project: 'default',
          source: { repoURL: bootstrap.repoUrl, path, targetRevision: revision, directory: { recurse: true } },
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
        generators: [{ git: { repoURL: bootstrap.repoUrl, revision, directories: [{ path: path === '.' ? '*' : `${path}/*` }] } }],
        template: {
          // basenameNormalized turns a directory name into a valid object and namespace name.
          metadata: { name: '{{.path.basenameNormalized}}', labels: { ...PLATFORM_LABELS }, finalizers: [CASCADE_FINALIZER] },
          spec: {
            project: 'default',
            source: { repoURL: bootstrap.repoUrl, path: '{{.path.path}}', targetRevision: revision, directory: { recurse: true } },
            destination: { server, namespace: '{{.path.basenameNormalized}}' },
            syncPolicy,
          },
        },
      },
    };
  }
}
