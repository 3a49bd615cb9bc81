import * as eks from 'aws-cdk-lib/aws-eks-v2';
import type { Construct } from 'constructs';

import type { PlatformConfig, Problems } from '../lib/core/config';
import { partitionOf } from '../lib/core/config';
import type { KubernetesObject } from '../lib/core/kubernetes-object';
import { PLATFORM_LABELS } from '../lib/core/kubernetes-object';
import { argoCdBootstrapObject } from './argo-cd-bootstrap';
import type { ArgoCdDelivery } from './argo-cd-delivery';
import { DEFAULT_DEPLOY_ACCESS, DEFAULT_MANAGED_NAMESPACE } from './argo-cd-managed-options';
import { namespaceDeployAccess } from './argo-cd-managed-rbac';
import type { ArgoCdOptions } from './argo-cd-options';
import { ARGO_CD_ID } from './argo-cd-options';
import { checkRepositories } from './argo-cd-repository-checks';
import { repositoryAccessPolicy, repositoryCredentialSecrets } from './argo-cd-repository-credentials';
import type { AddOnContext } from './core/addon';
import { checkArnScope } from './core/arn';
import { EksCapability } from './core/capability';

/*
 * Managed Argo CD: the EKS Capability for Argo CD. Sources, read 2026-12-01: CloudFormation
 * AWS::EKS::Capability (template reference) and the aws-cdk-lib 2.261 L1 CfnCapability; EKS user
 * guide (awsdocs/amazon-eks-user-guide latest/ug/capabilities/): argocd-register-clusters.adoc (the
 * local cluster is not registered automatically, destinations name the cluster ARN and
 * `kubernetes.default.svc` is not supported, the capability role gets no Kubernetes RBAC on the
 * local cluster by default).
 *
 * The capability's namespace, checked 2026-12-07 against the EKS user guide (docs.aws.amazon.com/eks/
 * latest/userguide/): argocd-create-cli.html says EKS "will install the Kubernetes Custom Resource
 * Definitions" while it creates the capability, capabilities-security.html that the access entry's
 * AmazonEKSArgoCDPolicy is scoped to the configured namespace, and argocd-configure-settings.html lists
 * "the primary Argo CD namespace" as a prerequisite. No page says EKS creates the namespace: this
 * delivery creates it (with the platform labels) and applies everything that lives in it afterwards.
 */

/** The capability's name in the cluster (EKS allows one Argo CD capability per cluster). */
export const ARGO_CD_CAPABILITY_NAME = 'argocd';

/** What the capability reads of the argo-cd options. */
export type ManagedArgoCdOptions = Pick<
  ArgoCdOptions,
  'identityCenter' | 'rbacRoleMappings' | 'namespace' | 'deployAccess' | 'vpceIds' | 'bootstrap' | 'repositories'
>;

/**
 * Managed Argo CD: the EKS Capability, which EKS runs off the nodes with its UI behind IAM Identity
 * Center, its namespace, and for a bootstrap repository what Argo CD needs to deploy it locally.
 */
export class ManagedArgoCd implements ArgoCdDelivery {
  readonly id = ARGO_CD_ID;
  readonly computeModes = ['auto', 'nodegroups'] as const;
  readonly applicationNamespace: string;
  readonly namespaces: readonly string[];
  // No kubernetesVersions: the capability supports every version in standard and extended support
  // (create-argocd-capability.adoc).

  /** `options` are validated by the argo-cd schema, which requires identityCenter with managed. */
  constructor(private readonly options: ManagedArgoCdOptions) {
    this.applicationNamespace = options.namespace ?? DEFAULT_MANAGED_NAMESPACE;
    this.namespaces = [this.applicationNamespace];
  }

  /**
   * The capability signs users in through an Identity Center instance of the cluster's partition
   * (an ARN, and a Region, of another partition cannot be reached from it).
   */
  checkConfiguration(p: Problems, config: PlatformConfig): void {
    if (config.delivery === 'gitops' && this.options.deployAccess === 'namespace') {
      p.add(
        `addons.${ARGO_CD_ID}.deployAccess`,
        this.options.deployAccess,
        'cluster-admin, or unset, with delivery gitops (the capability then installs every add-on chart: CRDs, cluster roles and objects in their own namespaces)',
      );
    }
    checkRepositories(p, `addons.${ARGO_CD_ID}.repositories`, this.options.repositories ?? [], config, { kind: 'capability' });
    const center = this.options.identityCenter;
    if (center === undefined) return;
    const key = `addons.${ARGO_CD_ID}.identityCenter`;
    const why = 'EKS reaches IAM Identity Center within its own partition only';
    checkArnScope(p, `${key}.instanceArn`, center.instanceArn, config, { why });
    if (center.region !== undefined && partitionOf(center.region) !== partitionOf(config.region)) {
      p.add(`${key}.region`, center.region, `a Region of partition ${partitionOf(config.region)}, like ${config.region} (${why})`);
    }
  }

