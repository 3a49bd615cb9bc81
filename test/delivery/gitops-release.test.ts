import type { Template } from 'aws-cdk-lib/assertions';
import { Match } from 'aws-cdk-lib/assertions';
import type { Construct } from 'constructs';

import { ArgoCdAddOn, GITOPS_OUTPUT } from '../../addons/argo-cd';
import { chartApplication, helmRepoUrl } from '../../addons/argo-cd-application';
import { syncWave } from '../../addons/argo-cd-gitops-delivery';
import { SYNC_WAIT_TIMEOUT } from '../../addons/argo-cd-release';
import type { AddOnContext, PlatformAddOn } from '../../addons/core/addon';
import { HELM_HANDLER_RESERVE, KUBECTL_HANDLER_LIMIT } from '../../addons/core/helm-addon';
import type { TeamConfig } from '../../lib/core/config';
import type { RenderedObject } from '../helpers';
import { helmReleases, NAMED_DEPLOY_TIME, renderManifest, synth } from '../helpers';
import { deployAlone } from '../support/addon-fixture';
import { QueueAddOn, ThreeChartAddOn } from '../support/consumer-addons';
import { schemaProblems } from '../support/kubernetes-schemas';

/*
 * Delivery gitops for one add-on at a time: a consumer's Helm add-on, written against HelmAddOn
 * only, becomes Argo CD Applications without a change.
 */

type Resource = { Properties: Record<string, unknown>; DependsOn?: string[] };
type Delivered = { object: RenderedObject; id: string; synced: string };

/** Each Application of a template by name, with the logical ids of its manifest and of its wait. */
function applications(template: Template): Map<string, Delivered> {
  const found = new Map<string, Delivered>();
  const waits = Object.entries(template.findResources('Custom::AWSCDK-EKS-KubernetesObjectValue'));
  for (const [id, resource] of Object.entries(template.findResources('Custom::AWSCDK-EKS-KubernetesResource'))) {
    for (const object of renderManifest(resource.Properties.Manifest, NAMED_DEPLOY_TIME)) {
      if (object.kind !== 'Application') continue;
      const [synced] = waits.find(([, w]) => w.Properties.ObjectName === object.metadata.name) ?? ['-'];
      found.set(object.metadata.name, { object, id, synced });
    }
  }
  return found;
}

/** The manifests and waits of a template, by logical id. */
function resourcesOf(template: Template): Record<string, Resource> {
  return {
    ...template.findResources('Custom::AWSCDK-EKS-KubernetesResource'),
    ...template.findResources('Custom::AWSCDK-EKS-KubernetesObjectValue'),
  } as Record<string, Resource>;
}

const spec = (app: RenderedObject): Record<string, unknown> => app.spec as Record<string, unknown>;

describe('a consumer Helm add-on with delivery gitops', () => {
  const fixture = deployAlone([new ArgoCdAddOn(), new QueueAddOn()], { delivery: 'gitops' });
  const resources = resourcesOf(fixture.template);
  const apps = applications(fixture.template);
  const queueId = Object.keys(fixture.template.findResources('AWS::SQS::Queue'))[0];

  test("keeps Argo CD's own chart the one Helm release", () => {
    expect(Object.keys(helmReleases(fixture.template))).toEqual(['argocd']);
    fixture.template.resourceCountIs('Custom::HelmReleaseRecovery', 1);
  });

  test('becomes one Application with the pinned chart and the values it computes, AWS names filled in', () => {
    expect([...apps.keys()]).toEqual(['queue-reader']);
    const app = apps.get('queue-reader')?.object as RenderedObject;
    expect(app.metadata).toMatchObject({ namespace: 'argocd', annotations: { 'argocd.argoproj.io/sync-wave': '1' } });
    expect(spec(app)).toEqual({
      project: 'default',
      source: {
        repoURL: 'https://charts.example.com/',
        chart: 'reader',
        targetRevision: '1.2.3',
        helm: { releaseName: 'reader', valuesObject: { queue: `<{'Fn::GetAtt':['${queueId}','QueueName']}>` } },
      },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'demo' },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'],
        retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
      },
    });
  });

  test('is applied after Argo CD and the prerequisites, and its afterChart objects after its first sync', () => {
    const { id, synced } = apps.get('queue-reader') as Delivered;
    const argoCd = helmReleases(fixture.template).argocd.logicalId;
    expect(resources[id].DependsOn).toEqual(expect.arrayContaining([argoCd, queueId]));
    expect(resources[synced].DependsOn).toEqual(expect.arrayContaining([id, argoCd]));
    const [configId] = Object.entries(resources).find(([, r]) => JSON.stringify(r.Properties.Manifest ?? '').includes('ConfigMap')) ?? [];
    expect(resources[configId as string].DependsOn).toEqual(expect.arrayContaining([id, synced]));
  });

  test('waits for the first successful sync within the kubectl handler limit', () => {
    const { synced } = apps.get('queue-reader') as Delivered;
    expect(resources[synced].Properties).toMatchObject({
      ObjectType: 'applications.argoproj.io',
      ObjectName: 'queue-reader',
      ObjectNamespace: 'argocd',
      JsonPath: '.status.history[0].revision',
      TimeoutSeconds: SYNC_WAIT_TIMEOUT.toSeconds(),
    });
    expect(SYNC_WAIT_TIMEOUT.toSeconds() + HELM_HANDLER_RESERVE.toSeconds()).toBeLessThanOrEqual(KUBECTL_HANDLER_LIMIT.toSeconds());
  });
});

