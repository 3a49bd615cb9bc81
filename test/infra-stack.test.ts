import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';

import { loadConfig } from '../lib/core/config';
import { LogsEncryptionKey } from '../lib/stacks/infra/encryption-key';
import { nagFindings, synth } from './helpers';
import type { AnyStatement } from './support/iam-policies';
import { allows, resolve, statements } from './support/iam-policies';

const ADMIN = 'arn:aws:iam::111122223333:role/Admin';
const OPS = 'arn:aws:iam::111122223333:role/Ops';
const DEV = 'arn:aws:iam::111122223333:role/Dev';

/** Matches the ARN aws-eks-v2 renders for an EKS access policy. */
const accessPolicy = (name: string) => ({
  'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(`:cluster-access-policy/${name}$`)])],
});

describe('VPC', () => {
  const { infraTemplate: t } = synth();

  test('public and private subnets in every AZ with the discovery tags', () => {
    t.resourceCountIs('AWS::EC2::Subnet', 6);
    for (const az of ['us-west-2a', 'us-west-2b', 'us-west-2c']) {
      t.hasResourceProperties('AWS::EC2::Subnet', {
        AvailabilityZone: az,
        MapPublicIpOnLaunch: false,
        Tags: Match.arrayWith([{ Key: 'kubernetes.io/role/elb', Value: '1' }]),
      });
      t.hasResourceProperties('AWS::EC2::Subnet', {
        AvailabilityZone: az,
        Tags: Match.arrayWith([
          { Key: 'karpenter.sh/discovery', Value: 'dev-eks' },
          { Key: 'kubernetes.io/role/internal-elb', Value: '1' },
        ]),
      });
    }
  });

  test('public subnets carry no internal-elb or karpenter tag', () => {
    const publicSubnets = Object.values(
      t.findResources('AWS::EC2::Subnet', {
        Properties: { Tags: Match.arrayWith([{ Key: 'aws-cdk:subnet-type', Value: 'Public' }]) },
      }),
    );
    expect(publicSubnets).toHaveLength(3);
    for (const subnet of publicSubnets) {
      const keys = (subnet.Properties.Tags as { Key: string }[]).map((tag) => tag.Key);
      expect(keys).not.toContain('kubernetes.io/role/internal-elb');
      expect(keys).not.toContain('karpenter.sh/discovery');
    }
  });

  test('DNS support, one NAT gateway in the workshop profile', () => {
    t.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16', EnableDnsHostnames: true, EnableDnsSupport: true });
    t.resourceCountIs('AWS::EC2::NatGateway', 1);
  });

  test('flow logs of all traffic to a KMS-encrypted log group with retention', () => {
    t.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'VPC',
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
      DeliverLogsPermissionArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('FlowLogRole'), 'Arn'] },
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: Match.absent(),
      RetentionInDays: 30,
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('LogsKey'), 'Arn'] },
    });
  });

  test('the default-security-group handler runs in the private subnets, after its ENI permissions and the NAT routes', () => {
    const handlers = t.findResources('AWS::Lambda::Function');
    const [handlerId] = Object.keys(handlers).filter((id) => id.startsWith('CustomVpcRestrictDefaultSG'));
    const securityGroupId = Object.keys(t.findResources('AWS::EC2::SecurityGroup')).find((id) =>
      id.startsWith('NetworkDefaultSecurityGroupHandler'),
    ) as string;
    const privateSubnets = Object.keys(t.findResources('AWS::EC2::Subnet'))
      .filter((id) => id.includes('privateSubnet'))
      .map((id) => ({ Ref: id }));
    expect(handlers[handlerId].Properties.VpcConfig).toEqual({
      SubnetIds: privateSubnets,
      SecurityGroupIds: [{ 'Fn::GetAtt': [securityGroupId, 'GroupId'] }],
    });
    t.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('default security group'),
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: Match.anyValue() }],
      SecurityGroupIngress: Match.absent(),
    });
    const [accessId] = Object.keys(
      t.findResources('AWS::IAM::ManagedPolicy', {
        Properties: { Roles: [{ Ref: Match.stringLikeRegexp('CustomVpcRestrictDefaultSG.*Role') }] },
      }),
    );
    expect(t.findResources('AWS::IAM::ManagedPolicy')[accessId].Properties.PolicyDocument.Statement[0].Action).toEqual(
      expect.arrayContaining(['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface']),
    );
    expect(handlers[handlerId].DependsOn).toContain(accessId);
    const [invocation] = Object.values(t.findResources('Custom::VpcRestrictDefaultSG'));
    expect(invocation.DependsOn).toEqual(
      expect.arrayContaining(Object.keys(t.findResources('AWS::EC2::Route')).filter((id) => id.includes('private'))),
    );
  });

  test('the flow-log role has no inline policy', () => {
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [Match.objectLike({ Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'] })],
        Version: '2012-10-17',
      },
    });
    expect(Object.keys(t.findResources('AWS::IAM::Policy'))).toEqual([]);
  });
});

