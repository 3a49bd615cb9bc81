import type { DiagramEdge, DiagramNode } from './dot';
import { safeId } from './dot';
import type { KubernetesObject, Resource } from './template';
import { kubernetesObjects, prop, referencedIds, text } from './template';

/*
 * Draws the resources of one construct scope (an add-on, a team, a workload, the kubectl handler)
 * without knowing what created them: a rule per resource type groups them into a few nodes (a
 * role with its policies, all log groups together, ...). A new add-on is drawn with no code change;
 * a type without a rule still appears, counted under its CloudFormation type name.
 */

/** Nodes of one scope, which node stands for each logical id, and the edges among them. */
export interface ScopeDrawing {
  readonly nodes: DiagramNode[];
  readonly owner: Map<string, string>;
  readonly edges: DiagramEdge[];
  /** Kubernetes objects the scope applies, for the load balancers a workload asks for. */
  readonly objects: KubernetesObject[];
}

/** Types drawn as part of another node (and counted there) or not worth a node of their own. */
const FOLDED = new Set([
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::SQS::QueuePolicy',
  'AWS::KMS::Alias',
  'AWS::ApiGateway::Deployment',
  'AWS::ApiGateway::Stage',
  'AWS::ApiGateway::Method',
  'AWS::ApiGateway::Resource',
  'AWS::ApiGateway::Account',
  'AWS::ApiGateway::RequestValidator',
  'AWS::Lambda::Permission',
  'Custom::AWSCDK-EKS-KubernetesObjectValue',
]);

/** `AWS::SQS::Queue` -> `SQS Queue`; custom resources keep their name. */
export function typeName(type: string): string {
  const [vendor, service, resource] = type.split('::');
  return vendor === 'Custom' ? `custom resource ${service}` : `${service} ${resource}`;
}

/** The construct path of a resource below `scope`, without the L1 suffixes CDK adds. */
export function shortPath(resource: Resource, scope: string): string {
  const relative = resource.path.startsWith(`${scope}/`) ? resource.path.slice(scope.length + 1) : resource.path;
  let path = relative;
  while (/\/(Resource|Default)$/.test(path)) path = path.replace(/\/(Resource|Default)$/, '');
  return path;
}

const names = (list: readonly string[], max = 4): string[] =>
  list.length <= max ? [...list] : [...list.slice(0, max - 1), `+${list.length - max + 1} more`];

function principals(role: Resource): string[] {
  const statements = prop(role, 'AssumeRolePolicyDocument', 'Statement');
  const found = new Set<string>();
  for (const statement of Array.isArray(statements) ? statements : []) {
    const service = (statement as { Principal?: { Service?: unknown } }).Principal?.Service;
    for (const s of Array.isArray(service) ? service : [service]) {
      const name = text(s);
      if (name) found.add(name);
    }
  }
  return [...found].sort();
}

/** What a role is allowed to do, in one line per kind of policy. */
function roleLines(role: Resource, policies: readonly Resource[]): string[] {
  const managed = ((prop(role, 'ManagedPolicyArns') as unknown[] | undefined) ?? [])
    .map((arn) => text(arn)?.split('/').pop())
    .filter((n): n is string => n !== undefined);
  const trusted = principals(role);
  return [
    ...(trusted.length ? [`trusted by ${trusted.join(', ')}`] : []),
    ...(policies.length ? [`${policies.length} customer-managed polic${policies.length === 1 ? 'y' : 'ies'}`] : []),
    ...names(managed, 3).map((n) => `AWS managed: ${n}`),
  ];
}

function kubernetesLine(o: KubernetesObject): string {
  return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
}

