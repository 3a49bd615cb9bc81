import { join } from 'node:path';

import type { Construct } from 'constructs';
import type { z } from 'zod';

import { documented, strictObject, text } from '../lib/core/config';
import type { AddOnContext, PlatformAddOn } from './core/addon';
import { EksCapability } from './core/capability';
import type { OptionsInput } from './core/options';
import { addOnOptions } from './core/options';
import type { AddOnRegistration } from './core/registration';
import { registerAddOn } from './core/registration';

/*
 * The EKS Capability for kro (Kube Resource Orchestrator): ResourceGraphDefinitions compose
 * Kubernetes (and ACK) objects into new APIs. Sources, read 2026-12-01: EKS user guide
 * (awsdocs/amazon-eks-user-guide) capabilities/kro-permissions.adoc and kro-create-cli.adoc: kro
 * makes no AWS calls, so its role needs a trust policy and no IAM permissions; the access entry EKS
 * creates carries AmazonEKSKROPolicy (ResourceGraphDefinitions and their instances only), and kro
 * needs Kubernetes RBAC for whatever objects its graphs create.
 */

/** The session name EKS sets when kro assumes its role (capabilities-security.adoc). */
export const KRO_SESSION_NAME = 'KRO';
const CLUSTER_ROLE = /^[a-z0-9]([-a-z0-9.:]{0,251}[a-z0-9])?$/;

/** Options of {@link KroAddOn}, in configuration and in code. */
export const KRO_OPTIONS = strictObject(
  {
    /** @default - none: kro manages only ResourceGraphDefinitions and their instances */
    clusterRole: documented(text('the name of an existing ClusterRole, e.g. edit or cluster-admin', CLUSTER_ROLE), {
      description:
        "A ClusterRole bound (cluster-wide) to kro's Kubernetes user (its role session, arn:aws:sts::<account>:assumed-role/<role>/KRO), so its graphs may create the objects they compose, e.g. edit. Default: none (kro manages only its own objects).",
    }).optional(),
  },
  'an object of kro options',
);

/** Props for {@link KroAddOn}. */
export type KroAddOnProps = OptionsInput<typeof KRO_OPTIONS>;

/** kro as an EKS Capability: custom APIs composed of Kubernetes objects, run by EKS off the nodes. */
export class KroAddOn implements PlatformAddOn {
  static readonly ID = 'kro';
  static readonly registration: AddOnRegistration = registerAddOn({
    id: KroAddOn.ID,
    summary: 'kro (Kube Resource Orchestrator) as an EKS Capability: ResourceGraphDefinitions compose objects into new APIs',
    options: KRO_OPTIONS,
    create: (props) => new KroAddOn(props),
    docs: { prose: join(__dirname, 'kro.md') },
  });
  readonly id = KroAddOn.ID;
  readonly computeModes = ['auto', 'nodegroups'] as const;
  readonly namespaces: readonly string[] = [];
  private readonly options: z.output<typeof KRO_OPTIONS>;

  constructor(props: KroAddOnProps = {}) {
    this.options = addOnOptions(KroAddOn.ID, KRO_OPTIONS, props);
  }

  deploy(scope: Construct, context: AddOnContext): void {
    const capability = new EksCapability(scope, 'Kro', {
      cluster: context.cluster,
      type: 'KRO',
      capabilityName: 'kro',
      purpose: 'kro (no AWS permissions: the role only lets EKS run the capability)',
    });
    if (this.options.clusterRole) {
      // EKS documents kro's Kubernetes identity as a user (the role session named KRO), not a group.
      capability.bindClusterRole(scope, 'ResourceAccess', context.cluster, this.options.clusterRole, 'eks-kro-capability-resources', {
        kind: 'User',
        name: capability.sessionUser(KRO_SESSION_NAME),
      });
    }
  }
}