describe('releases before and after the main chart with delivery gitops', () => {
  const fixture = deployAlone([new ArgoCdAddOn(), new ThreeChartAddOn()], { delivery: 'gitops' });
  const resources = resourcesOf(fixture.template);
  const apps = applications(fixture.template);
  const wave = (name: string): string | undefined => apps.get(name)?.object.metadata.annotations?.['argocd.argoproj.io/sync-wave'];

  test('each release is its own Application, named after the add-on', () => {
    expect([...apps.keys()].sort()).toEqual(['three-charts', 'three-charts-after-chart', 'three-charts-before-chart']);
    const after = spec(apps.get('three-charts-after-chart')?.object as RenderedObject);
    // createNamespace false: no CreateNamespace sync option.
    expect(after.syncPolicy).toMatchObject({ syncOptions: ['ServerSideApply=true'] });
    expect(after.source).toMatchObject({ chart: 'demo-policies', helm: { valuesObject: { clusterName: expect.any(String) } } });
    expect(spec(apps.get('three-charts-before-chart')?.object as RenderedObject).source).toEqual({
      repoURL: 'https://charts.example.com/',
      chart: 'demo-crds',
      targetRevision: '1.2.3',
      helm: { releaseName: 'demo-crds' },
    });
  });

  test('in sync waves before < main < after, each applied after the previous one synced', () => {
    expect([wave('three-charts-before-chart'), wave('three-charts'), wave('three-charts-after-chart')]).toEqual(['0', '1', '2']);
    const before = apps.get('three-charts-before-chart') as { synced: string };
    const main = apps.get('three-charts') as { id: string; synced: string };
    const after = apps.get('three-charts-after-chart') as { id: string };
    expect(resources[main.id].DependsOn).toContain(before.synced);
    expect(resources[after.id].DependsOn).toContain(main.synced);
  });

  test('every Application is valid against the Application CRD of the pinned Argo CD', () => {
    expect(schemaProblems([...apps.values()].map((a) => a.object))).toEqual([]);
  });
});

describe('the Application object', () => {
  const release = {
    id: 'Chart',
    source: {
      repository: 'oci://public.ecr.aws/karpenter/karpenter',
      chart: 'karpenter',
      version: '1.13.0',
      namespace: 'kube-system',
      release: 'karpenter',
    },
    values: { settings: { clusterName: 'dev-eks' } },
    createNamespace: true,
    skipCrds: true,
    order: 'main' as const,
  };
  const app = chartApplication({ name: 'karpenter', namespace: 'argocd', server: 'https://kubernetes.default.svc', release, wave: 4 });

  test('names an OCI chart as Argo CD does: registry path without scheme and chart', () => {
    expect(helmRepoUrl(release.source)).toBe('public.ecr.aws/karpenter');
    expect(helmRepoUrl({ repository: 'https://charts.jetstack.io', chart: 'cert-manager' })).toBe('https://charts.jetstack.io');
    expect(app.spec).toMatchObject({ source: { repoURL: 'public.ecr.aws/karpenter', helm: { skipCrds: true } } });
  });

  test('a field the CRD does not declare is refused, as the API server would drop it', () => {
    expect(schemaProblems([app])).toEqual([]);
    const source = (app.spec as { source: object }).source;
    const misspelt = { ...app, spec: { ...(app.spec as object), source: { ...source, helm: { valuesObjekt: {} } } } };
    expect(schemaProblems([misspelt])).toEqual([expect.stringContaining('must NOT have additional properties')]);
  });

  test('sync waves: three per dependency level', () => {
    expect([syncWave(0, 'before'), syncWave(0, 'main'), syncWave(0, 'after'), syncWave(1, 'before'), syncWave(2, 'main')]).toEqual([
      0, 1, 2, 3, 7,
    ]);
  });
});