describe('CloudWatch Logs key', () => {
  const { infraTemplate: t } = synth();
  const keyPolicy = (template: Template): AnyStatement[] =>
    Object.values(
      template.findResources('AWS::KMS::Key', { Properties: { Description: Match.stringLikeRegexp('CloudWatch Logs') } }),
    ).flatMap((key) => key.Properties.KeyPolicy.Statement as AnyStatement[]);
  const logsStatements = (template: Template) => keyPolicy(template).filter((s) => JSON.stringify(s.Principal ?? {}).includes('logs'));

  test('the documented key policy: regional logs principal, encryption context limited to log groups of this account and region', () => {
    expect(logsStatements(t)).toEqual([
      {
        Sid: 'CloudWatchLogsOfThisAccountAndRegion',
        Effect: 'Allow',
        Principal: { Service: 'logs.us-west-2.amazonaws.com' },
        Action: ['kms:Decrypt*', 'kms:Describe*', 'kms:Encrypt*', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
        Resource: '*',
        Condition: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': {
              'Fn::Join': ['', ['arn:aws:logs:us-west-2:', { Ref: 'AWS::AccountId' }, ':log-group:*']],
            },
          },
        },
      },
    ]);
    expect(JSON.stringify(keyPolicy(t))).not.toContain('"logs.amazonaws.com"');
  });

  test("CloudWatch Logs may encrypt every log group of the environment, and no other account's", () => {
    const policy = resolve(logsStatements(t)) as AnyStatement[];
    const context = (logGroup: string) => ({
      'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:us-west-2:111122223333:log-group:${logGroup}`,
    });
    for (const logGroup of [
      '/aws/eks/dev-eks/cluster',
      'dev-infra-NetworkFlowLogGroup4F8CEEEF-AbCdEf',
      '/aws/lambda/dev-platform-Handler-XyZ',
      'API-Gateway-Execution-Logs_abc123/prod',
    ]) {
      for (const action of ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:Encrypt', 'kms:ReEncryptFrom', 'kms:DescribeKey']) {
        expect(allows(policy, { action, resource: '*', context: context(logGroup) })).toBe(true);
      }
    }
    expect(
      allows(policy, {
        action: 'kms:Decrypt',
        resource: '*',
        context: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:us-west-2:444455556666:log-group:x' },
      }),
    ).toBe(false);
    expect(allows(policy, { action: 'kms:Decrypt', resource: '*' })).toBe(false);
  });

  test('region-agnostic stacks get the principal and condition from the deploy-time region, China its .cn domain', () => {
    const agnostic = new Stack(new App(), 'Agnostic');
    new LogsEncryptionKey(agnostic, 'Key', { aliasName: 'x' });
    const [statement] = logsStatements(Template.fromStack(agnostic));
    expect(statement.Principal).toEqual({
      Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]] },
    });
    expect(JSON.stringify(statement.Condition)).toContain('{"Ref":"AWS::Region"}');
    const china = new Stack(new App(), 'China', { env: { region: 'cn-north-1' } });
    new LogsEncryptionKey(china, 'Key', { aliasName: 'x' });
    const [cn] = logsStatements(Template.fromStack(china));
    expect(cn.Principal).toEqual({ Service: 'logs.cn-north-1.amazonaws.com.cn' });
    expect(JSON.stringify(cn.Condition)).toContain(':logs:cn-north-1:');
  });
});

