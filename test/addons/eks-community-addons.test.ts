import type { Template } from 'aws-cdk-lib/assertions';
import { Match } from 'aws-cdk-lib/assertions';

import { CERT_MANAGER_CHART, CertManagerAddOn } from '../../addons/cert-manager';
import { ExternalDnsAddOn } from '../../addons/external-dns';
import { MetricsServerAddOn } from '../../addons/metrics-server';
import { helmReleases, nagFindings, problemLines, synth } from '../helpers';
import { deployAlone } from '../support/addon-fixture';

const ZONES = ['Z0123456789ABCDEFGHIJ'];
const DNS = { hostedZoneIds: ZONES, domainFilters: ['apps.example.com'] };
/** cert-manager's EKS community add-on is refused on 1.36: no 1.36 build is documented (see its range). */
const K8S = { kubernetesVersion: '1.35' };

/** The EKS add-on named `name`: its logical id, properties and parsed configuration values. */
function eksAddon(
  template: Template,
  name: string,
): { id: string; props: Record<string, unknown>; config: Record<string, unknown>; dependsOn: string[] } {
  const found = Object.entries(template.findResources('AWS::EKS::Addon', { Properties: { AddonName: name } }));
  expect(found).toHaveLength(1);
  const [id, resource] = found[0];
  const text = resource.Properties.ConfigurationValues as string | undefined;
  return { id, props: resource.Properties, config: text ? JSON.parse(text) : {}, dependsOn: resource.DependsOn ?? [] };
}

describe.each(['auto', 'nodegroups'])('install "eks-addon" on compute=%s', (compute) => {
  const app = deployAlone(
    [
      new MetricsServerAddOn({ install: 'eks-addon' }),
      new CertManagerAddOn({ install: 'eks-addon' }),
      new ExternalDnsAddOn({ ...DNS, install: 'eks-addon' }),
    ],
    { compute, ...K8S },
  );
  const template = app.template;

  test('one EKS add-on each, named as EKS names them, and no Helm release', () => {
    template.resourceCountIs('Custom::AWSCDK-EKS-HelmChart', 0);
    template.resourceCountIs('AWS::EKS::Addon', 3);
    for (const name of ['metrics-server', 'cert-manager', 'external-dns']) {
      template.hasResourceProperties('AWS::EKS::Addon', {
        AddonName: name,
        ClusterName: { 'Fn::ImportValue': 'dev-infra:ClusterName' },
        // No version is documented per Kubernetes version: EKS installs its default for the cluster.
        AddonVersion: Match.absent(),
      });
    }
  });

  test("metrics-server: the chart path's replicas, disruption budget and requests as configuration values", () => {
    expect(eksAddon(template, 'metrics-server').config).toEqual({
      replicas: 2,
      podDisruptionBudget: { enabled: true, minAvailable: 1 },
      resources: { requests: { cpu: '100m', memory: '200Mi' } },
    });
  });

  test("cert-manager: replicas and budgets of controller and webhook, without the chart's crds switches", () => {
    const { config } = eksAddon(template, 'cert-manager');
    expect(config).toMatchObject({
      replicaCount: 2,
      podDisruptionBudget: { enabled: true, minAvailable: 1 },
      webhook: { replicaCount: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 } },
      cainjector: { replicaCount: 1 },
    });
    expect(config).not.toHaveProperty('crds');
  });

  test('external-dns: domain and zone filters, owner id, policy and region as configuration values', () => {
    expect(eksAddon(template, 'external-dns').config).toMatchObject({
      provider: { name: 'aws' },
      sources: ['service', 'ingress'],
      txtOwnerId: 'dev-eks',
      domainFilters: ['apps.example.com'],
      policy: 'upsert-only',
      extraArgs: ZONES.map((id) => `--zone-id-filter=${id}`),
      env: [{ name: 'AWS_DEFAULT_REGION', value: 'us-west-2' }],
      serviceAccount: { create: true, name: 'external-dns' },
    });
  });

  test('external-dns: one Pod Identity association for external-dns/external-dns, made before the add-on', () => {
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 1);
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'external-dns', ServiceAccount: 'external-dns' });
    const addon = eksAddon(template, 'external-dns');
    expect(addon.props).not.toHaveProperty('PodIdentityAssociations');
    const prerequisites = [
      ...Object.keys(template.findResources('AWS::EKS::PodIdentityAssociation')),
      ...Object.keys(template.findResources('AWS::IAM::ManagedPolicy')),
    ];
    expect(prerequisites).toHaveLength(2);
    expect(addon.dependsOn).toEqual(expect.arrayContaining(prerequisites));
  });

  test('external-dns: the same record-type and zone-scoped policy as with Helm', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'ChangeRecordsInConfiguredZones',
            Condition: { 'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': ['A', 'AAAA', 'CNAME', 'TXT'] } },
          }),
        ]),
      },
    });
  });

  test('zero unacknowledged nag findings', () => {
    expect(nagFindings(app)).toEqual([]);
  });
});

