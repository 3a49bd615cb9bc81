import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { ManagedAddonName, NodeGroupConfig } from '../config';

/** Props for {@link ManagedNodeGroups}. */
export interface ManagedNodeGroupsProps {
  readonly cluster: eks.Cluster;
  readonly groups: readonly NodeGroupConfig[];
  readonly nodeRole: iam.IRole;
  /** Pinned versions of the core EKS managed add-ons for the cluster's Kubernetes version. */
  readonly addonVersions: Readonly<Record<ManagedAddonName, string>>;
}

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
        amiType: group.amiType as eks.NodegroupAmiType,
        instanceTypes: group.instanceTypes.map((t) => new ec2.InstanceType(t)),
        capacityType: group.capacityType === 'SPOT' ? eks.CapacityType.SPOT : eks.CapacityType.ON_DEMAND,
        minSize: group.minSize,
        maxSize: group.maxSize,
        desiredSize: group.desiredSize,
        diskSize: group.diskSize,
        labels: { ...group.labels },
        taints: group.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect as eks.TaintEffect })),
        subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        enableNodeAutoRepair: true,
      });
      prerequisites.forEach((a) => nodegroup.node.addDependency(a));
      return nodegroup;
    });

    const coredns = addon('coredns');
    this.nodegroups.forEach((ng) => coredns.node.addDependency(ng));
  }
}
