import * as blueprints from '@aws-quickstart/eks-blueprints';

import { ArgoCdAddOn } from '../../addons/argo-cd';
import { BlueprintsAddOn } from '../../addons/blueprints/blueprints-addon';
import { selectionProblems } from '../../addons/core/resolve';
import { kubernetesObjects, nagFindings, renderManifest } from '../helpers';
import { deployAlone } from '../support/addon-fixture';
import { schemaProblems } from '../support/kubernetes-schemas';
import { expectCapabilityTrust, onlyCapability, problemsOf } from './capability-support';

const IDC = { instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef', region: 'eu-west-1' };
const ADMINS = { role: 'ADMIN' as const, identities: [{ id: '686103e0-f051-7068-b225-e6392b959d9e', type: 'SSO_GROUP' as const }] };
const REPO = 'https://github.com/example/platform-gitops';

describe.each(['auto', 'nodegroups'])('managed argo-cd with a bootstrap on compute=%s', (compute) => {
  const app = deployAlone(
    new ArgoCdAddOn({
      managed: true,
      identityCenter: IDC,
      rbacRoleMappings: [ADMINS],
      vpceIds: ['vpce-0123456789abcdef0'],
      bootstrap: { repoUrl: REPO, path: 'apps' },
    }),
    { compute },
  );
  const template = app.template;
  const capability = onlyCapability(template);
  const objects = kubernetesObjects(template);

  test('an AWS::EKS::Capability of type ARGOCD with Identity Center, RBAC mappings and private access', () => {
    expect(capability.properties).toMatchObject({
      CapabilityName: 'argocd',
      ClusterName: { 'Fn::ImportValue': 'dev-infra:ClusterName' },
      Type: 'ARGOCD',
      DeletePropagationPolicy: 'RETAIN',
      Configuration: {
        ArgoCd: {
          Namespace: 'argocd',
          AwsIdc: { IdcInstanceArn: IDC.instanceArn, IdcRegion: 'eu-west-1' },
          RbacRoleMappings: [{ Role: 'ADMIN', Identities: [{ Id: '686103e0-f051-7068-b225-e6392b959d9e', Type: 'SSO_GROUP' }] }],
          NetworkAccess: { VpceIds: ['vpce-0123456789abcdef0'] },
        },
      },
    });
  });

  test('its role trusts only capabilities.eks.amazonaws.com (with sts:TagSession) and has no policies', () => {
    expectCapabilityTrust(template, capability.roleLogicalId);
    const role = template.findResources('AWS::IAM::Role')[capability.roleLogicalId];
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.Policies).toBeUndefined();
  });

  test("no Helm chart and no access entry of ours (EKS creates the capability role's)", () => {
    template.resourceCountIs('Custom::AWSCDK-EKS-HelmChart', 0);
    template.resourceCountIs('AWS::EKS::AccessEntry', 0);
  });

  test('the bootstrap: local cluster registered by ARN, the Application in the capability namespace targeting it', () => {
    const secret = objects.find((o) => o.kind === 'Secret');
    const application = objects.find((o) => o.kind === 'Application');
    expect(secret).toMatchObject({
      metadata: { name: 'in-cluster', namespace: 'argocd', labels: { 'argocd.argoproj.io/secret-type': 'cluster' } },
      stringData: { name: 'in-cluster', server: expect.stringMatching(/^arn:aws:eks:.*:cluster\//), project: 'default' },
    });
    expect(application).toMatchObject({
      metadata: { name: 'bootstrap', namespace: 'argocd' },
      spec: {
        source: { repoURL: REPO, path: 'apps' },
        destination: { server: (secret?.stringData as { server: string }).server, namespace: 'argocd' },
      },
    });
    expect(schemaProblems(objects.filter((o) => o.apiVersion.startsWith('argoproj.io/')))).toEqual([]);
  });

  test('the capability may deploy locally (RBAC for its access entry group) before the bootstrap, after the capability', () => {
    const manifests = Object.entries(template.findResources('Custom::AWSCDK-EKS-KubernetesResource'));
    const binding = manifests.find(([, r]) => renderManifest(r.Properties.Manifest).some((o) => o.kind === 'ClusterRoleBinding'));
    const bootstrap = manifests.find(([, r]) => renderManifest(r.Properties.Manifest).some((o) => o.kind === 'Application'));
    expect(binding?.[1].DependsOn).toContain(capability.logicalId);
    expect(bootstrap?.[1].DependsOn).toEqual(expect.arrayContaining([capability.logicalId, binding?.[0]]));
    expect(JSON.stringify(binding?.[1].Properties.Manifest)).toContain('eks-access-entry:');
  });

  test("by default, the EKS guide's production RBAC: read everything, write only in the capability namespace; never cluster-admin", () => {
    const rbac = objects.filter((o) => o.apiVersion === 'rbac.authorization.k8s.io/v1');
    const group = { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: expect.stringMatching(/^eks-access-entry:/) };
    expect(rbac.map((o) => [o.kind, o.metadata.name, o.metadata.namespace])).toEqual([
      ['ClusterRole', 'eks-argocd-capability-read', undefined],
      ['ClusterRoleBinding', 'eks-argocd-capability-read', undefined],
      ['Role', 'eks-argocd-capability-deploy', 'argocd'],
      ['RoleBinding', 'eks-argocd-capability-deploy', 'argocd'],
    ]);
    expect(rbac[0]).toMatchObject({ rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch'] }] });
    expect(rbac[1]).toMatchObject({ roleRef: { kind: 'ClusterRole', name: 'eks-argocd-capability-read' }, subjects: [group] });
    expect(rbac[2]).toMatchObject({ rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] });
    expect(rbac[3]).toMatchObject({ roleRef: { kind: 'Role', name: 'eks-argocd-capability-deploy' }, subjects: [group] });
    expect(JSON.stringify(rbac)).not.toContain('cluster-admin');
    expect(schemaProblems(rbac)).toEqual([]);
  });

  test('the capability namespace is created by the platform (EKS installs only the CRDs), before the bootstrap', () => {
    const manifests = Object.entries(template.findResources('Custom::AWSCDK-EKS-KubernetesResource'));
    const namespace = manifests.find(([, r]) =>
      renderManifest(r.Properties.Manifest).some((o) => o.kind === 'Namespace' && o.metadata.name === 'argocd'),
    );
    const bootstrap = manifests.find(([, r]) => renderManifest(r.Properties.Manifest).some((o) => o.kind === 'Application'));
    const objects = renderManifest(namespace?.[1].Properties.Manifest);
    expect(objects).toHaveLength(1);
    expect(objects[0]).toMatchObject({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'argocd', labels: { 'app.kubernetes.io/part-of': 'cdk-eks-platform', 'app.kubernetes.io/managed-by': 'cdk' } },
    });
    expect(bootstrap?.[1].DependsOn).toContain(namespace?.[0]);
    // The deploy Role and RoleBinding live in the namespace too.
    const access = manifests.find(([, r]) => renderManifest(r.Properties.Manifest).some((o) => o.kind === 'RoleBinding'));
    expect(access?.[1].DependsOn).toContain(namespace?.[0]);
  });

  test('zero unacknowledged nag findings', () => {
    expect(nagFindings(app)).toEqual([]);
  });
});

test("deployAccess cluster-admin: the capability's group is bound to cluster-admin, nothing narrower", () => {
  const template = deployAlone(
    new ArgoCdAddOn({
      managed: true,
      identityCenter: IDC,
      deployAccess: 'cluster-admin',
      bootstrap: { repoUrl: REPO, path: 'apps' },
    }),
    { compute: 'auto' },
  ).template;
  const rbac = kubernetesObjects(template).filter((o) => o.apiVersion === 'rbac.authorization.k8s.io/v1');
  expect(rbac).toEqual([
    expect.objectContaining({
      kind: 'ClusterRoleBinding',
      metadata: expect.objectContaining({ name: 'eks-argocd-capability-deploy' }),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: expect.stringMatching(/^eks-access-entry:/) }],
    }),
  ]);
});

