import { Aws, Fn } from 'aws-cdk-lib';
import { CfnCapability } from 'aws-cdk-lib/aws-eks';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

import { documented, text } from '../../lib/core/config';
import type { KubernetesObject } from '../../lib/core/kubernetes-object';
import { PLATFORM_LABELS } from '../../lib/core/kubernetes-object';

/*
 * EKS Capabilities (GA 2025-11-30): Argo CD, ACK and kro run by EKS outside the cluster, so no pod
 * of theirs lands on our nodes and they work on both compute modes. Sources, read 2026-12-01:
 * - CloudFormation AWS::EKS::Capability (template reference): CapabilityName 1-100 characters,
 *   Type ACK | ARGOCD | KRO, RoleArn, DeletePropagationPolicy (only RETAIN), Configuration.
 * - EKS user guide "Amazon EKS capability IAM role" and "Security considerations for EKS
 *   Capabilities" (awsdocs/amazon-eks-user-guide, latest/ug/security/capabilities-security.adoc):
 *   the role trusts capabilities.eks.amazonaws.com with sts:AssumeRole and sts:TagSession; EKS
 *   creates the role's access entry itself (AmazonEKSArgoCDClusterPolicy + AmazonEKSArgoCDPolicy,
 *   AmazonEKSACKPolicy, AmazonEKSKROPolicy), so this app must not create one (a second access
 *   entry for the same principal fails at deploy). Further Kubernetes permissions are RBAC bound
 *   to the access entry's group `eks-access-entry:<role ARN>` for Argo CD (argocd-register-clusters.adoc)
 *   and to the session user `arn:aws:sts::<account>:assumed-role/<role name>/KRO` for kro
 *   (capabilities-security.adoc, "kro arbitrary resource permissions").
 * - Capabilities need the cluster in API (or API_AND_CONFIG_MAP) authentication mode; InfraStack's
 *   aws-eks-v2 cluster is API only (lib/stacks/infra/eks-cluster.ts).
 */

/** The capability types of AWS::EKS::Capability. */
export type CapabilityType = 'ARGOCD' | 'ACK' | 'KRO';

/** An IAM policy ARN (AWS managed or customer managed, any partition). */
const POLICY_ARN = /^arn:aws(-cn|-us-gov|-iso|-iso-b|-iso-e|-iso-f|-eusc)?:iam::(aws|\d{12}):policy\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,128}$/;
const POLICY_ARN_ALLOWED =
  'an IAM policy ARN, e.g. arn:aws:iam::111122223333:policy/AckBoundary or arn:aws:iam::aws:policy/AmazonS3FullAccess';

/** An IAM policy ARN option. */
export function policyArn(): ReturnType<typeof text> {
  return documented(text(POLICY_ARN_ALLOWED, POLICY_ARN), { allowed: POLICY_ARN_ALLOWED });
}

/** Props for {@link EksCapability}. */
export interface EksCapabilityProps {
  readonly cluster: eks.ICluster;
  readonly type: CapabilityType;
  /** Unique per cluster; EKS allows one capability of each type per cluster. */
  readonly capabilityName: string;
  /** Who uses the role, for its description. */
  readonly purpose: string;
  /** @default - none */
  readonly managedPolicies?: readonly iam.IManagedPolicy[];
  /** @default - none */
  readonly permissionsBoundary?: iam.IManagedPolicy;
  /** The L1's typed configuration (Argo CD or ACK). @default - none */
  readonly configuration?: CfnCapability.CapabilityConfigurationProperty;
}

/**
 * One EKS capability and the IAM role it acts with. The role trusts only the EKS capabilities
 * service; the capability keeps what it created when it is deleted (RETAIN is the only policy
 * CloudFormation offers).
 */
export class EksCapability extends Construct {
  readonly role: iam.Role;
  readonly resource: CfnCapability;

  constructor(scope: Construct, id: string, props: EksCapabilityProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      // The capability passes session tags (eks:eks-capability-arn, eks:kubernetes-namespace, ...):
      // the trust policy must allow sts:TagSession besides sts:AssumeRole.
      assumedBy: new iam.SessionTagsPrincipal(new iam.ServicePrincipal('capabilities.eks.amazonaws.com')),
      description: `${props.purpose} (EKS capability ${props.capabilityName})`,
      managedPolicies: [...(props.managedPolicies ?? [])],
      permissionsBoundary: props.permissionsBoundary,
    });
    this.resource = new CfnCapability(this, 'Capability', {
      capabilityName: props.capabilityName,
      clusterName: props.cluster.clusterName,
      type: props.type,
      roleArn: this.role.roleArn,
      deletePropagationPolicy: 'RETAIN',
      configuration: props.configuration,
    });
    // EKS assumes the role while it creates the capability: the policies must be attached first.
    this.resource.node.addDependency(this.role);
  }

  /**
   * The Kubernetes group EKS puts the capability role's access entry in. Documented for Argo CD only
   * (argocd-register-clusters); kro and ACK have no such statement: use {@link sessionUser} there.
   */
  get accessEntryGroup(): string {
    return Fn.join('', ['eks-access-entry:', this.role.roleArn]);
  }

  /**
   * The Kubernetes user name the capability acts as: its role's assumed-role session ARN,
   * `arn:aws:sts::<account>:assumed-role/<role name>/<session>`. EKS user guide, "Security
   * considerations for EKS Capabilities", "kro arbitrary resource permissions"
   * (docs.aws.amazon.com/eks/latest/userguide/capabilities-security.html, read 2026-12-07): the
   * kro user is `arn:aws:sts::ACCOUNT_ID:assumed-role/ROLE_NAME/KRO`, the session name `KRO` set by
   * EKS. The role has no path, so its name is all the ARN needs.
   */
  sessionUser(sessionName: string): string {
    return Fn.join('', ['arn:', Aws.PARTITION, ':sts::', Aws.ACCOUNT_ID, ':assumed-role/', this.role.roleName, '/', sessionName]);
  }

  /**
   * A ClusterRoleBinding of the capability (by default its access entry group) to an existing
   * ClusterRole, applied once the capability (and the access entry EKS creates with it) exists.
   */
  bindClusterRole(
    scope: Construct,
    id: string,
    cluster: eks.ICluster,
    clusterRole: string,
    name: string,
    subject: { kind: 'Group' | 'User'; name: string } = { kind: 'Group', name: this.accessEntryGroup },
  ): eks.KubernetesManifest {
    const binding: KubernetesObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name, labels: PLATFORM_LABELS },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', ...subject }],
    };
    const manifest = new eks.KubernetesManifest(scope, id, { cluster, manifest: [binding], overwrite: true });
    manifest.node.addDependency(this.resource);
    return manifest;
  }
}
