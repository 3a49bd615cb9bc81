import type { ResourceProvider } from '@aws-quickstart/eks-blueprints';
import { ClusterInfo, ResourceContext } from '@aws-quickstart/eks-blueprints';
import * as eksv1 from 'aws-cdk-lib/aws-eks';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

import type { AddOnContext } from '../core/addon';

/**
 * EKS Blueprints 1.19 types `ClusterInfo.cluster` as the aws-eks (v1) `ICluster`. Its add-ons
 * only use what both cluster interfaces share (`addHelmChart`, `addManifest`, `addServiceAccount`,
 * `clusterName`, `vpc`, `stack`), and the v1 manifest constructs they create read nothing from
 * the cluster beyond `clusterName`, `prune` and `kubectlProvider.serviceToken`, which the v2
 * handle provides (both versions emit the same custom resource types). This is the one place the
 * two type systems meet.
 */
export function asBlueprintsCluster(cluster: eks.ICluster): eksv1.ICluster {
  return cluster as unknown as eksv1.ICluster;
}

/**
 * A handle on the imported cluster created in `scope`, for one Blueprints add-on.
 *
 * Blueprints creates charts, manifests and service accounts with the cluster as construct scope;
 * a handle of its own puts them under the add-on's scope, so the dependencies PlatformStack gives
 * that scope cover them, and two add-ons never collide on construct ids. Service accounts become
 * EKS Pod Identity ones (Blueprints defaults to IRSA, which needs an OIDC provider this platform
 * does not have); any other IRSA path fails with advice.
 */
export function clusterHandle(scope: Construct, context: AddOnContext, addOnName: string): eks.ICluster {
  const source = context.cluster;
  if (!source.kubectlProvider) {
    throw new Error(
      `Blueprints ${addOnName}: the imported cluster has no kubectl provider; Blueprints add-ons apply everything through it`,
    );
  }
  const handle = eks.Cluster.fromClusterAttributes(scope, 'Cluster', {
    clusterName: source.clusterName,
    vpc: context.vpc,
    clusterSecurityGroupId: source.clusterSecurityGroupId,
    kubectlProvider: source.kubectlProvider,
    ipFamily: source.ipFamily,
    prune: source.prune,
  });
  // Overrides on this handle only (no proxy), so constructs created in it keep a real scope.
  Object.defineProperty(handle, 'openIdConnectProvider', {
    get: () => {
      throw new Error(
        `Blueprints ${addOnName} needs the cluster's IAM OIDC provider (IRSA). This platform grants AWS permissions ` +
          'through EKS Pod Identity only and has no OIDC provider: write a first-party add-on with addons/core/pod-identity.ts',
      );
    },
  });
  Object.defineProperty(handle, 'addServiceAccount', {
    value: (id: string, options: eks.ServiceAccountOptions = {}): eks.ServiceAccount => {
      const serviceAccount = new eks.ServiceAccount(handle, id, {
        ...options,
        cluster: handle,
        identityType: eks.IdentityType.POD_IDENTITY,
      });
      keepPermissionsInManagedPolicy(serviceAccount);
      return serviceAccount;
    },
  });
  return handle;
}

/**
 * Blueprints grants a service account its permissions statement by statement
 * (`addToPrincipalPolicy`), which a role turns into an inline policy. Here they go into one
 * customer-managed policy instead, the form this platform's reviews and cdk-nag packs expect;
 * it is created with the first statement, since an empty policy is invalid.
 */
function keepPermissionsInManagedPolicy(serviceAccount: eks.ServiceAccount): void {
  const role = serviceAccount.role;
  let policy: iam.ManagedPolicy | undefined;
  Object.defineProperty(role, 'addToPrincipalPolicy', {
    value: (statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult => {
      policy ??= new iam.ManagedPolicy(serviceAccount, 'Policy', {
        description: `Pod Identity permissions of ${serviceAccount.serviceAccountNamespace}/${serviceAccount.serviceAccountName} (EKS Blueprints add-on)`,
        roles: [role],
      });
      policy.addStatements(statement);
      return { statementAdded: true, policyDependable: policy };
    },
  });
}

/** Props for {@link PlatformClusterInfo}. */
export interface PlatformClusterInfoProps {
  /** The handle from {@link clusterHandle}. */
  readonly cluster: eks.ICluster;
  /** Kubernetes minor version, e.g. `1.35`. */
  readonly kubernetesVersion: string;
  readonly autoMode: boolean;
  /** Where resource providers create their constructs. */
  readonly scope: Construct;
  /** The scope of an add-on already deployed in the stack, by Blueprints key (class name or `id`). */
  readonly lookup: (key: string) => Construct | undefined;
  /**
   * Named resources (hosted zones, certificates, ...) that some add-ons look up.
   * @default - none
   */
  readonly resources?: Readonly<Record<string, ResourceProvider>>;
}

/**
 * The `ClusterInfo` a Blueprints add-on sees on this platform.
 *
 * `EksBlueprint` schedules add-ons as promises and wires dependencies when they resolve, after
 * its constructor returns. PlatformStack deploys synchronously in `dependsOn` order, so scheduled
 * add-ons are answered from what is already deployed, and every key asked for is recorded for the
 * adapter to check against `dependsOn`.
 */
export class PlatformClusterInfo extends ClusterInfo {
  /** Blueprints keys the add-on asked for (`@dependable`, `@conflictsWith`, look-ups). */
  readonly requested = new Set<string>();
  private readonly lookup: (key: string) => Construct | undefined;

  constructor(props: PlatformClusterInfoProps) {
    super(
      asBlueprintsCluster(props.cluster),
      eksv1.KubernetesVersion.of(props.kubernetesVersion),
      undefined,
      undefined,
      props.autoMode,
      undefined,
      props.cluster,
    );
    this.lookup = props.lookup;
    const resources = new ResourceContext(props.scope, { id: props.scope.node.id });
    for (const [name, provider] of Object.entries(props.resources ?? {})) {
      resources.add(name, provider);
    }
    this.setResourceContext(resources);
  }

  override getScheduledAddOn(addOn: string): Promise<Construct> | undefined {
    this.requested.add(addOn);
    const scope = this.lookup(addOn);
    return scope ? Promise.resolve(scope) : undefined;
  }

  override getProvisionedAddOn(addOn: string): Construct | undefined {
    this.requested.add(addOn);
    return this.lookup(addOn);
  }
}
