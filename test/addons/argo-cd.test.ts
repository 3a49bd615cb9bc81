import { ARGO_CD_CHART, ArgoCdAddOn } from '../../addons/argo-cd';
import type { ConfigError } from '../../lib/core/config';
import { Problems } from '../../lib/core/config';
import type { KubernetesObject } from '../../lib/core/kubernetes-object';
import { helmReleases, kubernetesObjects, nagFindings, renderManifest } from '../helpers';
import { deployAlone } from '../support/addon-fixture';
import { schemaProblems } from '../support/kubernetes-schemas';

/** The problem lines a reader reports. */
function problemLines(read: (p: Problems) => void): string[] {
  const p = new Problems();
  read(p);
  try {
    p.throwIfAny();
    return [];
  } catch (error) {
    return [...(error as ConfigError).problems];
  }
}

const REPO = 'https://github.com/example/platform-gitops';
const placement = {
  nodeSelector: { 'workload-type': 'ops' },
  tolerations: [{ key: 'dedicated', operator: 'Equal' as const, value: 'ops', effect: 'NoSchedule' as const }],
};

describe.each(['auto', 'nodegroups'])('argo-cd with an app-of-apps bootstrap on compute=%s', (compute) => {
  const app = deployAlone(
    new ArgoCdAddOn({ ...placement, bootstrap: { repoUrl: REPO, path: 'clusters/dev/apps/', targetRevision: 'main' } }),
    { compute },
  );
  const template = app.template;
  const release = helmReleases(template).argocd;
  const argoObjects = kubernetesObjects(template).filter((o) => o.apiVersion.startsWith('argoproj.io/'));

  test('installs the pinned chart as release argocd in namespace argocd', () => {
    template.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', {
      Chart: 'argo-cd',
      Repository: 'https://argoproj.github.io/argo-helm',
      Version: '10.1.2',
      Namespace: 'argocd',
      Release: 'argocd',
      CreateNamespace: true,
      Wait: true,
    });
  });

  test('values: in-cluster server over TLS, CRDs kept, requests, no Dex, no HA', () => {
    expect(release.Values).toMatchObject({
      crds: { install: true, keep: true },
      server: { service: { type: 'ClusterIP' }, resources: { requests: expect.any(Object) } },
      controller: { resources: { requests: expect.any(Object) } },
      repoServer: { resources: { requests: expect.any(Object) } },
      applicationSet: { resources: { requests: expect.any(Object) } },
      dex: { enabled: false },
    });
    expect(release.Values).not.toHaveProperty('configs');
    expect(release.Values).not.toHaveProperty('redis-ha');
    expect(release.Values.server).not.toHaveProperty('replicas');
  });

  test('placement through global.nodeSelector / global.tolerations', () => {
    expect(release.Values.global).toEqual(placement);
    expect(release.Values).not.toHaveProperty('nodeSelector');
  });

  test('the bootstrap Application: app-of-apps over the directory, automated sync, applied after the chart', () => {
    expect(argoObjects).toHaveLength(1);
    expect(argoObjects[0]).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: 'bootstrap',
        namespace: 'argocd',
        labels: expect.objectContaining({ 'app.kubernetes.io/part-of': 'cdk-eks-platform' }),
        finalizers: ['resources-finalizer.argocd.argoproj.io'],
      },
      spec: {
        project: 'default',
        source: { repoURL: REPO, path: 'clusters/dev/apps', targetRevision: 'main', directory: { recurse: true } },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'argocd' },
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          syncOptions: ['CreateNamespace=true'],
          retry: expect.objectContaining({ limit: 5 }),
        },
      },
    });
    const manifests = Object.entries(template.findResources('Custom::AWSCDK-EKS-KubernetesResource')).filter(([, r]) =>
      renderManifest(r.Properties.Manifest).some((o) => o.kind === 'Application'),
    );
    expect(manifests.map(([id]) => id)).toEqual([expect.stringMatching(/^AddOnsargocdBootstrap/)]);
    expect(manifests[0][1]).toMatchObject({ Properties: { Overwrite: true }, DependsOn: expect.arrayContaining([release.logicalId]) });
  });

  test('every object it renders passes the Argo CD CRD schemas', () => {
    expect(schemaProblems(kubernetesObjects(template))).toEqual([]);
  });

  test('needs no AWS permissions; zero unacknowledged nag findings', () => {
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 0);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    expect(nagFindings(app)).toEqual([]);
  });
});

