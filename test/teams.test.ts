import { Match } from 'aws-cdk-lib/assertions';

import { ConfigError, loadConfig } from '../lib/core/config';
import { composePlan } from '../lib/stacks/plan';
import { buildTestApp, kubernetesObjects, nagFindings, synth } from './helpers';
import { schemaProblems } from './support/kubernetes-schemas';

const ADMIN = 'arn:aws:iam::111122223333:role/Admin';
const PAY = 'arn:aws:iam::111122223333:role/PaymentsDev';
const AUDIT = 'arn:aws:iam::111122223333:role/Auditor';
const TEAMS = [
  { name: 'payments', principals: [PAY], access: 'admin', quota: { cpu: '8', memory: '16Gi', pods: 100 } },
  { name: 'web', namespaces: ['web-frontend', 'web-backend'], principals: [AUDIT], access: 'view' },
];

const accessPolicy = (name: string) => ({ 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(`/${name}$`)])] });

describe.each(['auto', 'nodegroups'])('teams on compute=%s', (compute) => {
  const app = synth({ compute, teams: TEAMS });
  const t = app.platformTemplate;
  const teamObjects = kubernetesObjects(t).filter((o) => o.metadata.labels?.['platform.cdk-eks/team']);

  test('a namespace per team namespace, with quota, default limits and network isolation', () => {
    const byNamespace = (ns: string) =>
      teamObjects
        .filter((o) => o.metadata.namespace === ns || (o.kind === 'Namespace' && o.metadata.name === ns))
        .map((o) => `${o.kind}/${o.metadata.name}`);
    for (const ns of ['payments', 'web-frontend', 'web-backend']) {
      expect(byNamespace(ns)).toEqual([
        `Namespace/${ns}`,
        'ResourceQuota/team-quota',
        'LimitRange/container-defaults',
        'NetworkPolicy/default-deny',
        'NetworkPolicy/allow-same-namespace',
        'NetworkPolicy/allow-dns',
      ]);
    }
  });

  test('quota from configuration, defaults otherwise', () => {
    const quotas = teamObjects.filter((o) => o.kind === 'ResourceQuota');
    expect(quotas.find((q) => q.metadata.namespace === 'payments')?.spec).toEqual({
      hard: { 'requests.cpu': '8', 'requests.memory': '16Gi', pods: '100', 'services.loadbalancers': '2' },
    });
    expect(quotas.find((q) => q.metadata.namespace === 'web-frontend')?.spec).toEqual({
      hard: { 'requests.cpu': '4', 'requests.memory': '8Gi', pods: '50', 'services.loadbalancers': '2' },
    });
  });

  test('default deny, except DNS to kube-dns and traffic inside the namespace', () => {
    const policies = teamObjects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'payments');
    expect(policies[0].spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(policies[1].spec).toMatchObject({ ingress: [{ from: [{ podSelector: {} }] }], egress: [{ to: [{ podSelector: {} }] }] });
    expect(policies[2].spec).toMatchObject({
      policyTypes: ['Egress'],
      egress: [
        {
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
      ],
    });
  });

  test('every team object is a valid Kubernetes object', () => {
    expect(schemaProblems(teamObjects)).toEqual([]);
  });

  test('a namespace-scoped access entry per principal with the policy of the access level', () => {
    t.hasResourceProperties('AWS::EKS::AccessEntry', {
      ClusterName: { 'Fn::ImportValue': 'dev-infra:ClusterName' },
      PrincipalArn: PAY,
      AccessPolicies: [{ AccessScope: { Type: 'namespace', Namespaces: ['payments'] }, PolicyArn: accessPolicy('AmazonEKSAdminPolicy') }],
    });
    t.hasResourceProperties('AWS::EKS::AccessEntry', {
      PrincipalArn: AUDIT,
      AccessPolicies: [
        { AccessScope: { Type: 'namespace', Namespaces: ['web-frontend', 'web-backend'] }, PolicyArn: accessPolicy('AmazonEKSViewPolicy') },
      ],
    });
  });

  test('access entries wait for the namespaces', () => {
    const entries = t.findResources('AWS::EKS::AccessEntry', { Properties: { PrincipalArn: PAY } });
    const manifests = Object.keys(t.findResources('Custom::AWSCDK-EKS-KubernetesResource')).filter((id) => id.startsWith('Teampayments'));
    expect(Object.values(entries)[0].DependsOn).toEqual(expect.arrayContaining(manifests));
  });

  test('the team namespaces are a stack output', () => {
    t.hasOutput('TeamNamespaces', { Value: 'payments,web-frontend,web-backend' });
  });

  test('zero unacknowledged nag findings', () => {
    expect(nagFindings(app)).toEqual([]);
  });
});

test('Auto Mode switches on its network policy controller when teams exist', () => {
  const configMap = kubernetesObjects(synth({ teams: TEAMS }).platformTemplate).find((o) => o.metadata.name === 'amazon-vpc-cni');
  expect(configMap).toMatchObject({ metadata: { namespace: 'kube-system' }, data: { 'enable-network-policy-controller': 'true' } });
  expect(kubernetesObjects(synth().platformTemplate).find((o) => o.metadata.name === 'amazon-vpc-cni')).toBeUndefined();
  synth().platformTemplate.hasOutput('TeamNamespaces', { Value: 'none' });
});

test('node groups: the VPC CNI enforces network policies', () => {
  synth({ compute: 'nodegroups' }).infraTemplate.hasResourceProperties('AWS::EKS::Addon', {
    AddonName: 'vpc-cni',
    ConfigurationValues: JSON.stringify({ enableNetworkPolicy: 'true' }),
  });
});

describe('rejected at synth', () => {
  test.each<[string, Record<string, unknown>, RegExp]>([
    [
      'a principal that already has an access entry',
      { clusterAdmins: PAY, teams: TEAMS },
      /teams\[0\]\.principals\[0\]: got "arn:aws:iam::111122223333:role\/PaymentsDev"; allowed: a principal without another access entry \(already given by clusterAdmins\[0\]\)/,
    ],
    [
      'a principal in two teams',
      { teams: [TEAMS[0], { name: 'ops', principals: [PAY] }] },
      /teams\[1\]\.principals\[0\]: .*already given by teams\[0\]\.principals\[0\]/,
    ],
    [
      'a namespace used by two teams',
      { teams: [TEAMS[0], { name: 'ops', namespaces: ['payments'], principals: [AUDIT] }] },
      /teams\[1\]\.namespaces: got "payments"; allowed: a namespace no other team uses \(team "payments" has it\)/,
    ],
    [
      'a system namespace',
      { teams: [{ name: 'ops', namespaces: ['kube-system'], principals: [AUDIT] }] },
      /teams\[0\]\.namespaces: got "kube-system"; allowed: a namespace that is not a system or platform namespace/,
    ],
    [
      'the platform namespace',
      { teams: [{ name: 'platform-system', principals: [AUDIT] }] },
      /teams\[0\]\.namespaces: got "platform-system"/,
    ],
    [
      'an add-on namespace',
      { addons: 'metrics-server,cert-manager', teams: [{ name: 'certs', namespaces: ['cert-manager'], principals: [AUDIT] }] },
      /teams\[0\]\.namespaces: got "cert-manager"; allowed: a namespace that is not a system or platform namespace \(.*cert-manager/,
    ],
    [
      'an unknown access level',
      { teams: [{ name: 'ops', principals: [AUDIT], access: 'owner' }] },
      /teams\[0\]\.access: got "owner"; allowed: admin, edit, view/,
    ],
    [
      'a bad quota',
      { teams: [{ name: 'ops', principals: [AUDIT], quota: { memory: 'lots' } }] },
      /teams\[0\]\.quota\.memory: got "lots"; allowed: a memory quantity/,
    ],
  ])('%s', (_name, context, message) => {
    expect(() => composePlan({ sampleWorkloads: false, ...context })).toThrow(ConfigError);
    expect(() => composePlan({ sampleWorkloads: false, ...context })).toThrow(message);
  });

  test('teams passed in code are checked against configuration', () => {
    const build = () => {
      const built = buildTestApp({ clusterAdmins: ADMIN }, { teams: [{ name: 'ops', principals: [ADMIN] }] });
      return built;
    };
    expect(build).toThrow(/already given by clusterAdmins\[0\]/);
  });

  test('teams default to their own namespace, edit access and the default quota', () => {
    expect(loadConfig({ teams: [{ name: 'ops', principals: [AUDIT] }] }).teams).toEqual([
      { name: 'ops', namespaces: ['ops'], principals: [AUDIT], access: 'edit', quota: { cpu: '4', memory: '8Gi', pods: 50 } },
    ]);
  });
});
