import type { Template } from 'aws-cdk-lib/assertions';

import { HelmAddOn } from '../../addons/core/helm-addon';
import { DEFAULT_ADDON_IDS } from '../../lib/core/config';
import { composePlan } from '../../lib/stacks/plan';
import type { RenderedObject } from '../helpers';
import { helmReleases, kubernetesObjects, nagFindings, NAMED_DEPLOY_TIME, planProblems, renderManifest, synth } from '../helpers';
import { fullPlatformContext } from '../support/full-platform';
import { schemaProblems } from '../support/kubernetes-schemas';

/*
 * Delivery gitops on whole platforms: the default selection with argo-cd added, and every
 * first-party add-on, on both compute modes, compared with the same configuration on helm.
 */

const IDENTITY_CENTER = { instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef' };

/** An Application as the platform applied it: the object and its resource. */
interface Delivered {
  readonly object: RenderedObject;
  readonly logicalId: string;
  readonly dependsOn: readonly string[];
}

function applications(template: Template): Delivered[] {
  return Object.entries(template.findResources('Custom::AWSCDK-EKS-KubernetesResource')).flatMap(([logicalId, resource]) =>
    renderManifest(resource.Properties.Manifest, NAMED_DEPLOY_TIME)
      .filter((object) => object.kind === 'Application' && object.metadata.name !== 'bootstrap')
      .map((object) => ({ object, logicalId, dependsOn: (resource.DependsOn as string[] | undefined) ?? [] })),
  );
}

/** The add-on an Application belongs to: named after it, or after it and the release's id. */
function addonOf(app: Delivered, ids: readonly string[]): string {
  const name = app.object.metadata.name;
  const owners = ids.filter((id) => name === id || name.startsWith(`${id}-`));
  return owners.sort((a, b) => b.length - a.length)[0] ?? '?';
}

interface HelmSource {
  readonly repoURL: string;
  readonly chart: string;
  readonly targetRevision: string;
  readonly helm: { readonly releaseName: string; readonly valuesObject?: Record<string, unknown>; readonly skipCrds?: boolean };
}
const sourceOf = (app: Delivered): HelmSource => (app.object.spec as { source: HelmSource }).source;
const destinationOf = (app: Delivered): { server: string; namespace: string } =>
  (app.object.spec as { destination: { server: string; namespace: string } }).destination;
const waveOf = (app: Delivered): number => Number(app.object.metadata.annotations?.['argocd.argoproj.io/sync-wave']);

const CASES: [string, (compute: string) => Record<string, unknown>][] = [
  ['the default add-ons and argo-cd', (compute) => ({ compute, addons: [...DEFAULT_ADDON_IDS[compute as 'auto'], 'argo-cd'].join(',') })],
  ['the full platform', (compute) => fullPlatformContext(compute)],
];

describe.each(['auto', 'nodegroups'])('delivery gitops on compute=%s', (compute) => {
  describe.each(CASES)('%s', (_name, contextOf) => {
    const helmContext = contextOf(compute);
    const context = { ...helmContext, delivery: 'gitops' };
    const app = synth(context);
    const template = app.platformTemplate;
    const apps = applications(template);
    const helm = helmReleases(synth(helmContext).platformTemplate, NAMED_DEPLOY_TIME);
    const argoCdChart = helmReleases(template).argocd;

    test('zero unacknowledged findings in all four cdk-nag packs', () => {
      expect(nagFindings(app)).toEqual([]);
    });

    test("no Helm release but Argo CD's own", () => {
      expect(Object.keys(helmReleases(template))).toEqual(['argocd']);
      template.resourceCountIs('Custom::HelmReleaseRecovery', 1);
    });

    test('one Application per Helm release of the helm delivery, with the same chart, version, namespace and values', () => {
      const others = Object.fromEntries(Object.entries(helm).filter(([release]) => release !== 'argocd'));
      expect(Object.keys(others).length).toBeGreaterThanOrEqual(compute === 'auto' ? 1 : 3);
      const delivered = Object.fromEntries(
        apps.map((a) => {
          const source = sourceOf(a);
          return [
            source.helm.releaseName,
            {
              Repository: source.repoURL.includes('://') ? source.repoURL : `oci://${source.repoURL}/${source.chart}`,
              Chart: source.chart,
              Version: source.targetRevision,
              Namespace: destinationOf(a).namespace,
              Values: source.helm.valuesObject ?? {},
              SkipCrds: source.helm.skipCrds,
            },
          ];
        }),
      );
      const expected = Object.fromEntries(
        Object.entries(others).map(([release, r]) => [
          release,
          { Repository: r.Repository, Chart: r.Chart, Version: r.Version, Namespace: r.Namespace, Values: r.Values, SkipCrds: r.SkipCrds },
        ]),
      );
      expect(delivered).toEqual(expected);
    });

    test('every Application, and every other object, is valid against its schema', () => {
      expect(apps.length).toBeGreaterThan(0);
      expect(schemaProblems(kubernetesObjects(template))).toEqual([]);
    });

    test('Argo CD starts without the node autoscaler it installs: on the ops nodes on node groups', () => {
      const placement = (helmReleases(template).argocd.Values as { global?: unknown }).global;
      if (compute === 'auto') expect(placement).toBeUndefined();
      else
        expect(placement).toEqual({
          nodeSelector: { 'workload-type': 'ops' },
          tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Equal', value: 'true', effect: 'NoSchedule' }],
        });
    });

    test('every Application goes into the in-cluster Argo CD, after its chart', () => {
      for (const a of apps) {
        expect([a.object.metadata.namespace, destinationOf(a).server]).toEqual(['argocd', 'https://kubernetes.default.svc']);
        expect(a.dependsOn).toContain(argoCdChart.logicalId);
      }
    });

    test("sync waves follow the plan: an add-on's Applications after those of every add-on it deploys after", () => {
      const plan = composePlan(context);
      const byAddOn = new Map<string, number[]>();
      const ids = plan.addons.map((a) => a.id);
      for (const a of apps) byAddOn.set(addonOf(a, ids), [...(byAddOn.get(addonOf(a, ids)) ?? []), waveOf(a)]);
      expect(byAddOn.has('?')).toBe(false);
      const edges = plan.addons.flatMap((addon) =>
        [...(addon.dependsOn ?? []), ...(plan.capacityWaits.get(addon.id) ?? [])].map((before) => [before, addon.id] as const),
      );
      const checked = edges.filter(([before, after]) => byAddOn.has(before) && byAddOn.has(after));
      if (compute === 'nodegroups') expect(checked.length).toBeGreaterThan(0);
      for (const [before, after] of checked) {
        expect(Math.min(...(byAddOn.get(after) ?? []))).toBeGreaterThan(Math.max(...(byAddOn.get(before) ?? [])));
      }
      // Within an add-on: its `before` charts (CRDs) before its main chart, its `after` charts after it.
      for (const addon of plan.addons.filter((a): a is HelmAddOn => a instanceof HelmAddOn && a.additionalCharts.length > 0)) {
        const wave = (release: string): number => waveOf(apps.find((a) => sourceOf(a).helm.releaseName === release) as Delivered);
        for (const chart of addon.additionalCharts) {
          const [early, late] =
            chart.order === 'before' ? [chart.spec.release, addon.chart.release] : [addon.chart.release, chart.spec.release];
          expect(wave(early)).toBeLessThan(wave(late));
        }
      }
    });
  });
});

describe('delivery gitops with managed Argo CD', () => {
  const context = {
    delivery: 'gitops',
    addons: JSON.stringify({
      'metrics-server': {},
      storage: {},
      'auto-mode-ingress': {},
      'argo-cd': { managed: true, identityCenter: IDENTITY_CENTER },
    }),
  };
  const app = synth(context);
  const template = app.platformTemplate;
  const apps = applications(template);
  const objects = kubernetesObjects(template, NAMED_DEPLOY_TIME);

  test('no Helm release at all, and zero cdk-nag findings', () => {
    template.resourceCountIs('Custom::AWSCDK-EKS-HelmChart', 0);
    template.resourceCountIs('Custom::HelmReleaseRecovery', 0);
    expect(nagFindings(app)).toEqual([]);
  });

  test('Applications go into the capability namespace, to the cluster named by its ARN, after the capability', () => {
    const [capability] = Object.keys(template.findResources('AWS::EKS::Capability'));
    expect(apps.map((a) => a.object.metadata.name)).toEqual(['metrics-server']);
    for (const a of apps) {
      expect(a.object.metadata.namespace).toBe('argocd');
      expect(destinationOf(a).server).toMatch(/^<\{'Fn::Join'|^<\{'Fn::GetAtt'|^arn:/);
      expect(a.dependsOn).toContain(capability);
    }
    expect(schemaProblems(objects)).toEqual([]);
  });

  test('the cluster is registered with the capability, which gets cluster-admin to install the charts', () => {
    const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.labels?.['argocd.argoproj.io/secret-type'] === 'cluster');
    expect(secret).toMatchObject({ metadata: { name: 'in-cluster', namespace: 'argocd' }, stringData: { name: 'in-cluster' } });
    expect(destinationOf(apps[0]).server).toBe((secret?.stringData as { server: string }).server);
    const admin = template.findResources('AWS::EKS::AccessEntry');
    expect(JSON.stringify(objects) + JSON.stringify(admin)).toContain('cluster-admin');
  });

  test('deployAccess namespace is refused with gitops: the capability could not install the charts', () => {
    const refused = JSON.stringify({ 'argo-cd': { managed: true, identityCenter: IDENTITY_CENTER, deployAccess: 'namespace' } });
    expect(planProblems({ delivery: 'gitops', sampleWorkloads: false, addons: refused })).toEqual([
      expect.stringMatching(/^addons\.argo-cd\.deployAccess: got "namespace"; allowed: cluster-admin, or unset, with delivery gitops/),
    ]);
    expect(planProblems({ sampleWorkloads: false, addons: refused })).toEqual([]);
  });
});