  deploy(scope: Construct, context: AddOnContext): void {
    const namespace = this.applicationNamespace;
    const capability = this.capability(scope, context);
    const namespaceObject: KubernetesObject = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace, labels: PLATFORM_LABELS },
    };
    // Applied even without a bootstrap: Applications and repository secrets users add belong in it.
    const namespaceManifest = new eks.KubernetesManifest(scope, 'Namespace', {
      cluster: context.cluster,
      manifest: [namespaceObject],
      overwrite: true,
    });
    const credentials = repositoryCredentialSecrets(this.options.repositories ?? [], namespace);
    const credentialsManifest =
      credentials.length > 0
        ? new eks.KubernetesManifest(scope, 'RepositoryCredentials', { cluster: context.cluster, manifest: credentials, overwrite: true })
        : undefined;
    credentialsManifest?.node.addDependency(namespaceManifest);
    const bootstrap = this.options.bootstrap;
    // With delivery gitops the capability deploys every add-on chart here, bootstrap or not.
    const gitops = context.config.delivery === 'gitops';
    if (!bootstrap && !gitops) return;
    const server = context.cluster.clusterArn;
    // The capability registers no cluster and may deploy nothing locally until told: register this
    // cluster (as in-cluster, the name most Argo CD examples use) and give the capability role RBAC.
    const registration: KubernetesObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'in-cluster', namespace, labels: { ...PLATFORM_LABELS, 'argocd.argoproj.io/secret-type': 'cluster' } },
      // No credential: the capability authenticates to the cluster with its role's access entry.
      stringData: { name: 'in-cluster', server, project: 'default' },
    };
    const access =
      (this.options.deployAccess ?? (gitops ? 'cluster-admin' : DEFAULT_DEPLOY_ACCESS)) === 'cluster-admin'
        ? // Opt-in: the reach the self-managed chart's application controller has (every resource, everywhere).
          capability.bindClusterRole(scope, 'DeployAccess', context.cluster, 'cluster-admin', 'eks-argocd-capability-deploy')
        : new eks.KubernetesManifest(scope, 'DeployAccess', {
            cluster: context.cluster,
            manifest: namespaceDeployAccess(capability.accessEntryGroup, namespace),
            overwrite: true,
          });
    // The namespaced Role and RoleBinding need the namespace.
    access.node.addDependency(capability.resource, namespaceManifest);
    const manifest = new eks.KubernetesManifest(scope, bootstrap ? 'Bootstrap' : 'Registration', {
      cluster: context.cluster,
      manifest: [registration, ...(bootstrap ? [argoCdBootstrapObject(bootstrap, server, namespace)] : [])],
      overwrite: true,
    });
    // The CRDs arrive with the capability, the namespace from this add-on; the access comes before the first sync.
    manifest.node.addDependency(capability.resource, access, namespaceManifest);
    // A bootstrap repository may be private: its credentials first. (Chart Applications of delivery
    // gitops depend on the whole add-on.)
    if (credentialsManifest) manifest.node.addDependency(credentialsManifest);
  }

  private capability(scope: Construct, context: AddOnContext): EksCapability {
    const { identityCenter: center, rbacRoleMappings, vpceIds } = this.options;
    if (!center) {
      // The argo-cd options refused this already; reaching here is a programming error.
      throw new Error('managed Argo CD without identityCenter');
    }
    const repositoryAccess = repositoryAccessPolicy(scope, 'RepositoryAccess', this.options.repositories ?? []);
    return new EksCapability(scope, 'Capability', {
      cluster: context.cluster,
      type: 'ARGOCD',
      capabilityName: ARGO_CD_CAPABILITY_NAME,
      purpose: 'Managed Argo CD',
      managedPolicies: repositoryAccess ? [repositoryAccess] : undefined,
      configuration: {
        argoCd: {
          namespace: this.applicationNamespace,
          awsIdc: { idcInstanceArn: center.instanceArn, idcRegion: center.region },
          rbacRoleMappings: rbacRoleMappings?.map((m) => ({
            role: m.role,
            identities: m.identities.map((i) => ({ id: i.id, type: i.type })),
          })),
          networkAccess: vpceIds?.length ? { vpceIds: [...vpceIds] } : undefined,
        },
      },
    });
  }
}
