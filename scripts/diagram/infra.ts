import type { DiagramCluster, DiagramEdge, DiagramNode } from './dot';
import { cluster, safeId } from './dot';
import { drawScope } from './resources';
import type { Resource, StackTemplate } from './template';
import { prop, referencedIds, tag, text } from './template';

/*
 * InfraStack as a platform engineer draws it: the VPC with its subnets per AZ, NAT and flow logs;
 * the control plane with its keys and logs; the compute (Auto Mode node pools or managed node
 * groups). What has no picture of its own is drawn by the generic rules of ./resources.ts.
 */

export interface InfraDrawing {
  readonly cluster: DiagramCluster;
  readonly edges: DiagramEdge[];
  /** The node that stands for each logical id, for the export edges. */
  readonly owner: Map<string, string>;
}

/** The node everything internet-facing connects to (drawn outside both stacks). */
export const INTERNET: DiagramNode = { id: 'internet', title: 'Internet', category: 'contract' };

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

function subnetLines(subnet: Resource): string[] {
  return [text(subnet.properties.CidrBlock) ?? '?'];
}

function clusterNode(eks: Resource): Omit<DiagramNode, 'id'> {
  const vpc = (key: string): unknown => prop(eks, 'ResourcesVpcConfig', key);
  const publicCidrs = list(vpc('PublicAccessCidrs')).length;
  const endpoint =
    vpc('EndpointPublicAccess') === false
      ? 'private endpoint'
      : `public${publicCidrs ? ` (${publicCidrs} CIDRs)` : ''} + ${vpc('EndpointPrivateAccess') === true ? 'private' : 'no private'} endpoint`;
  const logTypes = list(prop(eks, 'Logging', 'ClusterLogging', 'EnabledTypes'))
    .map((t) => text((t as { Type?: unknown }).Type))
    .join(', ');
  const tier = text(prop(eks, 'ControlPlaneScalingConfig', 'Tier'));
  return {
    title: `EKS cluster ${text(eks.properties.Name) ?? ''}`.trim(),
    lines: [
      `Kubernetes ${text(eks.properties.Version) ?? '?'}`,
      endpoint,
      `authentication ${text(prop(eks, 'AccessConfig', 'AuthenticationMode')) ?? 'default'}`,
      `support ${text(prop(eks, 'UpgradePolicy', 'SupportType')) ?? 'EXTENDED (EKS default)'}`,
      ...(tier ? [`control plane tier ${tier}`] : []),
      ...(eks.properties.DeletionProtection === true ? ['deletion protection'] : []),
      ...(logTypes ? [`logs: ${logTypes}`] : []),
    ],
    category: 'eks',
  };
}

function nodeGroupNode(group: Resource): Omit<DiagramNode, 'id'> {
  const scaling = (key: string): string => text(prop(group, 'ScalingConfig', key)) ?? '?';
  const labels = Object.entries((group.properties.Labels ?? {}) as Record<string, unknown>)
    .map(([k, v]) => `${k}=${text(v)}`)
    .sort();
  const taints = list(group.properties.Taints).map((t) => {
    const { Key, Value, Effect } = t as Record<string, unknown>;
    return `${text(Key)}${Value !== undefined ? `=${text(Value)}` : ''}:${text(Effect)}`;
  });
  return {
    title: `Managed node group ${text(group.properties.NodegroupName) ?? ''}`.trim(),
    lines: [
      `${
        list(group.properties.InstanceTypes)
          .map((t) => text(t))
          .join(', ') || 'default instance type'
      } · ${text(group.properties.CapacityType) ?? 'ON_DEMAND'}`,
      `${text(group.properties.AmiType) ?? 'default AMI'} · min ${scaling('MinSize')} / desired ${scaling('DesiredSize')} / max ${scaling('MaxSize')}`,
      `in ${referencedIds(group.properties.Subnets).length} subnets`,
      ...labels.map((l) => `label ${l}`),
      ...taints.map((t) => `taint ${t}`),
    ],
    category: 'compute',
  };
}

