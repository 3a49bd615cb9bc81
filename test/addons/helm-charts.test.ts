import { HELM_RELEASE_BEHAVIOUR } from '../../addons/core/helm-addon';
import { helmReleases } from '../helpers';
import { deployAlone } from '../support/addon-fixture';
import { QueueAddOn, ThreeChartAddOn } from '../support/consumer-addons';

describe('a Helm add-on with additional charts', () => {
  const addon = new ThreeChartAddOn();
  const releases = helmReleases(deployAlone(addon).template);
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

  test('orders them around the EKS add-on that replaces the main chart with install "eks-addon"', () => {
    const { template } = deployAlone(new ThreeChartAddOn('eks-addon'));
    const charts = helmReleases(template);
    expect(Object.keys(charts).sort()).toEqual(['demo-crds', 'demo-policies']);
    const [[addonId, eksAddon]] = Object.entries(
      template.findResources('AWS::EKS::Addon', { Properties: { AddonName: 'metrics-server' } }),
    );
    expect(eksAddon.DependsOn).toContain(charts['demo-crds'].logicalId);
    expect(charts['demo-policies'].DependsOn).toContain(addonId);
  });
});

describe('a Helm add-on with prerequisites', () => {
  const { template } = deployAlone(new QueueAddOn());
  const queueId = Object.keys(template.findResources('AWS::SQS::Queue')).find((id) => id.startsWith('AddOnsqueuereader')) as string;
  const { reader } = helmReleases(template);

  test('the chart depends on what prerequisites created, and its values name it', () => {
    expect(queueId).toBeDefined();
    expect(reader.DependsOn).toContain(queueId);
    expect(reader.Values).toEqual({ queue: '<deploy-time>' });
  });

  test('afterChart gets the same handles', () => {
    const manifests = template.findResources('Custom::AWSCDK-EKS-KubernetesResource');
    const config = Object.values(manifests).find((m) => JSON.stringify(m.Properties.Manifest).includes('queue'));
    expect(JSON.stringify(config?.Properties.Manifest)).toContain(queueId);
  });
});
