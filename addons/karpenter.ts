import { join } from 'node:path';

import { Annotations, Aws, Duration } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { z } from 'zod';

import { acknowledge, managedPolicyFinding, wildcardFinding } from '../lib/core/compliance/acknowledge';
import type { NodeGroupConfig, PlatformConfig, Problems } from '../lib/core/config';
import { ENVIRONMENT_TAG, tagCountAllowed } from '../lib/core/config';
import { documented, integer, strictObject, text } from '../lib/core/config';
import type { KubernetesObject } from '../lib/core/kubernetes-object';
import { PLATFORM_LABELS } from '../lib/core/kubernetes-object';
import type { AddOnContext } from './core/addon';
import type { AdditionalChart, HelmChartSpec, HelmValues } from './core/helm-addon';
import { HelmAddOn } from './core/helm-addon';
import { tolerationsFor } from './core/node-placement';
import type { OptionsInput } from './core/options';
import { addOnOptions, HELM_OPTIONS } from './core/options';
import { PodIdentity } from './core/pod-identity';
import type { PodSet } from './core/pod-sets';
import { podRequests, TOLERATE_CRITICAL_ADDONS_ONLY } from './core/pod-sets';
import type { AddOnRegistration } from './core/registration';
import { registerAddOn } from './core/registration';

/**
 * The tested chart: the version EKS Blueprints 1.19 pins for its Karpenter v1 add-on. Karpenter
 * supports Kubernetes 1.35 from v1.9 on (compatibility matrix, as summarised by endoflife.date).
 */
export const KARPENTER_CHART: HelmChartSpec = {
  repository: 'oci://public.ecr.aws/karpenter/karpenter',
  chart: 'karpenter',
  version: '1.13.0',
  namespace: 'kube-system',
  release: 'karpenter',
  // Karpenter's compatibility matrix (website/content/en/v1.13/upgrading/compatibility.md): 1.13.x
  // is the release for Kubernetes 1.36 and supports every version down to 1.30 (the oldest listed).
  kubernetesVersions: { min: '1.30', max: '1.36', source: 'the Karpenter v1.13 compatibility matrix' },
};

/**
 * The CRDs as their own release, at the chart's version. Helm installs a chart's `crds/` only on
 * the first install and never upgrades them, so a version bump would leave stale CRDs behind.
 */
export const KARPENTER_CRD_CHART: Omit<HelmChartSpec, 'version'> = {
  repository: 'oci://public.ecr.aws/karpenter/karpenter-crd',
  chart: 'karpenter-crd',
  namespace: 'kube-system',
  release: 'karpenter-crd',
};

/** The service account the chart creates and Pod Identity binds to. */
export const KARPENTER_SERVICE_ACCOUNT = 'karpenter';

/** Nodes the controller runs on: InfraStack's default "ops" node group carries this label. */
export const KARPENTER_CONTROLLER_NODE_SELECTOR: Readonly<Record<string, string>> = { 'karpenter.sh/controller': 'true' };

/** Requests of each controller replica (the chart sets none: values.yaml `controller.resources: {}`). */
const CONTROLLER_REQUESTS = { cpu: '250m', memory: '512Mi' } as const;
const CONTROLLER_REPLICAS = 2;

/**
 * AWS managed policies of Karpenter's node role in its CloudFormation reference (v1.13): VPC CNI nodes,
 * image pulls only (PullOnly, not ReadOnly), and SSM for shell access.
 */
export const KARPENTER_NODE_POLICIES = [
  'AmazonEKSWorkerNodePolicy',
  'AmazonEKS_CNI_Policy',
  'AmazonEC2ContainerRegistryPullOnly',
  'AmazonSSMManagedInstanceCore',
];

const NODE_ROLE_ID = 'NodeRole';
/** Name of the default EC2NodeClass and NodePool. */
const DEFAULT_NAME = 'default';
const AMI_ALIAS = /^(al2023|bottlerocket)@(latest|v[0-9][0-9A-Za-z.-]*)$/;

