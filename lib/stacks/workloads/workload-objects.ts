import { CfnOutput, Duration } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import type { Construct } from 'constructs';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { ISecurityContext } from 'kubernetes-models/v1/SecurityContext';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IServicePort } from 'kubernetes-models/v1/ServicePort';

import type { AddOnContext } from '../../../addons/core/addon';
import type { ComputeMode } from '../../core/config/types';
import { PLATFORM_LABELS } from '../../core/kubernetes-object';
import type { DeployedAddOns } from './controllers';
import { NLB_LOAD_BALANCER_CLASS } from './controllers';

/*
 * Building blocks shared by the sample workloads: labels, namespaces with Pod Security Admission,
 * the restricted container security context, probes, disruption budgets and the read-back of a
 * load balancer's DNS name.
 */

/** How long deployment waits for a controller to publish a load balancer's DNS name. */
export const LOAD_BALANCER_WAIT = Duration.minutes(10);

/** The stack output keys of the app URLs (fixed, so scripts and docs can rely on them). */
export type AppUrlKey = 'AppUrlGame2048' | 'AppUrlPetstore' | 'AppUrlNginx';

/** Selector labels of a workload's pods. */
export function selectorLabels(app: string): Record<string, string> {
  return { 'app.kubernetes.io/name': app };
}

/** Labels on every object of a workload. */
export function workloadLabels(app: string): Record<string, string> {
  return { ...PLATFORM_LABELS, ...selectorLabels(app), 'app.kubernetes.io/component': 'sample-workload' };
}

/**
 * A workload's namespace. Pod Security Admission enforces `level`, and warns and audits against
 * `restricted` so an exception stays visible.
 */
export function namespaceObject(name: string, level: 'restricted' | 'baseline'): INamespace {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: {
        ...workloadLabels(name),
        'pod-security.kubernetes.io/enforce': level,
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/audit': 'restricted',
      },
    },
  };
}

/** The container security context of the restricted Pod Security Standard, for a non-root image. */
export function restrictedSecurityContext(user: number, readOnlyRootFilesystem: boolean): ISecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: user,
    runAsGroup: user,
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** An HTTP GET probe on a named container port. */
export function httpProbe(
  path: string,
  port: string,
  timing: Pick<IProbe, 'initialDelaySeconds' | 'periodSeconds' | 'failureThreshold'>,
): IProbe {
  return { httpGet: { path, port }, timeoutSeconds: 2, ...timing };
}

/**
 * The Deployment of a workload named `app` in its own namespace: labels, selector and replicas,
 * and no service account token (no sample app talks to the Kubernetes API); the pod spec does the rest.
 */
export function workloadDeployment(app: string, replicas: number, pod: IPodSpec): IDeployment {
  const labels = workloadLabels(app);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: app, namespace: app, labels },
    spec: {
      replicas,
      selector: { matchLabels: selectorLabels(app) },
      template: { metadata: { labels }, spec: { automountServiceAccountToken: false, ...pod } },
    },
  };
}

/**
 * The `type: LoadBalancer` Service of a workload named `app`: the cluster's NLB controller for the
 * compute mode turns it into an NLB configured by `annotations`.
 */
export function nlbService(app: string, compute: ComputeMode, annotations: Record<string, string>, port: IServicePort): IService {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: app, namespace: app, labels: workloadLabels(app), annotations },
    spec: {
      type: 'LoadBalancer',
      loadBalancerClass: NLB_LOAD_BALANCER_CLASS[compute],
      selector: selectorLabels(app),
      ports: [port],
    },
  };
}

/** Keeps one of the (two) replicas serving while nodes are drained or consolidated. */
export function podDisruptionBudget(namespace: string, app: string): IPodDisruptionBudget {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: app, namespace, labels: workloadLabels(app) },
    spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(app) } },
  };
}

/** Props for {@link loadBalancerHostname}. */
export interface LoadBalancerHostnameProps {
  readonly cluster: eks.ICluster;
  /** `service` or `ingress`. */
  readonly kind: 'service' | 'ingress';
  readonly namespace: string;
  readonly name: string;
  /** The manifest that creates the object; the read-back runs after it. */
  readonly manifest: Construct;
}

/**
 * The DNS name of the load balancer a controller created for a Service or Ingress, read from its
 * status at deploy time (the deployment waits up to {@link LOAD_BALANCER_WAIT} for it).
 */
export function loadBalancerHostname(scope: Construct, id: string, props: LoadBalancerHostnameProps): eks.KubernetesObjectValue {
  const value = new eks.KubernetesObjectValue(scope, id, {
    cluster: props.cluster,
    objectType: props.kind,
    objectNamespace: props.namespace,
    objectName: props.name,
    jsonPath: '.status.loadBalancer.ingress[0].hostname',
    timeout: LOAD_BALANCER_WAIT,
  });
  value.node.addDependency(props.manifest);
  return value;
}

/** A stack output with a fixed key (not derived from the construct path). */
export function appUrlOutput(scope: Construct, key: AppUrlKey, url: string, description: string): CfnOutput {
  const output = new CfnOutput(scope, key, { value: url, description });
  output.overrideLogicalId(key);
  return output;
}

/**
 * Applies a workload's objects in one manifest, namespace first. On deletion kubectl waits until
 * every object is gone, including a Service or Ingress whose controller first removes its load balancer.
 */
export function applyObjects(scope: Construct, cluster: eks.ICluster, objects: ReadonlyArray<object>): eks.KubernetesManifest {
  return new eks.KubernetesManifest(scope, 'Manifest', {
    cluster,
    manifest: objects.map((o) => ({ ...o })),
    overwrite: true,
  });
}

/** What every sample workload construct needs. */
export interface WorkloadProps {
  /** Cluster, VPC, configuration and names of the environment. */
  readonly context: AddOnContext;
  /** The plan's add-ons and their scopes; the workload depends on the add-ons serving it. */
  readonly addons: DeployedAddOns;
  /**
   * Pod replicas.
   * @default 2
   */
  readonly replicas?: number;
}
