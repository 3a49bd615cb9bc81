import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { CfnNodegroup } from 'aws-cdk-lib/aws-eks';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

import type { CapacityTypeName, ManagedAddonName, NodeGroupAmiType, NodeGroupConfig, TaintEffectName } from '../../core/config';

/** Props for {@link ManagedNodeGroups}. */
export interface ManagedNodeGroupsProps {
  readonly cluster: eks.Cluster;
  readonly groups: readonly NodeGroupConfig[];
  readonly nodeRole: iam.IRole;
  /** The cluster's Kubernetes minor version (e.g. `1.36`); the nodes run it too. */
  readonly kubernetesVersion: string;
  /** Documented versions of the core EKS managed add-ons for the cluster's Kubernetes version; EKS picks the others. */
  readonly addonVersions: Readonly<Partial<Record<ManagedAddonName, string>>>;
}

/** The CDK's names for the configuration's values (the compiler checks that every value has one). */
const AMI_TYPES: Readonly<Record<NodeGroupAmiType, eks.NodegroupAmiType>> = {
  BOTTLEROCKET_x86_64: eks.NodegroupAmiType.BOTTLEROCKET_X86_64,
  BOTTLEROCKET_ARM_64: eks.NodegroupAmiType.BOTTLEROCKET_ARM_64,
  AL2023_x86_64_STANDARD: eks.NodegroupAmiType.AL2023_X86_64_STANDARD,
  AL2023_ARM_64_STANDARD: eks.NodegroupAmiType.AL2023_ARM_64_STANDARD,
};
const CAPACITY_TYPES: Readonly<Record<CapacityTypeName, eks.CapacityType>> = {
  SPOT: eks.CapacityType.SPOT,
  ON_DEMAND: eks.CapacityType.ON_DEMAND,
};
const TAINT_EFFECTS: Readonly<Record<TaintEffectName, eks.TaintEffect>> = {
  NO_SCHEDULE: eks.TaintEffect.NO_SCHEDULE,
  PREFER_NO_SCHEDULE: eks.TaintEffect.PREFER_NO_SCHEDULE,
  NO_EXECUTE: eks.TaintEffect.NO_EXECUTE,
};

/** Add-ons nodes need before they can become Ready (networking, service routing, Pod Identity). */
const NODE_PREREQUISITES: readonly ManagedAddonName[] = ['vpc-cni', 'kube-proxy', 'eks-pod-identity-agent'];

/** The VPC CNI enforces the teams' NetworkPolicies only with its network policy agent on. */
const ADDON_CONFIGURATION: Partial<Record<ManagedAddonName, Record<string, string>>> = {
  'vpc-cni': { enableNetworkPolicy: 'true' },
};

/**
 * Managed node groups and the core EKS managed add-ons a cluster without Auto Mode needs.
 * Ordering is explicit: networking add-ons before nodes (else nodes never turn Ready), CoreDNS
 * after them (its pods need somewhere to run, or the add-on stays degraded).
 */
export class ManagedNodeGroups extends Construct {
  readonly nodegroups: eks.Nodegroup[];
  readonly addons: Record<string, eks.Addon> = {};

  constructor(scope: Construct, id: string, props: ManagedNodeGroupsProps) {
    super(scope, id);
    const addon = (name: ManagedAddonName): eks.Addon => {
      const created = new eks.Addon(this, `Addon-${name}`, {
        cluster: props.cluster,
        addonName: name,
        addonVersion: props.addonVersions[name],
        configurationValues: ADDON_CONFIGURATION[name],
      });
      this.addons[name] = created;
      return created;
    };
    const prerequisites = NODE_PREREQUISITES.map(addon);

    this.nodegroups = props.groups.map((group) => {
      const nodegroup = props.cluster.addNodegroupCapacity(group.name, {
        nodegroupName: group.name,
        nodeRole: props.nodeRole,
        amiType: AMI_TYPES[group.amiType],
        instanceTypes: group.instanceTypes.map((t) => new ec2.InstanceType(t)),
        capacityType: CAPACITY_TYPES[group.capacityType],
        minSize: group.minSize,
        maxSize: group.maxSize,
        desiredSize: group.desiredSize,
        diskSize: group.diskSize,
        labels: { ...group.labels },
        taints: group.taints.map((t) => ({ key: t.key, value: t.value, effect: TAINT_EFFECTS[t.effect] })),
        subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        enableNodeAutoRepair: true,
      });
      // The L2 leaves Version unset, and a node group without one stays on its Kubernetes version
      // when the cluster is upgraded. Set, it follows the cluster: CloudFormation updates the
      // control plane first (the node group references the cluster), then rolls the nodes.
      (nodegroup.node.defaultChild as CfnNodegroup).version = props.kubernetesVersion;
      prerequisites.forEach((a) => nodegroup.node.addDependency(a));
      return nodegroup;
    });

    const coredns = addon('coredns');
    this.nodegroups.forEach((ng) => coredns.node.addDependency(ng));
  }
}