/** Options of {@link KarpenterAddOn}, in configuration and in code. */
export const KARPENTER_OPTIONS = strictObject(
  {
    ...HELM_OPTIONS,
    /** @default KARPENTER_CONTROLLER_NODE_SELECTOR (`karpenter.sh/controller: "true"`) */
    nodeSelector: documented(HELM_OPTIONS.nodeSelector, {
      description:
        'Node selector of the controller; replaces the default `karpenter.sh/controller: "true"`. Keep it on a managed node group: Karpenter must not run on nodes it manages.',
    }),
    nodePoolCpuLimit: documented(integer(1, 100000, 'an integer from 1 to 100000 (cores)'), {
      description: 'CPU limit of the default NodePool (cores over all its nodes): a cost ceiling.',
    }).default(100),
    amiAlias: documented(
      text('an AMI alias such as bottlerocket@latest, bottlerocket@v1.30.0, al2023@latest or al2023@v20250101', AMI_ALIAS),
      {
        description:
          'AMI alias of the default EC2NodeClass; with `latest` a new AMI release replaces nodes (drift), pin a version to control when.',
      },
    ).default('bottlerocket@latest'),
  },
  'an object of karpenter options',
);

/** Props for {@link KarpenterAddOn}. */
export type KarpenterAddOnProps = OptionsInput<typeof KARPENTER_OPTIONS>;

/** What Karpenter's prerequisites hand to its values and its EC2NodeClass. */
export interface KarpenterPrerequisites {
  /** The role of the nodes Karpenter launches. */
  readonly nodeRole: iam.IRole;
  /** The interruption queue the controller reads. */
  readonly queue: sqs.IQueue;
}

/**
 * Karpenter for managed node groups: the controller (on the labelled controller nodes), its
 * interruption queue and rules, the node role with its EC2_LINUX access entry, and a default
 * EC2NodeClass and NodePool of spot and on-demand c/m/r instances.
 */
export class KarpenterAddOn extends HelmAddOn<z.output<typeof KARPENTER_OPTIONS>, KarpenterPrerequisites> {
  static readonly ID = 'karpenter';
  static readonly registration: AddOnRegistration = registerAddOn({
    id: KarpenterAddOn.ID,
    summary: 'Karpenter node autoscaling: controller, interruption queue, node role, default EC2NodeClass and spot/on-demand NodePool',
    options: KARPENTER_OPTIONS,
    create: (props) => new KarpenterAddOn(props),
    docs: { prose: join(__dirname, 'karpenter.md') },
  });

  readonly id = KarpenterAddOn.ID;
  readonly computeModes = ['nodegroups'] as const;
  readonly serviceAccounts = [{ namespace: KARPENTER_CHART.namespace, name: KARPENTER_SERVICE_ACCOUNT }];
  /** Two autoscalers would fight over the same pending pods. */
  readonly conflictsWith = ['cluster-autoscaler'];
  /** The default NodePool has no taints: it takes every pod that fits no node group. */
  readonly providesCapacity = true;
  readonly autoModeBuiltIn =
    'Auto Mode node pools are Karpenter-based. Use the built-in "general-purpose" node pool, or create an Auto Mode ' +
    'NodePool (nodeClassRef group eks.amazonaws.com, kind NodeClass) for other instance types.';

  constructor(props: KarpenterAddOnProps = {}) {
    super(KARPENTER_CHART, addOnOptions(KarpenterAddOn.ID, KARPENTER_OPTIONS, props));
  }

  /** The CRDs at the controller's version, installed before it. */
  readonly additionalCharts: readonly AdditionalChart[] = [
    { id: 'CrdChart', spec: { ...KARPENTER_CRD_CHART, version: this.chart.version }, order: 'before' },
  ];