test("version, placement and the user's configurationValues reach the add-on; user values win", () => {
  const { template } = deployAlone(
    [
      new MetricsServerAddOn({ install: 'eks-addon', version: 'v0.8.0-eksbuild.2', configurationValues: { replicas: 3, args: ['--v=2'] } }),
      new CertManagerAddOn({ install: 'eks-addon', nodeSelector: { 'workload-type': 'ops' } }),
      new ExternalDnsAddOn({ ...DNS, install: 'eks-addon', txtOwnerId: 'team-a', policy: 'sync', zoneType: 'private' }),
    ],
    { compute: 'nodegroups', ...K8S },
  );
  const metrics = eksAddon(template, 'metrics-server');
  expect(metrics.props.AddonVersion).toBe('v0.8.0-eksbuild.2');
  expect(metrics.config).toMatchObject({ replicas: 3, args: ['--v=2'], podDisruptionBudget: { enabled: true } });
  const certManager = eksAddon(template, 'cert-manager').config;
  for (const workload of [certManager, ...['webhook', 'cainjector', 'startupapicheck'].map((k) => certManager[k])]) {
    expect(workload).toMatchObject({ nodeSelector: { 'workload-type': 'ops' }, tolerations: [] });
  }
  expect(eksAddon(template, 'external-dns').config).toMatchObject({
    txtOwnerId: 'team-a',
    policy: 'sync',
    extraArgs: [...ZONES.map((id) => `--zone-id-filter=${id}`), '--aws-zone-type=private'],
  });
});

describe('options of one install method only', () => {
  test('with eks-addon, Helm values and a chart version are refused, naming what to use instead', () => {
    expect(
      problemLines((p) =>
        p.collect(() => MetricsServerAddOn.registration.create({ install: 'eks-addon', version: '3.13.1', values: { replicas: 3 } })),
      ),
    ).toEqual([
      'addons.metrics-server.values: got {"replicas":3}; allowed: no Helm values with install "eks-addon": give the add-on\'s settings in ' +
        'configurationValues (aws eks describe-addon-configuration --addon-name metrics-server --addon-version <version>)',
      'addons.metrics-server.version: got "3.13.1"; allowed: an EKS add-on version such as v1.2.3-eksbuild.1 with install "eks-addon" ' +
        '(aws eks describe-addon-versions --addon-name metrics-server); chart versions apply to install "helm" only',
    ]);
    expect(() => new CertManagerAddOn({ install: 'eks-addon', version: 'v1.20.3' })).toThrow(
      /addons\.cert-manager\.version: got "v1\.20\.3"; allowed: an EKS add-on version such as v1\.2\.3-eksbuild\.1 with install "eks-addon"/,
    );
    expect(() => new ExternalDnsAddOn({ ...DNS, install: 'eks-addon', values: { sources: ['service'] } })).toThrow(
      /addons\.external-dns\.values: got \{"sources":\["service"\]\}; allowed: no Helm values with install "eks-addon".*configurationValues/,
    );
  });

  test('with helm (the default), configurationValues and an EKS add-on version are refused', () => {
    expect(
      problemLines((p) =>
        p.collect(() => CertManagerAddOn.registration.create({ version: 'v1.20.2-eksbuild.3', configurationValues: { replicaCount: 3 } })),
      ),
    ).toEqual([
      'addons.cert-manager.configurationValues: got {"replicaCount":3}; allowed: nothing with install "helm" (the default): configurationValues are ' +
        'EKS add-on settings; set install "eks-addon", or give Helm values in values',
      'addons.cert-manager.version: got "v1.20.2-eksbuild.3"; allowed: a chart version such as 1.2.3 with install "helm" (the default); ' +
        'an EKS add-on version (-eksbuild.N) needs install "eks-addon"',
    ]);
  });

  test('an unknown method is refused with the two allowed', () => {
    expect(() => new MetricsServerAddOn({ install: 'addon' as 'helm' })).toThrow(
      'addons.metrics-server.install: got "addon"; allowed: helm, eks-addon',
    );
  });

  test('from configuration the same options are accepted', () => {
    expect(
      problemLines((p) =>
        p.collect(() =>
          ExternalDnsAddOn.registration.create({
            ...DNS,
            install: 'eks-addon',
            version: 'v0.19.0-eksbuild.2',
            configurationValues: { logLevel: 'debug' },
            nodeSelector: { 'workload-type': 'ops' },
          }),
        ),
      ),
    ).toEqual([]);
  });
});

