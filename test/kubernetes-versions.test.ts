import { Annotations, Match } from 'aws-cdk-lib/assertions';

import { FIRST_PARTY_ADDONS } from '../addons/catalog';
import { KUBERNETES_VERSIONS, loadConfig, SUPPORTED_KUBERNETES_VERSIONS } from '../lib/core/config';
import { supportNotice } from '../lib/core/config/support-lifecycle';
import { checkAddOnVersions } from '../lib/stacks/plan/version-checks';
import { buildTestApp, problemLines, synth } from './helpers';

const DATES = { standardSupportEnds: '2027-03-27', extendedSupportEnds: '2028-03-27' };

describe('support warnings at synth', () => {
  test('nothing while standard support lasts more than 90 days', () => {
    expect(supportNotice('1.35', DATES, 'EXTENDED', '2026-12-01')).toBeUndefined();
  });

  test('the last 90 days of standard support: the date, and what each support type then does', () => {
    expect(supportNotice('1.35', DATES, 'EXTENDED', '2027-01-01')).toBe(
      'Kubernetes 1.35: EKS standard support ends on 2027-03-27 (in 85 days); with supportType EXTENDED the control plane then costs ' +
        '$0.60 per hour instead of $0.10 (about $360 more per 30 days) until you upgrade.',
    );
    expect(supportNotice('1.35', DATES, 'STANDARD', '2027-03-26')).toMatch(
      /in 1 day\); with supportType STANDARD EKS then upgrades the control plane/,
    );
  });

  test('in extended support: what it costs', () => {
    expect(supportNotice('1.35', DATES, 'EXTENDED', '2027-03-28')).toBe(
      'Kubernetes 1.35 is in EKS extended support since 2027-03-27 (until 2028-03-27): the control plane costs $0.60 per hour instead of ' +
        '$0.10 (about $360 more per 30 days). Upgrade to a newer kubernetesVersion.',
    );
    expect(supportNotice('1.35', DATES, 'STANDARD', '2027-03-28')).toMatch(
      /left EKS standard support on 2027-03-27: with supportType STANDARD EKS upgrades/,
    );
  });
});

describe('the warning reaches the synth as a CDK annotation on the cluster', () => {
  const warnings = (context: Record<string, unknown>, today: string) =>
    Annotations.fromStack(buildTestApp({ sampleWorkloads: false, addons: '', ...context }, { today }).infra).findWarning(
      '*',
      Match.stringLikeRegexp('Kubernetes'),
    );

  test('1.34 on 2026-12-01: standard support ends tomorrow', () => {
    expect(warnings({ kubernetesVersion: '1.34' }, '2026-12-01').map((w) => w.entry.data)).toEqual([
      'Kubernetes 1.34: EKS standard support ends on 2026-12-02 (in 1 day); with supportType STANDARD EKS then upgrades the control plane ' +
        'to the next version by itself; upgrade before then to choose when. [ack: cdk-eks-platform:kubernetes-version-support]',
    ]);
  });

  test('1.34 in production on 2026-12-05: in extended support, with its price', () => {
    expect(warnings({ kubernetesVersion: '1.34', profile: 'production' }, '2026-12-05')[0].entry.data).toMatch(
      /^Kubernetes 1\.34 is in EKS extended support since 2026-12-02 .*\$0\.60 per hour/,
    );
  });

  test('the default version today: no warning', () => {
    expect(warnings({}, '2026-12-01')).toEqual([]);
  });
});

describe('versions', () => {
  test('1.35 is the default; 1.33 is no longer offered', () => {
    expect(loadConfig({}).kubernetesVersion).toBe('1.35');
    expect(SUPPORTED_KUBERNETES_VERSIONS).toEqual(['1.34', '1.35', '1.36']);
    expect(() => loadConfig({ kubernetesVersion: '1.33' })).toThrow('kubernetesVersion: got "1.33"; allowed: 1.34, 1.35, 1.36');
  });

  test('1.37 is refused: no kubectl layer whose Helm supports it exists yet (README, Kubernetes versions)', () => {
    expect(() => loadConfig({ kubernetesVersion: '1.37' })).toThrow('kubernetesVersion: got "1.37"; allowed: 1.34, 1.35, 1.36');
  });

  test('every first-party add-on, with either install method, runs on the default version', () => {
    const options: Record<string, Record<string, unknown>> = {
      'external-dns': { hostedZoneIds: ['Z0123456789ABCDEFGHIJ'], domainFilters: ['example.com'] },
      ack: { services: ['s3'], permissionsBoundaryArn: 'arn:aws:iam::111122223333:policy/AckBoundary' },
    };
    const addons = FIRST_PARTY_ADDONS.map(({ id, create }) => create(options[id] ?? {}));
    const eksAddons = ['metrics-server', 'cert-manager', 'external-dns'].map((id) =>
      FIRST_PARTY_ADDONS.find((r) => r.id === id)!.create({ ...options[id], install: 'eks-addon' }),
    );
    expect(problemLines((p) => checkAddOnVersions(p, loadConfig({}).kubernetesVersion, [...addons, ...eksAddons]))).toEqual([]);
  });

  test('every version has its support dates in order and a kubectl layer of the same minor', () => {
    for (const [version, info] of Object.entries(KUBERNETES_VERSIONS)) {
      expect(info.standardSupportEnds < info.extendedSupportEnds).toBe(true);
      const { platformTemplate } = synth({ kubernetesVersion: version, sampleWorkloads: false, addons: '' });
      platformTemplate.hasResourceProperties('AWS::Lambda::LayerVersion', {
        Description: Match.stringLikeRegexp(`kubectl/kubectl ${version.replace('.', '\\.')}\\.`),
      });
    }
  });
});
