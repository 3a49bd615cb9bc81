import type { Template } from 'aws-cdk-lib/assertions';
import { Match } from 'aws-cdk-lib/assertions';

import { ExternalSecretsAddOn } from '../../addons/external-secrets';
import { composePlan } from '../../lib/stacks/plan';
import type { RenderedObject } from '../helpers';
import { helmReleases, kubernetesObjects, nagFindings, synth } from '../helpers';
import { deployAlone } from '../support/addon-fixture';
import { schemaProblems } from '../support/kubernetes-schemas';

const ADMIN = 'arn:aws:iam::111122223333:role/TeamA';
/** team-ab is the near name: its prefix starts with team-a's name. */
const TEAMS = JSON.stringify([
  { name: 'team-a', principals: [ADMIN] },
  { name: 'team-ab', namespaces: ['ab-web', 'ab-jobs'], access: 'view' },
]);
const KEY = 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] };
type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

function resources(template: Template, type: string): Record<string, Resource> {
  return template.findResources(type) as Record<string, Resource>;
}

/** The `arn:...:secret:<name pattern>` a Fn::Join secret ARN ends in. */
function secretPattern(resource: unknown): string {
  const parts = (resource as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
  return parts
    .map((p) => (typeof p === 'string' ? p : '<token>'))
    .join('')
    .replace(/^.*:secret:/, '');
}

/** Each role of the template whose policy reads secrets: its trust subjects and its secret patterns. */
function secretReaders(template: Template): { subjects: string[]; patterns: string[]; actions: string[]; role: Resource }[] {
  const roles = resources(template, 'AWS::IAM::Role');
  const policies = resources(template, 'AWS::IAM::ManagedPolicy');
  const conditions = resources(template, 'Custom::AWSCDKCfnJson');
  return Object.values(roles).flatMap((role) => {
    const statement = (
      role.Properties.AssumeRolePolicyDocument as { Statement: { Condition?: { StringEquals?: { 'Fn::GetAtt'?: [string, string] } } }[] }
    ).Statement[0];
    const jsonId = statement.Condition?.StringEquals?.['Fn::GetAtt']?.[0];
    const policyIds = ((role.Properties.ManagedPolicyArns as { Ref?: string }[] | undefined) ?? [])
      .map((p) => p.Ref)
      .filter((id): id is string => id !== undefined);
    const statements = policyIds.flatMap(
      (id) => (policies[id]?.Properties.PolicyDocument as { Statement: Statement[] } | undefined)?.Statement ?? [],
    );
    const reads = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('secretsmanager:')));
    if (!jsonId || reads.length === 0) return [];
    const value = (conditions[jsonId].Properties.Value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1]
      .map((p) => (typeof p === 'string' ? p : 'ISSUER'))
      .join('');
    const parsed = JSON.parse(value) as Record<string, unknown>;
    return [
      {
        subjects: parsed['ISSUER:sub'] as string[],
        patterns: reads.map((s) => secretPattern(s.Resource)),
        actions: reads.flatMap((s) => [s.Action].flat()),
        role,
        aud: parsed['ISSUER:aud'],
      },
    ];
  });
}

