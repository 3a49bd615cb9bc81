import * as eks from 'aws-cdk-lib/aws-eks-v2';
import type { Construct } from 'constructs';

import type { ComputeMode } from '../../lib/core/config';
import type { KubernetesObject } from '../../lib/core/kubernetes-object';
import type { AddOnContext, PlatformAddOn } from './addon';

/** Base class of add-ons that are plain Kubernetes objects. */
export abstract class ManifestAddOn implements PlatformAddOn {
  abstract readonly id: string;
  abstract readonly computeModes: readonly ComputeMode[];
  readonly autoModeBuiltIn?: string;
  readonly dependsOn?: readonly string[];
  readonly conflictsWith?: readonly string[];
  /** Namespaces the objects live in or create; none for cluster-scoped objects. */
  abstract readonly namespaces: readonly string[];

  /** The objects to apply. */
  abstract manifests(context: AddOnContext): KubernetesObject[];

  deploy(scope: Construct, context: AddOnContext): void {
    new eks.KubernetesManifest(scope, 'Manifest', {
      cluster: context.cluster,
      manifest: this.manifests(context),
      overwrite: true,
    });
  }
}
