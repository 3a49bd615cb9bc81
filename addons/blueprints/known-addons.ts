import * as blueprints from '@aws-quickstart/eks-blueprints';

import type { ComputeMode } from '../../lib/core/config';

/*
 * What this platform knows about individual EKS Blueprints 1.19 add-ons.
 *
 * Blueprints' decorators (`@dependable`, `@conflictsWith`, `@conflictsWithAutoMode`,
 * `@mustRunOnAutoMode`) keep their arguments in closures around `deploy`, not in metadata, so
 * nothing about them can be read from an instance. The facts below are therefore written down;
 * test/addons/blueprints-adapter.test.ts fails when a Blueprints upgrade decorates an add-on that
 * is not listed here.
 */

/** Any Blueprints add-on class (constructor arguments do not matter for `instanceof`). */
type AddOnClass = abstract new (...args: never[]) => object;

/** Why an add-on cannot run here, or `undefined` when this instance can. */
type Refusal = (addOn: object) => string | undefined;

interface KnownAddOn {
  readonly type: AddOnClass;
  readonly refusal?: Refusal;
  readonly autoModeBuiltIn?: string;
  readonly computeModes?: readonly ComputeMode[];
  /**
   * Why the wildcards in the IAM policies Blueprints writes for this add-on are acceptable; they
   * are acknowledged with this reason on those policies only. Add-ons without one keep their
   * findings, so new Blueprints IAM gets a review before it deploys.
   */
  readonly iamWildcardsReason?: string;
  /** First-party add-ons that do the same job (e.g. as an EKS Capability): never both. */
  readonly conflictsWith?: readonly string[];
}

const always =
  (reason: string): Refusal =>
  () =>
    reason;

const DOWNLOADS_YAML = 'downloads Kubernetes YAML from the internet at synth (synth and tests here are offline)';

const INFRA_MANAGED = (name: string): Refusal =>
  always(
    `InfraStack already installs the ${name} EKS add-on on node groups (version pinned in ` +
      'lib/core/config/kubernetes-versions.ts) and EKS Auto Mode has it built in; a second one fails at deploy',
  );

/** ArgoCD options that reach AWS at synth or need the refused SecretsStoreAddOn. */
const argoCdRefusal: Refusal = (addOn) => {
  if (!(addOn instanceof blueprints.addons.ArgoCDAddOn)) return undefined;
  const options = addOn.options;
  if (options.adminPasswordSecretName) {
    return (
      'adminPasswordSecretName reads AWS Secrets Manager at synth: leave it unset and set the admin ' +
      'password after install (argocd account update-password) or configure SSO through values'
    );
  }
  if (options.bootstrapRepo?.credentialsSecretName) {
    return (
      'credentialsSecretName needs SecretsStoreAddOn, which ' +
      DOWNLOADS_YAML +
      ': use a public repository or give ArgoCD its repository credentials through a Kubernetes Secret'
    );
  }
  return undefined;
};

const ADDONS = blueprints.addons;

