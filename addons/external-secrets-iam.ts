import { Aws, CfnJson, Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

import { acknowledge, wildcardFinding } from '../lib/core/compliance/acknowledge';
import { runProviderHandlerInVpc } from '../lib/core/compliance/provider-handler-in-vpc';

/*
 * IAM of the external-secrets add-on: who may read which Secrets Manager secrets.
 *
 * Every store gets its own role, trusted through IRSA (AssumeRoleWithWebIdentity with the cluster's
 * OIDC provider) for exactly one Kubernetes service account per namespace. ESO asks the API server
 * for a token of the service account its SecretStore names; for a namespaced SecretStore that
 * service account is always looked up in the store's own namespace (ESO 2.x,
 * providers/v1/aws/auth/auth.go `credsFromServiceAccount`: the `namespace` of `serviceAccountRef`
 * counts only for ClusterSecretStores; read 2026-12-01). The token's `sub` is set and signed by the
 * API server, so a team cannot present another namespace's identity: team B's trust policy, pinned
 * to `system:serviceaccount:<team-b-ns>:<sa>`, refuses team A's token whatever team A writes into
 * its SecretStore or service account annotation. The controller itself has no AWS identity at all,
 * and no role grants sts:AssumeRole, so `spec.provider.aws.role` (a chained AssumeRole) leads nowhere.
 *
 * Rejected: EKS Pod Identity gives credentials only to the pods of the associated service account;
 * ESO cannot obtain them for a SecretStore's service account (external-secrets issue #2951), so
 * per-team roles would have to be assumed from the controller's own role, which would then be able
 * to assume every team's role. `${aws:PrincipalTag/kubernetes-namespace}` in the resource ARN fails
 * the same way: the tag carries the controller's namespace, not the store's.
 */

/** The audience ESO requests tokens for unless a service account annotation says otherwise (auth.go `defaultTokenAudience`). */
export const STS_AUDIENCE = 'sts.amazonaws.com';

/**
 * Secrets Manager's read actions a sync needs. Compared with the policy in ESO's AWS Secrets
 * Manager documentation (GetResourcePolicy, GetSecretValue, DescribeSecret, ListSecretVersionIds):
 * GetSecretValue reads a value, by version id or stage too; DescribeSecret reads the metadata
 * (tags, for `metadataPolicy: Fetch`). GetResourcePolicy and ListSecretVersionIds are left out:
 * reading a value calls neither. ListSecrets and BatchGetSecretValue (`find` by name or tags) are
 * left out too, since ListSecrets only works on "*" and would list every secret name of the account.
 */
export const SECRET_READ_ACTIONS = ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'] as const;

/** The secret name prefix a store may read: `<environment>/<owner>/`. */
export function secretNamePrefix(environment: string, owner: string): string {
  return `${environment}/${owner}/`;
}

/**
 * ARNs of the secrets under `prefix`. A secret's ARN is its name plus `-` and six random
 * characters, so the pattern must end in `*`; the trailing `/` of the prefix is what keeps
 * `dev/team-a/*` from matching `dev/team-ab/...`.
 */
export function secretArnPattern(prefix: string): string {
  return `arn:${Aws.PARTITION}:secretsmanager:${Aws.REGION}:${Aws.ACCOUNT_ID}:secret:${prefix}*`;
}

/** Read access to the secrets under `prefix`, and decryption with the given keys through Secrets Manager only. */
export function secretReadStatements(prefix: string, kmsKeyArns: readonly string[]): iam.PolicyStatement[] {
  const statements = [
    new iam.PolicyStatement({ sid: 'ReadOwnSecrets', actions: [...SECRET_READ_ACTIONS], resources: [secretArnPattern(prefix)] }),
  ];
  if (kmsKeyArns.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'DecryptOwnSecrets',
        actions: ['kms:Decrypt'],
        resources: [...kmsKeyArns],
        // Secrets encrypted with a customer managed key: decrypt only on Secrets Manager's behalf.
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Aws.REGION}.amazonaws.com` } },
      }),
    );
  }
  return statements;
}

/** `system:serviceaccount:<namespace>:<name>`, the `sub` of a service account's token. */
export function serviceAccountSubject(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/** The cluster's OIDC identity, as the trust policies need it. */
export interface ClusterOidc {
  readonly provider: iam.IOidcProvider;
  /** The issuer without `https://`, the prefix of its condition keys. */
  readonly issuer: string;
  /** The cluster's VPC: the resolver runs in its private subnets. */
  readonly vpc: ec2.IVpc;
}

/** Props for {@link ServiceAccountRole}. */
export interface ServiceAccountRoleProps {
  readonly oidc: ClusterOidc;
  /** The service accounts (`namespace`, `name`) whose tokens may assume the role. */
  readonly serviceAccounts: readonly { readonly namespace: string; readonly name: string }[];
  /** The secrets it reads: those whose name starts with this prefix (ending in `/`). */
  readonly secretPrefix: string;
  /** Customer managed keys of those secrets. */
  readonly kmsKeyArns: readonly string[];
  /** Who uses the role, for its description. */
  readonly purpose: string;
}

/**
 * A role only the given service accounts' tokens can assume (IRSA), reading only the secrets under
 * one prefix, with a customer-managed policy. The condition keys start with the issuer, a
 * deploy-time value, so they are resolved by a CfnJson.
 */
export class ServiceAccountRole extends Construct {
  readonly role: iam.Role;
  readonly policy: iam.ManagedPolicy;
  /** The trust conditions, as the role's trust policy uses them. */
  readonly conditions: CfnJson;

  constructor(scope: Construct, id: string, props: ServiceAccountRoleProps) {
    super(scope, id);
    const { oidc } = props;
    const subjects = props.serviceAccounts.map((sa) => serviceAccountSubject(sa.namespace, sa.name));
    this.conditions = new CfnJson(this, 'TrustConditions', {
      value: { [`${oidc.issuer}:sub`]: subjects, [`${oidc.issuer}:aud`]: STS_AUDIENCE },
    });
    runResolverInVpc(this.conditions, oidc);
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `Secrets Manager read access of ${subjects.join(', ')}`,
      statements: secretReadStatements(props.secretPrefix, props.kmsKeyArns),
    });
    acknowledge(
      this.policy,
      'Secrets Manager appends a random 6-character suffix to every secret ARN and the secrets are created after ' +
        'this role, so only a name-prefix pattern can name them. The prefix ends in "/", so it matches exactly one ' +
        "owner's secrets (<environment>/<owner>/...) and no owner whose name merely starts the same.",
      [wildcardFinding('Resource', `arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${props.secretPrefix}*`)],
    );
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.FederatedPrincipal(
        oidc.provider.oidcProviderArn,
        { StringEquals: this.conditions },
        'sts:AssumeRoleWithWebIdentity',
      ),
      description: `${props.purpose} (${subjects.join(', ')})`,
      managedPolicies: [this.policy],
    });
  }
}

const RESOLVER_PROVIDER_ID = 'AWSCDKCfnUtilsProviderCustomResourceProvider';

/**
 * The CfnJson resolver is one Lambda per stack, outside any VPC unless told (AWS Control Tower
 * CT.LAMBDA.PR.3). Put it into the private subnets once per stack: it only answers CloudFormation,
 * over HTTPS to the response URL. Its log group comes from lib/core/compliance/function-log-groups.ts.
 */
function runResolverInVpc(json: CfnJson, oidc: ClusterOidc): void {
  const stack = Stack.of(json);
  if (stack.node.tryFindChild('CfnJsonResolverSecurityGroup')) return;
  runProviderHandlerInVpc(stack, {
    providerId: RESOLVER_PROVIDER_ID,
    vpc: oidc.vpc,
    subnets: oidc.vpc.privateSubnets,
    idPrefix: 'CfnJsonResolver',
    name: 'CfnJson resolver',
    purpose: 'resolves CfnJson values for CloudFormation',
    egress: 'CloudFormation response URL (S3)',
  });
}
