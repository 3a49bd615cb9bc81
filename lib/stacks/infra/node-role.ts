import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

import { acknowledge, managedPolicyFinding } from '../../core/compliance/acknowledge';

/** Props for {@link NodeRole}. */
export interface NodeRoleProps {
  /** AWS managed policies the nodes need; AWS documents and maintains them per node type. */
  readonly managedPolicyNames: readonly string[];
  /** What the nodes are, for the role description. */
  readonly purpose: string;
}

/**
 * The IAM role EC2 nodes run with. Created explicitly (not left to aws-eks-v2) because EKS cannot
 * change an Auto Mode node role later and a role CDK creates inside the cluster cannot be shared.
 */
export class NodeRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: NodeRoleProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: `Node role: ${props.purpose}`,
      managedPolicies: props.managedPolicyNames.map((name) => iam.ManagedPolicy.fromAwsManagedPolicyName(name)),
    });
    acknowledge(
      this.role,
      'These are the AWS managed policies AWS documents for EKS nodes; AWS updates them as EKS and ECR ' +
        'change, which a customer-managed copy would silently miss. They grant node-level read/attach ' +
        'actions only; workloads get their own permissions through EKS Pod Identity.',
      props.managedPolicyNames.map(managedPolicyFinding),
    );
  }
}

/** The minimal policies AWS documents for EKS Auto Mode nodes. */
export const AUTO_MODE_NODE_POLICIES = ['AmazonEKSWorkerNodeMinimalPolicy', 'AmazonEC2ContainerRegistryPullOnly'];

/** The policies AWS documents for managed node group nodes running the VPC CNI. */
export const NODE_GROUP_NODE_POLICIES = ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryReadOnly'];