describe('HA without bootstrap', () => {
  const template = deployAlone(new ArgoCdAddOn({ ha: true, ...placement }), { compute: 'nodegroups' }).template;
  const values = helmReleases(template).argocd.Values;

  test('Redis HA and two replicas of the stateless components, with disruption budgets', () => {
    const two = { replicas: 2, pdb: { enabled: true, minAvailable: 1 } };
    expect(values).toMatchObject({
      'redis-ha': { enabled: true },
      controller: { replicas: 1 },
      server: { ...two, service: { type: 'ClusterIP' } },
      repoServer: two,
      applicationSet: two,
    });
  });

  test('placement also reaches the Redis HA subchart and its HAProxy', () => {
    expect(values.global).toEqual(placement);
    expect(values['redis-ha']).toMatchObject({ ...placement, haproxy: placement });
  });

  test('no Application without a bootstrap repository', () => {
    expect(kubernetesObjects(template).filter((o) => o.apiVersion.startsWith('argoproj.io/'))).toEqual([]);
  });
});

describe('ApplicationSet bootstrap', () => {
  const set = new ArgoCdAddOn({
    bootstrap: { repoUrl: 'https://git.example.com/example/gitops.git', path: 'argocd_apps', kind: 'ApplicationSet', name: 'workloads' },
  }).bootstrapObject() as KubernetesObject;

  test('one Application per directory under the path, each into a namespace named after it', () => {
    expect(set).toMatchObject({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: { name: 'workloads', namespace: 'argocd', finalizers: ['foregroundDeletion'] },
      spec: {
        goTemplate: true,
        generators: [
          { git: { repoURL: 'https://git.example.com/example/gitops.git', revision: 'HEAD', directories: [{ path: 'argocd_apps/*' }] } },
        ],
        template: {
          metadata: { name: '{{.path.basenameNormalized}}', finalizers: ['resources-finalizer.argocd.argoproj.io'] },
          spec: {
            project: 'default',
            source: {
              repoURL: 'https://git.example.com/example/gitops.git',
              path: '{{.path.path}}',
              targetRevision: 'HEAD',
              directory: { recurse: true },
            },
            destination: { server: 'https://kubernetes.default.svc', namespace: '{{.path.basenameNormalized}}' },
            syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
          },
        },
      },
    });
  });

  test('the repository root scans its top-level directories', () => {
    const root = new ArgoCdAddOn({ bootstrap: { repoUrl: REPO, path: '.', kind: 'ApplicationSet' } }).bootstrapObject() as KubernetesObject;
    expect(root).toMatchObject({ spec: { generators: [{ git: { directories: [{ path: '*' }] } }] } });
  });

  test('passes the ApplicationSet CRD schema', () => {
    expect(schemaProblems([set])).toEqual([]);
  });

  test('deliberately broken Application and ApplicationSet objects fail', () => {
    const application = new ArgoCdAddOn({ bootstrap: { repoUrl: REPO, path: 'apps' } }).bootstrapObject() as KubernetesObject;
    const spec = application.spec as Record<string, unknown>;
    const brokenApplication = { ...application, spec: { ...spec, syncPolicy: { automated: { prune: 'yes' } } } };
    const brokenSet = { ...set, spec: { ...(set.spec as Record<string, unknown>), generators: { git: {} } } };
    expect(schemaProblems([brokenApplication, brokenSet])).toEqual([
      expect.stringMatching(/^argoproj\.io\/v1alpha1\/Application bootstrap: .*prune/),
      expect.stringMatching(/^argoproj\.io\/v1alpha1\/ApplicationSet workloads: .*generators/),
    ]);
  });
});

