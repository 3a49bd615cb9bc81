import { Match } from 'aws-cdk-lib/assertions';

import { EfsAddOn } from '../../addons/efs';
import { Problems } from '../../lib/core/config';
import { kubernetesObjects, nagFindings } from '../helpers';
import { deployAlone } from '../support/addon-fixture';
import type { AnyStatement, Request } from '../support/iam-policies';
import { allows, resolve, statements as statementsWithPrefix } from '../support/iam-policies';
import { schemaProblems } from '../support/kubernetes-schemas';

const CLUSTER_SG = { 'Fn::ImportValue': 'dev-infra:ClusterSecurityGroupId' };
const ACCOUNT_AP = 'arn:aws:elasticfilesystem:us-west-2:111122223333:access-point/fsap-0123456789abcdef0';
const OWNED = { 'aws:ResourceTag/efs.csi.aws.com/cluster': 'true' };
const REQUESTED = { 'aws:RequestTag/efs.csi.aws.com/cluster': 'true', 'aws:TagKeys': ['efs.csi.aws.com/cluster'] };

describe('efs', () => {
  describe.each(['auto', 'nodegroups'])('compute=%s, workshop profile', (compute) => {
    const app = deployAlone(new EfsAddOn(), { compute });
    const template = app.template;

    test("the aws-efs-csi-driver EKS add-on at EKS's default version, after its Pod Identity and file system", () => {
      template.resourceCountIs('AWS::EKS::Addon', 1);
      const [associationId] = Object.keys(template.findResources('AWS::EKS::PodIdentityAssociation'));
      const [fileSystemId] = Object.keys(template.findResources('AWS::EFS::FileSystem'));
      template.hasResource('AWS::EKS::Addon', {
        Properties: {
          AddonName: 'aws-efs-csi-driver',
          AddonVersion: Match.absent(),
          ClusterName: { 'Fn::ImportValue': 'dev-infra:ClusterName' },
        },
        DependsOn: Match.arrayWith([fileSystemId, associationId]),
      });
      template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
        Namespace: 'kube-system',
        ServiceAccount: 'efs-csi-controller-sa',
      });
    });

    test('an encrypted file system with its own rotated key, tagged for the environment, deleted with the stack', () => {
      template.resourceCountIs('AWS::EFS::FileSystem', 1);
      const [keyId] = Object.keys(template.findResources('AWS::KMS::Key', { Properties: { Description: 'EFS file system of dev-eks' } }));
      template.hasResource('AWS::EFS::FileSystem', {
        Properties: {
          Encrypted: true,
          KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
          PerformanceMode: 'generalPurpose',
          ThroughputMode: 'elastic',
          BackupPolicy: Match.absent(),
          FileSystemPolicy: Match.absent(),
          FileSystemTags: Match.arrayWith([
            { Key: 'Name', Value: 'dev-eks-efs' },
            { Key: 'platform:environment', Value: 'dev' },
          ]),
        },
        DeletionPolicy: 'Delete',
        UpdateReplacePolicy: 'Delete',
      });
      template.hasResource('AWS::KMS::Key', {
        Properties: { Description: 'EFS file system of dev-eks', EnableKeyRotation: true },
        DeletionPolicy: 'Delete',
      });
    });

    test('one mount target per private subnet, each behind the mount target security group only', () => {
      const targets = Object.values(template.findResources('AWS::EFS::MountTarget'));
      expect(targets).toHaveLength(3);
      expect(targets.map((t) => t.Properties.SubnetId['Fn::Select'][0]).sort()).toEqual([0, 1, 2]);
      for (const target of targets) {
        expect(target.Properties.SubnetId['Fn::Select'][1]).toEqual({
          'Fn::Split': [',', { 'Fn::ImportValue': 'dev-infra:PrivateSubnetIds' }],
        });
        expect(target.Properties.SecurityGroups).toHaveLength(1);
      }
    });

    test('the security group lets in NFS (TCP 2049) from the cluster security group and nothing else', () => {
      const groups = template.findResources('AWS::EC2::SecurityGroup', {
        Properties: { GroupDescription: Match.stringLikeRegexp('^EFS mount targets') },
      });
      const [[groupId, group]] = Object.entries(groups);
      expect(group.Properties.SecurityGroupIngress).toEqual([
        expect.objectContaining({ IpProtocol: 'tcp', FromPort: 2049, ToPort: 2049, SourceSecurityGroupId: CLUSTER_SG }),
      ]);
      expect(Object.keys(group.Properties.SecurityGroupIngress[0]).sort()).toEqual([
        'Description',
        'FromPort',
        'IpProtocol',
        'SourceSecurityGroupId',
        'ToPort',
      ]);
      expect(group.Properties.SecurityGroupEgress).toEqual([
        expect.objectContaining({ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic' }),
      ]);
      // No separate ingress resources add to it.
      const extra = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).filter((r) =>
        JSON.stringify(r.Properties.GroupId).includes(groupId),
      );
      expect(extra).toEqual([]);
      for (const target of Object.values(template.findResources('AWS::EFS::MountTarget'))) {
        expect(target.Properties.SecurityGroups).toEqual([{ 'Fn::GetAtt': [groupId, 'GroupId'] }]);
      }
    });

    test('a schema-valid StorageClass for dynamic access points in this file system, once the driver and mount targets are there', () => {
      const classes = kubernetesObjects(template).filter((o) => o.kind === 'StorageClass');
      expect(classes).toEqual([
        expect.objectContaining({
          apiVersion: 'storage.k8s.io/v1',
          metadata: expect.objectContaining({ name: 'efs' }),
          provisioner: 'efs.csi.aws.com',
          parameters: { provisioningMode: 'efs-ap', fileSystemId: '<deploy-time>', directoryPerms: '700' },
          reclaimPolicy: 'Delete',
          volumeBindingMode: 'Immediate',
        }),
      ]);
      const [addonId] = Object.keys(template.findResources('AWS::EKS::Addon'));
      const mountTargetIds = Object.keys(template.findResources('AWS::EFS::MountTarget'));
      const [fileSystemId] = Object.keys(template.findResources('AWS::EFS::FileSystem'));
      template.hasResource('Custom::AWSCDK-EKS-KubernetesResource', {
        Properties: { Manifest: { 'Fn::Join': ['', Match.arrayWith([{ Ref: fileSystemId }])] } },
        DependsOn: Match.arrayWith([addonId, ...mountTargetIds]),
      });
    });

    test('zero unacknowledged nag findings', () => {
      expect(nagFindings(app)).toEqual([]);
    });
  });

  test('the StorageClass object is valid against the Kubernetes schema', () => {
    const object = new EfsAddOn({ className: 'shared', directoryPerms: '0770' }).storageClass('fs-0123456789abcdef0');
    expect(schemaProblems([object])).toEqual([]);
    expect(schemaProblems([{ ...object, reclaimPolicy: 42 }])).not.toEqual([]);
    expect(object).toMatchObject({
      metadata: { name: 'shared' },
      parameters: { directoryPerms: '0770', fileSystemId: 'fs-0123456789abcdef0' },
    });
  });

  describe('production profile', () => {
    const app = deployAlone(new EfsAddOn(), { profile: 'production' });
    const template = app.template;

    test('keeps the file system and its key when the stack is deleted or the resource replaced, with automatic backups on', () => {
      template.hasResource('AWS::EFS::FileSystem', {
        Properties: { BackupPolicy: { Status: 'ENABLED' } },
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
      template.hasResource('AWS::KMS::Key', {
        Properties: { Description: 'EFS file system of dev-eks' },
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    });

    test('mount targets are not retained (the VPC can go), and nag has nothing to say', () => {
      for (const target of Object.values(template.findResources('AWS::EFS::MountTarget'))) {
        expect(target.DeletionPolicy).toBeUndefined();
      }
      expect(nagFindings(app)).toEqual([]);
    });
  });

  test('options override the profile: retainOnDelete, automaticBackups, provisioned throughput', () => {
    const { template } = deployAlone(
      new EfsAddOn({
        retainOnDelete: true,
        automaticBackups: true,
        throughputMode: 'provisioned',
        provisionedThroughputMibps: 64,
        performanceMode: 'maxIO',
      }),
    );
    template.hasResource('AWS::EFS::FileSystem', {
      Properties: {
        ThroughputMode: 'provisioned',
        ProvisionedThroughputInMibps: 64,
        PerformanceMode: 'maxIO',
        BackupPolicy: { Status: 'ENABLED' },
      },
      DeletionPolicy: 'Retain',
    });
  });

  describe("the driver's Pod Identity policy", () => {
    const { template } = deployAlone(new EfsAddOn(), { compute: 'nodegroups' });
    const [fileSystemId] = Object.keys(template.findResources('AWS::EFS::FileSystem'));
    const thisFileSystem = `<${fileSystemId}.Arn>`;
    const policy = resolve(statementsWithPrefix(template, 'AddOnsefs')) as AnyStatement[];
    const may = (action: string, resource: string, context: Request['context'] = {}) => allows(policy, { action, resource, context });

    test('grants every action of AmazonEFSCSIDriverPolicy and no other', () => {
      expect([...new Set(policy.flatMap((s) => [s.Action ?? []].flat()))].sort()).toEqual([
        'ec2:DescribeAvailabilityZones',
        'elasticfilesystem:CreateAccessPoint',
        'elasticfilesystem:DeleteAccessPoint',
        'elasticfilesystem:DescribeAccessPoints',
        'elasticfilesystem:DescribeFileSystems',
        'elasticfilesystem:DescribeMountTargets',
        'elasticfilesystem:TagResource',
      ]);
    });

    test("the driver's calls are allowed for this file system and its own access points", () => {
      expect(may('elasticfilesystem:DescribeFileSystems', thisFileSystem)).toBe(true);
      expect(may('elasticfilesystem:DescribeMountTargets', thisFileSystem)).toBe(true);
      expect(may('elasticfilesystem:DescribeAccessPoints', ACCOUNT_AP)).toBe(true);
      expect(may('elasticfilesystem:CreateAccessPoint', thisFileSystem, REQUESTED)).toBe(true);
      expect(
        may('elasticfilesystem:TagResource', ACCOUNT_AP, { ...REQUESTED, 'elasticfilesystem:CreateAction': 'CreateAccessPoint' }),
      ).toBe(true);
      expect(may('elasticfilesystem:DeleteAccessPoint', ACCOUNT_AP, OWNED)).toBe(true);
      expect(may('ec2:DescribeAvailabilityZones', '*')).toBe(true);
    });

    test('nothing without the ownership tag, in another file system, or by retagging', () => {
      const otherFileSystem = 'arn:aws:elasticfilesystem:us-west-2:111122223333:file-system/fs-0123456789abcdef0';
      expect(may('elasticfilesystem:CreateAccessPoint', otherFileSystem, REQUESTED)).toBe(false);
      expect(may('elasticfilesystem:DescribeFileSystems', otherFileSystem)).toBe(false);
      expect(may('elasticfilesystem:CreateAccessPoint', thisFileSystem)).toBe(false);
      expect(
        may('elasticfilesystem:CreateAccessPoint', thisFileSystem, { ...REQUESTED, 'aws:TagKeys': ['efs.csi.aws.com/cluster', 'team'] }),
      ).toBe(false);
      expect(
        may('elasticfilesystem:CreateAccessPoint', thisFileSystem, { ...REQUESTED, 'aws:RequestTag/efs.csi.aws.com/cluster': 'false' }),
      ).toBe(false);
      expect(may('elasticfilesystem:TagResource', ACCOUNT_AP, REQUESTED)).toBe(false);
      expect(
        may('elasticfilesystem:TagResource', thisFileSystem, { ...REQUESTED, 'elasticfilesystem:CreateAction': 'CreateAccessPoint' }),
      ).toBe(false);
      expect(may('elasticfilesystem:DeleteAccessPoint', ACCOUNT_AP)).toBe(false);
      expect(
        may(
          'elasticfilesystem:DeleteAccessPoint',
          'arn:aws:elasticfilesystem:eu-west-1:111122223333:access-point/fsap-0123456789abcdef0',
          OWNED,
        ),
      ).toBe(false);
      expect(may('elasticfilesystem:DeleteFileSystem', thisFileSystem, OWNED)).toBe(false);
    });
  });

  test('rejects bad options, naming the key, the value and what is allowed, all at once', () => {
    expect(() => new EfsAddOn({ throughputMode: 'provisioned' })).toThrow(
      /addons\.efs\.provisionedThroughputMibps: .*allowed: a number of MiB\/s, at least 1, when throughputMode is provisioned/,
    );
    expect(() => new EfsAddOn({ provisionedThroughputMibps: 10 })).toThrow(
      /addons\.efs\.provisionedThroughputMibps: got 10; allowed: nothing unless throughputMode is provisioned/,
    );
    expect(() => new EfsAddOn({ performanceMode: 'maxIO' })).toThrow(
      /addons\.efs\.performanceMode: got "maxIO"; allowed: generalPurpose with elastic throughput/,
    );
    expect(() => new EfsAddOn({ throughputMode: 'provisioned', provisionedThroughputMibps: 0.5 })).toThrow(
      /provisionedThroughputMibps: got 0\.5; allowed: a number of MiB\/s, at least 1/,
    );
    expect(() => new EfsAddOn({ performanceMode: 'maxIO', throughputMode: 'bursting' })).not.toThrow();
    const p = new Problems();
    p.collect(() =>
      EfsAddOn.registration.create({
        throughputMode: 'fast',
        directoryPerms: '0800',
        className: 'EFS',
        automaticBackups: 'yes',
        retain: true,
      }),
    );
    expect(p.count).toBe(5);
    expect(() => p.throwIfAny()).toThrow(/addons\.efs\.throughputMode: got "fast"; allowed: elastic, bursting, provisioned/);
    expect(() => p.throwIfAny()).toThrow(/addons\.efs\.directoryPerms: got "0800"; allowed: octal permissions/);
  });
});
