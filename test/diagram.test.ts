import { readFileSync } from 'node:fs';

import { CfnResource } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

import type { AddOnContext, PlatformAddOn } from '../addons/core/addon';
import type { ComputeMode } from '../lib/core/config';
import { INFRA_EXPORTS } from '../lib/stacks/contract';
import { cdkJsonContext } from '../scripts/cdk-json';
import { architectureDot } from '../scripts/diagram/architecture';
import { checkPicture, DEFAULT_SVG, parseArgs } from '../scripts/diagram/main';
import { dotHash, renderSvg, svgDotHash } from '../scripts/diagram/render';

const DEFAULT_DOT = DEFAULT_SVG.replace(/\.svg$/, '.dot');
const defaultDot = architectureDot(cdkJsonContext());

/** The lines of one cluster of a DOT text, by cluster id. */
function clusterOf(dot: string, id: string): string {
  const lines = dot.split('\n');
  const start = lines.findIndex((l) => l.trim() === `subgraph cluster_${id} {`);
  if (start < 0) throw new Error(`no cluster ${id}`);
  const indent = lines[start].length - lines[start].trimStart().length;
  const end = lines.findIndex((l, i) => i > start && l === `${' '.repeat(indent)}}`);
  return lines.slice(start, end + 1).join('\n');
}

describe('docs/architecture (npm run diagram)', () => {
  test('docs/architecture.dot is what the code draws for the default configuration (run `npm run diagram`)', () => {
    expect(readFileSync(DEFAULT_DOT, 'utf8')).toBe(defaultDot);
  });

  test('docs/architecture.svg was rendered from docs/architecture.dot (run `npm run diagram`)', () => {
    expect(svgDotHash(readFileSync(DEFAULT_SVG, 'utf8'))).toBe(dotHash(readFileSync(DEFAULT_DOT, 'utf8')));
  });

  test('--check reports a DOT that drifted and an SVG of another DOT', () => {
    expect(checkPicture(DEFAULT_SVG, defaultDot)).toEqual([]);
    const problems = checkPicture(DEFAULT_SVG, defaultDot.replace('VPC', 'Network of the cluster'));
    expect(problems).toEqual([
      expect.stringMatching(/architecture\.dot is not what the code draws/),
      expect.stringMatching(/architecture\.svg was not rendered from the current DOT/),
    ]);
  });
});