describe('EKS cluster', () => {
  const { infraTemplate: t } = synth();

  test('API authentication, no implicit admin for the deployer, restricted endpoint', () => {
    t.hasResourceProperties('AWS::EKS::Cluster', {
      Name: 'dev-eks',
      Version: '1.35',
      AccessConfig: { AuthenticationMode: 'API', BootstrapClusterCreatorAdminPermissions: false },
      ResourcesVpcConfig: Match.objectLike({
        EndpointPrivateAccess: true,
        EndpointPublicAccess: true,
        PublicAccessCidrs: ['0.0.0.0/0'],
      }),
    });
  });

  test('all five control-plane log types into a pre-created encrypted log group', () => {
    t.hasResourceProperties('AWS::EKS::Cluster', {
      Logging: {
        ClusterLogging: {
          EnabledTypes: [
            { Type: 'api' },
            { Type: 'audit' },
            { Type: 'authenticator' },
            { Type: 'controllerManager' },
            { Type: 'scheduler' },
          ],
        },
      },
    });
    const groups = t.findResources('AWS::Logs::LogGroup', { Properties: { LogGroupName: '/aws/eks/dev-eks/cluster' } });
    const [logicalId] = Object.keys(groups);
    expect(groups[logicalId].Properties).toMatchObject({ RetentionInDays: 30, KmsKeyId: expect.anything() });
    t.hasResource('AWS::EKS::Cluster', { DependsOn: Match.arrayWith([logicalId]) });
  });

  test('Secrets are envelope-encrypted with a rotating customer-managed key', () => {
    const keys = t.findResources('AWS::KMS::Key', { Properties: { EnableKeyRotation: true } });
    expect(Object.keys(keys)).toHaveLength(2);
    const secretsKey = Object.keys(keys).find((id) => id.includes('SecretsKey'));
    t.hasResourceProperties('AWS::EKS::Cluster', {
      EncryptionConfig: [{ Provider: { KeyArn: { 'Fn::GetAtt': [secretsKey, 'Arn'] } }, Resources: ['secrets'] }],
    });
  });

  test('the control plane lives in the private subnets only', () => {
    const cluster = Object.values(t.findResources('AWS::EKS::Cluster'))[0];
    const subnetRefs = (cluster.Properties.ResourcesVpcConfig.SubnetIds as { Ref: string }[]).map((s) => s.Ref);
    expect(subnetRefs).toHaveLength(3);
    expect(subnetRefs.every((ref) => ref.includes('private'))).toBe(true);
  });

  test('InfraStack has no kubectl handler, layer or Kubernetes resource', () => {
    t.resourceCountIs('AWS::Lambda::LayerVersion', 0);
    expect(Object.keys(t.findResources('Custom::AWSCDK-EKS-KubernetesResource'))).toEqual([]);
    expect(Object.keys(t.findResources('Custom::AWSCDK-EKS-HelmChart'))).toEqual([]);
    // The only function is the VPC's restrict-default-security-group handler.
    const functions = Object.keys(t.findResources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(1);
    expect(functions[0]).toMatch(/CustomVpcRestrictDefaultSG/);
  });
});

describe('access entries', () => {
  const { infraTemplate: t } = synth({
    clusterAdmins: ADMIN,
    accessEntries: [
      { principalArn: OPS, policy: 'AmazonEKSViewPolicy', scope: 'cluster' },
      { principalArn: DEV, policy: 'AmazonEKSEditPolicy', scope: 'namespace', namespaces: ['team-a', 'team-b'] },
    ],
  });

  test('cluster admins get AmazonEKSClusterAdminPolicy cluster-wide', () => {
    t.hasResourceProperties('AWS::EKS::AccessEntry', {
      PrincipalArn: ADMIN,
      AccessPolicies: [{ AccessScope: { Type: 'cluster' }, PolicyArn: accessPolicy('AmazonEKSClusterAdminPolicy') }],
    });
  });

  test('a cluster-scoped entry', () => {
    t.hasResourceProperties('AWS::EKS::AccessEntry', {
      PrincipalArn: OPS,
      AccessPolicies: [{ AccessScope: { Type: 'cluster' }, PolicyArn: accessPolicy('AmazonEKSViewPolicy') }],
    });
  });

  test('a namespace-scoped entry', () => {
    t.hasResourceProperties('AWS::EKS::AccessEntry', {
      PrincipalArn: DEV,
      AccessPolicies: [
        {
          AccessScope: { Type: 'namespace', Namespaces: ['team-a', 'team-b'] },
          PolicyArn: accessPolicy('AmazonEKSEditPolicy'),
        },
      ],
    });
  });

  test('the kubectl role gets cluster admin here, in InfraStack', () => {
    t.hasResourceProperties('AWS::EKS::AccessEntry', {
      PrincipalArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('KubectlRole'), 'Arn'] },
      AccessPolicies: [{ AccessScope: { Type: 'cluster' }, PolicyArn: accessPolicy('AmazonEKSClusterAdminPolicy') }],
    });
    t.resourceCountIs('AWS::EKS::AccessEntry', 4);
  });

  test('the kubectl role is assumable by Lambda only and has a customer-managed policy', () => {
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })] },
      ManagedPolicyArns: [{ Ref: Match.stringLikeRegexp('KubectlRolePolicy') }],
    });
  });

  test('the kubectl role may pull oci:// charts from private ECR of this account and region, and nothing else there', () => {
    const policy = resolve(statements(t, 'KubectlRolePolicy')) as AnyStatement[];
    const repository = 'arn:aws:ecr:us-west-2:111122223333:repository/charts/podinfo';
    expect(allows(policy, { action: 'ecr:GetAuthorizationToken', resource: '*' })).toBe(true);
    for (const action of ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer']) {
      expect(allows(policy, { action, resource: repository })).toBe(true);
      expect(allows(policy, { action, resource: repository.replace('111122223333', '444455556666') })).toBe(false);
      expect(allows(policy, { action, resource: repository.replace('us-west-2', 'eu-west-1') })).toBe(false);
    }
    for (const action of ['ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:BatchDeleteImage', 'ecr:DescribeRepositories']) {
      expect(allows(policy, { action, resource: repository })).toBe(false);
    }
    expect(nagFindings(synth())).toEqual([]);
  });

  test('entry ids follow the principal, so reordering the list replaces nothing', () => {
    const reordered = synth({
      clusterAdmins: ADMIN,
      accessEntries: [
        { principalArn: DEV, policy: 'AmazonEKSEditPolicy', scope: 'namespace', namespaces: ['team-a', 'team-b'] },
        { principalArn: OPS, policy: 'AmazonEKSViewPolicy', scope: 'cluster' },
      ],
    }).infraTemplate;
    expect(Object.keys(reordered.findResources('AWS::EKS::AccessEntry')).sort()).toEqual(
      Object.keys(t.findResources('AWS::EKS::AccessEntry')).sort(),
    );
  });
});