/** Groups the resources of `scope` (a construct path below the stack) into nodes with ids under `idPrefix`. */
export function drawScope(
  idPrefix: string,
  scope: string,
  resources: readonly Resource[],
  stack: readonly Resource[] = resources,
): ScopeDrawing {
  const nodes: DiagramNode[] = [];
  const owner = new Map<string, string>();
  const edges: DiagramEdge[] = [];
  const byId = new Map(resources.map((r) => [r.logicalId, r]));
  const inStack = new Map(stack.map((r) => [r.logicalId, r]));
  const ofType = (type: string): Resource[] => resources.filter((r) => r.type === type);
  const add = (key: string, node: Omit<DiagramNode, 'id'>, owned: readonly Resource[]): string => {
    const id = safeId(`${idPrefix}_${key}`);
    nodes.push({ id, ...node });
    owned.forEach((r) => owner.set(r.logicalId, id));
    return id;
  };

  // Policies belong to the role they attach to; a role to the Pod Identity association that uses it.
  const policiesOf = new Map<string, Resource[]>();
  for (const policy of [...ofType('AWS::IAM::ManagedPolicy'), ...ofType('AWS::IAM::Policy')]) {
    const role = referencedIds(policy.properties.Roles).find((id) => byId.get(id)?.type === 'AWS::IAM::Role');
    if (role) policiesOf.set(role, [...(policiesOf.get(role) ?? []), policy]);
  }
  for (const role of ofType('AWS::IAM::Role')) {
    const attached = referencedIds(role.properties.ManagedPolicyArns)
      .map((id) => byId.get(id))
      .filter((p): p is Resource => p?.type === 'AWS::IAM::ManagedPolicy');
    if (attached.length) policiesOf.set(role.logicalId, [...(policiesOf.get(role.logicalId) ?? []), ...attached]);
  }
  const claimedRoles = new Set<string>();
  for (const association of ofType('AWS::EKS::PodIdentityAssociation')) {
    const roleId = referencedIds(association.properties.RoleArn).find((id) => byId.get(id)?.type === 'AWS::IAM::Role');
    const role = roleId ? byId.get(roleId) : undefined;
    const policies = roleId ? (policiesOf.get(roleId) ?? []) : [];
    if (roleId) claimedRoles.add(roleId);
    add(
      `pod_identity_${shortPath(association, scope)}`,
      {
        title: 'EKS Pod Identity',
        lines: [
          `${text(association.properties.Namespace) ?? '?'}/${text(association.properties.ServiceAccount) ?? '?'}`,
          ...(role ? ['IAM role', ...roleLines(role, policies).filter((l) => !l.startsWith('trusted'))] : []),
        ],
        category: 'security',
      },
      [association, ...(role ? [role] : []), ...policies],
    );
  }
  for (const role of ofType('AWS::IAM::Role').filter((r) => !claimedRoles.has(r.logicalId))) {
    const policies = policiesOf.get(role.logicalId) ?? [];
    add(
      `role_${shortPath(role, scope)}`,
      { title: 'IAM role', lines: [shortPath(role, scope).replace(/\/Role$/, ''), ...roleLines(role, policies)], category: 'security' },
      [role, ...policies],
    );
  }

  for (const chart of ofType('Custom::AWSCDK-EKS-HelmChart')) {
    add(
      `chart_${text(chart.properties.Release) ?? chart.logicalId}`,
      {
        title: `Helm ${text(chart.properties.Chart) ?? '?'} ${text(chart.properties.Version) ?? ''}`.trim(),
        lines: [`release ${text(chart.properties.Release) ?? '?'} in ${text(chart.properties.Namespace) ?? 'default'}`],
        category: 'kubernetes',
      },
      [chart],
    );
  }
  for (const addon of ofType('AWS::EKS::Addon')) {
    const name = text(addon.properties.AddonName) ?? '?';
    add(
      `eks_addon_${name}`,
      { title: `EKS add-on ${name}`, lines: [text(addon.properties.AddonVersion) ?? 'default version'], category: 'eks' },
      [addon],
    );
  }

  const manifests = ofType('Custom::AWSCDK-EKS-KubernetesResource');
  const objects = manifests.flatMap(kubernetesObjects);
  if (manifests.length) {
    add(
      'kubernetes',
      { title: `Kubernetes objects ×${objects.length}`, lines: names(objects.map(kubernetesLine), 6), category: 'kubernetes' },
      manifests,
    );
  }
  // Values read back from the cluster (a load balancer's hostname) belong with the objects.
  const kubernetesNode = owner.get(manifests[0]?.logicalId ?? '');
  if (kubernetesNode) ofType('Custom::AWSCDK-EKS-KubernetesObjectValue').forEach((r) => owner.set(r.logicalId, kubernetesNode));

  const logGroups = ofType('AWS::Logs::LogGroup');
  if (logGroups.length) {
    const retention = [...new Set(logGroups.map((g) => text(g.properties.RetentionInDays) ?? 'forever'))].sort();
    const encrypted = logGroups.every((g) => g.properties.KmsKeyId !== undefined);
    add(
      'logs',
      {
        title: `CloudWatch log group${logGroups.length > 1 ? `s ×${logGroups.length}` : ''}`,
        lines: [
          ...names(logGroups.map((g) => text(g.properties.LogGroupName) ?? shortPath(g, scope))),
          `retention ${retention.join('/')} days${encrypted ? ', KMS encrypted' : ''}`,
        ],
        category: 'logs',
      },
      logGroups,
    );
  }
  const entries = ofType('AWS::EKS::AccessEntry');
  if (entries.length) {
    const line = (entry: Resource): string => {
      const principal =
        text(entry.properties.PrincipalArn)?.split('/').pop() ??
        referencedIds(entry.properties.PrincipalArn)
          .map((id) => shortPath(inStack.get(id) ?? entry, scope).replace(/\/Role$/, ''))
          .join(', ');
      const policies = ((prop(entry, 'AccessPolicies') as unknown[] | undefined) ?? []).map(
        (p) =>
          text((p as { PolicyArn?: unknown }).PolicyArn)
            ?.split('/')
            .pop() ?? '?',
      );
      const type = text(entry.properties.Type);
      return `${principal}${type && type !== 'STANDARD' ? ` (${type})` : ''}${policies.length ? ` → ${policies.join(', ')}` : ''}`;
    };
    add(
      'access_entries',
      {
        title: `EKS access entr${entries.length > 1 ? `ies ×${entries.length}` : 'y'}`,
        lines: names(entries.map(line), 5),
        category: 'security',
      },
      entries,
    );
  }
  const rules = ofType('AWS::Events::Rule');
  if (rules.length) {
    add(
      'rules',
      {
        title: `EventBridge rules ×${rules.length}`,
        lines: names(
          rules.map((r) => shortPath(r, scope)),
          6,
        ),
        category: 'aws',
      },
      rules,
    );
  }
  for (const queue of ofType('AWS::SQS::Queue')) {
    const id = add(
      `queue_${shortPath(queue, scope)}`,
      {
        title: 'SQS queue',
        lines: [
          shortPath(queue, scope),
          ...(queue.properties.KmsMasterKeyId || queue.properties.SqsManagedSseEnabled ? ['encrypted'] : []),
        ],
        category: 'aws',
      },
      [queue],
    );
    for (const dlq of referencedIds(prop(queue, 'RedrivePolicy')))
      edges.push({
        from: id,
        to: safeId(`${idPrefix}_queue_${shortPath(byId.get(dlq) ?? queue, scope)}`),
        label: 'dead letters',
        weak: true,
      });
  }
  if (rules.length && ofType('AWS::SQS::Queue').length) {
    const main = ofType('AWS::SQS::Queue').find((q) => rules.some((r) => referencedIds(r.properties.Targets).includes(q.logicalId)));
    if (main) edges.push({ from: owner.get(rules[0].logicalId) as string, to: owner.get(main.logicalId) as string, label: 'events' });
  }
  const apis = ofType('AWS::ApiGateway::RestApi');
  for (const api of apis) {
    const stages = ofType('AWS::ApiGateway::Stage')
      .map((s) => text(s.properties.StageName))
      .filter((s): s is string => s !== undefined);
    const types = ((prop(api, 'EndpointConfiguration', 'Types') as unknown[] | undefined) ?? []).map((t) => text(t)).join(', ');
    add(
      `api_${shortPath(api, scope)}`,
      {
        title: 'API Gateway REST API',
        lines: [
          text(api.properties.Name) ?? shortPath(api, scope),
          `${types || 'EDGE'}${stages.length ? `, stage ${stages.join(', ')}` : ''}`,
        ],
        category: 'traffic',
      },
      [api, ...resources.filter((r) => r.type.startsWith('AWS::ApiGateway::') && r.type !== 'AWS::ApiGateway::VpcLink')],
    );
  }
  for (const link of ofType('AWS::ApiGateway::VpcLink')) {
    const id = add(
      `vpc_link_${shortPath(link, scope)}`,
      { title: 'API Gateway VPC link', lines: [text(link.properties.Name) ?? shortPath(link, scope)], category: 'traffic' },
      [link],
    );
    apis.forEach((api) => edges.push({ from: owner.get(api.logicalId) as string, to: id }));
  }

  // Everything else, counted by type in one node, so nothing built is left out of the picture.
  const rest = new Map<string, Resource[]>();
  // A policy attached to a role of another scope is still this scope's resource.
  const isPolicy = (type: string): boolean => type === 'AWS::IAM::ManagedPolicy' || type === 'AWS::IAM::Policy';
  for (const r of resources.filter((r) => !owner.has(r.logicalId) && (!FOLDED.has(r.type) || isPolicy(r.type)))) {
    rest.set(r.type, [...(rest.get(r.type) ?? []), r]);
  }
  const restLines = [...rest]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, list]) => (list.length > 1 ? `${typeName(type)} ×${list.length}` : `${typeName(type)} (${shortPath(list[0], scope)})`));
  if (restLines.length) {
    add('other', { title: nodes.length ? 'also' : 'resources', lines: restLines, category: 'aws' }, [...rest.values()].flat());
  }
  // Folded resources nobody claimed (an API Gateway account without its API) still belong to the scope.
  const fallback = nodes[0]?.id;
  if (fallback) resources.filter((r) => !owner.has(r.logicalId)).forEach((r) => owner.set(r.logicalId, fallback));
  return { nodes, owner, edges, objects };
}
