import type { Template } from 'aws-cdk-lib/assertions';
import { Match } from 'aws-cdk-lib/assertions';
import { Annotations } from 'aws-cdk-lib/assertions';

import { controllerPlacementProblem, KARPENTER_CHART, KarpenterAddOn } from '../../addons/karpenter';
import { Problems } from '../../lib/core/config';
import { OPS_NODE_GROUP } from '../../lib/core/config/profiles';
import type { RenderedObject } from '../helpers';
import { helmReleases, kubernetesObjects, nagFindings, synth } from '../helpers';
import { deployAlone } from '../support/addon-fixture';
import type { AnyStatement, Statement } from '../support/iam-policies';
import {
  allows,
  list,
  policies as policiesWithPrefix,
  resolve,
  statementBySid,
  statements as statementsWithPrefix,
} from '../support/iam-policies';
import { schemaProblems } from '../support/kubernetes-schemas';

const PREFIX = 'AddOnskarpenter';
const policies = (template: Template) => policiesWithPrefix(template, PREFIX);
const statements = (template: Template): Statement[] => statementsWithPrefix(template, PREFIX);
const bySid = (template: Template, sid: string): Statement => statementBySid(template, PREFIX, sid);
const logicalId = (template: Template, type: string, prefix: string): string => {
  const id = Object.keys(template.findResources(type)).find((i) => i.startsWith(prefix));
  if (!id) throw new Error(`no ${type} ${prefix}`);
  return id;
};

/** Deploy-time values replaced by the longest plausible strings, to measure a policy as IAM does. */
function resolveLongest(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolveLongest);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ('Ref' in o)
      return (
        ({ 'AWS::Partition': 'aws-us-gov', 'AWS::Region': 'ap-southeast-2', 'AWS::AccountId': '123456789012' } as Record<string, string>)[
          o.Ref as string
        ] ?? 'x'.repeat(64)
      );
    if ('Fn::Join' in o) {
      const [separator, parts] = o['Fn::Join'] as [string, unknown[]];
      return parts.map(resolveLongest).join(separator);
    }
    if ('Fn::ImportValue' in o) return 'x'.repeat(40);
    if ('Fn::GetAtt' in o) return `arn:aws-us-gov:iam::123456789012:role/${'x'.repeat(64)}`;
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, resolveLongest(v)]));
  }
  return value;
}

/**
 * The statements (Sid and actions) of Karpenter's controller policies at v1.13: the CloudFormation
 * reference website/content/en/v1.13/reference/cloudformation.md of aws/karpenter-provider-aws.
 */
const UPSTREAM_STATEMENTS: Record<string, string[]> = {
  AllowScopedEC2InstanceAccessActions: ['ec2:CreateFleet', 'ec2:RunInstances'],
  AllowScopedEC2LaunchTemplateAccessActions: ['ec2:CreateFleet', 'ec2:RunInstances'],
  AllowScopedEC2InstanceActionsWithTags: ['ec2:CreateFleet', 'ec2:CreateLaunchTemplate', 'ec2:RunInstances'],
  AllowScopedResourceCreationTagging: ['ec2:CreateTags'],
  AllowScopedResourceTagging: ['ec2:CreateTags'],
  AllowScopedDeletion: ['ec2:DeleteLaunchTemplate', 'ec2:TerminateInstances'],
  AllowPassingInstanceRole: ['iam:PassRole'],
  AllowScopedInstanceProfileCreationActions: ['iam:CreateInstanceProfile'],
  AllowScopedInstanceProfileTagActions: ['iam:TagInstanceProfile'],
  AllowScopedInstanceProfileActions: ['iam:AddRoleToInstanceProfile', 'iam:DeleteInstanceProfile', 'iam:RemoveRoleFromInstanceProfile'],
  AllowAPIServerEndpointDiscovery: ['eks:DescribeCluster'],
  AllowInterruptionQueueActions: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
  AllowZonalShiftStatusReadOnly: ['arc-zonal-shift:GetManagedResource'],
  AllowRegionalReadActions: [
    'ec2:DescribeCapacityReservations',
    'ec2:DescribeImages',
    'ec2:DescribeInstanceStatus',
    'ec2:DescribeInstanceTypeOfferings',
    'ec2:DescribeInstanceTypes',
    'ec2:DescribeInstances',
    'ec2:DescribeLaunchTemplates',
    'ec2:DescribePlacementGroups',
    'ec2:DescribeSecurityGroups',
    'ec2:DescribeSpotPriceHistory',
    'ec2:DescribeSubnets',
  ],
  AllowSSMReadActions: ['ssm:GetParameter'],
  AllowPricingReadActions: ['pricing:GetProducts'],
  AllowUnscopedInstanceProfileListAction: ['iam:ListInstanceProfiles'],
  AllowInstanceProfileReadActions: ['iam:GetInstanceProfile'],
};