describe('compute: EKS Auto Mode (default)', () => {
  const { infraTemplate: t } = synth();

  test('node pools system and general-purpose with an explicit node role', () => {
    t.hasResourceProperties('AWS::EKS::Cluster', {
      ComputeConfig: {
        Enabled: true,
        NodePools: ['system', 'general-purpose'],
        NodeRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('AutoModeNodeRole'), 'Arn'] },
      },
      StorageConfig: { BlockStorage: { Enabled: true } },
      KubernetesNetworkConfig: Match.objectLike({ ElasticLoadBalancing: { Enabled: true } }),
    });
  });

  test('the node role carries the minimal Auto Mode policies', () => {
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'ec2.amazonaws.com' } })] },
      ManagedPolicyArns: [
        { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('AmazonEKSWorkerNodeMinimalPolicy')])] },
        { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('AmazonEC2ContainerRegistryPullOnly')])] },
      ],
    });
  });

  test('no managed node groups and no core add-ons (built into Auto Mode)', () => {
    t.resourceCountIs('AWS::EKS::Nodegroup', 0);
    t.resourceCountIs('AWS::EKS::Addon', 0);
  });
});

describe('compute: managed node groups', () => {
  const { infraTemplate: t } = synth({ compute: 'nodegroups' });

  test('the default "ops" group: Bottlerocket, ON_DEMAND, 2/3/2 over the private subnets of every AZ, controller labels', () => {
    t.hasResourceProperties('AWS::EKS::Nodegroup', {
      NodegroupName: 'ops',
      AmiType: 'BOTTLEROCKET_x86_64',
      CapacityType: 'ON_DEMAND',
      InstanceTypes: ['m5.large', 't3.medium'],
      ScalingConfig: { MinSize: 2, MaxSize: 3, DesiredSize: 2 },
      Subnets: Object.keys(t.findResources('AWS::EC2::Subnet'))
        .filter((id) => id.includes('privateSubnet'))
        .map((id) => ({ Ref: id })),
      Labels: { 'workload-type': 'ops', 'karpenter.sh/controller': 'true' },
    });
  });

  test("node groups run the cluster's version, so an upgrade of the cluster rolls them after it", () => {
    // Without Version a node group stays on its old version when the control plane is upgraded.
    t.hasResourceProperties('AWS::EKS::Nodegroup', { NodegroupName: 'ops', Version: '1.35' });
    const cluster = Object.keys(t.findResources('AWS::EKS::Cluster'))[0];
    const [group] = Object.values(t.findResources('AWS::EKS::Nodegroup'));
    expect(JSON.stringify(group.Properties.ClusterName)).toContain(cluster);
    synth({ compute: 'nodegroups', kubernetesVersion: '1.36' }).infraTemplate.hasResourceProperties('AWS::EKS::Nodegroup', {
      Version: '1.36',
    });
  });

  test('Auto Mode is off and EKS does not bootstrap unmanaged add-ons', () => {
    t.hasResourceProperties('AWS::EKS::Cluster', {
      ComputeConfig: { Enabled: false },
      BootstrapSelfManagedAddons: false,
    });
  });

  test("core EKS managed add-ons: the documented version where AWS documents one, else EKS's default", () => {
    t.resourceCountIs('AWS::EKS::Addon', 4);
    t.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'kube-proxy', AddonVersion: 'v1.35.3-eksbuild.13' });
    for (const name of ['vpc-cni', 'coredns', 'eks-pod-identity-agent']) {
      t.hasResourceProperties('AWS::EKS::Addon', { AddonName: name, AddonVersion: Match.absent() });
    }
  });

  test('networking add-ons before the nodes, CoreDNS after them', () => {
    const groups = t.findResources('AWS::EKS::Nodegroup');
    const [groupId] = Object.keys(groups);
    const addonIds = (name: string) => Object.keys(t.findResources('AWS::EKS::Addon', { Properties: { AddonName: name } }));
    expect(groups[groupId].DependsOn).toEqual(
      expect.arrayContaining([...addonIds('vpc-cni'), ...addonIds('kube-proxy'), ...addonIds('eks-pod-identity-agent')]),
    );
    t.hasResource('AWS::EKS::Addon', { Properties: { AddonName: 'coredns' }, DependsOn: Match.arrayWith([groupId]) });
  });

  test('taints and several groups from configuration', () => {
    const custom = synth({
      compute: 'nodegroups',
      kubernetesVersion: '1.34',
      nodeGroups: [
        // Labelled for the Karpenter controller: the nodegroups default add-ons include Karpenter.
        {
          name: 'ops',
          amiType: 'BOTTLEROCKET_x86_64',
          instanceTypes: ['m5.large'],
          capacityType: 'SPOT',
          minSize: 1,
          maxSize: 3,
          desiredSize: 2,
          labels: { 'karpenter.sh/controller': 'true' },
        },
        {
          name: 'arm',
          amiType: 'BOTTLEROCKET_ARM_64',
          instanceTypes: ['m7g.large'],
          minSize: 0,
          maxSize: 5,
          taints: [{ key: 'arch', value: 'arm64', effect: 'NO_SCHEDULE' }],
        },
      ],
    }).infraTemplate;
    custom.resourceCountIs('AWS::EKS::Nodegroup', 2);
    custom.hasResourceProperties('AWS::EKS::Nodegroup', {
      NodegroupName: 'arm',
      CapacityType: 'ON_DEMAND',
      Taints: [{ Key: 'arch', Value: 'arm64', Effect: 'NO_SCHEDULE' }],
      ScalingConfig: { MinSize: 0, MaxSize: 5, DesiredSize: 0 },
    });
    custom.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'kube-proxy', AddonVersion: 'v1.34.6-eksbuild.13' });
    custom.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'coredns', AddonVersion: 'v1.12.4-eksbuild.1' });
  });
});

