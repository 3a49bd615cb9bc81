import { Match } from 'aws-cdk-lib/assertions';

import { CERT_MANAGER_CHART, CertManagerAddOn } from '../../addons/cert-manager';
import { checkAddOnVersions } from '../../lib/stacks/plan/version-checks';
import { helmReleases, nagFindings, problemLines } from '../helpers';
import { deployAlone } from '../support/addon-fixture';

const placement = {
  nodeSelector: { 'workload-type': 'ops' },
  tolerations: [{ key: 'dedicated', operator: 'Equal' as const, value: 'ops', effect: 'NoSchedule' as const }],
};

/** cert-manager v1.21 supports Kubernetes 1.33 to 1.36 (its supported releases page). */
const SUPPORTED = { kubernetesVersion: '1.36' };

describe.each(['auto', 'nodegroups'])('cert-manager on compute=%s', (compute) => {
  const fixture = deployAlone(new CertManagerAddOn(placement), { compute, ...SUPPORTED });
  const template = fixture.template;
  const release = helmReleases(template)['cert-manager'];

  test('installs the pinned chart into its own namespace and waits for it', () => {
    template.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', {
      Chart: 'cert-manager',
      Repository: 'https://charts.jetstack.io',
      Version: 'v1.21.1',
      Namespace: 'cert-manager',
      Release: 'cert-manager',
      CreateNamespace: true,
      Wait: true,
      ClusterName: { 'Fn::ImportValue': 'dev-infra:ClusterName' },
    });
    template.resourceCountIs('Custom::AWSCDK-EKS-HelmChart', 1);
  });

  test('installs and keeps the CRDs (crds.*, not the deprecated installCRDs)', () => {
    expect(release.Values.crds).toEqual({ enabled: true, keep: true });
    expect(release.Values).not.toHaveProperty('installCRDs');
  });

  test('two controller and webhook replicas with disruption budgets, requests on every workload', () => {
    expect(release.Values).toMatchObject({
      replicaCount: 2,
      podDisruptionBudget: { enabled: true, minAvailable: 1 },
      resources: { requests: { cpu: '50m', memory: '128Mi' } },
      webhook: { replicaCount: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 }, resources: { requests: expect.any(Object) } },
      cainjector: { replicaCount: 1, resources: { requests: expect.any(Object) } },
      startupapicheck: { resources: { requests: expect.any(Object) } },
    });
  });

  test('the node selector and tolerations reach all four workloads', () => {
    for (const values of [
      release.Values,
      ...['webhook', 'cainjector', 'startupapicheck'].map((k) => release.Values[k] as Record<string, unknown>),
    ]) {
      expect(values).toMatchObject(placement);
    }
  });

  test('needs no AWS permissions', () => {
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 0);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    expect(
      template.findResources('AWS::IAM::Role', {
        Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'pods.eks.amazonaws.com' } })] } },
      }),
    ).toEqual({});
  });

  test('zero unacknowledged nag findings', () => {
    expect(nagFindings(fixture)).toEqual([]);
  });
});

test('without placement the chart keeps its own node selectors; user values win over the add-on', () => {
  const values = helmReleases(
    deployAlone(new CertManagerAddOn({ replicas: 1, values: { webhook: { replicaCount: 3 } } }), { compute: 'nodegroups', ...SUPPORTED })
      .template,
  )['cert-manager'].Values;
  expect(values).not.toHaveProperty('nodeSelector');
  expect(values).toMatchObject({
    replicaCount: 1,
    podDisruptionBudget: { enabled: false },
    webhook: { replicaCount: 3, podDisruptionBudget: { enabled: false } },
  });
});

describe('options', () => {
  test('valid options create the add-on without problems', () => {
    let addon: CertManagerAddOn | undefined;
    expect(
      problemLines((p) => {
        addon = p.collect(() =>
          CertManagerAddOn.registration.create({
            replicas: 3,
            version: CERT_MANAGER_CHART.version,
            nodeSelector: { 'workload-type': 'ops' },
          }),
        ) as CertManagerAddOn | undefined;
      }),
    ).toEqual([]);
    expect(addon?.chart).toEqual(CERT_MANAGER_CHART);
    expect(addon?.id).toBe('cert-manager');
    expect(addon?.computeModes).toEqual(['auto', 'nodegroups']);
  });

  test('bad options are reported with their full key', () => {
    expect(
      problemLines((p) => p.collect(() => CertManagerAddOn.registration.create({ replicas: 0, version: '1.x', installCRDs: true }))),
    ).toEqual([
      expect.stringMatching(/^addons\.cert-manager\.version: got "1\.x"; allowed: an exact chart version/),
      expect.stringMatching(/^addons\.cert-manager\.replicas: got 0; allowed: an integer from 1 to 5/),
      expect.stringMatching(
        /^addons\.cert-manager\.installCRDs: got true; allowed: one of the keys version, values, nodeSelector, tolerations, install, configurationValues, replicas/,
      ),
    ]);
  });

  test('props are checked in code too', () => {
    expect(() => new CertManagerAddOn({ replicas: 1.5 })).toThrow(
      /addons\.cert-manager\.replicas: got 1\.5; allowed: an integer from 1 to 5/,
    );
    expect(() => new CertManagerAddOn({ version: '1.20' })).toThrow(
      /addons\.cert-manager\.version: got "1\.20"; allowed: an exact chart version/,
    );
  });
});

test('a Kubernetes version no cert-manager release documents (1.37) is refused, naming both and the source', () => {
  expect(problemLines((p) => checkAddOnVersions(p, '1.37', [new CertManagerAddOn()]))).toEqual([
    'kubernetesVersion: got "1.37"; allowed: a version the "cert-manager" add-on supports (1.33 to 1.36, per cert-manager\'s supported releases (v1.21)): ' +
      'change kubernetesVersion or remove the add-on',
  ]);
});
