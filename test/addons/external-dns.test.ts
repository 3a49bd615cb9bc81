import { Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';

import { ExternalDnsAddOn } from '../../addons/external-dns';
import { helmReleases, nagFindings, problemLines } from '../helpers';
import { deployAlone } from '../support/addon-fixture';

const ZONES = ['Z0123456789ABCDEFGHIJ', 'Z2FDTNDATAQYW2'];
const zoneArn = (id: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:route53:::hostedzone/${id}`]] });

describe.each(['auto', 'nodegroups'])('external-dns on compute=%s', (compute) => {
  const app = deployAlone(
    new ExternalDnsAddOn({ hostedZoneIds: ZONES, domainFilters: ['apps.example.com'], nodeSelector: { 'workload-type': 'ops' } }),
    { compute },
  );
  const template = app.template;
  const release = helmReleases(template)['external-dns'];

  test('installs the pinned chart into its own namespace', () => {
    template.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', {
      Chart: 'external-dns',
      Repository: 'https://kubernetes-sigs.github.io/external-dns/',
      Version: '1.21.1',
      Namespace: 'external-dns',
      Release: 'external-dns',
      CreateNamespace: true,
      Wait: true,
    });
  });

  test('values: Route 53 provider, owner id = cluster name, domain and zone filters, upsert-only, region', () => {
    expect(release.Values).toEqual({
      provider: { name: 'aws' },
      sources: ['service', 'ingress'],
      registry: 'txt',
      txtOwnerId: 'dev-eks',
      domainFilters: ['apps.example.com'],
      policy: 'upsert-only',
      extraArgs: ZONES.map((id) => `--zone-id-filter=${id}`),
      env: [{ name: 'AWS_DEFAULT_REGION', value: 'us-west-2' }],
      serviceAccount: { create: true, name: 'external-dns' },
      resources: { requests: { cpu: '50m', memory: '64Mi' } },
      nodeSelector: { 'workload-type': 'ops' },
      tolerations: [],
    });
  });

  test('Pod Identity for external-dns/external-dns, with a role only EKS Pod Identity can assume', () => {
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 1);
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
      ClusterName: { 'Fn::ImportValue': 'dev-infra:ClusterName' },
      Namespace: 'external-dns',
      ServiceAccount: 'external-dns',
      RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('externaldnsPodIdentityRole'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{ Action: ['sts:AssumeRole', 'sts:TagSession'], Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' } }],
      },
      ManagedPolicyArns: [{ Ref: Match.stringLikeRegexp('externaldnsPodIdentityPolicy') }],
    });
  });

  test('IAM: record changes and reads only in the configured zones; only ListHostedZones on "*"', () => {
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 1);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          {
            Sid: 'ChangeRecordsInConfiguredZones',
            Effect: 'Allow',
            Action: 'route53:ChangeResourceRecordSets',
            Resource: ZONES.map(zoneArn),
            Condition: { 'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': ['A', 'AAAA', 'CNAME', 'TXT'] } },
          },
          {
            Sid: 'ReadConfiguredZones',
            Effect: 'Allow',
            Action: ['route53:ListResourceRecordSets', 'route53:ListTagsForResource', 'route53:ListTagsForResources'],
            Resource: ZONES.map(zoneArn),
          },
          { Sid: 'ListZones', Effect: 'Allow', Action: 'route53:ListHostedZones', Resource: '*' },
        ],
      },
    });
  });

  test('the chart waits for its role, policy and association', () => {
    const podRole = {
      Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'pods.eks.amazonaws.com' } })] } },
    };
    const ids = [
      ...Object.keys(template.findResources('AWS::EKS::PodIdentityAssociation')),
      ...Object.keys(template.findResources('AWS::IAM::Role', podRole)),
      ...Object.keys(template.findResources('AWS::IAM::ManagedPolicy')),
    ];
    expect(ids).toHaveLength(3);
    expect(release.DependsOn).toEqual(expect.arrayContaining(ids));
  });

  test('zero unacknowledged nag findings; the one acknowledgment is the ListHostedZones wildcard, on the policy', () => {
    expect(nagFindings(app)).toEqual([]);
    const acknowledged = app.stack.node
      .findAll()
      .flatMap((c) =>
        c.node.metadata
          .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
          .map((m) => ({ path: c.node.path, ids: Object.keys(m.data as object) })),
      )
      .filter((a) => a.path.includes('external-dns'));
    expect(acknowledged).toEqual([
      { path: 'AddOnFixture/AddOns/external-dns/PodIdentity/Policy', ids: ['AwsSolutions-IAM5[Resource::*]'] },
    ]);
  });
});

test('options: own owner id, sync policy, private zones only', () => {
  const release = helmReleases(
    deployAlone(
      new ExternalDnsAddOn({
        hostedZoneIds: ['Z1'],
        domainFilters: ['internal.example.com'],
        txtOwnerId: 'team-a',
        policy: 'sync',
        zoneType: 'private',
      }),
      { compute: 'nodegroups' },
    ).template,
  )['external-dns'];
  expect(release.Values).toMatchObject({
    txtOwnerId: 'team-a',
    policy: 'sync',
    extraArgs: ['--zone-id-filter=Z1', '--aws-zone-type=private'],
  });
  expect(release.Values).not.toHaveProperty('nodeSelector');
});

test('exposes the configured zones and domains for workloads', () => {
  const addon = new ExternalDnsAddOn({ hostedZoneIds: ZONES, domainFilters: ['apps.example.com', 'example.org'] });
  expect(addon.hostedZoneIds).toEqual(ZONES);
  expect(addon.domainFilters).toEqual(['apps.example.com', 'example.org']);
  expect(addon.policy).toBe('upsert-only');
  expect(addon.computeModes).toEqual(['auto', 'nodegroups']);
});

describe('options from configuration', () => {
  test('valid options, lists as JSON arrays or comma-separated', () => {
    let addon: ExternalDnsAddOn | undefined;
    expect(
      problemLines((p) => {
        addon = p.collect(() =>
          ExternalDnsAddOn.registration.create({
            hostedZoneIds: 'Z1ABC, Z2DEF',
            domainFilters: ['example.com'],
            policy: 'sync',
            zoneType: 'public',
            txtOwnerId: 'dev-eks',
          }),
        ) as ExternalDnsAddOn | undefined;
      }),
    ).toEqual([]);
    expect(addon?.hostedZoneIds).toEqual(['Z1ABC', 'Z2DEF']);
    expect(addon?.domainFilters).toEqual(['example.com']);
    expect(addon?.policy).toBe('sync');
  });

  test('missing zones and domains are reported with the full key', () => {
    expect(problemLines((p) => p.collect(() => ExternalDnsAddOn.registration.create({})))).toEqual([
      expect.stringMatching(/^addons\.external-dns\.hostedZoneIds: got undefined; allowed: one or more Route 53 hosted zone ids/),
      expect.stringMatching(/^addons\.external-dns\.domainFilters: got undefined; allowed: one or more lower-case domain names/),
    ]);
    expect(problemLines((p) => p.collect(() => ExternalDnsAddOn.registration.create({ hostedZoneIds: [], domainFilters: '' })))).toEqual([
      expect.stringMatching(/^addons\.external-dns\.hostedZoneIds: got \[\]/),
      expect.stringMatching(/^addons\.external-dns\.domainFilters: got \[\]/),
    ]);
  });

  test('each invalid value is reported', () => {
    expect(
      problemLines((p) =>
        p.collect(() =>
          ExternalDnsAddOn.registration.create({
            hostedZoneIds: ['Z1ABC', '/hostedzone/Z2DEF', 'z3ghi', 'Z'],
            domainFilters: ['example.com', 'Example.com', '*.example.com', 'example..com'],
            txtOwnerId: 'has space',
            policy: 'create-only',
            zoneType: 'both',
            zoneIdFilters: ['Z1ABC'],
          }),
        ),
      ),
    ).toEqual([
      'addons.external-dns.hostedZoneIds[1]: got "/hostedzone/Z2DEF"; allowed: one or more Route 53 hosted zone ids such as Z0123456789ABCDEFGHIJ (without /hostedzone/)',
      expect.stringMatching(/^addons\.external-dns\.hostedZoneIds\[2\]: got "z3ghi"/),
      expect.stringMatching(/^addons\.external-dns\.hostedZoneIds\[3\]: got "Z";/),
      expect.stringMatching(/^addons\.external-dns\.domainFilters\[1\]: got "Example\.com"/),
      expect.stringMatching(/^addons\.external-dns\.domainFilters\[2\]: got "\*\.example\.com"/),
      expect.stringMatching(/^addons\.external-dns\.domainFilters\[3\]: got "example\.\.com"/),
      expect.stringMatching(/^addons\.external-dns\.txtOwnerId: got "has space"/),
      'addons.external-dns.policy: got "create-only"; allowed: upsert-only, sync',
      'addons.external-dns.zoneType: got "both"; allowed: public, private',
      expect.stringMatching(/^addons\.external-dns\.zoneIdFilters: .*allowed: one of the keys/),
    ]);
  });

  test('malformed options are reported, never thrown past the collector', () => {
    for (const options of [
      { hostedZoneIds: 5, domainFilters: { a: 1 } },
      { hostedZoneIds: [null], domainFilters: [7], policy: 1, version: 3 },
    ]) {
      expect(
        problemLines((p) => expect(p.collect(() => ExternalDnsAddOn.registration.create(options))).toBeUndefined()).length,
      ).toBeGreaterThan(1);
    }
  });

  test('props are checked in code too', () => {
    expect(() => new ExternalDnsAddOn({ hostedZoneIds: [], domainFilters: ['example.com'] })).toThrow(
      /addons\.external-dns\.hostedZoneIds: got \[\]/,
    );
    expect(() => new ExternalDnsAddOn({ hostedZoneIds: ['Z1'], domainFilters: ['example.com'], policy: 'delete' as 'sync' })).toThrow(
      /policy: got "delete"; allowed: upsert-only, sync/,
    );
  });
});

describe('external-dns CRDs and chart upgrades', () => {
  const props = { hostedZoneIds: ZONES, domainFilters: ['apps.example.com'] };

  test("leaves out the chart's DNSEndpoint CRD, which its sources do not use and Helm would never upgrade", () => {
    const { template, stack } = deployAlone(new ExternalDnsAddOn(props), { compute: 'auto' });
    template.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', { Release: 'external-dns', SkipCrds: true });
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
  });

  test('refuses the crd source, which needs that CRD, with the reason', () => {
    expect(() => new ExternalDnsAddOn({ ...props, values: { sources: ['service', 'crd'] } })).toThrow(
      /^Invalid cdk-eks-platform configuration \(1 problem\):\n {2}- addons\.external-dns\.values\.sources: got \["service","crd"\]; allowed: the service and ingress sources: "crd" needs the DNSEndpoint CRD.*never upgrades it/,
    );
  });
});