/** A consumer's add-on that releases a chart for each team, through the context it is given. */
class TeamChartAddOn implements PlatformAddOn {
  readonly id = 'team-charts';
  readonly computeModes = ['auto', 'nodegroups'] as const;
  readonly namespaces = [];

  deploy(): void {}

  deployTeam(scope: Construct, context: AddOnContext, team: TeamConfig): void {
    const source = {
      repository: 'https://charts.example.com/',
      chart: 'team-tools',
      version: '0.1.0',
      namespace: team.namespaces[0],
      release: 'tools',
    };
    context.releaseChart(scope, { id: `Team${team.name}`, source, createNamespace: false, order: 'after' });
  }
}

describe('a chart an add-on releases per team', () => {
  const context = { addons: 'argo-cd', sampleWorkloads: false, teams: [{ name: 'web' }] };

  test("is delivered like the add-on's own charts", () => {
    const gitops = synth({ ...context, delivery: 'gitops' }, [new TeamChartAddOn()]).platformTemplate;
    expect([...applications(gitops).keys()]).toEqual(['team-charts-teamweb']);
    expect(Object.keys(helmReleases(gitops))).toEqual(['argocd']);
    const helm = synth(context, [new TeamChartAddOn()]).platformTemplate;
    expect(Object.keys(helmReleases(helm)).sort()).toEqual(['argocd', 'tools']);
  });
});

describe('the GitOps output the workshop scripts read', () => {
  test('gitops publishes the Applications resource, the namespace Argo CD watches and their exact labels', () => {
    const outputs = synth({ delivery: 'gitops', addons: 'metrics-server,argo-cd' }).platformTemplate.findOutputs('GitOps');
    expect(JSON.parse(outputs.GitOps.Value as string)).toEqual({
      resource: 'applications.argoproj.io',
      namespace: 'argocd',
      labels: { 'app.kubernetes.io/part-of': 'cdk-eks-platform', 'app.kubernetes.io/managed-by': 'cdk' },
    });
  });

  const BOOTSTRAP_REPO = { repoUrl: 'https://github.com/example/gitops.git', path: 'apps' };
  const gitopsOutput = (argoCd: Record<string, unknown>): Template =>
    synth({ delivery: 'gitops', addons: { 'metrics-server': true, 'argo-cd': argoCd } }).platformTemplate;

  test('without a bootstrap, names none', () => {
    gitopsOutput({}).hasOutput(GITOPS_OUTPUT, {
      Value: Match.serializedJson(Match.objectLike({ namespace: 'argocd', bootstrap: Match.absent() })),
    });
  });

  test('with an app-of-apps bootstrap, names the Application by its exact name, for down.sh to delete first', () => {
    gitopsOutput({ bootstrap: BOOTSTRAP_REPO }).hasOutput(GITOPS_OUTPUT, {
      Value: Match.serializedJson(Match.objectLike({ namespace: 'argocd', bootstrap: { kind: 'Application', name: 'bootstrap' } })),
    });
  });

  test('with an ApplicationSet bootstrap, names the ApplicationSet by its exact name, for down.sh to delete first', () => {
    gitopsOutput({ bootstrap: { ...BOOTSTRAP_REPO, kind: 'ApplicationSet', name: 'root' } }).hasOutput(GITOPS_OUTPUT, {
      Value: Match.serializedJson(Match.objectLike({ namespace: 'argocd', bootstrap: { kind: 'ApplicationSet', name: 'root' } })),
    });
  });

  test('helm publishes none, so helm templates are unchanged', () => {
    expect(Object.keys(synth({ addons: 'metrics-server,argo-cd' }).platformTemplate.findOutputs('GitOps'))).toEqual([]);
  });
});
