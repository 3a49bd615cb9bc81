import { INFRA_EXPORTS } from '../../lib/stacks/contract';
import type { PlanInputs } from '../../lib/stacks/plan';
import type { DiagramEdge } from './dot';
import { renderDot } from './dot';
import { drawInfra, INTERNET } from './infra';
import { drawPlatform } from './platform';
import type { SynthesizedEnvironment } from './template';
import { importedExports, referencedIds, synthesize } from './template';

/*
 * The architecture picture of one environment, as DOT: InfraStack and PlatformStack side by side,
 * joined only by the named exports of lib/stacks/contract.ts (what produces each, how many PlatformStack
 * resources import it).
 */

/** The DOT text of a synthesized environment. */
export function architectureDotOf(env: SynthesizedEnvironment): string {
  const { plan, infra, platform } = env;
  const { config } = plan;
  const infraDrawing = drawInfra(infra);
  const platformDrawing = drawPlatform(platform, plan);
  const edges: DiagramEdge[] = [...infraDrawing.edges, ...platformDrawing.edges];

  const uses = new Map<string, number>();
  for (const r of platform.resources) {
    for (const name of importedExports(r.properties)) uses.set(name, (uses.get(name) ?? 0) + 1);
  }
  const outputs = Object.values(infra.outputs).filter((o) => o.Export);
  const ports = Object.values(INFRA_EXPORTS).map((name) => {
    const output = outputs.find((o) => o.Export?.Name === `${plan.names.exportPrefix}:${name}`);
    const count = uses.get(output?.Export?.Name ?? '') ?? 0;
    for (const ref of output ? referencedIds(output.Value) : []) {
      const from = infraDrawing.owner.get(ref);
      if (from) edges.push({ from, to: `exports:${name}:w`, weak: true });
    }
    return { port: name, text: `${name}  (imported by ${count})` };
  });
  edges.push({ from: 'exports', to: platformDrawing.importer, label: 'Fn::ImportValue', toCluster: platformDrawing.cluster.id });

  const exportsNode = { id: 'exports', title: `named exports ${plan.names.exportPrefix}:*`, category: 'contract' as const, ports };
  const compute = config.compute === 'auto' ? 'EKS Auto Mode' : 'managed node groups';
  const title = `cdk-eks-platform: environment ${config.environment} (${config.profile} profile, ${config.region}, Kubernetes ${config.kubernetesVersion}, ${compute})`;
  return renderDot(title, [infraDrawing.cluster, platformDrawing.cluster], [INTERNET, exportsNode], edges);
}

/** Synthesizes the app for `context` (and what code adds: `inputs`) and draws it. */
export function architectureDot(context: Readonly<Record<string, unknown>>, inputs: PlanInputs = {}): string {
  return architectureDotOf(synthesize(context, inputs));
}