describe('production profile', () => {
  const { infraTemplate: t } = synth({ profile: 'production' });

  test('private endpoint, a NAT gateway per AZ, a year of logs', () => {
    t.hasResourceProperties('AWS::EKS::Cluster', {
      ResourcesVpcConfig: Match.objectLike({ EndpointPrivateAccess: true, EndpointPublicAccess: false }),
    });
    t.resourceCountIs('AWS::EC2::NatGateway', 3);
    t.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/eks/dev-eks/cluster', RetentionInDays: 365 });
  });
});

describe('environment name', () => {
  test('drives the cluster name, stack names and export prefix; CLI ids stay fixed', () => {
    const { infra, platform, infraTemplate } = synth({ environment: 'alice' });
    expect([infra.node.id, platform.node.id]).toEqual(['InfraStack', 'PlatformStack']);
    expect([infra.stackName, platform.stackName]).toEqual(['alice-infra', 'alice-platform']);
    infraTemplate.hasResourceProperties('AWS::EKS::Cluster', { Name: 'alice-eks' });
    infraTemplate.hasOutput('*', { Export: { Name: 'alice-infra:ClusterName' } });
  });
});

describe('cluster lifecycle: support type, deletion protection, zonal shift, control plane tier', () => {
  const clusterProps = (context: Record<string, unknown>) => synth(context).infraTemplate.findResources('AWS::EKS::Cluster');

  test('workshop: standard support (EKS upgrades at its end), deletable, no zonal shift, standard tier', () => {
    synth().infraTemplate.hasResourceProperties('AWS::EKS::Cluster', {
      UpgradePolicy: { SupportType: 'STANDARD' },
      DeletionProtection: false,
      ZonalShiftConfig: { Enabled: false },
      ControlPlaneScalingConfig: Match.absent(),
    });
  });

  test('production: extended support, deletion protection and zonal shift on', () => {
    synth({ profile: 'production' }).infraTemplate.hasResourceProperties('AWS::EKS::Cluster', {
      UpgradePolicy: { SupportType: 'EXTENDED' },
      DeletionProtection: true,
      ZonalShiftConfig: { Enabled: true },
    });
  });

  test('each key overrides its profile value; a provisioned tier sets ControlPlaneScalingConfig', () => {
    const [cluster] = Object.values(
      clusterProps({
        profile: 'production',
        supportType: 'STANDARD',
        deletionProtection: 'false',
        zonalShift: false,
        controlPlaneTier: 'tier-2xl',
      }),
    );
    expect(cluster.Properties).toMatchObject({
      UpgradePolicy: { SupportType: 'STANDARD' },
      DeletionProtection: false,
      ZonalShiftConfig: { Enabled: false },
      ControlPlaneScalingConfig: { Tier: 'tier-2xl' },
    });
  });

  test('tier-8xl, the largest provisioned tier, reaches ControlPlaneScalingConfig', () => {
    synth({ controlPlaneTier: 'tier-8xl' }).infraTemplate.hasResourceProperties('AWS::EKS::Cluster', {
      ControlPlaneScalingConfig: { Tier: 'tier-8xl' },
    });
  });

  test.each<[Record<string, unknown>, string]>([
    [{ supportType: 'standard' }, 'supportType: got "standard"; allowed: STANDARD, EXTENDED'],
    [{ deletionProtection: 'yes' }, 'deletionProtection: got "yes"; allowed: true, false'],
    [{ zonalShift: 1 }, 'zonalShift: got 1; allowed: true, false'],
    [{ controlPlaneTier: 'tier-16xl' }, 'controlPlaneTier: got "tier-16xl"; allowed: standard, tier-xl, tier-2xl, tier-4xl, tier-8xl'],
    [{ forceVersionUpdate: 'yes' }, 'forceVersionUpdate: got "yes"; allowed: true, false'],
  ])('rejects %j', (context, problem) => {
    expect(() => loadConfig(context)).toThrow(problem);
  });
});