/** IAM's wildcard match of a resource pattern (`*` any run of characters, `?` one). */
function iamMatches(pattern: string, name: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&')))
      .join('')}$`,
  );
  return regex.test(name);
}

describe.each(['auto', 'nodegroups'])('external-secrets on compute=%s', (compute) => {
  const app = synth({ compute, addons: 'external-secrets', teams: TEAMS });
  const template = app.platformTemplate;
  const objects = kubernetesObjects(template);
  const readers = secretReaders(template);
  const readerOf = (subject: string) => readers.find((r) => r.subjects.includes(subject));

  test('installs the pinned chart with its templated CRDs and no AWS identity for the controller', () => {
    const release = helmReleases(template)['external-secrets'];
    expect(release).toMatchObject({
      Chart: 'external-secrets',
      Repository: 'https://charts.external-secrets.io',
      Version: '2.10.0',
      Namespace: 'external-secrets',
    });
    expect(release.Values).toMatchObject({ installCRDs: true, serviceAccount: { create: true } });
    expect(JSON.stringify(release.Values)).not.toContain('role-arn');
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 0);
  });

  test('the chart aggregates its RBAC into view only: edit/admin holders get no write on stores', () => {
    // Chart default: all three true; edit/admin would get create/patch/delete on clustersecretstores.
    expect(helmReleases(template)['external-secrets'].Values).toMatchObject({
      rbac: { aggregateToView: true, aggregateToEdit: false, aggregateToAdmin: false },
    });
  });

  test("creates the cluster's IAM OIDC provider from InfraStack's issuer export", () => {
    template.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    template.hasResourceProperties('AWS::IAM::OIDCProvider', {
      Url: { 'Fn::ImportValue': 'dev-infra:OidcIssuerUrl' },
      ClientIdList: ['sts.amazonaws.com'],
    });
    app.infraTemplate.hasOutput('*', { Export: { Name: 'dev-infra:OidcIssuerUrl' } });
  });

  test('the platform store reads only <env>/platform/*, trusted by its service account in the controller namespace', () => {
    const reader = readerOf('system:serviceaccount:external-secrets:platform-secrets-reader');
    expect(reader).toMatchObject({
      subjects: ['system:serviceaccount:external-secrets:platform-secrets-reader'],
      patterns: ['dev/platform/*'],
      aud: 'sts.amazonaws.com',
    });
  });

  test('team A reads exactly <env>/team-a/*, trusted only by its store service account', () => {
    expect(readerOf('system:serviceaccount:team-a:team-secrets')).toMatchObject({
      subjects: ['system:serviceaccount:team-a:team-secrets'],
      patterns: ['dev/team-a/*'],
      actions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
    });
  });

  test('team AB (a near name) reads exactly <env>/team-ab/*, trusted by the store service account of each of its namespaces', () => {
    expect(readerOf('system:serviceaccount:ab-web:team-secrets')).toMatchObject({
      subjects: ['system:serviceaccount:ab-web:team-secrets', 'system:serviceaccount:ab-jobs:team-secrets'],
      patterns: ['dev/team-ab/*'],
    });
  });

  test("no role can read another owner's secrets; secret ARNs end in -XXXXXX, so only the trailing slash separates near names", () => {
    expect(readers).toHaveLength(3);
    const owner = (pattern: string) => pattern.split('/')[1];
    for (const reader of readers) {
      expect(reader.patterns).toHaveLength(1);
      const own = owner(reader.patterns[0]);
      for (const other of ['platform', 'team-a', 'team-ab'].filter((o) => o !== own)) {
        expect(iamMatches(reader.patterns[0], `dev/${other}/demo-AbCdEf`)).toBe(false);
      }
      expect(iamMatches(reader.patterns[0], `dev/${own}/demo-AbCdEf`)).toBe(true);
      expect(iamMatches(reader.patterns[0], `prod/${own}/demo-AbCdEf`)).toBe(false);
    }
    expect(iamMatches('dev/team-a/*', 'dev/team-ab/db-AbCdEf')).toBe(false);
    expect(iamMatches('dev/team-a*', 'dev/team-ab/db-AbCdEf')).toBe(true);
  });

  test('every trust policy is web identity through the OIDC provider: no role trusts the controller or another role', () => {
    for (const reader of readers) {
      expect(reader.role.Properties.AssumeRolePolicyDocument).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Action: 'sts:AssumeRoleWithWebIdentity',
            Effect: 'Allow',
            Principal: { Federated: { Ref: expect.stringMatching(/OidcProvider/) } },
            Condition: { StringEquals: { 'Fn::GetAtt': [expect.any(String), 'Value'] } },
          },
        ],
      });
    }
  });

  test('no policy of the stack grants sts:AssumeRole or reads secrets outside a store prefix', () => {
    const statements = Object.values(resources(template, 'AWS::IAM::ManagedPolicy')).flatMap(
      (p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
    );
    expect(statements.flatMap((s) => [s.Action].flat()).filter((a) => a.startsWith('sts:'))).toEqual([]);
    const secretStatements = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('secretsmanager:')));
    expect(secretStatements).toHaveLength(3);
    expect(secretStatements.map((s) => secretPattern(s.Resource)).sort()).toEqual(['dev/platform/*', 'dev/team-a/*', 'dev/team-ab/*']);
  });

  test("the platform ClusterSecretStore only serves platform namespaces and names its service account's namespace", () => {
    const store = objects.find((o) => o.kind === 'ClusterSecretStore') as RenderedObject;
    expect(store.spec).toEqual({
      provider: {
        aws: {
          service: 'SecretsManager',
          region: 'us-west-2',
          auth: { jwt: { serviceAccountRef: { name: 'platform-secrets-reader', namespace: 'external-secrets' } } },
        },
      },
      conditions: [{ namespaces: ['platform-system'] }],
    });
  });

  test('each team namespace has a SecretStore whose service account ESO resolves in that namespace', () => {
    const stores = objects.filter((o) => o.kind === 'SecretStore');
    expect(stores.map((s) => s.metadata.namespace).sort()).toEqual(['ab-jobs', 'ab-web', 'team-a']);
    for (const store of stores) {
      expect(store.spec).toEqual({
        provider: {
          aws: { service: 'SecretsManager', region: 'us-west-2', auth: { jwt: { serviceAccountRef: { name: 'team-secrets' } } } },
        },
      });
    }
    const accounts = objects.filter((o) => o.kind === 'ServiceAccount' && o.metadata.name === 'team-secrets');
    expect(accounts.map((a) => a.metadata.annotations?.['eks.amazonaws.com/role-arn'])).toEqual([
      '<deploy-time>',
      '<deploy-time>',
      '<deploy-time>',
    ]);
  });

  test('teams manage ExternalSecrets (view: read only) but cannot write stores; their access entries carry the team group', () => {
    const roles = objects.filter((o) => o.kind === 'Role' && o.metadata.name === 'external-secrets-user');
    const rulesOf = (ns: string) => roles.find((r) => r.metadata.namespace === ns)?.rules as { resources: string[]; verbs: string[] }[];
    expect(rulesOf('team-a')).toEqual([
      {
        apiGroups: ['external-secrets.io'],
        resources: ['externalsecrets'],
        verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
      },
      { apiGroups: ['external-secrets.io'], resources: ['secretstores'], verbs: ['get', 'list', 'watch'] },
    ]);
    expect(rulesOf('ab-web')[0].verbs).toEqual(['get', 'list', 'watch']);
    const binding = objects.find((o) => o.kind === 'RoleBinding' && o.metadata.namespace === 'team-a') as RenderedObject;
    expect(binding.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'platform-team:team-a' }]);
    template.hasResourceProperties('AWS::EKS::AccessEntry', { PrincipalArn: ADMIN, KubernetesGroups: ['platform-team:team-a'] });
  });

  test('team stores wait for the chart and the team namespaces', () => {
    const chartId = helmReleases(template)['external-secrets'].logicalId;
    const stores = Object.entries(resources(template, 'Custom::AWSCDK-EKS-KubernetesResource')).find(([id]) =>
      id.startsWith('TeamteamaAddOnexternalsecretsStores'),
    );
    expect(stores?.[1].DependsOn).toEqual(expect.arrayContaining([chartId, expect.stringMatching(/^TeamteamaNamespaces/)]));
  });

  test('rendered objects are schema-valid (ESO stores against local CRD schemas)', () => {
    const rendered = objects.filter(
      (o) => o.apiVersion === 'external-secrets.io/v1' || o.metadata.labels?.['app.kubernetes.io/managed-by'] === 'cdk',
    );
    expect(rendered.filter((o) => o.apiVersion === 'external-secrets.io/v1')).toHaveLength(4);
    expect(schemaProblems(rendered)).toEqual([]);
    const store = rendered.find((o) => o.kind === 'SecretStore') as RenderedObject;
    expect(schemaProblems([{ ...store, spec: { provider: { aws: { service: 'SecretManager' } } } }])).toEqual([
      expect.stringContaining('SecretStore team-secrets: data/spec/provider/aws/service must be equal to one of the allowed values'),
    ]);
  });

  test('the CfnJson resolver logs into a group of this stack, with the environment key', () => {
    const resolver = Object.keys(resources(template, 'AWS::Lambda::Function')).find((id) =>
      id.startsWith('AWSCDKCfnUtilsProvider'),
    ) as string;
    const group = template.findResources('AWS::Logs::LogGroup', {
      Properties: { LogGroupName: `/aws/lambda/dev-platform/${resolver}`, KmsKeyId: { 'Fn::ImportValue': 'dev-infra:LogsKeyArn' } },
    });
    expect(Object.keys(group)).toHaveLength(1);
    template.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: { LogGroup: { Ref: Object.keys(group)[0] } } });
  });

  test('the CfnJson resolver runs in the private subnets with HTTPS egress only (CT.LAMBDA.PR.3)', () => {
    const [id, handler] =
      Object.entries(resources(template, 'AWS::Lambda::Function')).find(([logicalId]) =>
        logicalId.startsWith('AWSCDKCfnUtilsProviderCustomResourceProviderHandler'),
      ) ?? [];
    expect(id).toBeDefined();
    expect(handler?.Properties.VpcConfig).toEqual({
      SubnetIds: [0, 1, 2].map((i) => ({ 'Fn::Select': [i, { 'Fn::Split': [',', { 'Fn::ImportValue': 'dev-infra:PrivateSubnetIds' }] }] })),
      SecurityGroupIds: [{ 'Fn::GetAtt': [expect.stringMatching(/^CfnJsonResolverSecurityGroup/), 'GroupId'] }],
    });
    expect(handler?.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^CfnJsonResolverVpcAccess/)]));
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('^Lambda that resolves CfnJson values'),
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443, IpProtocol: 'tcp' })],
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^AWSCDKCfnUtilsProviderCustomResourceProviderRole') }],
      PolicyDocument: { Statement: [Match.objectLike({ Action: Match.arrayWith(['ec2:CreateNetworkInterface']) })] },
    });
  });
});

describe('external-secrets options', () => {
  test('customer managed keys: decrypt through Secrets Manager only; an existing OIDC provider is reused', () => {
    const provider = 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF';
    const { template } = deployAlone(new ExternalSecretsAddOn({ kmsKeyArns: [KEY], oidcProviderArn: provider }));
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Federated: provider } })] },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'DecryptOwnSecrets',
            Effect: 'Allow',
            Action: 'kms:Decrypt',
            Resource: KEY,
            Condition: {
              StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
            },
          },
        ]),
      },
    });
  });

  test('declares its namespaces, its Kubernetes range and both compute modes', () => {
    const addon = new ExternalSecretsAddOn({ platformNamespaces: ['platform-system', 'argocd'] });
    expect(addon.namespaces).toEqual(['external-secrets', 'platform-system', 'argocd']);
    expect(addon.kubernetesVersions).toMatchObject({ min: '1.19' });
    expect(addon.computeModes).toEqual(['auto', 'nodegroups']);
  });

  test.each([
    [
      { kmsKeyArns: ['alias/aws/secretsmanager'] },
      /addons\.external-secrets\.kmsKeyArns\[0\]: got "alias\/aws\/secretsmanager"; allowed: KMS key ARNs/,
    ],
    [
      { oidcProviderArn: 'arn:aws:iam::111122223333:role/x' },
      /addons\.external-secrets\.oidcProviderArn: got "arn:aws:iam::111122223333:role\/x"; allowed: the ARN of the cluster's IAM OIDC provider/,
    ],
    [{ platformNamespaces: [] }, /addons\.external-secrets\.platformNamespaces: .*allowed: .*namespace/],
    [{ platformNamespaces: ['Platform'] }, /addons\.external-secrets\.platformNamespaces\[0\]: got "Platform"; allowed: /],
    [{ oidc: true }, /addons\.external-secrets\.oidc: got true; allowed: one of the keys/],
  ])('rejects %j', (options, message) => {
    expect(() => new ExternalSecretsAddOn(options as never)).toThrow(message);
  });

  test('a team may not own a namespace of the platform store', () => {
    expect(() =>
      composePlan(
        { addons: '', sampleWorkloads: false, teams: JSON.stringify([{ name: 'ops', namespaces: ['shared'] }]) },
        { addons: [new ExternalSecretsAddOn({ platformNamespaces: ['shared'] })] },
      ),
    ).toThrow(/teams\[0\]\.namespaces: got "shared"; allowed: a namespace that is not a system or platform namespace/);
  });

  test("a team may not be named after the platform's secrets", () => {
    expect(() => synth({ addons: 'external-secrets', teams: JSON.stringify([{ name: 'platform' }]) })).toThrow(
      /team "platform": got name "platform"; allowed: a team name other than the name of the platform's secrets/,
    );
  });
});

test('cdk-nag: no unacknowledged findings with teams', () => {
  expect(nagFindings(synth({ compute: 'auto', addons: 'external-secrets', teams: TEAMS }))).toEqual([]);
});
