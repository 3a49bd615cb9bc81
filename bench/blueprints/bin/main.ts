/**
 * The comparison app of `npm run bench` (scripts/bench/bench.py, docs/benchmarks.md): an EKS Blueprints
 * 1.19 blueprint equivalent to cdk-eks-platform's workshop configuration with the full add-on set
 * (bench case 4). It is written the way the Blueprints quick start writes it (builder, one stack,
 * run by the CLI through type-checking ts-node) and must synthesize offline:
 * - an explicit Kubernetes version (never "auto", which calls the EKS API at synth);
 * - no Helm version check (HelmAddOn.validateHelmVersions stays false, its default);
 * - no add-on that downloads YAML at synth (SecretsStore, GatewayApiCrds);
 * - an environment-agnostic stack, so no AZ lookup.
 * `buildAsync`, not `build`: `build` silently drops add-ons that deploy asynchronously.
 */
import * as blueprints from '@aws-quickstart/eks-blueprints';
import * as cdk from 'aws-cdk-lib';
import { KubernetesVersion } from 'aws-cdk-lib/aws-eks';
import { ArnPrincipal } from 'aws-cdk-lib/aws-iam';

/** Whether case 4 includes ExternalDNS: keep in step with the case-3 add-on set of scripts/bench/bench.py. */
const WITH_EXTERNAL_DNS = true;
/** Fake but well-formed, as in bench case 3: ImportHostedZoneProvider imports it without a lookup. */
const HOSTED_ZONE_ID = 'Z0123456789ABCDEFGHIJ';

const app = new cdk.App();

const addOns: blueprints.ClusterAddOn[] = [
  new blueprints.addons.MetricsServerAddOn(),
  new blueprints.addons.EbsCsiDefaultStorageClassAddOn(), // = our "storage" on Auto Mode
  new blueprints.addons.ALBDefaultIngressClassAddOn(), // = our "auto-mode-ingress"
  new blueprints.addons.CertManagerAddOn(),
  new blueprints.addons.ArgoCDAddOn(),
];
if (WITH_EXTERNAL_DNS) {
  addOns.push(new blueprints.addons.ExternalDnsAddOn({ hostedZoneResources: ['bench-zone'] }));
}

const builder = blueprints.EksBlueprint.builder()
  .version(KubernetesVersion.V1_35)
  .clusterProvider(new blueprints.AutomodeClusterProvider({ version: KubernetesVersion.V1_35 }))
  .addOns(...addOns)
  .teams(
    new blueprints.ApplicationTeam({
      name: 'team-a',
      users: [new ArnPrincipal('arn:aws:iam::111122223333:role/TeamA')],
    }),
  )
  .useDefaultSecretEncryption(true);
if (WITH_EXTERNAL_DNS) {
  builder.resourceProvider('bench-zone', new blueprints.ImportHostedZoneProvider(HOSTED_ZONE_ID, 'bench-zone'));
}

builder.buildAsync(app, 'eks-blueprint').catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