  /**
   * The controller replicas, on the controller nodes. Without configured tolerations they
   * tolerate exactly the taints of the groups the selector picks, and where those carry none the
   * chart's own default: `CriticalAddonsOnly` (karpenter-provider-aws@v1.13.0
   * charts/karpenter/values.yaml `tolerations`).
   */
  podSets(config: PlatformConfig): PodSet[] {
    const selector = this.options.nodeSelector ?? KARPENTER_CONTROLLER_NODE_SELECTOR;
    const pinned = tolerationsFor(config, selector);
    return [
      {
        name: 'karpenter controller',
        replicas: CONTROLLER_REPLICAS,
        requests: podRequests(CONTROLLER_REQUESTS.cpu, CONTROLLER_REQUESTS.memory),
        ...this.podPlacement(config, { nodeSelector: selector, tolerations: pinned.length > 0 ? pinned : TOLERATE_CRITICAL_ADDONS_ONLY }),
        source: `this add-on's values (chart ${KARPENTER_CHART.version} sets no requests)`,
      },
    ];
  }

  /**
   * Without a node group carrying the controller's node selector, the controller pods stay Pending
   * and the chart's install (wait: true) times out at deploy: refused here instead.
   */
  checkConfiguration(p: Problems, config: PlatformConfig): void {
    const selector = this.options.nodeSelector ?? KARPENTER_CONTROLLER_NODE_SELECTOR;
    if (config.compute === 'nodegroups' && controllerNodeGroups(config.nodeGroups, selector).length === 0) {
      p.add(
        `addons.${KarpenterAddOn.ID}.nodeSelector`,
        selector,
        'labels that a node group carries (nodeGroups[].labels), so the Karpenter controller can be scheduled: label one, e.g. karpenter.sh/controller: "true"',
      );
    }
    // The EC2NodeClass passes the user's tags on to every instance, beside Karpenter's own.
    const tagCount = Object.keys(config.tags).length;
    if (tagCount > 50 - KARPENTER_INSTANCE_TAGS.length) {
      p.add('tags', tagCount, `${tagCountAllowed('EC2 instances Karpenter launches', KARPENTER_INSTANCE_TAGS)}, with the karpenter add-on`);
    }
    const reserved = Object.keys(config.tags).filter(
      (key) => (KARPENTER_INSTANCE_TAGS as readonly string[]).includes(key) && key !== 'Name',
    );
    for (const key of reserved) {
      p.add(
        `tags.${key}`,
        config.tags[key],
        'a key Karpenter does not set itself on the instances it launches (its EC2NodeClass refuses it in spec.tags)',
      );
    }
  }

  /**
   * The node role and its access entry, the interruption queue and rules, and the controller's
   * Pod Identity with its policies; a warning when the controller's node selector is risky.
   */
  protected prerequisites(scope: Construct, context: AddOnContext): KarpenterPrerequisites {
    const placement = controllerPlacementProblem(
      context.config.nodeGroups,
      this.options.nodeSelector ?? KARPENTER_CONTROLLER_NODE_SELECTOR,
    );
    if (placement) {
      Annotations.of(scope).addWarningV2('cdk-eks-platform:karpenter-controller-placement', placement);
    }
    const clusterName = context.names.clusterName;
    const nodeRole = karpenterNodeRole(scope, clusterName);
    // Nodes join with this entry; it is deleted only after the chart, i.e. after Karpenter removed its nodes.
    new eks.AccessEntry(scope, 'NodeAccessEntry', {
      cluster: context.cluster,
      principal: nodeRole.roleArn,
      accessEntryType: eks.AccessEntryType.EC2_LINUX,
      accessPolicies: [],
    });
    const queue = interruptionQueue(scope, clusterName);
    const statements = karpenterControllerStatements({
      clusterName,
      clusterArn: context.cluster.clusterArn,
      nodeRoleArn: nodeRole.roleArn,
      queueArn: queue.queueArn,
    });
    const identity = new PodIdentity(scope, 'PodIdentity', {
      cluster: context.cluster,
      namespace: this.chart.namespace,
      serviceAccount: KARPENTER_SERVICE_ACCOUNT,
      purpose: `Karpenter controller of ${clusterName}`,
      statements: statements.nodeLifecycle,
    });
    const integrationPolicy = new iam.ManagedPolicy(scope, 'IntegrationPolicy', {
      description: `Pod Identity permissions of ${this.chart.namespace}/${KARPENTER_SERVICE_ACCOUNT}: discovery, interruption queue, instance profiles`,
      statements: statements.integration,
      roles: [identity.role],
    });
    acknowledgeControllerWildcards(identity.policy, integrationPolicy);
    return { nodeRole, queue };
  }

