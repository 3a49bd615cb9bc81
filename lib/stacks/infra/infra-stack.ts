import type { StackProps } from 'aws-cdk-lib';
import { CfnOutput, Stack, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

import { functionLogRemovalPolicy, ownFunctionLogGroups } from '../../core/compliance/function-log-groups';
import type { PlatformConfig } from '../../core/config';
import { environmentNames, kubernetesVersionInfo } from '../../core/config';
import { publishInfraExports } from '../contract';
import { ClusterAccess } from './access-entries';
import { PlatformCluster } from './eks-cluster';
import { LogsEncryptionKey } from './encryption-key';
import { KubectlRole } from './kubectl-role';
import { logRetention } from './log-retention';
import { ManagedNodeGroups } from './managed-node-groups';
import { ClusterNetwork } from './network';
import { AUTO_MODE_NODE_POLICIES, NODE_GROUP_NODE_POLICIES, NodeRole } from './node-role';

/** Props for {@link InfraStack}. */
export interface InfraStackProps extends StackProps {
  /** The validated configuration (see `loadConfig`). */
  readonly config: PlatformConfig;
}

/**
 * The infrastructure team's stack: VPC, EKS control plane, who may access it, and compute.
 * Pure AWS resources: nothing here talks to the Kubernetes API, so it deploys without kubectl.
 */
export class InfraStack extends Stack {
  readonly network: ClusterNetwork;
  readonly platformCluster: PlatformCluster;
  readonly nodeGroups?: ManagedNodeGroups;

  constructor(scope: Construct, id: string, props: InfraStackProps) {
    const { config } = props;
    const names = environmentNames(config.environment);
    super(scope, id, {
      stackName: names.infraStackName,
      description: `cdk-eks-platform infrastructure (VPC, EKS ${config.kubernetesVersion}, access, compute) of ${config.environment}`,
      ...props,
    });
    const retention = logRetention(config.logRetentionDays);
    const logsKey = new LogsEncryptionKey(this, 'LogsKey', { aliasName: `${names.clusterName}-logs` }).key;

    this.network = new ClusterNetwork(this, 'Network', {
      cidr: config.vpcCidr,
      availabilityZones: config.availabilityZones,
      natGateways: config.natGateways,
      clusterName: names.clusterName,
      logsKey,
      logRetention: retention,
    });

    const autoModeNodeRole =
      config.compute === 'auto'
        ? new NodeRole(this, 'AutoModeNodeRole', { managedPolicyNames: AUTO_MODE_NODE_POLICIES, purpose: 'EKS Auto Mode nodes' }).role
        : undefined;

    this.platformCluster = new PlatformCluster(this, 'Eks', {
      clusterName: names.clusterName,
      kubernetesVersion: config.kubernetesVersion,
      vpc: this.network.vpc,
      endpointAccess: config.endpointAccess,
      publicAccessCidrs: config.publicAccessCidrs,
      compute: config.compute,
      autoModeNodePools: config.autoModeNodePools,
      autoModeNodeRole,
      logsKey,
      logRetention: retention,
      supportType: config.supportType,
      deletionProtection: config.deletionProtection,
      zonalShift: config.zonalShift,
      controlPlaneTier: config.controlPlaneTier,
      forceVersionUpdate: config.forceVersionUpdate,
      rollbackTimeoutMinutes: config.rollbackTimeoutMinutes,
    });
    const cluster = this.platformCluster.cluster;

    new ClusterAccess(this, 'Access', {
      cluster,
      entries: [
        ...config.clusterAdmins.map((principalArn) => ({
          principalArn,
          policy: 'AmazonEKSClusterAdminPolicy' as const,
          scope: 'cluster' as const,
          namespaces: [],
        })),
        ...config.accessEntries,
      ],
    });
    const kubectlRole = new KubectlRole(this, 'KubectlRole', { cluster });

    if (config.compute === 'nodegroups') {
      this.nodeGroups = new ManagedNodeGroups(this, 'Compute', {
        cluster,
        groups: config.nodeGroups,
        nodeRole: new NodeRole(this, 'NodeGroupRole', { managedPolicyNames: NODE_GROUP_NODE_POLICIES, purpose: 'managed node groups' })
          .role,
        kubernetesVersion: config.kubernetesVersion,
        addonVersions: kubernetesVersionInfo(config.kubernetesVersion).managedAddons,
      });
    }

    publishInfraExports(this, names, {
      clusterName: cluster.clusterName,
      vpcId: this.network.vpc.vpcId,
      privateSubnetIds: this.network.vpc.privateSubnets.map((s) => s.subnetId).join(','),
      clusterSecurityGroupId: cluster.clusterSecurityGroupId,
      kubectlRoleArn: kubectlRole.role.roleArn,
      logsKeyArn: logsKey.keyArn,
      oidcIssuerUrl: cluster.clusterOpenIdConnectIssuerUrl,
    });
    new CfnOutput(this, 'ClusterName', { value: cluster.clusterName });
    new CfnOutput(this, 'KubeconfigCommand', {
      value: `aws eks update-kubeconfig --name ${names.clusterName} --region ${this.region} --alias ${names.clusterName}`,
    });

    for (const [key, value] of Object.entries({ ...config.tags, 'platform:environment': config.environment })) {
      Tags.of(this).add(key, value);
    }
    // Last: every function built above (the restrict-default-security-group handler).
    ownFunctionLogGroups(this, {
      encryptionKeyArn: logsKey.keyArn,
      retentionDays: config.logRetentionDays,
      removalPolicy: functionLogRemovalPolicy(config.profile),
    });
  }
}
