/*
 * What the delivery costs CloudFormation (issue 20): for the default selection with argo-cd and
 * both full platforms, in `helm` and in `gitops` delivery, PlatformStack's resources, custom
 * resources, Helm releases and template size, and the Lambda invocations its custom resources
 * take on create. Offline: the in-memory synth, the repository's cdk.json context.
 *
 *   npm run bench:delivery        # a Markdown table for docs/benchmarks.md
 */
import { synthesizeInMemory } from '../../lib/tools/synthesize';
import { fullPlatformContext } from '../../test/support/full-platform';
import { cdkJsonContext } from '../cdk-json';

interface Resource {
  readonly Type: string;
  readonly Properties?: { readonly ServiceToken?: unknown };
}

/** What one PlatformStack template costs CloudFormation. */
export interface DeliveryFigures {
  readonly resources: number;
  readonly customResources: number;
  readonly helmCharts: number;
  /** Lambda invocations on create: two through a provider framework (its onEvent, then the handler), else one. */
  readonly invocations: number;
  readonly templateBytes: number;
}

const isCustom = (type: string): boolean => type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';

/**
 * A custom resource served by an aws-cdk-lib provider framework (the kubectl provider): its
 * ServiceToken is the framework's onEvent function, which invokes the user handler in turn. The
 * HelmChart and KubernetesObjectValue handlers wait inside that one invocation (no isComplete).
 */
const throughFramework = (resource: Resource): boolean => /frameworkonEvent/.test(JSON.stringify(resource.Properties?.ServiceToken ?? ''));

export function figures(template: Readonly<Record<string, unknown>>): DeliveryFigures {
  const resources = Object.values((template.Resources ?? {}) as Record<string, Resource>);
  const custom = resources.filter((r) => isCustom(r.Type));
  return {
    resources: resources.length,
    customResources: custom.length,
    helmCharts: custom.filter((r) => r.Type === 'Custom::AWSCDK-EKS-HelmChart').length,
    invocations: custom.reduce((sum, r) => sum + (throughFramework(r) ? 2 : 1), 0),
    templateBytes: JSON.stringify(template).length,
  };
}

const CASES: ReadonlyArray<readonly [string, Record<string, unknown>]> = [
  ['default add-ons + argo-cd (auto)', { addons: 'metrics-server,storage,auto-mode-ingress,argo-cd' }],
  ['full platform (auto)', fullPlatformContext('auto')],
  ['full platform (node groups)', fullPlatformContext('nodegroups')],
];

function main(): void {
  const base = cdkJsonContext();
  const rows = [
    '| configuration | delivery | resources | custom resources | Helm releases | Lambda invocations on create | template (minified) |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const [name, context] of CASES) {
    for (const delivery of ['helm', 'gitops']) {
      const f = figures(synthesizeInMemory({ ...base, ...context, delivery }).platform.template);
      rows.push(
        `| ${name} | ${delivery} | ${f.resources} | ${f.customResources} | ${f.helmCharts} | ${f.invocations} | ${(f.templateBytes / 1024).toFixed(0)} KiB |`,
      );
    }
  }
  console.log(rows.join('\n'));
}

if (require.main === module) main();