  protected chartValues(context: AddOnContext, { queue }: KarpenterPrerequisites): HelmValues {
    // A dedicated controller group's taints, when the default selector picks one; a configured
    // selector gets its tolerations with the other add-ons' (HelmAddOn.podPlacement).
    const tolerations = this.options.nodeSelector ? [] : tolerationsFor(context.config, KARPENTER_CONTROLLER_NODE_SELECTOR);
    return {
      replicas: CONTROLLER_REPLICAS,
      serviceAccount: { create: true, name: KARPENTER_SERVICE_ACCOUNT },
      settings: {
        clusterName: context.cluster.clusterName,
        interruptionQueue: queue.queueName,
      },
      controller: { resources: { requests: { ...CONTROLLER_REQUESTS }, limits: { memory: '1Gi' } } },
      // The chart's own affinity keeps the replicas on different nodes and off Karpenter's nodes.
      // A configured node selector replaces this one (it is merged in after these values).
      nodeSelector: this.options.nodeSelector ? {} : KARPENTER_CONTROLLER_NODE_SELECTOR,
      ...(tolerations.length > 0 ? { tolerations } : {}),
    };
  }

  protected afterChart(scope: Construct, context: AddOnContext, chart: Construct, { nodeRole }: KarpenterPrerequisites): void {
    const nodeClass = new eks.KubernetesManifest(scope, 'NodeClass', {
      cluster: context.cluster,
      manifest: [this.ec2NodeClass(context, nodeRole.roleName)],
      overwrite: true,
    });
    nodeClass.node.addDependency(chart);
    const nodePool = new eks.KubernetesManifest(scope, 'NodePool', {
      cluster: context.cluster,
      manifest: [this.nodePool()],
      overwrite: true,
    });
    // Deleted before its node class, so Karpenter drains and terminates the nodes first.
    nodePool.node.addDependency(nodeClass);
  }

  /** The default EC2NodeClass: the node role, the discovery-tagged private subnets and the cluster security group. */
  ec2NodeClass(context: AddOnContext, nodeRoleName: string): KubernetesObject {
    const clusterName = context.names.clusterName;
    return {
      apiVersion: 'karpenter.k8s.aws/v1',
      kind: 'EC2NodeClass',
      metadata: { name: DEFAULT_NAME, labels: PLATFORM_LABELS },
      spec: {
        role: nodeRoleName,
        amiSelectorTerms: [{ alias: this.options.amiAlias }],
        // InfraStack tags the private subnets for Karpenter discovery.
        subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': clusterName } }],
        // InfraStack does not tag a security group for Karpenter; EKS tags the cluster security group
        // (the one managed node groups use) with aws:eks:cluster-name, so nodes get the same network access.
        securityGroupSelectorTerms: [{ tags: { 'aws:eks:cluster-name': clusterName } }],
        // IMDSv2 only, unreachable from pods: pods get AWS access through Pod Identity, not the node role.
        metadataOptions: { httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: 1, httpTokens: 'required' },
        // Instances are not CloudFormation resources, so the stack tags do not reach them otherwise.
        tags: { ...context.config.tags, 'platform:environment': context.config.environment },
      },
    };
  }