describe('what the picture shows', () => {
  test('both stacks as clusters, joined by every named export of the contract', () => {
    expect(defaultDot).toMatch(/subgraph cluster_infra \{\n\s+label="InfraStack \(dev-infra\)"/);
    expect(defaultDot).toMatch(/subgraph cluster_platform \{\n\s+label="PlatformStack \(dev-platform\)"/);
    for (const name of Object.values(INFRA_EXPORTS)) {
      expect(defaultDot).toContain(`port="${name}"`);
      // Each export is drawn from the InfraStack node whose resource produces it.
      expect(defaultDot).toMatch(new RegExp(`\\n  infra_\\w+ -> exports:${name}:w`));
    }
    expect(defaultDot).toContain('exports -> platform_Cluster_');
  });

  test('the VPC: a public and a private subnet in each AZ, the NAT gateway, the flow log', () => {
    for (const az of ['us-west-2a', 'us-west-2b', 'us-west-2c']) {
      const zone = clusterOf(defaultDot, `infra_az_${az.replace(/-/g, '_')}`);
      expect(zone).toContain('<b>Public subnet public</b>');
      expect(zone).toContain('<b>Private subnet private</b>');
    }
    expect(defaultDot.match(/<b>NAT gateway<\/b>/g)).toHaveLength(1);
    expect(defaultDot).toContain('<b>VPC flow log</b><br/><font point-size="9">traffic ALL');
    expect(defaultDot.match(/-> infra_nat_\w+ \[label="egress"\]/g)).toHaveLength(3);
  });

  test('Auto Mode draws its node pools; node groups draw instance types, capacity, scaling and labels', () => {
    expect(clusterOf(defaultDot, 'infra_compute')).toContain('<b>Auto Mode node pool general-purpose</b>');
    const nodegroups = architectureDot({ ...cdkJsonContext(), compute: 'nodegroups', natGateways: '3' });
    const compute = clusterOf(nodegroups, 'infra_compute');
    expect(compute).toContain('<b>Managed node group ops</b>');
    expect(compute).toContain('m5.large, t3.medium · ON_DEMAND');
    expect(compute).toContain('min 2 / desired 2 / max 3');
    expect(compute).toContain('label workload-type=ops');
    expect(compute).toContain('<b>EKS add-on vpc-cni</b>');
    expect(nodegroups.match(/<b>NAT gateway<\/b>/g)).toHaveLength(3);
    // The plan's add-ons for node groups, each with what its scope creates.
    const karpenter = clusterOf(nodegroups, 'platform_AddOns_karpenter');
    expect(karpenter).toContain('<b>EventBridge rules ×5</b>');
    expect(karpenter).toContain('<b>SQS queue</b><br/><font point-size="9">InterruptionQueue');
    expect(nodegroups).toContain('platform_AddOns_karpenter_rules -> platform_AddOns_karpenter_queue_InterruptionQueue [label="events"];');
    expect(clusterOf(nodegroups, 'platform_AddOns_aws_load_balancer_controller')).toContain(
      '<b>EKS Pod Identity</b><br/><font point-size="9">kube-system/aws-load-balancer-controller',
    );
  });

  test('workloads lead from the internet to their load balancers and API Gateway', () => {
    expect(defaultDot).toMatch(/internet -> platform_Workloads_Game2048_alb_\w+;/);
    expect(defaultDot).toMatch(/internet -> platform_Workloads_Petstore_api_\w+;/);
    expect(defaultDot).toMatch(/platform_Workloads_Petstore_vpc_link_\w+ -> platform_Workloads_Petstore_nlb_petstore_petstore;/);
    expect(clusterOf(defaultDot, 'platform_Workloads_Petstore')).toContain('<b>NLB dev-petstore</b><br/><font point-size="9">internal');
  });

  test('teams are drawn with their namespaces', () => {
    const dot = architectureDot({ ...cdkJsonContext(), teams: JSON.stringify([{ name: 'alpha', namespaces: ['alpha', 'alpha-dev'] }]) });
    expect(dot).toContain('label="team alpha · alpha, alpha-dev"');
  });

  test('an add-on the diagram code does not know is drawn from its scope, with every resource type it creates', () => {
    class QueueAddOn implements PlatformAddOn {
      readonly id = 'job-queue';
      readonly computeModes: readonly ComputeMode[] = ['auto', 'nodegroups'];
      readonly namespaces = ['jobs'];
      deploy(scope: Construct, _context: AddOnContext): void {
        new sqs.CfnQueue(scope, 'Jobs', { sqsManagedSseEnabled: true });
        new CfnResource(scope, 'Marker', { type: 'AWS::SSM::Parameter', properties: { Type: 'String', Value: 'x' } });
      }
    }
    const dot = architectureDot(cdkJsonContext(), { addons: [new QueueAddOn()] });
    const addon = clusterOf(dot, 'platform_AddOns_job_queue');
    expect(addon).toContain('label="job-queue · jobs"');
    expect(addon).toContain('<b>SQS queue</b><br/><font point-size="9">Jobs</font><br/><font point-size="9">encrypted');
    expect(addon).toContain('SSM Parameter (Marker)');
  });
});

describe('npm run diagram arguments', () => {
  test('-c values reach the context as strings, after cdk.json', () => {
    const options = parseArgs(['-c', 'compute=nodegroups', '--context', 'teams=[{"name":"a"}]', '--out', '/tmp/x.svg']);
    expect(options.context).toMatchObject({
      compute: 'nodegroups',
      teams: '[{"name":"a"}]',
      '@aws-cdk/aws-eks:useNativeOidcProvider': true,
    });
    expect(options.svg).toBe('/tmp/x.svg');
    expect(options.check).toBe(false);
  });

  test('bad arguments name what is allowed', () => {
    expect(() => parseArgs(['-c', 'compute'])).toThrow(/-c: got "compute"; allowed: key=value/);
    expect(() => parseArgs(['--out', 'picture.png'])).toThrow(/--out: got "picture.png"; allowed: a file name ending in .svg/);
    expect(() => parseArgs(['--verbose'])).toThrow(/unknown argument "--verbose"/);
  });

  test('a configuration error is the configuration message', () => {
    expect(() => architectureDot({ ...cdkJsonContext(), azCount: '9' })).toThrow(/azCount.*got/);
  });
});

describe('rendering (Graphviz as WebAssembly)', () => {
  test('the SVG is the same bytes on every render, stamped with its DOT and free of the Graphviz version', async () => {
    const dot = readFileSync(DEFAULT_DOT, 'utf8');
    const first = await renderSvg(dot);
    expect(await renderSvg(dot)).toBe(first);
    expect(svgDotHash(first)).toBe(dotHash(dot));
    expect(first).not.toMatch(/graphviz version/i);
  });

  test('DOT that Graphviz cannot read is an error with its message', async () => {
    await expect(renderSvg('digraph { a -> }')).rejects.toThrow(/^Graphviz could not draw the DOT: syntax error in line 1/);
  });
});
