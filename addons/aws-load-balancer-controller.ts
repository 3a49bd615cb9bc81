import { join } from 'node:path';

import { Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { z } from 'zod';

import { acknowledge, wildcardFinding } from '../lib/core/compliance/acknowledge';
import type { PlatformConfig } from '../lib/core/config';
import { documented, integer, strictObject, text } from '../lib/core/config';
import type { AddOnContext } from './core/addon';
import type { HelmChartSpec, HelmValues } from './core/helm-addon';
import { HelmAddOn } from './core/helm-addon';
import type { OptionsInput } from './core/options';
import { addOnOptions, HELM_OPTIONS } from './core/options';
import { PodIdentity } from './core/pod-identity';
import type { PodSet } from './core/pod-sets';
import type { ProvidedCapabilities } from './core/provides';
import type { AddOnRegistration } from './core/registration';
import { registerAddOn } from './core/registration';

/**
 * The tested chart (the version EKS Blueprints 1.19 pins). The chart keeps the controller's CRDs in
 * crds/, which Helm installs on a release's first install only and never upgrades: before this
 * version is raised, the new chart's CRDs must be applied to every existing cluster
 * (`helm show crds eks/aws-load-balancer-controller --version <new> | kubectl apply --server-side -f -`).
 */
export const AWS_LOAD_BALANCER_CONTROLLER_CHART: HelmChartSpec = {
  repository: 'https://aws.github.io/eks-charts',
  chart: 'aws-load-balancer-controller',
  version: '3.4.0',
  namespace: 'kube-system',
  release: 'aws-load-balancer-controller',
  // The controller's v3.4.0 release notes: "requires Kubernetes 1.22+"; they state no upper bound.
  kubernetesVersions: { min: '1.22', source: 'the AWS Load Balancer Controller v3.4.0 release notes' },
};

/** The service account the chart creates and Pod Identity binds to. */
export const AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT = 'aws-load-balancer-controller';

/** Options of {@link AwsLoadBalancerControllerAddOn}, in configuration and in code. */
export const AWS_LOAD_BALANCER_CONTROLLER_OPTIONS = strictObject(
  {
    ...HELM_OPTIONS,
    /** @default AWS_LOAD_BALANCER_CONTROLLER_CHART.version, the only one accepted */
    version: documented(
      text(
        `the tested chart version ${AWS_LOAD_BALANCER_CONTROLLER_CHART.version}`,
        new RegExp(`^${AWS_LOAD_BALANCER_CONTROLLER_CHART.version.replace(/\./g, '\\.')}$`),
      ),
      {
        description:
          `Only the tested chart version ${AWS_LOAD_BALANCER_CONTROLLER_CHART.version}: the chart keeps its CRDs in crds/, which Helm installs on the first install and never upgrades. ` +
          "To move on, apply the new version's CRDs first (`helm show crds eks/aws-load-balancer-controller --version X | kubectl apply --server-side -f -`), then raise the pinned version.",
      },
    ).optional(),
    replicas: documented(integer(1, 10), {
      description: 'Controller replicas; two keep its webhooks (which admit every Ingress and Service) answering through a node drain.',
    }).default(2),
  },
  'an object of aws-load-balancer-controller options',
);

/** Props for {@link AwsLoadBalancerControllerAddOn}. */
export type AwsLoadBalancerControllerAddOnProps = OptionsInput<typeof AWS_LOAD_BALANCER_CONTROLLER_OPTIONS>;

/** The tag the controller puts on every load balancer, target group and security group it creates. */
const CLUSTER_TAG = 'elbv2.k8s.aws/cluster';

/** Load balancer resources, known only by type until the controller creates them: [service, resource]. */
const LOAD_BALANCER_WILDCARDS: ReadonlyArray<readonly [string, string]> = [
  ['elasticloadbalancing', 'loadbalancer/app/*/*'],
  ['elasticloadbalancing', 'loadbalancer/net/*/*'],
  ['elasticloadbalancing', 'listener/app/*/*/*'],
  ['elasticloadbalancing', 'listener/net/*/*/*'],
  ['elasticloadbalancing', 'listener-rule/app/*/*/*'],
  ['elasticloadbalancing', 'listener-rule/net/*/*/*'],
  ['elasticloadbalancing', 'targetgroup/*/*'],
  ['wafv2', 'regional/webacl/*/*'],
];

/** An ARN in this stack's partition, region and account. */
function regionalArn(service: string, resource: string): string {
  return `arn:${Aws.PARTITION}:${service}:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
}

/** The same ARN as cdk-nag renders it in a finding id. */
function nagArn(service: string, resource: string): string {
  return `arn:<AWS::Partition>:${service}:<AWS::Region>:<AWS::AccountId>:${resource}`;
}

/** What the controller's prerequisites hand to its values. */
export interface LoadBalancerControllerPrerequisites {
  /** The region of the stack the chart is in (a token in an environment-agnostic stack). */
  readonly region: string;
}

/**
 * AWS Load Balancer Controller for managed node groups: ALBs for Ingresses of class `alb` and
 * NLBs for Services with `loadBalancerClass: service.k8s.aws/nlb`. The class names match what
 * Auto Mode workloads use (`alb` there comes from the auto-mode-ingress add-on), so a workload
 * needs only the NLB class switched between compute modes.
 */
export class AwsLoadBalancerControllerAddOn extends HelmAddOn<
  z.output<typeof AWS_LOAD_BALANCER_CONTROLLER_OPTIONS>,
  LoadBalancerControllerPrerequisites
> {
  static readonly ID = 'aws-load-balancer-controller';
  static readonly registration: AddOnRegistration = registerAddOn({
    id: AwsLoadBalancerControllerAddOn.ID,
    summary: 'AWS Load Balancer Controller: ALBs for the alb IngressClass, NLBs for loadBalancerClass service.k8s.aws/nlb',
    options: AWS_LOAD_BALANCER_CONTROLLER_OPTIONS,
    create: (props) => new AwsLoadBalancerControllerAddOn(props),
    docs: { prose: join(__dirname, 'aws-load-balancer-controller.md') },
  });
  /** IngressClass the chart creates; Ingresses select it with `ingressClassName: alb`. */
  static readonly INGRESS_CLASS = 'alb';
  /** `spec.loadBalancerClass` of a Service this controller turns into an NLB. */
  static readonly NLB_LOAD_BALANCER_CLASS = 'service.k8s.aws/nlb';

  readonly id = AwsLoadBalancerControllerAddOn.ID;
  readonly computeModes = ['nodegroups'] as const;
  /** The chart's IngressClass (createIngressClassResource; ingressClassConfig.default stays false). */
  readonly clusterObjects = [{ kind: 'IngressClass', name: AwsLoadBalancerControllerAddOn.INGRESS_CLASS }];
  readonly serviceAccounts = [
    { namespace: AWS_LOAD_BALANCER_CONTROLLER_CHART.namespace, name: AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT },
  ];
  readonly autoModeBuiltIn =
    'Auto Mode provisions ALBs and NLBs itself. Select the "auto-mode-ingress" add-on for the "alb" IngressClass, ' +
    'and give NLB Services `loadBalancerClass: eks.amazonaws.com/nlb`.';
  /** The chart's IngressClass (createIngressClassResource) and the NLB class of Services. */
  readonly provides: ProvidedCapabilities = {
    ingressClasses: [AwsLoadBalancerControllerAddOn.INGRESS_CLASS],
    loadBalancerClasses: [AwsLoadBalancerControllerAddOn.NLB_LOAD_BALANCER_CLASS],
  };

  constructor(props: AwsLoadBalancerControllerAddOnProps = {}) {
    super(AWS_LOAD_BALANCER_CONTROLLER_CHART, addOnOptions(AwsLoadBalancerControllerAddOn.ID, AWS_LOAD_BALANCER_CONTROLLER_OPTIONS, props));
  }

  /**
   * The controller's replicas: the chart (3.4.0 values.yaml) requests nothing (`resources: {}`)
   * and tolerates no taint (`tolerations: []`).
   */
  podSets(config: PlatformConfig): PodSet[] {
    return [
      {
        name: 'aws-load-balancer-controller',
        replicas: this.options.replicas,
        requests: { cpuMillicores: 0, memoryMiB: 0 },
        ...this.podPlacement(config, { nodeSelector: {}, tolerations: [] }),
        source: `chart ${this.chart.version} defaults`,
      },
    ];
  }

  /** The controller's Pod Identity and load balancer policy; the stack's region for its values. */
  protected prerequisites(scope: Construct, context: AddOnContext): LoadBalancerControllerPrerequisites {
    const statements = loadBalancerControllerStatements(context.names.clusterName, context.vpc.vpcId);
    const identity = new PodIdentity(scope, 'PodIdentity', {
      cluster: context.cluster,
      namespace: this.chart.namespace,
      serviceAccount: AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
      purpose: 'AWS Load Balancer Controller',
      statements: statements.network,
    });
    const loadBalancerPolicy = new iam.ManagedPolicy(scope, 'LoadBalancerPolicy', {
      description: `Pod Identity permissions of ${this.chart.namespace}/${AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT}: load balancers`,
      statements: statements.loadBalancers,
      roles: [identity.role],
    });
    const reason = "Modelled on the controller's documented IAM policy, limited to this account and region. ";
    acknowledge(
      identity.policy,
      reason +
        'EC2/ELB Describe calls and the ACM, IAM server certificate, Cognito, WAF and Shield reads do not ' +
        'support resource-level permissions. Security groups the controller creates get ids only then: it may ' +
        `delete only those tagged ${CLUSTER_TAG}=<this cluster>, and change rules only of groups in the cluster VPC.`,
      [wildcardFinding('Resource', '*'), wildcardFinding('Resource', nagArn('ec2', 'security-group/*'))],
    );
    acknowledge(
      loadBalancerPolicy,
      reason +
        'Load balancers, listeners, rules and target groups get names and ids only when the controller ' +
        `creates them: creation requires the ${CLUSTER_TAG}=<this cluster> tag, and modifying or deleting load ` +
        'balancers and target groups requires it on the resource. Web ACLs are chosen per Ingress by annotation.',
      LOAD_BALANCER_WILDCARDS.map(([service, resource]) => wildcardFinding('Resource', nagArn(service, resource))),
    );
    return { region: Stack.of(scope).region };
  }

  protected chartValues(context: AddOnContext, { region }: LoadBalancerControllerPrerequisites): HelmValues {
    const replicas = this.options.replicas;
    return {
      clusterName: context.cluster.clusterName,
      // Pods on Bottlerocket/AL2023 nodes cannot reach IMDS (hop limit 1), so the controller
      // cannot discover its region and VPC by itself.
      region,
      vpcId: context.vpc.vpcId,
      replicaCount: replicas,
      podDisruptionBudget: replicas > 1 ? { maxUnavailable: 1 } : {},
      serviceAccount: { create: true, name: AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT },
      createIngressClassResource: true,
      ingressClass: AwsLoadBalancerControllerAddOn.INGRESS_CLASS,
      // Without this the controller's webhook takes over every `type: LoadBalancer` Service,
      // including ones meant for another controller; ours opt in with the NLB class instead.
      enableServiceMutatorWebhook: false,
      // WAF Classic is retired and Shield Advanced is a separate subscription: their reconcilers
      // stay off, so the policy leaves out their write actions. WAFv2 association stays available.
      enableWaf: false,
      enableShield: false,
      enableWafv2: true,
    };
  }
}

/**
 * The controller's permissions in two groups, each its own managed policy: together they exceed
 * the 6,144-character limit of one managed policy.
 */
export interface LoadBalancerControllerStatements {
  /** Service-linked role, Describe and certificate/WAF/Shield reads, security groups. */
  readonly network: iam.PolicyStatement[];
  /** Load balancers, target groups, listeners and rules, WAFv2 association. */
  readonly loadBalancers: iam.PolicyStatement[];
}

/**
 * The controller's reference policy, docs/install/iam_policy.json of
 * kubernetes-sigs/aws-load-balancer-controller at v3.4.0 (the app version of chart 3.4.0), compared
 * action by action: every action is granted except the WAF Classic and Shield writes
 * (waf-regional:AssociateWebACL/DisassociateWebACL, shield:CreateProtection/DeleteProtection), whose
 * reconcilers the chart values turn off. It is narrowed: resources in this account and region, the
 * cluster tag must carry this cluster's name (not merely exist, so environments sharing an account
 * cannot touch each other's load balancers), and security-group rules and groups are managed only in
 * the cluster VPC. The optional policies beside it (Global Accelerator, vended access-log delivery)
 * belong to features this add-on does not turn on.
 */
export function loadBalancerControllerStatements(clusterName: string, vpcId: string): LoadBalancerControllerStatements {
  const securityGroups = regionalArn('ec2', 'security-group/*');
  const vpc = regionalArn('ec2', `vpc/${vpcId}`);
  const loadBalancers = [
    regionalArn('elasticloadbalancing', 'loadbalancer/app/*/*'),
    regionalArn('elasticloadbalancing', 'loadbalancer/net/*/*'),
  ];
  const targetGroups = regionalArn('elasticloadbalancing', 'targetgroup/*/*');
  const listeners = [regionalArn('elasticloadbalancing', 'listener/app/*/*/*'), regionalArn('elasticloadbalancing', 'listener/net/*/*/*')];
  const rules = [
    regionalArn('elasticloadbalancing', 'listener-rule/app/*/*/*'),
    regionalArn('elasticloadbalancing', 'listener-rule/net/*/*/*'),
  ];
  const ownedByCluster = { [`aws:ResourceTag/${CLUSTER_TAG}`]: clusterName };
  const requestedForCluster = { [`aws:RequestTag/${CLUSTER_TAG}`]: clusterName };
  // Tag changes may not add, alter or remove the ownership tag itself.
  const ownershipTagUntouched = { Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: 'true' } };
  const network = [
    new iam.PolicyStatement({
      sid: 'CreateElbServiceLinkedRole',
      actions: ['iam:CreateServiceLinkedRole'],
      resources: [
        `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing`,
      ],
      conditions: { StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } },
    }),
    new iam.PolicyStatement({
      sid: 'Describe',
      actions: [
        'ec2:DescribeAccountAttributes',
        'ec2:DescribeAddresses',
        'ec2:DescribeAvailabilityZones',
        'ec2:DescribeInternetGateways',
        'ec2:DescribeVpcs',
        'ec2:DescribeVpcPeeringConnections',
        'ec2:DescribeSubnets',
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeInstances',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeTags',
        'ec2:GetCoipPoolUsage',
        'ec2:DescribeCoipPools',
        'ec2:GetSecurityGroupsForVpc',
        'ec2:DescribeIpamPools',
        'ec2:DescribeRouteTables',
        'elasticloadbalancing:DescribeLoadBalancers',
        'elasticloadbalancing:DescribeLoadBalancerAttributes',
        'elasticloadbalancing:DescribeListeners',
        'elasticloadbalancing:DescribeListenerCertificates',
        'elasticloadbalancing:DescribeSSLPolicies',
        'elasticloadbalancing:DescribeRules',
        'elasticloadbalancing:DescribeTargetGroups',
        'elasticloadbalancing:DescribeTargetGroupAttributes',
        'elasticloadbalancing:DescribeTargetHealth',
        'elasticloadbalancing:DescribeTags',
        'elasticloadbalancing:DescribeTrustStores',
        'elasticloadbalancing:DescribeListenerAttributes',
        'elasticloadbalancing:DescribeCapacityReservation',
      ],
      resources: ['*'],
    }),
    // Reads as in the documented policy (the controller may look up WAF and Shield state of an
    // ALB even with those features off); only the WAFv2 writes are granted below.
    new iam.PolicyStatement({
      sid: 'ReadCertificatesAuthAndProtection',
      actions: [
        'cognito-idp:DescribeUserPoolClient',
        'acm:ListCertificates',
        'acm:DescribeCertificate',
        'iam:ListServerCertificates',
        'iam:GetServerCertificate',
        'waf-regional:GetWebACL',
        'waf-regional:GetWebACLForResource',
        'wafv2:GetWebACL',
        'wafv2:GetWebACLForResource',
        'shield:GetSubscriptionState',
        'shield:DescribeProtection',
      ],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'OpenNodeSecurityGroupsInClusterVpc',
      actions: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'],
      resources: [securityGroups],
      conditions: { ArnEquals: { 'ec2:Vpc': vpc } },
    }),
    new iam.PolicyStatement({
      sid: 'CreateSecurityGroupsInClusterVpc',
      actions: ['ec2:CreateSecurityGroup'],
      resources: [securityGroups, vpc],
    }),
    new iam.PolicyStatement({
      sid: 'TagSecurityGroupsOnCreate',
      actions: ['ec2:CreateTags'],
      resources: [securityGroups],
      conditions: { StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup', ...requestedForCluster } },
    }),
    new iam.PolicyStatement({
      sid: 'RetagOwnSecurityGroups',
      actions: ['ec2:CreateTags', 'ec2:DeleteTags'],
      resources: [securityGroups],
      conditions: { StringEquals: ownedByCluster, ...ownershipTagUntouched },
    }),
    new iam.PolicyStatement({
      sid: 'ManageOwnSecurityGroups',
      actions: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:DeleteSecurityGroup'],
      resources: [securityGroups],
      conditions: { StringEquals: ownedByCluster },
    }),
  ];
  const loadBalancerStatements = [
    // WAFv2 authorizes an association against the web ACL and the ALB, and ELB additionally checks
    // elasticloadbalancing:SetWebAcl on the ALB; without it every wafv2-acl-arn annotation fails.
    new iam.PolicyStatement({
      sid: 'AssociateWafv2WithAlbs',
      actions: ['wafv2:AssociateWebACL', 'wafv2:DisassociateWebACL', 'elasticloadbalancing:SetWebAcl'],
      resources: [regionalArn('wafv2', 'regional/webacl/*/*'), loadBalancers[0]],
    }),
    new iam.PolicyStatement({
      sid: 'CreateTaggedLoadBalancersAndTargetGroups',
      actions: ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'],
      resources: [...loadBalancers, targetGroups],
      conditions: { StringEquals: requestedForCluster },
    }),
    new iam.PolicyStatement({
      sid: 'TagLoadBalancersAndTargetGroupsOnCreate',
      actions: ['elasticloadbalancing:AddTags'],
      resources: [...loadBalancers, targetGroups],
      conditions: {
        StringEquals: { 'elasticloadbalancing:CreateAction': ['CreateTargetGroup', 'CreateLoadBalancer'], ...requestedForCluster },
      },
    }),
    new iam.PolicyStatement({
      sid: 'RetagOwnLoadBalancersAndTargetGroups',
      actions: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
      resources: [...loadBalancers, targetGroups],
      conditions: { StringEquals: ownedByCluster, ...ownershipTagUntouched },
    }),
    new iam.PolicyStatement({
      sid: 'ManageOwnLoadBalancersAndTargetGroups',
      actions: [
        'elasticloadbalancing:ModifyLoadBalancerAttributes',
        'elasticloadbalancing:SetIpAddressType',
        'elasticloadbalancing:SetSecurityGroups',
        'elasticloadbalancing:SetSubnets',
        'elasticloadbalancing:DeleteLoadBalancer',
        'elasticloadbalancing:ModifyTargetGroup',
        'elasticloadbalancing:ModifyTargetGroupAttributes',
        'elasticloadbalancing:DeleteTargetGroup',
        'elasticloadbalancing:ModifyListenerAttributes',
        'elasticloadbalancing:ModifyCapacityReservation',
        'elasticloadbalancing:ModifyIpPools',
      ],
      resources: [...loadBalancers, targetGroups, ...listeners],
      conditions: { StringEquals: ownedByCluster },
    }),
    // Listeners and rules: the documented policy grants these on any resource without a tag
    // condition (listeners of existing load balancers may be untagged); here they are limited
    // to load balancer resources of this account and region.
    new iam.PolicyStatement({
      sid: 'ManageListenersAndRules',
      actions: [
        'elasticloadbalancing:CreateListener',
        'elasticloadbalancing:DeleteListener',
        'elasticloadbalancing:CreateRule',
        'elasticloadbalancing:DeleteRule',
        'elasticloadbalancing:ModifyListener',
        'elasticloadbalancing:AddListenerCertificates',
        'elasticloadbalancing:RemoveListenerCertificates',
        'elasticloadbalancing:ModifyRule',
        'elasticloadbalancing:SetRulePriorities',
      ],
      resources: [...loadBalancers, ...listeners, ...rules, targetGroups],
    }),
    new iam.PolicyStatement({
      sid: 'TagListenersAndRules',
      actions: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
      resources: [...listeners, ...rules],
    }),
    new iam.PolicyStatement({
      sid: 'RegisterTargets',
      actions: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
      resources: [targetGroups],
    }),
  ];
  return { network, loadBalancers: loadBalancerStatements };
}