  /** The default NodePool: spot and on-demand, current-generation c/m/r, consolidated when under-used. */
  nodePool(): KubernetesObject {
    return {
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: { name: DEFAULT_NAME, labels: PLATFORM_LABELS },
      spec: {
        template: {
          spec: {
            nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: DEFAULT_NAME },
            requirements: [
              { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
              { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
              { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot', 'on-demand'] },
              { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm', 'r'] },
              { key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: ['4'] },
            ],
            // Nodes are replaced at least monthly, so they pick up patched AMIs.
            expireAfter: '720h',
          },
        },
        limits: { cpu: String(this.options.nodePoolCpuLimit) },
        disruption: { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '1m' },
      },
    };
  }
}

/** The node groups whose labels match the controller's node selector. */
function controllerNodeGroups(nodeGroups: readonly NodeGroupConfig[], selector: Readonly<Record<string, string>>): NodeGroupConfig[] {
  return nodeGroups.filter((g) => Object.entries(selector).every(([key, value]) => g.labels[key] === value));
}

/**
 * Why the node groups cannot keep Karpenter available, if they cannot: the chart runs two replicas
 * that must land on different nodes (and keeps one through voluntary disruptions with its PDB), so
 * the selected groups need two on-demand nodes at least; on spot, one interruption can take both.
 */
export function controllerPlacementProblem(
  nodeGroups: readonly NodeGroupConfig[],
  selector: Readonly<Record<string, string>>,
): string | undefined {
  const selected = controllerNodeGroups(nodeGroups, selector);
  const wanted = Object.entries(selector)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
  if (selected.length === 0) {
    return `no node group carries the labels ${wanted}: the Karpenter controller cannot be scheduled`;
  }
  const onDemand = selected.filter((g) => g.capacityType === 'ON_DEMAND').reduce((sum, g) => sum + g.minSize, 0);
  if (onDemand < 2) {
    return (
      `the node groups with ${wanted} (${selected.map((g) => `${g.name}: ${g.capacityType} ${g.minSize}+`).join('; ')}) ` +
      'guarantee fewer than 2 on-demand nodes: one spot interruption or node loss can leave one Karpenter ' +
      'controller or none. Give them capacityType ON_DEMAND and minSize 2 or more in total.'
    );
  }
  return undefined;
}

/**
 * The tags of the EC2 instances Karpenter launches besides the user's (the EC2NodeClass passes those
 * on): the environment tag, and Karpenter's kubernetes.io/cluster/<name>, karpenter.sh/nodepool,
 * eks:eks-cluster-name and karpenter.k8s.aws/ec2nodeclass at launch, karpenter.sh/nodeclaim and Name
 * afterwards (aws/karpenter-provider-aws pkg/cloudprovider/cloudprovider.go and the nodeclaim
 * tagging controller; its EC2NodeClass validation refuses those keys in spec.tags).
 */
export const KARPENTER_INSTANCE_TAGS = [
  ENVIRONMENT_TAG,
  'Name',
  'kubernetes.io/cluster/<cluster>',
  'karpenter.sh/nodepool',
  'karpenter.sh/nodeclaim',
  'karpenter.k8s.aws/ec2nodeclass',
  'eks:eks-cluster-name',
] as const;

/** The role of the EC2 instances Karpenter launches; Karpenter manages their instance profiles. */
function karpenterNodeRole(scope: Construct, clusterName: string): iam.Role {
  const role = new iam.Role(scope, NODE_ROLE_ID, {
    assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
    description: `Node role: Karpenter nodes of ${clusterName}`,
    managedPolicies: KARPENTER_NODE_POLICIES.map((name) => iam.ManagedPolicy.fromAwsManagedPolicyName(name)),
  });
  acknowledge(
    role,
    'These are the AWS managed policies AWS and Karpenter document for EKS nodes; AWS updates them as EKS, ECR and ' +
      'Systems Manager change, which a customer-managed copy would silently miss. They grant node-level read/attach ' +
      'actions and the SSM agent channel (no data access); workloads get their own permissions through EKS Pod Identity.',
    KARPENTER_NODE_POLICIES.map(managedPolicyFinding),
  );
  return role;
}

/** Where EventBridge delivers the EC2 and Health events that let Karpenter drain a node before it goes away. */
function interruptionQueue(scope: Construct, clusterName: string): sqs.Queue {
  // A fixed name lets the dead-letter queue name its only source without a reference cycle.
  const queueName = `${clusterName}-karpenter-interruption`;
  // Messages Karpenter received three times without deleting them: evidence that it fails to handle
  // interruptions (AWS Control Tower CT.SQS.PR.1). Kept the SQS maximum for the investigation; a
  // moved message keeps its original enqueue time, so it would otherwise expire within minutes.
  const deadLetters = new sqs.Queue(scope, 'InterruptionDeadLetterQueue', {
    retentionPeriod: Duration.days(14),
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    redriveAllowPolicy: {
      redrivePermission: sqs.RedrivePermission.BY_QUEUE,
      sourceQueues: [
        sqs.Queue.fromQueueArn(scope, 'InterruptionQueueByName', `arn:${Aws.PARTITION}:sqs:${Aws.REGION}:${Aws.ACCOUNT_ID}:${queueName}`),
      ],
    },
  });
  const queue = new sqs.Queue(scope, 'InterruptionQueue', {
    queueName,
    // An interruption warning is worthless after the two minutes it announces.
    retentionPeriod: Duration.seconds(300),
    // SQS-managed keys: EventBridge can deliver to them without a key policy.
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    deadLetterQueue: { queue: deadLetters, maxReceiveCount: 3 },
  });
  const rules: Record<string, events.EventPattern> = {
    SpotInterruptionRule: { source: ['aws.ec2'], detailType: ['EC2 Spot Instance Interruption Warning'] },
    RebalanceRule: { source: ['aws.ec2'], detailType: ['EC2 Instance Rebalance Recommendation'] },
    InstanceStateChangeRule: { source: ['aws.ec2'], detailType: ['EC2 Instance State-change Notification'] },
    ScheduledChangeRule: { source: ['aws.health'], detailType: ['AWS Health Event'] },
    // Sent when the owner of a shared capacity reservation reclaims it; Karpenter then drains those nodes.
    CapacityReservationInterruptionRule: { source: ['aws.ec2'], detailType: ['EC2 Capacity Reservation Instance Interruption Warning'] },
  };
  for (const [id, eventPattern] of Object.entries(rules)) {
    new events.Rule(scope, id, { eventPattern, targets: [new targets.SqsQueue(queue)] });
  }
  return queue;
}

/** What the controller's policy is scoped to. */
export interface KarpenterPolicyScope {
  /** Plain cluster name: it is part of condition keys, which cannot be tokens. */
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly nodeRoleArn: string;
  readonly queueArn: string;
}

/**
 * The controller's permissions in two groups, each its own managed policy (as Karpenter itself
 * splits them): with a long cluster name, one policy would exceed the 6,144-character limit.
 */
export interface KarpenterControllerStatements {
  /** Launching, tagging and terminating instances and launch templates. */
  readonly nodeLifecycle: iam.PolicyStatement[];
  /** Discovery reads, the interruption queue, the node role and its instance profiles, the cluster. */
  readonly integration: iam.PolicyStatement[];
}

/**
 * Karpenter's controller policy as in its CloudFormation reference of the pinned version:
 * website/content/en/v1.13/reference/cloudformation.md of aws/karpenter-provider-aws, which documents
 * the statements of the v1.13.0 getting-started cloudformation.yaml (the nearest published
 * cloudformation.yaml, of v1.12, differs only in the zonal-shift and DescribeInstanceStatus
 * statements, where v1.13's form is used). Every action and condition is kept; the differences are
 * deliberate: ARNs name this account where upstream has `*` (instances, fleets, volumes, network
 * interfaces, launch templates, spot requests, subnets and security groups are all this account's),
 * and the six upstream policies are folded into two.
 */
export function karpenterControllerStatements(s: KarpenterPolicyScope): KarpenterControllerStatements {
  const ec2 = (resource: string, account: string = Aws.ACCOUNT_ID) => `arn:${Aws.PARTITION}:ec2:${Aws.REGION}:${account}:${resource}`;
  const instanceProfiles = `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:instance-profile/*`;
  const launched = ['fleet/*', 'instance/*', 'volume/*', 'network-interface/*', 'launch-template/*', 'spot-instances-request/*'].map((r) =>
    ec2(r),
  );
  const clusterTag = `kubernetes.io/cluster/${s.clusterName}`;
  const requestedForCluster = { [`aws:RequestTag/${clusterTag}`]: 'owned', 'aws:RequestTag/eks:eks-cluster-name': s.clusterName };
  const ownedByCluster = { [`aws:ResourceTag/${clusterTag}`]: 'owned' };
  const regionTag = 'topology.kubernetes.io/region';
  const nodeLifecycle = [
    new iam.PolicyStatement({
      sid: 'AllowScopedEC2InstanceAccessActions',
      actions: ['ec2:RunInstances', 'ec2:CreateFleet'],
      resources: [
        // Images and snapshots belong to the AMI owner's account, hence no account in their ARNs.
        ec2('image/*', ''),
        ec2('snapshot/*', ''),
        ec2('security-group/*'),
        ec2('subnet/*'),
        // Capacity reservations and placement groups may be shared from another account of the
        // organization (EC2NodeClass selectors take an owner id); using one needs the owner's share.
        ec2('capacity-reservation/*', '*'),
        ec2('placement-group/*', '*'),
      ],
    }),
    new iam.PolicyStatement({
      sid: 'AllowScopedEC2LaunchTemplateAccessActions',
      actions: ['ec2:RunInstances', 'ec2:CreateFleet'],
      resources: [ec2('launch-template/*')],
      conditions: { StringEquals: ownedByCluster, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } },
    }),
    new iam.PolicyStatement({
      sid: 'AllowScopedEC2InstanceActionsWithTags',
      actions: ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'],
      resources: launched,
      conditions: { StringEquals: requestedForCluster, StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' } },
    }),
    new iam.PolicyStatement({
      sid: 'AllowScopedResourceCreationTagging',
      actions: ['ec2:CreateTags'],
      resources: launched,
      conditions: {
        StringEquals: { ...requestedForCluster, 'ec2:CreateAction': ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'] },
        StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
      },
    }),
    new iam.PolicyStatement({
      sid: 'AllowScopedResourceTagging',
      actions: ['ec2:CreateTags'],
      resources: [ec2('instance/*')],
      conditions: {
        StringEquals: ownedByCluster,
        StringEqualsIfExists: { 'aws:RequestTag/eks:eks-cluster-name': s.clusterName },
        StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'] },
      },
    }),
    new iam.PolicyStatement({
      sid: 'AllowScopedDeletion',
      actions: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'],
      resources: [ec2('instance/*'), ec2('launch-template/*')],
      conditions: { StringEquals: ownedByCluster, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } },
    }),
  ];
  const integration = [
    new iam.PolicyStatement({
      sid: 'AllowRegionalReadActions',
      actions: [
        'ec2:DescribeCapacityReservations',
        'ec2:DescribeImages',
        'ec2:DescribeInstances',
        'ec2:DescribeInstanceStatus',
        'ec2:DescribeInstanceTypeOfferings',
        'ec2:DescribeInstanceTypes',
        'ec2:DescribeLaunchTemplates',
        'ec2:DescribePlacementGroups',
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeSpotPriceHistory',
        'ec2:DescribeSubnets',
      ],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:RequestedRegion': Aws.REGION } },
    }),
    new iam.PolicyStatement({
      sid: 'AllowSSMReadActions',
      actions: ['ssm:GetParameter'],
      // The public AMI parameters (/aws/service/bottlerocket/..., /aws/service/eks/...).
      resources: [`arn:${Aws.PARTITION}:ssm:${Aws.REGION}::parameter/aws/service/*`],
    }),
    new iam.PolicyStatement({
      sid: 'AllowPricingReadActions',
      actions: ['pricing:GetProducts'],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'AllowInterruptionQueueActions',
      actions: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
      resources: [s.queueArn],
    }),
    new iam.PolicyStatement({
      sid: 'AllowPassingInstanceRole',
      actions: ['iam:PassRole'],
      resources: [s.nodeRoleArn],
      // EC2's service principal in the China partition is ec2.amazonaws.com.cn.
      conditions: { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com', 'ec2.amazonaws.com.cn'] } },
    }),
    new iam.PolicyStatement({
      sid: 'AllowScopedInstanceProfileCreationActions',
      actions: ['iam:CreateInstanceProfile'],
      resources: [instanceProfiles],
      conditions: {
        StringEquals: { ...requestedForCluster, [`aws:RequestTag/${regionTag}`]: Aws.REGION },
        StringLike: { 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
      },
    }),
    new iam.PolicyStatement({
      sid: 'AllowScopedInstanceProfileTagActions',
      actions: ['iam:TagInstanceProfile'],
      resources: [instanceProfiles],
      conditions: {
        StringEquals: {
          ...ownedByCluster,
          [`aws:ResourceTag/${regionTag}`]: Aws.REGION,
          ...requestedForCluster,
          [`aws:RequestTag/${regionTag}`]: Aws.REGION,
        },
        StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*', 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
      },
    }),
    new iam.PolicyStatement({
      sid: 'AllowScopedInstanceProfileActions',
      actions: ['iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile'],
      resources: [instanceProfiles],
      conditions: {
        StringEquals: { ...ownedByCluster, [`aws:ResourceTag/${regionTag}`]: Aws.REGION },
        StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*' },
      },
    }),
    new iam.PolicyStatement({
      sid: 'AllowUnscopedInstanceProfileListAction',
      actions: ['iam:ListInstanceProfiles'],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'AllowInstanceProfileReadActions',
      actions: ['iam:GetInstanceProfile'],
      resources: [instanceProfiles],
    }),
    new iam.PolicyStatement({
      sid: 'AllowAPIServerEndpointDiscovery',
      actions: ['eks:DescribeCluster'],
      resources: [s.clusterArn],
    }),
    new iam.PolicyStatement({
      sid: 'AllowZonalShiftStatusReadOnly',
      actions: ['arc-zonal-shift:GetManagedResource'],
      resources: ['*'],
      conditions: { StringEquals: { 'arc-zonal-shift:ResourceIdentifier': s.clusterArn } },
    }),
  ];
  return { nodeLifecycle, integration };
}

function acknowledgeControllerWildcards(nodeLifecycle: iam.ManagedPolicy, integration: iam.ManagedPolicy): void {
  const ec2 = (resource: string, account = '<AWS::AccountId>') =>
    wildcardFinding('Resource', `arn:<AWS::Partition>:ec2:<AWS::Region>:${account}:${resource}`);
  const reason = "Karpenter's documented controller policy, limited to this account and region. ";
  acknowledge(
    nodeLifecycle,
    reason +
      'Instances, fleets, volumes, network interfaces, launch templates and spot requests get their ids only ' +
      "when Karpenter creates them: creating them requires this cluster's ownership and node-pool tags, and tagging, " +
      'terminating or deleting them requires those tags on the resource. Public AMIs and their snapshots are owned ' +
      'by AWS; subnets, security groups, capacity reservations and placement groups are chosen at run time by ' +
      'the EC2NodeClass selectors (the latter two may be shared into this account by their owner).',
    [
      ec2('image/*', ''),
      ec2('snapshot/*', ''),
      ec2('capacity-reservation/*', '*'),
      ec2('placement-group/*', '*'),
      ...[
        'security-group/*',
        'subnet/*',
        'fleet/*',
        'instance/*',
        'volume/*',
        'network-interface/*',
        'launch-template/*',
        'spot-instances-request/*',
      ].map((r) => ec2(r)),
    ],
  );
  acknowledge(
    integration,
    reason +
      'EC2 Describe (limited to this region), Pricing and iam:ListInstanceProfiles calls do not support ' +
      'resource-level permissions, the ' +
      'zonal-shift read is conditioned on this cluster, the SSM parameters are the public AMI parameters owned by ' +
      'AWS, and instance profiles are named by Karpenter at run time: creating, changing or deleting them requires ' +
      "this cluster's ownership, region and node-class tags.",
    [
      wildcardFinding('Resource', '*'),
      wildcardFinding('Resource', 'arn:<AWS::Partition>:ssm:<AWS::Region>::parameter/aws/service/*'),
      wildcardFinding('Resource', 'arn:<AWS::Partition>:iam::<AWS::AccountId>:instance-profile/*'),
    ],
  );
}