describe('rollbackTimeoutMinutes: how long EKS lets a version rollback run (RollbackConfig)', () => {
  const cluster = (context: Record<string, unknown>) => Object.values(synth(context).infraTemplate.findResources('AWS::EKS::Cluster'))[0];

  test.each(['workshop', 'production'])('%s profile leaves RollbackConfig out (EKS default 720 minutes)', (profile) => {
    expect(cluster({ profile }).Properties).not.toHaveProperty('RollbackConfig');
  });

  test.each<[unknown, number]>([
    [120, 120],
    ['10080', 10080],
    [' 1440 ', 1440],
  ])('%j sets RollbackConfig.TimeoutMinutes %d', (value, minutes) => {
    expect(cluster({ rollbackTimeoutMinutes: value }).Properties).toMatchObject({ RollbackConfig: { TimeoutMinutes: minutes } });
  });

  test.each<[unknown, string]>([
    [119, 'rollbackTimeoutMinutes: got 119; allowed: an integer from 120 to 10080'],
    [10081, 'rollbackTimeoutMinutes: got 10081; allowed: an integer from 120 to 10080'],
    ['720.5', 'rollbackTimeoutMinutes: got "720.5"; allowed: an integer from 120 to 10080'],
    ['12h', 'rollbackTimeoutMinutes: got "12h"; allowed: an integer from 120 to 10080'],
  ])('rejects %j, naming the key, the value and the documented range', (value, problem) => {
    expect(() => loadConfig({ rollbackTimeoutMinutes: value })).toThrow(problem);
  });
});

describe('forceVersionUpdate: EKS overrides upgrade-blocking insights for one deploy', () => {
  const cluster = (context: Record<string, unknown>) => Object.values(synth(context).infraTemplate.findResources('AWS::EKS::Cluster'))[0];

  test('a plain deploy leaves Force out, so templates without the key do not change', () => {
    expect(cluster({}).Properties).not.toHaveProperty('Force');
    // "false" from the command line is the boolean false, not a truthy string.
    expect(cluster({ forceVersionUpdate: 'false' }).Properties).not.toHaveProperty('Force');
  });

  test('set (as upgrade.sh passes it, -c forceVersionUpdate=true) it sets Force: true', () => {
    expect(cluster({ forceVersionUpdate: 'true' }).Properties).toMatchObject({ Force: true });
    expect(cluster({ forceVersionUpdate: true }).Properties).toMatchObject({ Force: true });
  });
});