describe('options', () => {
  test('valid options (ha as typed on the command line) create the add-on with its bootstrap', () => {
    let addon: ArgoCdAddOn | undefined;
    expect(
      problemLines((p) => {
        addon = p.collect(() =>
          ArgoCdAddOn.registration.create({
            ha: 'true',
            bootstrap: {
              repoUrl: 'https://git.example.com:8443/platform/gitops.git',
              path: 'apps',
              targetRevision: 'v1.2.0',
              name: 'root',
              kind: 'ApplicationSet',
            },
          }),
        ) as ArgoCdAddOn | undefined;
      }),
    ).toEqual([]);
    expect(addon?.chart).toEqual(ARGO_CD_CHART);
    expect(addon?.bootstrapObject()).toMatchObject({ kind: 'ApplicationSet', metadata: { name: 'root' } });
  });

  test('bootstrap problems are reported as addons.argo-cd.bootstrap.<field>', () => {
    expect(
      problemLines((p) =>
        p.collect(() =>
          ArgoCdAddOn.registration.create({
            ha: 'maybe',
            bootstrap: {
              repoUrl: 'http://github.com/example/gitops',
              path: '../shared',
              targetRevision: 'main..dev',
              name: 'Bootstrap',
              kind: 'Helm',
              branch: 'main',
            },
          }),
        ),
      ),
    ).toEqual([
      expect.stringMatching(/^addons\.argo-cd\.ha: got "maybe"; allowed: true, false/),
      expect.stringMatching(/^addons\.argo-cd\.bootstrap\.repoUrl: got "http:\/\/github\.com\/example\/gitops"; allowed: a Git URL/),
      expect.stringMatching(/^addons\.argo-cd\.bootstrap\.path: got "\.\.\/shared"/),
      expect.stringMatching(/^addons\.argo-cd\.bootstrap\.targetRevision: got "main\.\.dev"/),
      expect.stringMatching(/^addons\.argo-cd\.bootstrap\.name: got "Bootstrap"/),
      'addons.argo-cd.bootstrap.kind: got "Helm"; allowed: Application, ApplicationSet',
      'addons.argo-cd.bootstrap.branch: got "main"; allowed: one of the keys repoUrl, path, targetRevision, name, kind',
    ]);
  });

  test.each([
    ['credentials in the URL', { repoUrl: 'https://user:token@github.com/example/gitops', path: 'apps' }, 'repoUrl'],
    ['no repository path', { repoUrl: 'https://github.com', path: 'apps' }, 'repoUrl'],
    ['absolute path', { repoUrl: REPO, path: '/apps' }, 'path'],
    ['nested parent path', { repoUrl: REPO, path: 'apps/../../etc' }, 'path'],
    ['missing path', { repoUrl: REPO }, 'path'],
    ['revision with a space', { repoUrl: REPO, path: 'apps', targetRevision: 'my branch' }, 'targetRevision'],
  ])('rejects %s', (_name, bootstrap, field) => {
    expect(problemLines((p) => p.collect(() => ArgoCdAddOn.registration.create({ bootstrap })))).toEqual([
      expect.stringMatching(new RegExp(`^addons\\.argo-cd\\.bootstrap\\.${field}: `)),
    ]);
  });

  test('a bootstrap that is not an object', () => {
    expect(problemLines((p) => p.collect(() => ArgoCdAddOn.registration.create({ bootstrap: REPO })))).toEqual([
      expect.stringMatching(
        /^addons\.argo-cd\.bootstrap: got "https:.*"; allowed: an object \{repoUrl, path, targetRevision\?, name\?, kind\?\}/,
      ),
    ]);
  });

  test('malformed options are reported, never thrown past the collector', () => {
    const options = { ha: 3, bootstrap: { repoUrl: 5, path: null, kind: [] }, values: 'x' };
    expect(problemLines((p) => expect(p.collect(() => ArgoCdAddOn.registration.create(options))).toBeUndefined()).length).toBe(5);
  });

  test('props are checked in code too', () => {
    expect(() => new ArgoCdAddOn({ bootstrap: { repoUrl: 'ftp://example.com/repo', path: 'apps' } })).toThrow(
      /addons\.argo-cd\.bootstrap\.repoUrl: got "ftp:/,
    );
  });
});

describe('ssh repository URLs', () => {
  // Argo CD clones over ssh only with a private key: without a repositories entry that provides
  // one, the sync would fail only after deploy.
  const SSH_URLS = ['git@github.com:example/gitops.git', 'ssh://git@git.example.com:2222/platform/gitops.git'];

  test.each(SSH_URLS)('rejects %s at synth without credentials that cover it, with what is allowed', (repoUrl) => {
    expect(() => new ArgoCdAddOn({ bootstrap: { repoUrl, path: 'apps' } })).toThrow(
      new RegExp(
        `addons\\.argo-cd\\.bootstrap\\.repoUrl: got "${repoUrl.replace(/[.]/g, '\\.')}"; allowed: an https URL, or an ssh URL that starts with the url of a git entry of repositories with a secretArn`,
      ),
    );
  });

  test.each(SSH_URLS)('accepts %s with a git entry of repositories whose url starts it', (repoUrl) => {
    const prefix = repoUrl.slice(0, repoUrl.lastIndexOf('/'));
    const secretArn = 'arn:aws:secretsmanager:us-west-2:111122223333:secret:dev/platform/gitops-AbCdEf';
    expect(
      () => new ArgoCdAddOn({ bootstrap: { repoUrl, path: 'apps' }, repositories: [{ url: prefix, type: 'git', secretArn }] }),
    ).not.toThrow();
    // A helm entry, or a git entry for another prefix, gives no key for it.
    expect(
      () => new ArgoCdAddOn({ bootstrap: { repoUrl, path: 'apps' }, repositories: [{ url: `${prefix}x`, type: 'git', secretArn }] }),
    ).toThrow(/bootstrap\.repoUrl/);
  });
});