export const KNOWN_ADDONS: readonly KnownAddOn[] = [
  {
    type: ADDONS.KarpenterAddOn,
    refusal: always(
      'refuses imported clusters (it edits the cluster authentication): use this platform\'s "karpenter" add-on on node groups; EKS Auto Mode has Karpenter built in',
    ),
  },
  {
    type: ADDONS.KarpenterV1AddOn,
    refusal: always(
      'refuses imported clusters (it edits the cluster authentication): use this platform\'s "karpenter" add-on on node groups; EKS Auto Mode has Karpenter built in',
    ),
  },
  {
    type: ADDONS.ClusterAutoScalerAddOn,
    refusal: always(
      'needs the node groups in its own stack to tag them, but InfraStack owns them: use this platform\'s "karpenter" add-on',
    ),
  },
  {
    type: ADDONS.SecretsStoreAddOn,
    refusal: always(
      `${DOWNLOADS_YAML}: use ExternalsSecretsAddOn, or a first-party add-on with the pinned secrets-store-csi-driver charts`,
    ),
  },
  { type: ADDONS.GatewayApiCrdsAddOn, refusal: always(`${DOWNLOADS_YAML}: vendor the Gateway API CRDs into a first-party ManifestAddOn`) },
  { type: ADDONS.AwsGatewayApiControllerAddOn, refusal: always(`needs GatewayApiCrdsAddOn, which ${DOWNLOADS_YAML}`) },
  {
    type: ADDONS.KNativeOperator,
    refusal: always(`${DOWNLOADS_YAML}: install the Knative operator from a pinned Helm chart in a first-party add-on`),
  },
  {
    type: ADDONS.NeuronDevicePluginAddOn,
    refusal: always(`${DOWNLOADS_YAML}: install the Neuron device plugin from a pinned Helm chart in a first-party add-on`),
  },
  {
    type: ADDONS.NestedStackAddOn,
    refusal: always('deploys into a nested stack, outside PlatformStack: wrap each nested add-on in its own BlueprintsAddOn'),
  },
  { type: ADDONS.VpcCniAddOn, refusal: INFRA_MANAGED('vpc-cni') },
  { type: ADDONS.KubeProxyAddOn, refusal: INFRA_MANAGED('kube-proxy') },
  { type: ADDONS.CoreDnsAddOn, refusal: INFRA_MANAGED('coredns') },
  { type: ADDONS.EksPodIdentityAgentAddOn, refusal: INFRA_MANAGED('eks-pod-identity-agent') },
  {
    type: ADDONS.EbsCsiDriverAddOn,
    refusal: always('use this platform\'s "storage" add-on (EBS CSI driver with Pod Identity on node groups, built into EKS Auto Mode)'),
  },
  {
    type: ADDONS.EbsCsiDefaultStorageClassAddOn,
    refusal: always('use this platform\'s "storage" add-on: two default StorageClasses make the default ambiguous'),
  },
  {
    type: ADDONS.ALBDefaultIngressClassAddOn,
    refusal: always('use this platform\'s "auto-mode-ingress" add-on (the alb IngressClass of EKS Auto Mode)'),
  },
  // A second Argo CD (the first-party one, self-managed or the EKS Capability) would fight over the
  // argocd namespace and the Application CRDs.
  { type: ADDONS.ArgoCDAddOn, refusal: argoCdRefusal, conflictsWith: ['argo-cd'] },
  // Self-managed ACK controllers and the ACK capability would reconcile the same objects twice.
  { type: ADDONS.AckAddOn, conflictsWith: ['ack'] },
  {
    type: ADDONS.AwsLoadBalancerControllerAddOn,
    autoModeBuiltIn:
      'EKS Auto Mode runs the AWS Load Balancer Controller: use the "auto-mode-ingress" add-on (IngressClass alb) and Services with loadBalancerClass eks.amazonaws.com/nlb',
    iamWildcardsReason:
      'The IAM policy published by the AWS Load Balancer Controller project, as EKS Blueprints ships it: the controller ' +
      'creates load balancers, target groups, listeners, rules and security groups whose names exist only at run time, ' +
      'so resources are wildcards; mutating actions on them are conditioned on the elbv2.k8s.aws/cluster tag, and the ' +
      'Describe/Get actions support no resource scoping.',
  },
  // Blueprints: @conflictsWithAutoMode(NOT_SUPPORTED).
  { type: ADDONS.SSMAgentAddOn, computeModes: ['nodegroups'] },
];

/** Facts about `addOn`, if its class is listed. */
export function knownAddOn(addOn: object): KnownAddOn | undefined {
  return KNOWN_ADDONS.find((known) => addOn instanceof known.type);
}

/** Core (EKS managed) add-ons are not exported as a class; they carry `coreAddOnProps`. */
export function coreAddOnVersion(addOn: object): string | undefined {
  if (!('coreAddOnProps' in addOn)) return undefined;
  const props = addOn.coreAddOnProps;
  return typeof props === 'object' && props !== null && 'version' in props && typeof props.version === 'string' ? props.version : undefined;
}
