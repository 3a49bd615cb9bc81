import { AckAddOn } from '../../addons/ack';
import { ArgoCdAddOn } from '../../addons/argo-cd';
import { AutoModeIngressAddOn } from '../../addons/auto-mode-ingress';
import type { PlatformAddOn } from '../../addons/core/addon';
import { EfsAddOn } from '../../addons/efs';
import { ExternalDnsAddOn } from '../../addons/external-dns';
import { ExternalSecretsAddOn } from '../../addons/external-secrets';
import { KarpenterAddOn } from '../../addons/karpenter';
import { PrometheusAddOn } from '../../addons/prometheus';
import { StorageAddOn } from '../../addons/storage';
import { partitionOf } from '../../lib/core/config';
import { ConfigError } from '../../lib/core/config';
import { OPS_NODE_GROUP } from '../../lib/core/config/profiles';
import { composePlan } from '../../lib/stacks/plan';

/*
 * Bad add-on options, one table per add-on group: each bad value must be refused at synth with a
 * message naming the key, the value and what is allowed; each tricky valid value must pass. Options
 * that only the environment reveals as wrong (another Region, a missing node group) go through the
 * plan, with a fixed account and Region.
 */

/** The message of the ConfigError `build` throws, or '' when it throws none. */
function problemsOf(build: () => unknown): string {
  try {
    build();
    return '';
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
}

const ACCOUNT = '111122223333';
const ENV = {
  sampleWorkloads: false,
  addons: '',
  account: ACCOUNT,
  region: 'us-west-2',
  availabilityZones: 'us-west-2a,us-west-2b,us-west-2c',
};
/** Builds the add-ons inside the check, so a constructor's refusal is that row's result. */
const plan =
  (addons: () => readonly PlatformAddOn[], context: Record<string, unknown> = {}) =>
  () =>
    composePlan({ ...ENV, ...context }, { addons: addons() });

/** A consumer's add-on declaring its IngressClass, as any add-on may. */
const nginxIngress = (isDefault: boolean): PlatformAddOn => ({
  id: 'nginx-ingress',
  computeModes: ['auto', 'nodegroups'],
  namespaces: [],
  clusterObjects: [{ kind: 'IngressClass', name: 'nginx', isDefault }],
  deploy: () => undefined,
});

type Row = readonly [string, () => unknown, RegExp];

describe.each<[string, readonly Row[], readonly (readonly [string, () => unknown])[]]>([
  [
    'storage classes (storage, efs, auto-mode-ingress, aws-load-balancer-controller)',
    [
      [
        'a StorageClass name over 253 characters',
        () => new StorageAddOn({ className: `a${'.b'.repeat(127)}` }),
        /addons\.storage\.className: got "a\.b\.b.*allowed: a Kubernetes object name: at most 253 characters/,
      ],
      ['upper case', () => new EfsAddOn({ className: 'Fast' }), /addons\.efs\.className: got "Fast"; allowed: a Kubernetes object name/],
      ['an empty label', () => new AutoModeIngressAddOn({ className: 'a..b' }), /addons\.auto-mode-ingress\.className: got "a\.\.b"/],
      [
        'efs naming its class like the default storage class',
        plan(() => [new StorageAddOn(), new EfsAddOn({ className: 'gp3' })]),
        /"efs" creates StorageClass "gp3", which "storage" creates already: give one of them another name/,
      ],
      [
        "a consumer's default IngressClass beside auto-mode-ingress's",
        plan(() => [new AutoModeIngressAddOn(), nginxIngress(true)], { compute: 'auto' }),
        /"nginx-ingress" marks its IngressClass as the cluster default, as "auto-mode-ingress" does: a cluster has one default IngressClass/,
      ],
    ],
    [
      ['a dotted StorageClass name', () => new StorageAddOn({ className: 'fast.ssd' })],
      ['253 characters exactly', () => new EfsAddOn({ className: `a${'.b'.repeat(126)}` })],
      [
        'a StorageClass and an IngressClass of one name (different kinds)',
        plan(() => [new StorageAddOn({ className: 'alb' }), new AutoModeIngressAddOn()], { compute: 'auto' }),
      ],
      [
        "a consumer's IngressClass that is not the default",
        plan(() => [new AutoModeIngressAddOn(), nginxIngress(false)], { compute: 'auto' }),
      ],
      [
        'efs and storage with their own names',
        plan(() => [new StorageAddOn({ className: 'ebs' }), new EfsAddOn({ className: 'shared.efs' })]),
      ],
    ],
  ],
  [
    'prometheus alert manager (AMP: SNS receivers only)',
    [
      [
        'not YAML',
        () => new PrometheusAddOn({ alertManagerDefinition: 'alertmanager_config: |\n  route: [\n' }),
        /addons\.prometheus\.alertManagerDefinition: got "alertmanager_config: Flow sequence.*allowed: alertmanager_config holding a valid YAML/,
      ],
      [
        'outer text not YAML',
        () => new PrometheusAddOn({ alertManagerDefinition: 'alertmanager_config: "\n' }),
        /alertManagerDefinition: got ".*"; allowed: an AMP alert manager definition: valid YAML/,
      ],
      [
        'no alertmanager_config',
        () => new PrometheusAddOn({ alertManagerDefinition: 'template_files: {}' }),
        /alertManagerDefinition: got "no alertmanager_config"; allowed: an AMP alert manager definition: YAML with a top-level alertmanager_config key/,
      ],
      [
        'an email receiver',
        () =>
          new PrometheusAddOn({
            alertManagerDefinition:
              'alertmanager_config: |\n  route:\n    receiver: ops\n  receivers:\n    - name: ops\n      email_configs:\n        - to: a@example.com\n',
          }),
        /alertManagerDefinition: got "receivers\[0\] \(ops\): email_configs"; allowed: receivers with sns_configs only \(Amazon SNS is the only alert receiver AMP supports\)/,
      ],
      [
        'an SNS receiver with api_url and a sigv4 without region',
        () =>
          new PrometheusAddOn({
            alertManagerDefinition:
              'alertmanager_config: |\n  route:\n    receiver: ops\n  receivers:\n    - name: ops\n      sns_configs:\n        - topic_arn: arn:aws:sns:us-west-2:111122223333:ops\n          api_url: https://sns.example.com\n          sigv4: {}\n',
          }),
        /got "receivers\[0\] \(ops\)\.sns_configs\[0\]: api_url"; allowed: an SNS receiver without api_url[\s\S]*got "receivers\[0\] \(ops\)\.sns_configs\[0\]: sigv4 without region"/,
      ],
    ],
    [
      [
        'an SNS receiver with sigv4 region and a template',
        () =>
          new PrometheusAddOn({
            alertManagerDefinition:
              'template_files:\n  default_template: |\n    {{ define "sns.default.message" }}{{ .Status }}{{ end }}\nalertmanager_config: |\n  route:\n    receiver: ops\n  receivers:\n    - name: ops\n      sns_configs:\n        - topic_arn: arn:aws:sns:us-west-2:111122223333:ops\n          sigv4:\n            region: us-west-2\n',
          }),
      ],
      [
        'a receiver with no integration (drops alerts)',
        () =>
          new PrometheusAddOn({
            alertManagerDefinition: 'alertmanager_config: |\n  route:\n    receiver: blackhole\n  receivers:\n    - name: blackhole\n',
          }),
      ],
    ],
  ],
  [
    'ACK (IAM policies, service names, lists)',
    [
      [
        'a policy of another partition',
        plan(() => [new AckAddOn({ services: ['s3'], permissionsBoundaryArn: 'arn:aws-cn:iam::111122223333:policy/Boundary' })]),
        /addons\.ack\.permissionsBoundaryArn: got "arn:aws-cn:iam::111122223333:policy\/Boundary"; allowed: an ARN in partition aws, the partition of us-west-2/,
      ],
      [
        'a policy of another account',
        plan(() => [
          new AckAddOn({
            policyArns: ['arn:aws:iam::444455556666:policy/Other'],
            permissionsBoundaryArn: `arn:aws:iam::${ACCOUNT}:policy/B`,
          }),
        ]),
        /addons\.ack\.policyArns\[0\]: got "arn:aws:iam::444455556666:policy\/Other"; allowed: an ARN of account 111122223333 or aws/,
      ],
      [
        'a service twice',
        () => new AckAddOn({ services: ['s3', 's3'], permissionsBoundaryArn: `arn:aws:iam::${ACCOUNT}:policy/B` }),
        /addons\.ack\.services\[1\]: got "s3"; allowed: each service once \(it is item 0 already\)/,
      ],
      [
        'a disabled service twice',
        () =>
          new AckAddOn({ services: ['s3'], disabledServices: ['iam', 'iam'], permissionsBoundaryArn: `arn:aws:iam::${ACCOUNT}:policy/B` }),
        /addons\.ack\.disabledServices\[1\]: got "iam"; allowed: each service name once/,
      ],
    ],
    [
      [
        'an AWS managed policy and an own-account boundary',
        plan(() => [
          new AckAddOn({
            policyArns: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'],
            permissionsBoundaryArn: `arn:aws:iam::${ACCOUNT}:policy/path/B`,
          }),
        ]),
      ],
    ],
  ],
  [
    'external-secrets (KMS keys, OIDC provider)',
    [
      [
        'a key of another Region',
        plan(() => [
          new ExternalSecretsAddOn({ kmsKeyArns: ['arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'] }),
        ]),
        /addons\.external-secrets\.kmsKeyArns\[0\]: got "arn:aws:kms:eu-west-1:.*"; allowed: an ARN in us-west-2, this environment's Region \(Secrets Manager uses KMS keys of its own Region only\)/,
      ],
      [
        'a key of another partition',
        plan(() => [
          new ExternalSecretsAddOn({ kmsKeyArns: ['arn:aws-us-gov:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'] }),
        ]),
        /kmsKeyArns\[0\]: got "arn:aws-us-gov:kms:.*"; allowed: an ARN in partition aws/,
      ],
      [
        'a key alias',
        () => new ExternalSecretsAddOn({ kmsKeyArns: ['arn:aws:kms:us-west-2:111122223333:alias/secrets'] }),
        /kmsKeyArns\[0\]: got "arn:aws:kms:us-west-2:111122223333:alias\/secrets"; allowed: KMS key ARNs such as/,
      ],
      [
        'a key twice',
        () =>
          new ExternalSecretsAddOn({
            kmsKeyArns: [
              'arn:aws:kms:us-west-2:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab',
              'arn:aws:kms:us-west-2:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab',
            ],
          }),
        /kmsKeyArns\[1\]: got ".*mrk-.*"; allowed: each key ARN once/,
      ],
      [
        'an OIDC provider of another Region',
        plan(() => [
          new ExternalSecretsAddOn({
            oidcProviderArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF`,
          }),
        ]),
        /addons\.external-secrets\.oidcProviderArn: got ".*eu-west-1.*"; allowed: the OIDC provider of this cluster's issuer, oidc\.eks\.us-west-2\.amazonaws\.com/,
      ],
      [
        'an OIDC provider of another account',
        plan(() => [
          new ExternalSecretsAddOn({
            oidcProviderArn: 'arn:aws:iam::444455556666:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF',
          }),
        ]),
        /oidcProviderArn: got "arn:aws:iam::444455556666:.*"; allowed: an ARN of account 111122223333/,
      ],
      [
        'a platform namespace twice',
        () => new ExternalSecretsAddOn({ platformNamespaces: ['platform-system', 'platform-system'] }),
        /platformNamespaces\[1\]: got "platform-system"; allowed: each namespace once/,
      ],
    ],
    [
      [
        'a multi-Region key of this Region',
        plan(() => [
          new ExternalSecretsAddOn({ kmsKeyArns: ['arn:aws:kms:us-west-2:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab'] }),
        ]),
      ],
      [
        "this Region's provider",
        plan(() => [
          new ExternalSecretsAddOn({
            oidcProviderArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF`,
          }),
        ]),
      ],
    ],
  ],
  [
    'external-dns (zones, domains)',
    [
      [
        'a zone twice',
        () => new ExternalDnsAddOn({ hostedZoneIds: ['Z0123456789ABC', 'Z0123456789ABC'], domainFilters: ['apps.example.com'] }),
        /addons\.external-dns\.hostedZoneIds\[1\]: got "Z0123456789ABC"; allowed: each hosted zone id once/,
      ],
      [
        'a domain twice',
        () => new ExternalDnsAddOn({ hostedZoneIds: ['Z0123456789ABC'], domainFilters: ['apps.example.com', 'apps.example.com'] }),
        /domainFilters\[1\]: got "apps\.example\.com"; allowed: each domain once/,
      ],
    ],
    [
      [
        'two zones, two domains',
        () =>
          new ExternalDnsAddOn({ hostedZoneIds: ['Z0123456789ABC', 'Z0123456789ABD'], domainFilters: ['apps.example.com', 'example.org'] }),
      ],
    ],
  ],
  [
    'argo-cd managed (Identity Center)',
    [
      [
        'an Identity Center instance of another partition',
        plan(
          () => [new ArgoCdAddOn({ managed: true, identityCenter: { instanceArn: 'arn:aws-cn:sso:::instance/ssoins-0123456789abcdef' } })],
          { compute: 'auto' },
        ),
        /addons\.argo-cd\.identityCenter\.instanceArn: got "arn:aws-cn:sso:::instance\/ssoins-0123456789abcdef"; allowed: an ARN in partition aws/,
      ],
      [
        'an Identity Center Region of another partition',
        plan(
          () => [
            new ArgoCdAddOn({
              managed: true,
              identityCenter: { instanceArn: 'arn:aws:sso:::instance/ssoins-0123456789abcdef', region: 'cn-north-1' },
            }),
          ],
          { compute: 'auto' },
        ),
        /addons\.argo-cd\.identityCenter\.region: got "cn-north-1"; allowed: a Region of partition aws, like us-west-2/,
      ],
    ],
    [
      [
        'Identity Center in another Region of the partition',
        plan(
          () => [
            new ArgoCdAddOn({
              managed: true,
              identityCenter: { instanceArn: 'arn:aws:sso:::instance/ssoins-0123456789abcdef', region: 'eu-central-1' },
            }),
          ],
          { compute: 'auto' },
        ),
      ],
    ],
  ],
  [
    'karpenter (controller placement)',
    [
      [
        'no node group labelled for the controller',
        plan(() => [new KarpenterAddOn()], { compute: 'nodegroups', nodeGroups: [{ ...OPS_NODE_GROUP, labels: {} }] }),
        /addons\.karpenter\.nodeSelector: got \{"karpenter\.sh\/controller":"true"\}; allowed: labels that a node group carries/,
      ],
      [
        'a selector no group carries',
        plan(() => [new KarpenterAddOn({ nodeSelector: { role: 'karpenter' } })], { compute: 'nodegroups' }),
        /addons\.karpenter\.nodeSelector: got \{"role":"karpenter"\}/,
      ],
    ],
    [['the default ops group', plan(() => [new KarpenterAddOn()], { compute: 'nodegroups' })]],
  ],
])('%s', (_group, bad, good) => {
  test.each(bad.map(([name, build, expected]) => ({ name, build, expected })))('refuses $name', ({ build, expected }) => {
    expect(problemsOf(build)).toMatch(expected);
  });
  test.each(good.map(([name, build]) => ({ name, build })))('accepts $name', ({ build }) => {
    expect(problemsOf(build)).toBe('');
  });
});

test('every problem is reported at once: schema, cross-add-on and environment checks together', () => {
  const message = problemsOf(
    plan(() => [
      new StorageAddOn(),
      new EfsAddOn({ className: 'gp3' }),
      new AckAddOn({ services: ['s3'], permissionsBoundaryArn: 'arn:aws:iam::444455556666:policy/B' }),
      new ExternalSecretsAddOn({ kmsKeyArns: ['arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'] }),
    ]),
  );
  expect(message).toMatch(/creates StorageClass "gp3"/);
  expect(message).toMatch(/permissionsBoundaryArn/);
  expect(message).toMatch(/kmsKeyArns\[0\]/);
});

test('partitions by Region name (AWS General Reference, "AWS partitions")', () => {
  expect(
    [
      'us-west-2',
      'eu-central-1',
      'cn-north-1',
      'us-gov-west-1',
      'us-iso-east-1',
      'us-isob-east-1',
      'eu-isoe-west-1',
      'us-isof-south-1',
      'eusc-de-east-1',
    ].map(partitionOf),
  ).toEqual(['aws', 'aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc']);
});
