import type { PlatformPlan } from '../../lib/stacks/plan';
import type { DiagramCluster, DiagramEdge, DiagramNode } from './dot';
import { cluster, safeId } from './dot';
import { INTERNET } from './infra';
import type { ScopeDrawing } from './resources';
import { drawScope } from './resources';
import type { KubernetesObject, Resource, StackTemplate } from './template';
import { text } from './template';

/*
 * PlatformStack: the kubectl handler, one box per add-on of the plan (in deployment order) with the
 * AWS resources its scope creates, the application teams, and the workloads with the load
 * balancers their Services and Ingresses ask for. Add-ons are found by their scope
 * (`AddOns/<id>`), so one added to the catalog is drawn without a change here.
 */

export interface PlatformDrawing {
  readonly cluster: DiagramCluster;
  readonly edges: DiagramEdge[];
  /** The node the exports point to: where PlatformStack imports InfraStack. */
  readonly importer: string;
}

const ANNOTATION = {
  ingressScheme: 'alb.ingress.kubernetes.io/scheme',
  serviceScheme: 'service.beta.kubernetes.io/aws-load-balancer-scheme',
  serviceName: 'service.beta.kubernetes.io/aws-load-balancer-name',
} as const;

/** Load balancers the controllers create for a scope's objects: not in the template, drawn dashed. */
function loadBalancers(
  objects: readonly KubernetesObject[],
): { key: string; node: Omit<DiagramNode, 'id'>; internetFacing: boolean; name?: string }[] {
  const found: ReturnType<typeof loadBalancers> = [];
  for (const o of objects) {
    const annotations = o.metadata.annotations ?? {};
    if (o.kind === 'Service' && o.spec?.type === 'LoadBalancer') {
      const scheme = annotations[ANNOTATION.serviceScheme] ?? 'internal';
      found.push({
        key: `nlb_${o.metadata.namespace}_${o.metadata.name}`,
        node: {
          title: `NLB ${annotations[ANNOTATION.serviceName] ?? ''}`.trim(),
          lines: [
            scheme,
            `for Service ${o.metadata.namespace}/${o.metadata.name}`,
            `class ${String(o.spec.loadBalancerClass ?? 'default')}`,
          ],
          category: 'traffic',
          runtime: true,
        },
        internetFacing: scheme === 'internet-facing',
        name: annotations[ANNOTATION.serviceName],
      });
    }
    if (o.kind === 'Ingress') {
      const scheme = annotations[ANNOTATION.ingressScheme] ?? 'scheme of the IngressClass';
      found.push({
        key: `alb_${o.metadata.namespace}_${o.metadata.name}`,
        node: {
          title: 'ALB',
          lines: [
            scheme,
            `for Ingress ${o.metadata.namespace}/${o.metadata.name}`,
            `class ${String(o.spec?.ingressClassName ?? 'default')}`,
          ],
          category: 'traffic',
          runtime: true,
        },
        internetFacing: scheme === 'internet-facing',
      });
    }
  }
  return found;
}

/** Top-level construct ids below the stack, in template order. */
function topLevel(resources: readonly Resource[]): string[] {
  return [...new Set(resources.map((r) => r.path.split('/')[0]))];
}

