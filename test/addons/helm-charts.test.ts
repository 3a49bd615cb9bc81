import type { AddOnContext } from '../../addons/core/addon';
import type { AdditionalChart, HelmChartSpec, HelmValues } from '../../addons/core/helm-addon';
import { HELM_RELEASE_BEHAVIOUR, HelmAddOn } from '../../addons/core/helm-addon';
import { helmReleases, synth } from '../helpers';

const spec = (chart: string, namespace = 'demo'): HelmChartSpec => ({
  repository: 'https://charts.example.com/',
  chart,
  version: '1.2.3',
  namespace,
  release: chart,
});

/** A Helm add-on with a release before its main chart and one after it. */
class ThreeChartAddOn extends HelmAddOn {
  readonly id = 'three-charts';
  readonly computeModes = ['auto', 'nodegroups'] as const;
  readonly additionalCharts: readonly AdditionalChart[] = [
    {
      id: 'AfterChart',
      spec: spec('demo-policies', 'demo-policies'),
      order: 'after',
      createNamespace: false,
      values: (c) => this.after(c),
    },
    { id: 'BeforeChart', spec: spec('demo-crds'), order: 'before' },
  ];

  constructor() {
    super(spec('demo'), {});
  }

  protected chartValues(): HelmValues {
    return { replicas: 2 };
  }

  private after(context: AddOnContext): HelmValues {
    return { clusterName: context.names.clusterName };
  }
}

describe('a Helm add-on with additional charts', () => {
  const addon = new ThreeChartAddOn();
  const releases = helmReleases(synth({ addons: '', sampleWorkloads: false }, [addon]).platformTemplate);
  const { demo, 'demo-crds': before, 'demo-policies': after } = releases;

  test('installs each release with the release behaviour of the main chart', () => {
    expect(Object.keys(releases).sort()).toEqual(['demo', 'demo-crds', 'demo-policies']);
    const behaviour = { Wait: true, Atomic: true, Timeout: `${HELM_RELEASE_BEHAVIOUR.timeout.toSeconds()}s` };
    for (const release of [demo, before, after]) expect(release).toMatchObject(behaviour);
    expect(before).toMatchObject({ Chart: 'demo-crds', Namespace: 'demo', CreateNamespace: true, Values: {} });
    expect(after).toMatchObject({ Chart: 'demo-policies', Namespace: 'demo-policies', Values: { clusterName: expect.any(String) } });
    expect(after).not.toHaveProperty('CreateNamespace', true);
  });

  test('orders them: the main chart after a "before" release, an "after" release after the main chart', () => {
    expect(demo.DependsOn).toContain(before.logicalId);
    expect(after.DependsOn).toContain(demo.logicalId);
    expect(before.DependsOn ?? []).not.toContain(demo.logicalId);
    expect(demo.DependsOn ?? []).not.toContain(after.logicalId);
  });

  test('counts the namespaces of every release', () => {
    expect(addon.namespaces).toEqual(['demo', 'demo-policies']);
  });
});