const ownObjects = (template: Template): RenderedObject[] =>
  kubernetesObjects(template).filter((o) => o.apiVersion.startsWith('karpenter.'));

describe('karpenter', () => {
  const app = deployAlone(new KarpenterAddOn(), { compute: 'nodegroups' });
  const template = app.template;
  const releases = helmReleases(template);
  const release = releases.karpenter;
  const queueId = logicalId(template, 'AWS::SQS::Queue', `${PREFIX}InterruptionQueue`);
  const nodeRoleId = logicalId(template, 'AWS::IAM::Role', `${PREFIX}NodeRole`);

  test('pinned OCI chart in kube-system, 2 replicas on the controller nodes, settings from this environment', () => {
    expect(release).toMatchObject({
      Chart: 'karpenter',
      Repository: 'oci://public.ecr.aws/karpenter/karpenter',
      Version: '1.13.0',
      Namespace: 'kube-system',
      Values: {
        replicas: 2,
        serviceAccount: { create: true, name: 'karpenter' },
        settings: { clusterName: '<deploy-time>', interruptionQueue: '<deploy-time>' },
        nodeSelector: { 'karpenter.sh/controller': 'true' },
      },
    });
    template.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', {
      Release: 'karpenter',
      Values: {
        'Fn::Join': ['', Match.arrayWith([{ 'Fn::ImportValue': 'dev-infra:ClusterName' }, { 'Fn::GetAtt': [queueId, 'QueueName'] }])],
      },
    });
  });

  test('the CRDs are their own release at the same version, installed first', () => {
    expect(releases['karpenter-crd']).toMatchObject({
      Chart: 'karpenter-crd',
      Repository: 'oci://public.ecr.aws/karpenter/karpenter-crd',
      Version: KARPENTER_CHART.version,
      Namespace: 'kube-system',
    });
    expect(release.DependsOn).toContain(releases['karpenter-crd'].logicalId);
  });

  test('the chart waits for Pod Identity, both policies, the queue and rules, the node role and its access entry', () => {
    expect(release.DependsOn).toEqual(
      expect.arrayContaining([
        logicalId(template, 'AWS::EKS::PodIdentityAssociation', PREFIX),
        ...Object.keys(policies(template)),
        queueId,
        ...Object.keys(template.findResources('AWS::Events::Rule')),
        nodeRoleId,
        logicalId(template, 'AWS::EKS::AccessEntry', PREFIX),
      ]),
    );
  });

  test('Pod Identity for kube-system/karpenter; its role carries both controller policies', () => {
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
      ClusterName: { 'Fn::ImportValue': 'dev-infra:ClusterName' },
      Namespace: 'kube-system',
      ServiceAccount: 'karpenter',
    });
    const roleId = logicalId(template, 'AWS::IAM::Role', `${PREFIX}PodIdentityRole`);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'pods.eks.amazonaws.com' } })] },
      ManagedPolicyArns: [{ Ref: logicalId(template, 'AWS::IAM::ManagedPolicy', `${PREFIX}PodIdentityPolicy`) }],
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', { Roles: [{ Ref: roleId }] });
    expect(Object.keys(policies(template))).toHaveLength(2);
  });

  test('interruption queue: encrypted, TLS only, 300 s retention, fed by the five EventBridge rules only', () => {
    template.hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: 300, SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Action: Match.arrayWith(['sqs:SendMessage']),
            Principal: { Service: 'events.amazonaws.com' },
            Condition: { ArnEquals: { 'aws:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
    const patterns = Object.values(template.findResources('AWS::Events::Rule')).map((r) => r.Properties.EventPattern);
    expect(patterns).toEqual(
      expect.arrayContaining([
        { source: ['aws.ec2'], 'detail-type': ['EC2 Spot Instance Interruption Warning'] },
        { source: ['aws.ec2'], 'detail-type': ['EC2 Instance Rebalance Recommendation'] },
        { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] },
        { source: ['aws.health'], 'detail-type': ['AWS Health Event'] },
        { source: ['aws.ec2'], 'detail-type': ['EC2 Capacity Reservation Instance Interruption Warning'] },
      ]),
    );
    expect(patterns).toHaveLength(5);
    for (const rule of Object.values(template.findResources('AWS::Events::Rule'))) {
      expect(rule.Properties.Targets).toEqual([expect.objectContaining({ Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } })]);
    }
  });

  test('the interruption queue has a dead-letter queue: encrypted, TLS only, 14 days, for this queue only', () => {
    const deadLetterId = logicalId(template, 'AWS::SQS::Queue', `${PREFIX}InterruptionDeadLetterQueue`);
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'dev-eks-karpenter-interruption',
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterId, 'Arn'] }, maxReceiveCount: 3 },
    });
    const deadLetter = template.findResources('AWS::SQS::Queue')[deadLetterId].Properties;
    expect(deadLetter).toMatchObject({
      MessageRetentionPeriod: 1209600,
      SqsManagedSseEnabled: true,
      RedriveAllowPolicy: { redrivePermission: 'byQueue' },
    });
    expect(resolve(deadLetter.RedriveAllowPolicy.sourceQueueArns)).toEqual([
      'arn:aws:sqs:us-west-2:111122223333:dev-eks-karpenter-interruption',
    ]);
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: deadLetterId }],
      PolicyDocument: { Statement: [Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })] },
    });
  });

  test('node role with the documented managed policies, joined by an EC2_LINUX access entry', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'ec2.amazonaws.com' } })] },
      ManagedPolicyArns: [
        'AmazonEKSWorkerNodePolicy',
        'AmazonEKS_CNI_Policy',
        'AmazonEC2ContainerRegistryPullOnly',
        'AmazonSSMManagedInstanceCore',
      ].map((name) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::aws:policy/${name}`]] })),
    });
    template.hasResourceProperties('AWS::EKS::AccessEntry', {
      ClusterName: { 'Fn::ImportValue': 'dev-infra:ClusterName' },
      PrincipalArn: { 'Fn::GetAtt': [nodeRoleId, 'Arn'] },
      Type: 'EC2_LINUX',
      AccessPolicies: [],
    });
  });

  test('the controller may pass only its node role, and only to EC2', () => {
    expect(bySid(template, 'AllowPassingInstanceRole')).toEqual({
      Sid: 'AllowPassingInstanceRole',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: { 'Fn::GetAtt': [nodeRoleId, 'Arn'] },
      Condition: { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com', 'ec2.amazonaws.com.cn'] } },
    });
  });

  test('every statement of the v1.13 reference policy, with its actions', () => {
    const bySidActions = Object.fromEntries(statements(template).map((st) => [st.Sid, list(st.Action).sort()]));
    expect(bySidActions).toEqual(UPSTREAM_STATEMENTS);
  });

  test('instances may launch into capacity reservations and placement groups, also shared ones', () => {
    const policy = resolve(statements(template)) as AnyStatement[];
    for (const action of ['ec2:RunInstances', 'ec2:CreateFleet']) {
      for (const resource of [
        'arn:aws:ec2:us-west-2:111122223333:capacity-reservation/cr-0123456789abcdef0',
        'arn:aws:ec2:us-west-2:444455556666:capacity-reservation/cr-0123456789abcdef0',
        'arn:aws:ec2:us-west-2:111122223333:placement-group/pg-0123456789abcdef0',
      ]) {
        expect(allows(policy, { action, resource })).toBe(true);
      }
      expect(allows(policy, { action, resource: 'arn:aws:ec2:eu-west-1:111122223333:capacity-reservation/cr-0123456789abcdef0' })).toBe(
        false,
      );
    }
  });

  test("instances and launch templates are created with, and terminated only with, this cluster's tags", () => {
    expect(bySid(template, 'AllowScopedEC2InstanceActionsWithTags').Condition).toEqual({
      StringEquals: { 'aws:RequestTag/kubernetes.io/cluster/dev-eks': 'owned', 'aws:RequestTag/eks:eks-cluster-name': 'dev-eks' },
      StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
    });
    expect(bySid(template, 'AllowScopedDeletion')).toMatchObject({
      Action: ['ec2:DeleteLaunchTemplate', 'ec2:TerminateInstances'],
      Condition: {
        StringEquals: { 'aws:ResourceTag/kubernetes.io/cluster/dev-eks': 'owned' },
        StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
      },
    });
    expect(bySid(template, 'AllowScopedInstanceProfileActions').Condition?.StringEquals).toEqual({
      'aws:ResourceTag/kubernetes.io/cluster/dev-eks': 'owned',
      'aws:ResourceTag/topology.kubernetes.io/region': { Ref: 'AWS::Region' },
    });
  });

  test('queue, cluster and AMI parameters: each action only on its one resource', () => {
    expect(bySid(template, 'AllowInterruptionQueueActions')).toMatchObject({
      Action: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
      Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
    });
    expect(bySid(template, 'AllowAPIServerEndpointDiscovery')).toMatchObject({
      Action: 'eks:DescribeCluster',
      Resource: {
        'Fn::Join': [
          '',
          ['arn:aws:eks:us-west-2:', { Ref: 'AWS::AccountId' }, ':cluster/', { 'Fn::ImportValue': 'dev-infra:ClusterName' }],
        ],
      },
    });
    expect(JSON.stringify(bySid(template, 'AllowSSMReadActions').Resource)).toContain('::parameter/aws/service/*');
  });

  test('"*" resources carry reads only; no ARN reaches into another account', () => {
    for (const statement of statements(template)) {
      for (const resource of list(statement.Resource)) {
        if (resource === '*') {
          expect(list(statement.Action).filter((a) => !/^[a-z0-9-]+:(Describe|Get|List)/.test(a))).toEqual([]);
        } else {
          const text = JSON.stringify(resource);
          // Public AMIs and their snapshots are owned by AWS: their ARNs have no account. Capacity
          // reservations and placement groups may be shared into this account by their owner.
          expect(
            text.includes('{"Ref":"AWS::AccountId"}') ||
              /::(image|snapshot|parameter)\//.test(text) ||
              /:\*:(capacity-reservation|placement-group)\//.test(text) ||
              text.includes('Fn::GetAtt'),
          ).toBe(true);
        }
      }
    }
  });

  test('each policy stays under the 6,144-character IAM limit, even for the longest environment name', () => {
    const longest = deployAlone(new KarpenterAddOn(), { compute: 'nodegroups', environment: 'a'.repeat(20) });
    for (const document of Object.values(policies(longest.template))) {
      expect(JSON.stringify(resolveLongest(document)).length).toBeLessThan(6144);
    }
  });

  test('default EC2NodeClass: node role, discovery-tagged subnets, the EKS cluster security group', () => {
    const nodeClass = ownObjects(template).find((o) => o.kind === 'EC2NodeClass');
    expect(nodeClass).toMatchObject({
      apiVersion: 'karpenter.k8s.aws/v1',
      metadata: { name: 'default' },
      spec: {
        role: '<deploy-time>',
        amiSelectorTerms: [{ alias: 'bottlerocket@latest' }],
        subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'dev-eks' } }],
        securityGroupSelectorTerms: [{ tags: { 'aws:eks:cluster-name': 'dev-eks' } }],
        metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 1 },
        tags: { 'platform:environment': 'dev' },
      },
    });
    template.hasResourceProperties('Custom::AWSCDK-EKS-KubernetesResource', {
      Manifest: { 'Fn::Join': ['', Match.arrayWith([{ Ref: nodeRoleId }])] },
    });
  });

  test('default NodePool: amd64 spot/on-demand c/m/r gen > 4, CPU limit, consolidation', () => {
    const nodePool = ownObjects(template).find((o) => o.kind === 'NodePool');
    expect(nodePool).toMatchObject({
      apiVersion: 'karpenter.sh/v1',
      metadata: { name: 'default' },
      spec: {
        template: {
          spec: {
            nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
            requirements: expect.arrayContaining([
              { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
              { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot', 'on-demand'] },
              { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm', 'r'] },
              { key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: ['4'] },
            ]),
          },
        },
        limits: { cpu: '100' },
        disruption: { consolidationPolicy: 'WhenEmptyOrUnderutilized' },
      },
    });
  });

  test('node class after the chart, node pool after the node class (deleted in reverse)', () => {
    const manifests = template.findResources('Custom::AWSCDK-EKS-KubernetesResource');
    const nodeClassId = Object.keys(manifests).find((id) => id.startsWith(`${PREFIX}NodeClass`)) as string;
    const nodePoolId = Object.keys(manifests).find((id) => id.startsWith(`${PREFIX}NodePool`)) as string;
    expect(manifests[nodeClassId].DependsOn).toEqual([release.logicalId]);
    expect(manifests[nodePoolId].DependsOn).toEqual([nodeClassId]);
  });

  test('both objects pass the Karpenter CRD schemas; a broken one does not', () => {
    const objects = ownObjects(template);
    expect(objects.map((o) => o.kind).sort()).toEqual(['EC2NodeClass', 'NodePool']);
    expect(schemaProblems(objects)).toEqual([]);
    const nodePool = objects.find((o) => o.kind === 'NodePool') as RenderedObject;
    const spec = nodePool.spec as Record<string, unknown>;
    expect(schemaProblems([{ ...nodePool, spec: { ...spec, disruption: { consolidationPolicy: 'Sometimes' } } }])).toEqual([
      expect.stringMatching(/NodePool default: .*consolidationPolicy/),
    ]);
  });

  test('zero unacknowledged nag findings', () => {
    expect(nagFindings(app)).toEqual([]);
  });
});

describe('karpenter controller availability', () => {
  const warnings = (context: Record<string, unknown>) =>
    Annotations.fromStack(deployAlone(new KarpenterAddOn(), { compute: 'nodegroups', ...context }).stack).findWarning(
      '*',
      Match.stringLikeRegexp('Karpenter controller'),
    );

  test('the default ops group holds both replicas through an interruption: ON_DEMAND, two nodes at least', () => {
    expect(OPS_NODE_GROUP).toMatchObject({ capacityType: 'ON_DEMAND', minSize: 2, labels: { 'karpenter.sh/controller': 'true' } });
    expect(controllerPlacementProblem([OPS_NODE_GROUP], { 'karpenter.sh/controller': 'true' })).toBeUndefined();
    expect(warnings({})).toEqual([]);
  });

  test("the chart's own spread, anti-affinity and PDB stay in force (not overridden)", () => {
    const values = helmReleases(deployAlone(new KarpenterAddOn(), { compute: 'nodegroups' }).template).karpenter.Values;
    expect(values.replicas).toBe(2);
    expect(Object.keys(values)).toEqual(expect.not.arrayContaining(['affinity', 'topologySpreadConstraints', 'podDisruptionBudget']));
  });

  test('a synth warning when the controller groups are spot or hold fewer than two nodes', () => {
    const ops = { ...OPS_NODE_GROUP, capacityType: 'SPOT', minSize: 1 };
    expect(warnings({ nodeGroups: [ops] })).toHaveLength(1);
    expect(controllerPlacementProblem([{ ...OPS_NODE_GROUP, capacityType: 'SPOT' }], { 'karpenter.sh/controller': 'true' })).toMatch(
      /fewer than 2 on-demand nodes/,
    );
    expect(controllerPlacementProblem([{ ...OPS_NODE_GROUP, minSize: 1 }], { 'karpenter.sh/controller': 'true' })).toMatch(
      /ops: ON_DEMAND 1\+/,
    );
    expect(controllerPlacementProblem([{ ...OPS_NODE_GROUP, labels: {} }], { 'karpenter.sh/controller': 'true' })).toMatch(
      /no node group carries/,
    );
  });
});

describe('karpenter options and compute modes', () => {
  test('CPU limit, AMI alias and a node selector that replaces the default', () => {
    const { template } = deployAlone(
      new KarpenterAddOn({
        nodePoolCpuLimit: 32,
        amiAlias: 'al2023@latest',
        nodeSelector: { 'workload-type': 'ops' },
        values: { logLevel: 'debug' },
      }),
      { compute: 'nodegroups' },
    );
    const objects = ownObjects(template);
    expect(objects.find((o) => o.kind === 'NodePool')?.spec).toMatchObject({ limits: { cpu: '32' } });
    expect(objects.find((o) => o.kind === 'EC2NodeClass')?.spec).toMatchObject({ amiSelectorTerms: [{ alias: 'al2023@latest' }] });
    expect(schemaProblems(objects)).toEqual([]);
    const values = helmReleases(template).karpenter.Values;
    expect(values.nodeSelector).toEqual({ 'workload-type': 'ops' });
    expect(values.logLevel).toBe('debug');
  });

  test('options from configuration are checked with their keys; so are props in code', () => {
    const p = new Problems();
    p.collect(() => KarpenterAddOn.registration.create({ nodePoolCpuLimit: 0, amiAlias: 'ubuntu@latest', nodeClass: 'x' }));
    expect(p.count).toBe(3);
    expect(() => p.throwIfAny()).toThrow(/addons\.karpenter\.nodePoolCpuLimit: got 0/);
    expect(() => p.throwIfAny()).toThrow(/addons\.karpenter\.amiAlias: got "ubuntu@latest"/);
    expect(() => p.throwIfAny()).toThrow(/addons\.karpenter\.nodeClass: got "x"; allowed: (a known key|one of the keys)/);
    const ok = new Problems();
    ok.collect(() =>
      KarpenterAddOn.registration.create({
        version: '1.13.1',
        nodePoolCpuLimit: 64,
        amiAlias: 'bottlerocket@v1.30.0',
        tolerations: [{ key: 'ops', operator: 'Exists', effect: 'NoSchedule' }],
      }),
    );
    expect(ok.count).toBe(0);
    expect(() => new KarpenterAddOn({ amiAlias: 'bottlerocket' })).toThrow(
      /addons\.karpenter\.amiAlias: got "bottlerocket"; allowed: an AMI alias/,
    );
    expect(() => new KarpenterAddOn({ version: '1.x' })).toThrow(/addons\.karpenter\.version: got "1\.x"; allowed: an exact chart version/);
  });

  test('on Auto Mode it is refused with the built-in alternative', () => {
    expect(() => synth({ compute: 'auto', addons: '' }, [new KarpenterAddOn()])).toThrow(/built into EKS Auto Mode/);
    expect(() => synth({ compute: 'auto', addons: '' }, [new KarpenterAddOn()])).toThrow(/general-purpose/);
  });
});