describe('managed argo-cd without a bootstrap', () => {
  const template = deployAlone(new ArgoCdAddOn({ managed: true, identityCenter: { instanceArn: IDC.instanceArn }, namespace: 'gitops' }), {
    compute: 'auto',
  }).template;

  test('only the capability and its namespace: no RBAC, no bootstrap, region left to EKS', () => {
    expect(onlyCapability(template).properties).toMatchObject({
      Configuration: { ArgoCd: { Namespace: 'gitops', AwsIdc: { IdcInstanceArn: IDC.instanceArn } } },
    });
    expect(
      (onlyCapability(template).properties.Configuration as { ArgoCd: { AwsIdc: Record<string, unknown> } }).ArgoCd.AwsIdc,
    ).not.toHaveProperty('IdcRegion');
    expect(kubernetesObjects(template).filter((o) => ['Secret', 'Application', 'ClusterRoleBinding'].includes(o.kind))).toEqual([]);
  });

  test('the capability namespace exists without a bootstrap too', () => {
    expect(
      kubernetesObjects(template)
        .filter((o) => o.kind === 'Namespace')
        .map((o) => o.metadata.name),
    ).toContain('gitops');
  });

  test('declares the capability namespace and no chart version range', () => {
    const addon = new ArgoCdAddOn({ managed: true, identityCenter: IDC, namespace: 'gitops' });
    expect(addon.namespaces).toEqual(['gitops']);
    expect(addon.kubernetesVersions).toBeUndefined();
  });
});

