import { Match } from 'aws-cdk-lib/assertions';

import { ArgoCdAddOn } from '../../addons/argo-cd';
import type { RepositoryOptions } from '../../addons/argo-cd-repositories';
import { kubernetesObjects, nagFindings, planProblems, synth } from '../helpers';
import { deployAlone } from '../support/addon-fixture';
import { schemaProblems } from '../support/kubernetes-schemas';
import { onlyCapability } from './capability-support';

const IDC = { instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef' };
const SECRET = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:argocd/charts-AbCdEf';
const GIT_SECRET = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:argocd/github-Zx12Yw';
const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const ECR = 'oci://111122223333.dkr.ecr.eu-west-1.amazonaws.com/platform-charts';

const REPOSITORIES: RepositoryOptions[] = [
  { url: ECR, type: 'helm' },
  { url: 'oci://ghcr.io/example', type: 'helm', secretArn: SECRET, kmsKeyArn: KEY },
  { url: 'git@github.com:example', type: 'git', secretArn: GIT_SECRET },
];

const managed = (repositories: readonly RepositoryOptions[]) =>
  new ArgoCdAddOn({
    managed: true,
    identityCenter: IDC,
    repositories: [...repositories],
    bootstrap: { repoUrl: 'https://github.com/example/gitops', path: 'apps' },
  });

describe('managed argo-cd with private repositories', () => {
  const app = deployAlone(managed(REPOSITORIES));
  const template = app.template;
  const secrets = kubernetesObjects(template).filter((o) => o.kind === 'Secret' && o.metadata.name?.startsWith('repo-creds-'));

  test('one credential template per entry with a secret: type, url and the secret ARN, never a credential', () => {
    expect(secrets.map((s) => s.metadata.labels)).toEqual([
      expect.objectContaining({ 'argocd.argoproj.io/secret-type': 'repo-creds' }),
      expect.objectContaining({ 'argocd.argoproj.io/secret-type': 'repo-creds' }),
    ]);
    expect(secrets.map((s) => [s.metadata.namespace, s.stringData])).toEqual([
      // An OCI registry as Argo CD names it in an Application: no scheme, enableOCI.
      ['argocd', { type: 'helm', url: 'ghcr.io/example', secretArn: SECRET, enableOCI: 'true' }],
      ['argocd', { type: 'git', url: 'git@github.com:example', secretArn: GIT_SECRET }],
    ]);
  });

  test('the capability role reads exactly those secrets, decrypts through Secrets Manager only, and pulls from the ECR prefix', () => {
    const capability = onlyCapability(template);
    const role = template.findResources('AWS::IAM::Role')[capability.roleLogicalId];
    expect(role.Properties.ManagedPolicyArns).toEqual([{ Ref: expect.stringMatching(/RepositoryAccess/) }]);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 1);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          { Sid: 'ReadRepositoryCredentials', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: [SECRET, GIT_SECRET] },
          {
            Sid: 'DecryptRepositoryCredentials',
            Effect: 'Allow',
            Action: 'kms:Decrypt',
            Resource: KEY,
            Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } },
          },
          { Sid: 'EcrToken', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
          {
            Sid: 'PullCharts',
            Effect: 'Allow',
            Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecr:eu-west-1:111122223333:repository/platform-charts/*']] },
          },
        ],
      },
    });
  });

  test('the bootstrap Application is applied after the credentials it may need', () => {
    const manifests = template.findResources('Custom::AWSCDK-EKS-KubernetesResource');
    const credentials = Object.keys(manifests).find((id) => id.includes('RepositoryCredentials'));
    const bootstrap = Object.entries(manifests).find(([id]) => id.includes('Bootstrap'))?.[1];
    expect(credentials).toBeDefined();
    expect(bootstrap?.DependsOn).toEqual(expect.arrayContaining([credentials]));
  });

  test('cdk-nag: no findings (the ECR wildcards acknowledged on the policy, with their reason)', () => {
    expect(nagFindings(app)).toEqual([]);
  });

  test("a credential Secret's name follows its URL, not its place in the list", () => {
    const names = (repositories: readonly RepositoryOptions[]) =>
      kubernetesObjects(deployAlone(managed(repositories)).template)
        .filter((o) => o.kind === 'Secret' && o.metadata.name?.startsWith('repo-creds-'))
        .map((s) => `${(s.stringData as { url?: string } | undefined)?.url} ${s.metadata.name}`)
        .sort();
    expect(names([...REPOSITORIES].reverse())).toEqual(names(REPOSITORIES));
  });

  test('no repositories: no credential Secret and no policy', () => {
    const plain = deployAlone(managed([])).template;
    plain.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    expect(
      kubernetesObjects(plain)
        .filter((o) => o.kind === 'Secret')
        .map((s) => s.metadata.name),
    ).toEqual(['in-cluster']);
  });
});

describe('bad repositories are refused with the key, the value and what is allowed, all at once', () => {
  const problems = (repositories: unknown, extra: Record<string, unknown> = { managed: true, identityCenter: IDC }) =>
    planProblems({ sampleWorkloads: false, addons: { 'argo-cd': { ...extra, repositories } } });
  const at = (i: number, key: string) => `addons.argo-cd.repositories[${i}].${key}`;

  test.each([
    ['a git URL with oci://', { url: 'oci://ghcr.io/example', type: 'git', secretArn: SECRET }, at(0, 'url'), /allowed: a Git URL prefix/],
    [
      'a helm URL over ssh',
      { url: 'git@github.com:example', type: 'helm', secretArn: SECRET },
      at(0, 'url'),
      /allowed: a chart repository prefix/,
    ],
    [
      'credentials in the URL',
      { url: 'https://me:pw@charts.example.com', type: 'helm', secretArn: SECRET },
      at(0, 'url'),
      /no credentials in it/,
    ],
    [
      'no secret for a non-ECR repository',
      { url: 'https://charts.example.com', type: 'helm' },
      at(0, 'secretArn'),
      /missing; required for a repository other than a private ECR registry/,
    ],
    ['a secret for ECR', { url: ECR, type: 'helm', secretArn: SECRET }, at(0, 'secretArn'), /allowed: nothing for a private ECR registry/],
    ['a key for ECR', { url: ECR, type: 'helm', kmsKeyArn: KEY }, at(0, 'kmsKeyArn'), /allowed: nothing for a private ECR registry/],
    [
      'a secret ARN without its suffix',
      { url: 'https://charts.example.com', type: 'helm', secretArn: SECRET.slice(0, -7) },
      at(0, 'secretArn'),
      /allowed: the full ARN of a Secrets Manager secret/,
    ],
    [
      'a secret of another partition',
      {
        url: 'https://charts.example.com',
        type: 'helm',
        secretArn: SECRET.replace('arn:aws:', 'arn:aws-cn:').replace('eu-west-1', 'cn-north-1'),
      },
      at(0, 'secretArn'),
      /allowed: an ARN in partition aws/,
    ],
    [
      "a key outside the secret's Region",
      { url: 'https://charts.example.com', type: 'helm', secretArn: SECRET, kmsKeyArn: KEY.replace('eu-west-1', 'us-east-1') },
      at(0, 'kmsKeyArn'),
      /allowed: a key in eu-west-1, the secret's Region/,
    ],
    ['an unknown type', { url: 'https://charts.example.com', type: 'oci', secretArn: SECRET }, at(0, 'type'), /allowed: git, helm/],
  ])('%s', (_name, repository, key, allowed) => {
    const found = problems([repository]);
    expect(found).toEqual([expect.stringContaining(`${key}: `)]);
    expect(found[0]).toMatch(allowed);
  });

  test('the same URL twice', () => {
    const repository = { url: 'https://charts.example.com', type: 'helm', secretArn: SECRET };
    expect(problems([repository, repository])).toEqual([
      expect.stringMatching(/^addons\.argo-cd\.repositories\[1\]\.url: .*each url once \(it is item 0 already\)/),
    ]);
  });

  test('every problem of every entry at once', () => {
    expect(
      problems([
        { url: 'https://charts.example.com', type: 'helm' },
        { url: ECR, type: 'helm', secretArn: SECRET },
      ]),
    ).toEqual([
      expect.stringMatching(new RegExp(`^${at(0, 'secretArn').replace(/[[\].]/g, '\\$&')}: missing`)),
      expect.stringMatching(new RegExp(`^${at(1, 'secretArn').replace(/[[\].]/g, '\\$&')}: got`)),
    ]);
  });

  test('what the capability accepts is accepted: https, ssh:// and scp-like Git URLs, https and OCI chart repositories', () => {
    expect(
      problems([
        { url: 'https://github.com/example', type: 'git', secretArn: SECRET },
        { url: 'ssh://git@gitlab.example.com:2222/group', type: 'git', secretArn: SECRET },
        { url: 'git@github.com:example/repo.git', type: 'git', secretArn: SECRET },
        { url: 'https://charts.example.com/stable', type: 'helm', secretArn: SECRET },
        { url: 'oci://registry.example.com:5000/charts', type: 'helm', secretArn: SECRET },
        { url: 'oci://111122223333.dkr.ecr.us-east-1.amazonaws.com', type: 'helm' },
      ]),
    ).toEqual([]);
  });
});

describe('the policy matches the shape of what it grants', () => {
  test('an ECR registry without a prefix: every repository of that registry', () => {
    const template = deployAlone(managed([{ url: 'oci://111122223333.dkr.ecr.us-east-1.amazonaws.com', type: 'helm' }])).template;
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'PullCharts',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecr:us-east-1:111122223333:repository/*']] },
          }),
        ]),
      },
    });
  });
});

describe('self-managed argo-cd: the external-secrets add-on syncs the credentials', () => {
  // The default configuration's Region.
  const PLATFORM_SECRET = 'arn:aws:secretsmanager:us-west-2:111122223333:secret:dev/platform/charts-AbCdEf';
  const KEY_HERE = KEY.replace('eu-west-1', 'us-west-2');
  const ESO = { platformNamespaces: ['platform-system', 'argocd'] };
  const context = (
    delivery: string,
    repositories: unknown = [{ url: 'oci://ghcr.io/example', type: 'helm', secretArn: PLATFORM_SECRET }],
  ) => ({
    delivery,
    sampleWorkloads: false,
    addons: { 'metrics-server': {}, 'external-secrets': ESO, 'argo-cd': { repositories } },
  });

  describe.each(['helm', 'gitops'])('with delivery %s', (delivery) => {
    const app = synth(context(delivery));
    const template = app.platformTemplate;
    const resources = template.toJSON().Resources as Record<string, { Type: string; DependsOn?: string[] }>;
    const credentials = Object.keys(resources).find((id) => id.startsWith('DeferredargocdRepositoryCredentials'));

    test("an ExternalSecret of the platform store writes the credential template into Argo CD's namespace", () => {
      const secrets = kubernetesObjects(template).filter((o) => o.kind === 'ExternalSecret' && o.metadata.namespace === 'argocd');
      expect(secrets).toEqual([
        {
          apiVersion: 'external-secrets.io/v1',
          kind: 'ExternalSecret',
          metadata: { name: expect.stringMatching(/^repo-creds-[0-9a-f]{10}$/), namespace: 'argocd', labels: expect.any(Object) },
          spec: {
            refreshInterval: '1h',
            secretStoreRef: { kind: 'ClusterSecretStore', name: 'platform-secrets' },
            target: {
              name: secrets[0].metadata.name,
              template: {
                metadata: { labels: expect.objectContaining({ 'argocd.argoproj.io/secret-type': 'repo-creds' }) },
                mergePolicy: 'Merge',
                data: { type: 'helm', url: 'ghcr.io/example', enableOCI: 'true' },
              },
            },
            dataFrom: [{ extract: { key: PLATFORM_SECRET } }],
          },
        },
      ]);
      expect(schemaProblems(secrets)).toEqual([]);
    });

    test('applied after the external-secrets add-on and Argo CD, outside both (no cycle when Argo CD delivers ESO)', () => {
      expect(credentials).toBeDefined();
      const after = resources[credentials as string].DependsOn ?? [];
      expect(after).toEqual(
        expect.arrayContaining([expect.stringMatching(/^AddOnsexternalsecrets/), expect.stringMatching(/^AddOnsargocd/)]),
      );
    });

    test('cdk-nag: no findings', () => {
      expect(nagFindings(app)).toEqual([]);
    });
  });

  const problems = (repositories: unknown, eso: Record<string, unknown> = ESO) =>
    planProblems({ sampleWorkloads: false, addons: { 'external-secrets': eso, 'argo-cd': { repositories } } });
  const entry = (secretArn: string, extra: Record<string, unknown> = {}) => [
    { url: 'https://charts.example.com', type: 'helm', secretArn, ...extra },
  ];

  test('without the external-secrets add-on: refused, naming what to add', () => {
    expect(planProblems({ sampleWorkloads: false, addons: { 'argo-cd': { repositories: entry(PLATFORM_SECRET) } } })).toEqual([
      expect.stringMatching(/^addons: .*"argo-cd" needs "external-secrets" as configured, which is not selected: add "external-secrets"/),
    ]);
  });

  test.each([
    [
      'a secret outside <environment>/platform/',
      entry(PLATFORM_SECRET.replace('/platform/', '/team-a/')),
      /allowed: a secret named dev\/platform\/\.\.\./,
    ],
    ['a secret of another Region', entry(PLATFORM_SECRET.replace('us-west-2', 'eu-west-1')), /allowed: an ARN in us-west-2/],
    [
      'a key the store may not use',
      entry(PLATFORM_SECRET, { kmsKeyArn: KEY_HERE }),
      /allowed: a key listed in addons\.external-secrets\.kmsKeyArns/,
    ],
    ['a private ECR registry', [{ url: ECR, type: 'helm' }], /allowed: with the chart, no private ECR registry/],
  ])('%s is refused', (_name, repositories, allowed) => {
    const found = problems(repositories);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^addons\.argo-cd\.repositories\[0\]\./);
    expect(found[0]).toMatch(allowed);
  });

  test("a store that does not serve Argo CD's namespace is refused under the key that fixes it", () => {
    expect(problems(entry(PLATFORM_SECRET), {})).toEqual([
      expect.stringMatching(
        /^addons\.external-secrets\.platformNamespaces: got \["platform-system"\]; allowed: a list with argocd, Argo CD's namespace/,
      ),
    ]);
  });

  test('a key the store decrypts with is accepted', () => {
    expect(problems(entry(PLATFORM_SECRET, { kmsKeyArn: KEY_HERE }), { ...ESO, kmsKeyArns: [KEY_HERE] })).toEqual([]);
  });

  test('without credentials to sync nothing is deferred and nothing is required', () => {
    expect(new ArgoCdAddOn({}).deferred).toBeUndefined();
    expect(planProblems({ sampleWorkloads: false, addons: { 'argo-cd': { repositories: [] } } })).toEqual([]);
  });
});