export function drawInfra(stack: StackTemplate): InfraDrawing {
  const owner = new Map<string, string>();
  const edges: DiagramEdge[] = [];
  const all = stack.resources;
  const ofType = (type: string): Resource[] => all.filter((r) => r.type === type);
  const byId = new Map(all.map((r) => [r.logicalId, r]));
  const node = (target: DiagramCluster, key: string, n: Omit<DiagramNode, 'id'>, owned: readonly Resource[]): string => {
    const id = safeId(`infra_${key}`);
    target.nodes.push({ id, ...n });
    owned.forEach((r) => owner.set(r.logicalId, id));
    return id;
  };
  /** An edge from the node owning what `resource` refers to in `value` to `to`. */
  const fromReferenced = (value: unknown, to: string, label: string): void => {
    for (const ref of referencedIds(value)) {
      const from = owner.get(ref);
      if (from && from !== to) edges.push({ from, to, label });
    }
  };

  const root = cluster('infra', `InfraStack (${stack.stackName})`, '#f8fafc');

  // Network: subnets per AZ, each AZ's NAT gateway beside its public subnet.
  const vpc = ofType('AWS::EC2::VPC')[0];
  const network = cluster('infra_vpc', 'Network', '#eff6ff');
  root.clusters.push(network);
  const subnets = ofType('AWS::EC2::Subnet');
  const zones = [...new Set(subnets.map((s) => text(s.properties.AvailabilityZone) ?? '?'))].sort();
  const igw = ofType('AWS::EC2::InternetGateway')[0];
  const igwId = igw
    ? node(network, 'igw', { title: 'Internet gateway', category: 'network' }, [igw, ...ofType('AWS::EC2::VPCGatewayAttachment')])
    : undefined;
  if (vpc)
    node(network, 'vpc', { title: 'VPC', lines: [text(vpc.properties.CidrBlock) ?? '?', `${zones.length} AZs`], category: 'network' }, [
      vpc,
    ]);
  for (const zone of zones) {
    const az = cluster(`infra_az_${zone}`, zone, '#ffffff');
    network.clusters.push(az);
    for (const subnet of subnets.filter((s) => text(s.properties.AvailabilityZone) === zone)) {
      const type = tag(subnet, 'aws-cdk:subnet-type') ?? 'subnet';
      const related = all.filter(
        (r) =>
          r.path.startsWith(`${subnet.path.replace(/\/Subnet$/, '')}/`) &&
          r.type.startsWith('AWS::EC2::') &&
          r.type !== 'AWS::EC2::NatGateway',
      );
      const subnetId = node(
        az,
        `subnet_${subnet.path}`,
        { title: `${type} subnet ${tag(subnet, 'aws-cdk:subnet-name') ?? ''}`.trim(), lines: subnetLines(subnet), category: 'network' },
        related,
      );
      for (const nat of ofType('AWS::EC2::NatGateway').filter((n) => referencedIds(n.properties.SubnetId).includes(subnet.logicalId))) {
        const natId = node(az, `nat_${nat.path}`, { title: 'NAT gateway', category: 'network' }, [nat]);
        edges.push({ from: subnetId, to: natId, weak: true, label: 'in' });
        if (igwId) edges.push({ from: natId, to: igwId });
      }
    }
  }
  // Private subnets route through a NAT gateway (their own AZ's, or a shared one).
  for (const route of ofType('AWS::EC2::Route').filter((r) => r.properties.NatGatewayId !== undefined)) {
    const table = referencedIds(route.properties.RouteTableId)[0];
    const subnet = ofType('AWS::EC2::SubnetRouteTableAssociation').find((a) => referencedIds(a.properties.RouteTableId).includes(table));
    const from = owner.get(referencedIds(subnet?.properties.SubnetId)[0] ?? '');
    const to = owner.get(referencedIds(route.properties.NatGatewayId)[0] ?? '');
    if (from && to) edges.push({ from, to, label: 'egress' });
  }
  if (igwId) edges.push({ from: igwId, to: INTERNET.id });
  for (const flowLog of ofType('AWS::EC2::FlowLog')) {
    const group = byId.get(referencedIds(flowLog.properties.LogGroupName)[0] ?? '');
    const role = byId.get(referencedIds(flowLog.properties.DeliverLogsPermissionArn)[0] ?? '');
    const attached = new Set(role ? referencedIds(role.properties.ManagedPolicyArns) : []);
    const policies = all.filter(
      (p) =>
        p.type.startsWith('AWS::IAM::') &&
        p.type.endsWith('Policy') &&
        role &&
        (attached.has(p.logicalId) || referencedIds(p.properties.Roles).includes(role.logicalId)),
    );
    node(
      network,
      `flow_log_${flowLog.path}`,
      {
        title: 'VPC flow log',
        lines: [
          `traffic ${text(flowLog.properties.TrafficType) ?? '?'} → CloudWatch Logs`,
          ...(group ? [`retention ${text(group.properties.RetentionInDays) ?? 'forever'} days`] : []),
        ],
        category: 'logs',
      },
      [flowLog, ...(group ? [group] : []), ...(role ? [role] : []), ...policies],
    );
  }

  for (const key of ofType('AWS::KMS::Key')) {
    node(
      root,
      `key_${key.path}`,
      {
        title: 'KMS key',
        lines: [
          text(key.properties.Description) ?? key.path,
          key.properties.EnableKeyRotation === true ? 'yearly rotation' : 'no rotation',
        ],
        category: 'security',
      },
      [key, ...all.filter((a) => a.type === 'AWS::KMS::Alias' && referencedIds(a.properties.TargetKeyId).includes(key.logicalId))],
    );
  }

  const control = cluster('infra_control_plane', 'EKS control plane', '#fffbeb');
  root.clusters.push(control);
  const eks = ofType('AWS::EKS::Cluster')[0];
  const eksId = eks ? node(control, 'cluster', clusterNode(eks), [eks]) : undefined;

  const compute = cluster(
    'infra_compute',
    eks?.properties.ComputeConfig && prop(eks, 'ComputeConfig', 'Enabled') === true
      ? 'Compute: EKS Auto Mode'
      : 'Compute: managed node groups',
    '#fff7ed',
  );
  root.clusters.push(compute);
  const computeIds: string[] = [];
  if (eks && prop(eks, 'ComputeConfig', 'Enabled') === true) {
    for (const pool of list(prop(eks, 'ComputeConfig', 'NodePools')).map((p) => text(p) ?? '?')) {
      computeIds.push(
        node(
          compute,
          `node_pool_${pool}`,
          { title: `Auto Mode node pool ${pool}`, lines: ['EKS-managed Karpenter, Bottlerocket'], category: 'compute' },
          [],
        ),
      );
    }
  }
  for (const group of ofType('AWS::EKS::Nodegroup')) {
    computeIds.push(node(compute, `node_group_${group.path}`, nodeGroupNode(group), [group]));
  }
  // The node role is drawn with the compute that uses it.
  const nodeRoleIds = [
    ...new Set([
      ...(eks ? referencedIds(prop(eks, 'ComputeConfig', 'NodeRoleArn')) : []),
      ...ofType('AWS::EKS::Nodegroup').flatMap((g) => referencedIds(g.properties.NodeRole)),
    ]),
  ];
  for (const roleId of nodeRoleIds) {
    const role = byId.get(roleId);
    if (!role) continue;
    const managed = list(role.properties.ManagedPolicyArns).map((a) => text(a)?.split('/').pop() ?? '?');
    const id = node(
      compute,
      `node_role_${role.path}`,
      { title: 'IAM node role', lines: managed.map((m) => `AWS managed: ${m}`), category: 'security' },
      [role],
    );
    computeIds.forEach((c) => edges.push({ from: id, to: c, weak: true }));
  }
  if (eksId) computeIds.forEach((c) => edges.push({ from: eksId, to: c, label: 'nodes' }));

  // The rest, by top-level construct: the control plane's and compute's own, then everything else.
  const remaining = all.filter((r) => !owner.has(r.logicalId));
  const place = (r: Resource): DiagramCluster => {
    const top = r.path.split('/')[0];
    if (top === 'Compute') return compute;
    if (top === 'Eks') return control;
    if (top === 'Network') return network;
    return root;
  };
  for (const target of [control, compute, network, root]) {
    const mine = remaining.filter(
      (r) =>
        place(r) === target &&
        !r.type.startsWith('AWS::EC2::Route') &&
        r.type !== 'AWS::EC2::SubnetRouteTableAssociation' &&
        r.type !== 'AWS::EC2::EIP',
    );
    if (!mine.length) continue;
    const drawing = drawScope(`infra_${target.id}_rest`, '', mine, all);
    target.nodes.push(...drawing.nodes);
    drawing.owner.forEach((v, k) => owner.set(k, v));
    edges.push(...drawing.edges);
  }

  // What encrypts, logs and runs what.
  for (const r of all.filter((r) => r.type === 'AWS::Logs::LogGroup' || r.type === 'AWS::EKS::Cluster')) {
    const target = owner.get(r.logicalId);
    if (!target) continue;
    fromReferenced(r.properties.KmsKeyId, target, 'encrypts');
    fromReferenced(r.properties.EncryptionConfig, target, 'encrypts Secrets');
  }
  if (eks && eksId) {
    fromReferenced(eks.properties.RoleArn, eksId, 'cluster role');
    for (const group of ofType('AWS::Logs::LogGroup').filter(
      (g) => text(g.properties.LogGroupName) === `/aws/eks/${text(eks.properties.Name)}/cluster`,
    )) {
      const to = owner.get(group.logicalId);
      if (to) edges.push({ from: eksId, to, label: 'control plane logs' });
    }
  }
  for (const entry of ofType('AWS::EKS::AccessEntry')) {
    const to = owner.get(entry.logicalId);
    if (to) fromReferenced(entry.properties.PrincipalArn, to, 'principal');
  }
  return { cluster: root, edges, owner };
}