export function drawPlatform(stack: StackTemplate, plan: PlatformPlan): PlatformDrawing {
  const edges: DiagramEdge[] = [];
  const root = cluster('platform', `PlatformStack (${stack.stackName})`, '#faf5ff');
  const under = (scope: string): Resource[] => stack.resources.filter((r) => r.path === scope || r.path.startsWith(`${scope}/`));
  const draw = (target: DiagramCluster, scope: string): ScopeDrawing => {
    const drawing = drawScope(`platform_${scope}`, scope, under(scope), stack.resources);
    target.nodes.push(...drawing.nodes);
    edges.push(...drawing.edges);
    return drawing;
  };
  const box = (parent: DiagramCluster, scope: string, label: string, fill?: string): DiagramCluster => {
    const c = cluster(`platform_${scope}`, label, fill);
    parent.clusters.push(c);
    return c;
  };

  const handler = box(root, 'Cluster', 'imported cluster + kubectl handler', '#ffffff');
  const handlerDrawing = draw(handler, 'Cluster');
  const importer =
    handlerDrawing.nodes.find((n) => n.title.startsWith('Lambda'))?.id ?? handlerDrawing.nodes[0]?.id ?? safeId('platform_Cluster');

  const addons = box(root, 'AddOns', `add-ons (${plan.addons.length}, in deployment order)`, '#f3e8ff');
  const anchors = new Map<string, string>();
  for (const addon of plan.addons) {
    const scope = `AddOns/${addon.id}`;
    const namespaces = addon.namespaces.length ? ` · ${addon.namespaces.join(', ')}` : '';
    const c = box(addons, scope, `${addon.id}${namespaces}`, '#ffffff');
    const drawing = draw(c, scope);
    if (!drawing.nodes.length) c.nodes.push({ id: safeId(`platform_${scope}_empty`), title: 'nothing in CloudFormation', category: 'aws' });
    anchors.set(addon.id, c.nodes[0].id);
  }
  for (const addon of plan.addons) {
    for (const dependency of addon.dependsOn ?? []) {
      const from = anchors.get(dependency);
      const to = anchors.get(addon.id);
      if (from && to)
        edges.push({
          from,
          to,
          weak: true,
          label: 'before',
          fromCluster: safeId(`platform_AddOns/${dependency}`),
          toCluster: safeId(`platform_AddOns/${addon.id}`),
        });
    }
  }

  if (plan.teams.length) {
    const teams = box(root, 'Teams', `application teams (${plan.teams.length})`, '#f3e8ff');
    for (const team of plan.teams) {
      const scope = `Team-${team.name}`;
      draw(box(teams, scope, `team ${team.name} · ${team.namespaces.join(', ')}`, '#ffffff'), scope);
    }
  }

  const workloadScopes = topLevel(under('Workloads')).length
    ? [...new Set(under('Workloads').map((r) => r.path.split('/').slice(0, 2).join('/')))]
    : [];
  if (workloadScopes.length) {
    const workloads = box(root, 'Workloads', 'sample workloads', '#f3e8ff');
    for (const scope of workloadScopes) {
      const c = box(workloads, scope, scope.split('/')[1], '#ffffff');
      const drawing = draw(c, scope);
      const appNode = drawing.nodes.find((n) => n.title.startsWith('Kubernetes objects'))?.id;
      const lookups = under(scope).filter((r) => r.type === 'Custom::LoadBalancerLookup');
      for (const lb of loadBalancers(drawing.objects)) {
        const id = safeId(`platform_${scope}_${lb.key}`);
        c.nodes.push({ id, ...lb.node });
        if (appNode) edges.push({ from: id, to: appNode, label: 'targets' });
        if (lb.internetFacing) edges.push({ from: INTERNET.id, to: id });
        // An API Gateway VPC link reaches the NLB its lookup names.
        for (const lookup of lookups.filter((l) => lb.name !== undefined && text(l.properties.LoadBalancerName) === lb.name)) {
          for (const link of under(scope).filter(
            (r) => r.type === 'AWS::ApiGateway::VpcLink' && JSON.stringify(r.properties.TargetArns).includes(lookup.logicalId),
          )) {
            const from = drawing.owner.get(link.logicalId);
            if (from) edges.push({ from, to: id });
          }
        }
      }
      for (const api of under(scope).filter((r) => r.type === 'AWS::ApiGateway::RestApi')) {
        const to = drawing.owner.get(api.logicalId);
        if (to && JSON.stringify(api.properties.EndpointConfiguration ?? {}).includes('PRIVATE') === false)
          edges.push({ from: INTERNET.id, to });
      }
    }
  }

  // Whatever else PlatformStack holds (the environment ConfigMap, network policy enforcement, ...).
  const known = new Set(['Cluster', 'AddOns', 'Workloads', ...plan.teams.map((t) => `Team-${t.name}`)]);
  for (const scope of topLevel(stack.resources).filter((s) => !known.has(s))) {
    draw(box(root, scope, scope, '#ffffff'), scope);
  }
  return { cluster: root, edges, importer };
}
