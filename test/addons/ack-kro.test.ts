import * as blueprints from '@aws-quickstart/eks-blueprints';

import { AckAddOn } from '../../addons/ack';
import { BlueprintsAddOn } from '../../addons/blueprints/blueprints-addon';
import { selectionProblems } from '../../addons/core/resolve';
import { KroAddOn } from '../../addons/kro';
import { kubernetesObjects, nagFindings } from '../helpers';
import { deployAlone } from '../support/addon-fixture';
import { expectCapabilityTrust, onlyCapability, problemsOf } from './capability-support';

const BOUNDARY = 'arn:aws:iam::111122223333:policy/AckBoundary';
const OWN_POLICY = 'arn:aws:iam::111122223333:policy/AckDynamoDb';

describe.each(['auto', 'nodegroups'])('ack on compute=%s', (compute) => {
  const app = deployAlone(
    new AckAddOn({
      services: ['s3', 'rds'],
      policyArns: [OWN_POLICY, 'arn:aws:iam::aws:policy/AmazonSQSFullAccess'],
      permissionsBoundaryArn: BOUNDARY,
      disabledServices: ['iam', 'ec2'],
      enableCrossNamespace: false,
    }),
    { compute },
  );
  const template = app.template;
  const capability = onlyCapability(template);

  test('an AWS::EKS::Capability of type ACK with its configuration (a property override: the 2.261 L1 lacks Ack)', () => {
    expect(capability.properties).toMatchObject({
      CapabilityName: 'ack',
      Type: 'ACK',
      DeletePropagationPolicy: 'RETAIN',
      ClusterName: { 'Fn::ImportValue': 'dev-infra:ClusterName' },
      Configuration: { Ack: { DisabledServices: ['iam', 'ec2'], EnableCrossNamespace: false } },
    });
  });

  test("the role: capability trust, the services' recommended policies plus the given ones, the boundary", () => {
    expectCapabilityTrust(template, capability.roleLogicalId);
    const role = template.findResources('AWS::IAM::Role')[capability.roleLogicalId].Properties;
    expect(role.PermissionsBoundary).toBe(BOUNDARY);
    const arns = JSON.stringify(role.ManagedPolicyArns);
    for (const expected of [
      'policy/AmazonS3FullAccess',
      'policy/AmazonRDSFullAccess',
      OWN_POLICY,
      'arn:aws:iam::aws:policy/AmazonSQSFullAccess',
    ]) {
      expect(arns).toContain(expected);
    }
    expect(role.ManagedPolicyArns).toHaveLength(4);
  });

  test('no access entry of ours (EKS creates it) and zero unacknowledged nag findings', () => {
    template.resourceCountIs('AWS::EKS::AccessEntry', 0);
    expect(nagFindings(app)).toEqual([]);
  });

  test("rds reads Secrets: AmazonEKSSecretReaderPolicy is associated with the capability's access entry, cluster-wide, after the capability", () => {
    const associations = Object.values(template.findResources('Custom::EksAccessPolicyAssociation'));
    expect(associations).toHaveLength(1);
    const create = JSON.stringify(associations[0].Properties.Create);
    expect(create).toContain('AssociateAccessPolicy');
    expect(create).toContain('cluster-access-policy/AmazonEKSSecretReaderPolicy');
    expect(create).toContain('\\"accessScope\\":{\\"type\\":\\"cluster\\"}');
    expect(create).toContain(capability.roleLogicalId);
    expect(JSON.stringify(associations[0].Properties.Delete)).toContain('DisassociateAccessPolicy');
    expect(associations[0].DependsOn).toContain(capability.logicalId);
  });
});

test('ack: secretReaderNamespaces scopes the secret reader; services that read no Secrets associate nothing', () => {
  const scoped = deployAlone(
    new AckAddOn({
      services: ['secretsmanager'],
      permissionsBoundaryArn: BOUNDARY,
      secretReaderNamespaces: ['payments'],
    }),
    { compute: 'auto' },
  ).template;
  const create = JSON.stringify(Object.values(scoped.findResources('Custom::EksAccessPolicyAssociation'))[0].Properties.Create);
  expect(create).toContain('\\"accessScope\\":{\\"type\\":\\"namespace\\",\\"namespaces\\":[\\"payments\\"]}');
  const none = deployAlone(new AckAddOn({ services: ['s3'], permissionsBoundaryArn: BOUNDARY }), { compute: 'auto' }).template;
  none.resourceCountIs('Custom::EksAccessPolicyAssociation', 0);
});