describe('managed argo-cd options', () => {
  test('every missing setting and every chart option with managed: true, in one error', () => {
    expect(
      problemsOf(() =>
        ArgoCdAddOn.registration.create({ managed: 'true', ha: true, version: '9.0.0', values: {}, nodeSelector: {}, tolerations: [] }),
      ),
    ).toEqual([
      'addons.argo-cd.version: got "9.0.0"; allowed: nothing when managed is true (EKS runs the capability: no chart, values, pod placement or HA settings)',
      expect.stringMatching(/^addons\.argo-cd\.values: got \{\}; allowed: nothing when managed is true/),
      expect.stringMatching(/^addons\.argo-cd\.nodeSelector: got \{\}; allowed: nothing when managed is true/),
      expect.stringMatching(/^addons\.argo-cd\.tolerations: got \[\]; allowed: nothing when managed is true/),
      expect.stringMatching(/^addons\.argo-cd\.ha: got true; allowed: nothing when managed is true/),
      'addons.argo-cd.identityCenter.instanceArn: missing; required when managed is true (the capability signs users in through IAM Identity Center only)',
    ]);
  });

  test('capability options without managed: true are refused', () => {
    expect(
      problemsOf(
        () =>
          new ArgoCdAddOn({
            identityCenter: IDC,
            rbacRoleMappings: [ADMINS],
            namespace: 'gitops',
            vpceIds: ['vpce-0123456789abcdef0'],
            deployAccess: 'cluster-admin',
          }),
      ),
    ).toEqual(
      // In the order of the schema, which the options table of the docs follows too.
      ['identityCenter', 'rbacRoleMappings', 'namespace', 'deployAccess', 'vpceIds'].map((key) =>
        expect.stringMatching(new RegExp(`^addons\\.argo-cd\\.${key}: got .*; allowed: nothing unless managed is true`)),
      ),
    );
  });

  test('values AWS would reject are refused with the key, the value and what is allowed', () => {
    expect(
      problemsOf(() =>
        ArgoCdAddOn.registration.create({
          managed: true,
          identityCenter: { instanceArn: 'arn:aws:sso:::instance/ins-short', region: 'Europe' },
          rbacRoleMappings: [
            { role: 'OWNER', identities: [{ id: 'alice@example.com', type: 'IAM_USER' }] },
            { role: 'VIEWER', identities: [] },
          ],
          vpceIds: ['vpc-123'],
          deployAccess: 'admin',
        }),
      ),
    ).toEqual([
      expect.stringMatching(
        /^addons\.argo-cd\.identityCenter\.instanceArn: got "arn:aws:sso:::instance\/ins-short"; allowed: an IAM Identity Center instance ARN/,
      ),
      expect.stringMatching(/^addons\.argo-cd\.identityCenter\.region: got "Europe"; allowed: an AWS Region/),
      expect.stringMatching(/^addons\.argo-cd\.rbacRoleMappings\[0\]\.role: got "OWNER"; allowed: ADMIN, EDITOR, VIEWER/),
      expect.stringMatching(
        /^addons\.argo-cd\.rbacRoleMappings\[0\]\.identities\[0\]\.id: got "alice@example\.com"; allowed: an Identity Center user or group id/,
      ),
      expect.stringMatching(/^addons\.argo-cd\.rbacRoleMappings\[0\]\.identities\[0\]\.type: got "IAM_USER"; allowed: SSO_USER, SSO_GROUP/),
      expect.stringMatching(/^addons\.argo-cd\.rbacRoleMappings\[1\]\.identities: got \[\]; allowed: a list of at least one identity/),
      'addons.argo-cd.deployAccess: got "admin"; allowed: namespace, cluster-admin',
      expect.stringMatching(/^addons\.argo-cd\.vpceIds\[0\]: got "vpc-123"; allowed: a VPC endpoint id/),
    ]);
  });

  test('more than 1,000 identities are refused; 1,000 are accepted', () => {
    const identities = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        id: `686103e0-f051-7068-b225-${i.toString(16).padStart(12, '0')}`,
        type: 'SSO_USER' as const,
      }));
    expect(
      problemsOf(
        () => new ArgoCdAddOn({ managed: true, identityCenter: IDC, rbacRoleMappings: [{ role: 'VIEWER', identities: identities(1000) }] }),
      ),
    ).toEqual([]);
    expect(
      problemsOf(
        () => new ArgoCdAddOn({ managed: true, identityCenter: IDC, rbacRoleMappings: [{ role: 'VIEWER', identities: identities(1001) }] }),
      ),
    ).toEqual([expect.stringMatching(/^addons\.argo-cd\.rbacRoleMappings: .*allowed: .*at most 1000 identities/)]);
  });
});

describe('managed and self-managed Argo CD never both', () => {
  const managed = new ArgoCdAddOn({ managed: true, identityCenter: IDC });

  test('the Blueprints ArgoCD add-on under another id conflicts with argo-cd', () => {
    const gitops = new BlueprintsAddOn(new blueprints.addons.ArgoCDAddOn(), { id: 'gitops' });
    expect(selectionProblems([gitops, managed], 'auto')).toEqual(['"gitops" conflicts with "argo-cd": select only one of them']);
  });

  test('under its default id it is the same add-on selected twice', () => {
    const blueprintsArgo = new BlueprintsAddOn(new blueprints.addons.ArgoCDAddOn());
    expect(selectionProblems([blueprintsArgo, managed], 'auto')).toEqual(['"argo-cd" is selected twice: keep one (pass its options once)']);
  });
});
