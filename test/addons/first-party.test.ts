import { Match } from 'aws-cdk-lib/assertions';

import { AutoModeIngressAddOn } from '../../addons/auto-mode-ingress';
import { MetricsServerAddOn } from '../../addons/metrics-server';
import { StorageAddOn } from '../../addons/storage';
import { Problems } from '../../lib/core/config';
import { helmReleases, kubernetesObjects, nagFindings, synth } from '../helpers';
import { deployAlone } from '../support/addon-fixture';
import { schemaProblems } from '../support/kubernetes-schemas';

describe('metrics-server', () => {
  const { template } = deployAlone(
    new MetricsServerAddOn({ nodeSelector: { 'workload-type': 'ops' }, values: { args: ['--kubelet-insecure-tls=false'] } }),
  );

  test('pinned chart in kube-system, HA values, placement and user values merged', () => {
    const release = helmReleases(template)['metrics-server'];
    expect(release).toMatchObject({
      Chart: 'metrics-server',
      Repository: 'https://kubernetes-sigs.github.io/metrics-server',
      Version: '3.13.1',
      Namespace: 'kube-system',
      Values: {
        replicas: 2,
        podDisruptionBudget: { enabled: true, minAvailable: 1 },
        nodeSelector: { 'workload-type': 'ops' },
        tolerations: [],
        args: ['--kubelet-insecure-tls=false'],
      },
    });
    template.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', {
      ClusterName: { 'Fn::ImportValue': 'dev-infra:ClusterName' },
      Wait: true,
      CreateNamespace: true,
    });
  });

  test('chart settings are not leaked into Helm values', () => {
    const values = helmReleases(template)['metrics-server'].Values;
    expect(Object.keys(values)).not.toEqual(expect.arrayContaining(['chart', 'repository', 'version']));
  });

  test('rejects an inexact version and bad options', () => {
    expect(() => new MetricsServerAddOn({ version: '3.x' })).toThrow(
      /addons\.metrics-server\.version: got "3\.x"; allowed: an exact chart version, e\.g\. 1\.2\.3/,
    );
    const p = new Problems();
    p.collect(() => MetricsServerAddOn.registration.create({ replicas: 'two', nodeSelector: ['ops'] }));
    expect(p.count).toBe(2);
  });
});

describe('storage', () => {
  test('Auto Mode: default encrypted gp3 StorageClass on the built-in EBS driver, no add-on', () => {
    const { template } = deployAlone(new StorageAddOn());
    const [storageClass] = kubernetesObjects(template).filter((o) => o.kind === 'StorageClass');
    expect(storageClass).toMatchObject({
      metadata: { name: 'gp3', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'ebs.csi.eks.amazonaws.com',
      parameters: { type: 'gp3', encrypted: 'true' },
      volumeBindingMode: 'WaitForFirstConsumer',
    });
    template.resourceCountIs('AWS::EKS::Addon', 0);
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 0);
  });

  describe('node groups', () => {
    const { template } = deployAlone(new StorageAddOn(), { compute: 'nodegroups' });

    test("the EBS CSI driver add-on (EKS's default version: AWS documents none per Kubernetes version) with its Pod Identity, then the same StorageClass", () => {
      template.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'aws-ebs-csi-driver', AddonVersion: Match.absent() });
      template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
        Namespace: 'kube-system',
        ServiceAccount: 'ebs-csi-controller-sa',
        ClusterName: { 'Fn::ImportValue': 'dev-infra:ClusterName' },
      });
      const [storageClass] = kubernetesObjects(template).filter((o) => o.kind === 'StorageClass');
      expect(storageClass.provisioner).toBe('ebs.csi.aws.com');
    });

    test('the StorageClass waits for the driver, the driver for its Pod Identity', () => {
      const addonId = Object.keys(template.findResources('AWS::EKS::Addon'))[0];
      const associationId = Object.keys(template.findResources('AWS::EKS::PodIdentityAssociation'))[0];
      template.hasResource('AWS::EKS::Addon', { DependsOn: Match.arrayWith([associationId]) });
      template.hasResource('Custom::AWSCDK-EKS-KubernetesResource', { DependsOn: Match.arrayWith([addonId]) });
    });

    test('the driver role is assumable only by EKS Pod Identity and mutates only driver-tagged volumes', () => {
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({ Action: ['sts:AssumeRole', 'sts:TagSession'], Principal: { Service: 'pods.eks.amazonaws.com' } })],
        },
      });
      template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Sid: 'ManageOwnVolumes',
              Action: Match.arrayWith(['ec2:DeleteVolume', 'ec2:DetachVolume']),
              Condition: { StringEquals: { 'aws:ResourceTag/ebs.csi.aws.com/cluster': 'true' } },
            }),
          ]),
        },
      });
    });
  });
});

describe('auto-mode-ingress', () => {
  const { template } = deployAlone(new AutoModeIngressAddOn());

  test('the alb IngressClass points at EKS Auto Mode and its IngressClassParams', () => {
    const objects = kubernetesObjects(template).filter((o) => o.metadata.name === 'alb');
    expect(objects.map((o) => o.kind)).toEqual(['IngressClassParams', 'IngressClass']);
    expect(objects[0].spec).toEqual({ scheme: 'internet-facing' });
    expect(objects[1].spec).toEqual({
      controller: 'eks.amazonaws.com/alb',
      parameters: { apiGroup: 'eks.amazonaws.com', kind: 'IngressClassParams', name: 'alb' },
    });
  });

  test('options: an internal, non-default class', () => {
    const objects = new AutoModeIngressAddOn({ className: 'internal-alb', scheme: 'internal', isDefault: false }).manifests();
    expect(objects[0]).toMatchObject({ metadata: { name: 'internal-alb' }, spec: { scheme: 'internal' } });
    expect(objects[1].metadata.annotations).toEqual({ 'ingressclass.kubernetes.io/is-default-class': 'false' });
  });
});

describe('Kubernetes schemas', () => {
  test.each(['auto', 'nodegroups'])('every object the default platform renders is valid (%s)', (compute) => {
    const objects = kubernetesObjects(synth({ compute }).platformTemplate);
    expect(objects.length).toBeGreaterThan(2);
    expect(schemaProblems(objects)).toEqual([]);
  });

  test('a deliberately broken object fails', () => {
    const [storageClass] = kubernetesObjects(deployAlone(new StorageAddOn()).template).filter((o) => o.kind === 'StorageClass');
    expect(schemaProblems([{ ...storageClass, allowVolumeExpansion: 'yes' } as typeof storageClass])).toEqual([
      expect.stringMatching(/StorageClass gp3: .*allowVolumeExpansion/),
    ]);
    expect(
      schemaProblems([
        { apiVersion: 'eks.amazonaws.com/v1', kind: 'IngressClassParams', metadata: { name: 'alb' }, spec: { scheme: 'public' } },
      ]),
    ).toEqual([expect.stringMatching(/IngressClassParams alb: .*allowed values/)]);
    expect(schemaProblems([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }])).toEqual([
      'example.com/v1/Widget w: no schema',
    ]);
  });
});

test.each(['auto', 'nodegroups'])('the default add-ons have zero unacknowledged nag findings (%s)', (compute) => {
  expect(nagFindings(synth({ compute }))).toEqual([]);
});