describe('ack options', () => {
  test('without configuration both missing settings are named', () => {
    expect(problemsOf(() => AckAddOn.registration.create({}))).toEqual([
      'addons.ack.policyArns: missing; services or policyArns is required (the capability role has no AWS permissions otherwise)',
      expect.stringMatching(/^addons\.ack\.permissionsBoundaryArn: missing; required/),
    ]);
  });

  test.each([
    ['services', { services: [] }],
    ['services', { services: [], policyArns: [] }],
    ['policyArns', { policyArns: [] }],
  ])('empty lists grant nothing either: %s is named (%j)', (key, lists) => {
    expect(problemsOf(() => AckAddOn.registration.create({ ...lists, permissionsBoundaryArn: BOUNDARY }))).toEqual([
      `addons.ack.${key}: got []; allowed: at least one entry in services or policyArns (the capability role has no AWS permissions otherwise)`,
    ]);
  });

  test('bad values, all of them, with what is allowed', () => {
    expect(
      problemsOf(() =>
        AckAddOn.registration.create({
          services: 's3,dynamo',
          policyArns: ['arn:aws:iam::123:policy/x'],
          permissionsBoundaryArn: 'AckBoundary',
          disabledServices: ['IAM'],
          enableCrossNamespace: 'yes',
          controllers: [],
        }),
      ),
    ).toEqual([
      expect.stringMatching(/^addons\.ack\.services\[1\]: got "dynamo"; allowed: s3, sqs, rds, secretsmanager, lambda/),
      expect.stringMatching(/^addons\.ack\.policyArns\[0\]: got "arn:aws:iam::123:policy\/x"; allowed: an IAM policy ARN/),
      expect.stringMatching(/^addons\.ack\.permissionsBoundaryArn: got "AckBoundary"; allowed: an IAM policy ARN/),
      expect.stringMatching(/^addons\.ack\.disabledServices\[0\]: got "IAM"; allowed: an ACK service name/),
      'addons.ack.enableCrossNamespace: got "yes"; allowed: true, false',
      expect.stringMatching(/^addons\.ack\.controllers: got \[\]; allowed: one of the keys services, policyArns/),
    ]);
  });

  test('more than 200 disabled services are refused', () => {
    const names = Array.from({ length: 201 }, (_, i) => `svc${i}`);
    expect(problemsOf(() => new AckAddOn({ policyArns: [OWN_POLICY], permissionsBoundaryArn: BOUNDARY, disabledServices: names }))).toEqual(
      [expect.stringMatching(/^addons\.ack\.disabledServices: .*allowed: a list of at most 200/)],
    );
  });

  test('the Blueprints ACK add-on conflicts with the capability', () => {
    const blueprintsAck = new BlueprintsAddOn(new blueprints.addons.AckAddOn({ serviceName: blueprints.AckServiceName.S3 }), {
      id: 's3-ack',
    });
    expect(selectionProblems([blueprintsAck, new AckAddOn({ services: ['s3'], permissionsBoundaryArn: BOUNDARY })], 'auto')).toEqual([
      '"s3-ack" conflicts with "ack": select only one of them',
    ]);
  });
});

describe.each(['auto', 'nodegroups'])('kro on compute=%s', (compute) => {
  const app = deployAlone(new KroAddOn({ clusterRole: 'edit' }), { compute });
  const template = app.template;
  const capability = onlyCapability(template);

  test('an AWS::EKS::Capability of type KRO without configuration; its role has no permissions', () => {
    expect(capability.properties).toMatchObject({ CapabilityName: 'kro', Type: 'KRO', DeletePropagationPolicy: 'RETAIN' });
    expect(capability.properties).not.toHaveProperty('Configuration');
    expectCapabilityTrust(template, capability.roleLogicalId);
    const role = template.findResources('AWS::IAM::Role')[capability.roleLogicalId].Properties;
    expect(role.ManagedPolicyArns).toBeUndefined();
    expect(role.Policies).toBeUndefined();
  });

  test("clusterRole binds kro's documented Kubernetes user (its role session KRO), after the capability", () => {
    const resources = Object.values(template.findResources('Custom::AWSCDK-EKS-KubernetesResource'));
    const raw = JSON.stringify(
      resources.find((r) => JSON.stringify(r.Properties.Manifest).includes('ClusterRoleBinding'))?.Properties.Manifest,
    );
    expect(raw).toContain(':sts::');
    expect(raw).toContain(':assumed-role/');
    expect(raw).toContain(`{"Ref":"${capability.roleLogicalId}"}`);
    expect(raw).toContain('/KRO');
    expect(raw).not.toContain('eks-access-entry:');
    const binding = kubernetesObjects(template).find((o) => o.kind === 'ClusterRoleBinding');
    expect(binding).toMatchObject({
      metadata: { name: 'eks-kro-capability-resources' },
      roleRef: { kind: 'ClusterRole', name: 'edit' },
      subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io' }],
    });
    const manifests = Object.values(template.findResources('Custom::AWSCDK-EKS-KubernetesResource'));
    expect(manifests.find((r) => JSON.stringify(r.Properties.Manifest).includes('ClusterRoleBinding'))?.DependsOn).toContain(
      capability.logicalId,
    );
  });

  test('zero unacknowledged nag findings', () => {
    expect(nagFindings(app)).toEqual([]);
  });
});

test('kro without clusterRole binds nothing; a bad ClusterRole name is refused', () => {
  const { template } = deployAlone(new KroAddOn(), { compute: 'auto' });
  expect(kubernetesObjects(template).filter((o) => o.kind === 'ClusterRoleBinding')).toEqual([]);
  expect(problemsOf(() => KroAddOn.registration.create({ clusterRole: 'Cluster Admin' }))).toEqual([
    expect.stringMatching(/^addons\.kro\.clusterRole: got "Cluster Admin"; allowed: the name of an existing ClusterRole/),
  ]);
});