describe('Kubernetes versions and namespaces follow the install method', () => {
  test('cert-manager as an EKS add-on is refused on 1.36 too, since no 1.36 build is documented', () => {
    const addon = new CertManagerAddOn({ install: 'eks-addon' });
    expect(addon.kubernetesVersions).not.toEqual(CERT_MANAGER_CHART.kubernetesVersions);
    expect(new CertManagerAddOn().kubernetesVersions).toEqual(CERT_MANAGER_CHART.kubernetesVersions);
    expect(() => synth({ addons: '', kubernetesVersion: '1.36' }, [addon])).toThrow(
      /kubernetesVersion: got "1\.36"; allowed: a version the "cert-manager" add-on supports \(1\.32 to 1\.35, per .*EKS community add-ons page documents no cert-manager build/,
    );
  });

  test('metrics-server and external-dns have no range either way; namespaces are the same', () => {
    for (const install of ['helm', 'eks-addon'] as const) {
      const metrics = new MetricsServerAddOn({ install });
      const dns = new ExternalDnsAddOn({ ...DNS, install });
      expect(metrics.install).toBe(install);
      expect(metrics.kubernetesVersions).toBeUndefined();
      expect(dns.kubernetesVersions).toBeUndefined();
      expect(metrics.namespaces).toEqual(['kube-system']);
      expect(new CertManagerAddOn({ install }).namespaces).toEqual(['cert-manager']);
      expect(dns.namespaces).toEqual(['external-dns']);
      expect(dns.serviceAccounts).toEqual([{ namespace: 'external-dns', name: 'external-dns' }]);
    }
  });

  test('with eks-addon the chart keeps its tested version', () => {
    expect(new CertManagerAddOn({ install: 'eks-addon', version: 'v1.20.2-eksbuild.3' }).chart).toEqual(CERT_MANAGER_CHART);
  });
});

test('without the option: Helm releases as before and no EKS add-on', () => {
  const { template } = deployAlone([new MetricsServerAddOn(), new CertManagerAddOn(), new ExternalDnsAddOn(DNS)], {
    compute: 'auto',
    ...K8S,
  });
  template.resourceCountIs('AWS::EKS::Addon', 0);
  const releases = helmReleases(template);
  expect(Object.keys(releases).sort()).toEqual(['cert-manager', 'external-dns', 'metrics-server']);
  expect(releases['metrics-server']).toMatchObject({ Version: '3.13.1', Namespace: 'kube-system' });
  expect(releases['cert-manager'].Values.crds).toEqual({ enabled: true, keep: true });
  expect(releases['external-dns']).toMatchObject({ Version: '1.21.1', Namespace: 'external-dns' });
});
