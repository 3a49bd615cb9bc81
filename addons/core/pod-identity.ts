import { CfnPodIdentityAssociation } from 'aws-cdk-lib/aws-eks';
import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** Props for {@link PodIdentity}. */
export interface PodIdentityProps {
  readonly cluster: eks.ICluster;
  /** Namespace of the service account. */
  readonly namespace: string;
  /** Name of the service account the pods run as. */
  readonly serviceAccount: string;
  /** What the pods may do; kept in a customer-managed policy so a reviewer reads it in one place. */
  readonly statements: readonly iam.PolicyStatement[];
  /** Who uses the role, for its description. */
  readonly purpose: string;
}

/**
 * AWS permissions for one service account through EKS Pod Identity: a role only the EKS Pod
 * Identity service can assume, a customer-managed policy, and the association. No OIDC provider
 * and no custom resource are needed (unlike IRSA on an imported cluster).
 */
export class PodIdentity extends Construct {
  readonly role: iam.Role;
  readonly policy: iam.ManagedPolicy;
  readonly association: CfnPodIdentityAssociation;

  constructor(scope: Construct, id: string, props: PodIdentityProps) {
    super(scope, id);
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `Pod Identity permissions of ${props.namespace}/${props.serviceAccount}`,
      statements: [...props.statements],
    });
    this.role = new iam.Role(this, 'Role', {
      // Pod Identity needs sts:TagSession besides sts:AssumeRole to pass the pod's session tags.
      assumedBy: new iam.SessionTagsPrincipal(new iam.ServicePrincipal('pods.eks.amazonaws.com')),
      description: `${props.purpose} (${props.namespace}/${props.serviceAccount})`,
      managedPolicies: [this.policy],
    });
    this.association = new CfnPodIdentityAssociation(this, 'Association', {
      clusterName: props.cluster.clusterName,
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      roleArn: this.role.roleArn,
    });
  }
}
