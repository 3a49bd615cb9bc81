import { Construct } from 'constructs';

import type { ComputeMode } from '../../core/config/types';
import { dependOnControllers } from './controllers';
import { PetstoreApi } from './petstore-api';
import type { WorkloadProps } from './workload-objects';
import {
  applyObjects,
  appUrlOutput,
  httpProbe,
  loadBalancerHostname,
  namespaceObject,
  nlbService,
  podDisruptionBudget,
  restrictedSecurityContext,
  workloadDeployment,
} from './workload-objects';

/**
 * Swagger Petstore (OpenAPI 3). A released tag rather than the article's moving `unstable`, so a
 * redeploy runs the same code; the image is published for linux/amd64 only.
 */
export const PETSTORE_IMAGE = 'swaggerapi/petstore3:1.0.27';

const NAME = 'petstore';
/** Where the API answers once Jetty has deployed the application. */
const HEALTH_PATH = '/api/v3/openapi.json';
/** The image declares no user; any unprivileged UID can read its world-readable jar and war. */
const RUN_AS_USER = 10001;
const ELB_NAME_LIMIT = 32;

/** Props for {@link Petstore}. */
export interface PetstoreProps extends WorkloadProps {
  /**
   * Internal NLB (reachable in the VPC and through the VPC link) rather than internet-facing.
   * @default true
   */
  readonly internal?: boolean;
  /**
   * A REST API in front of the NLB through a VPC link; its stage URL becomes the app URL.
   * @default true
   */
  readonly apiGateway?: boolean;
  /**
   * Container image.
   * @default PETSTORE_IMAGE
   */
  readonly image?: string;
}

/** The fixed NLB name (`<environment>-petstore`), so the NLB can be found by name. */
export function petstoreLoadBalancerName(environment: string): string {
  const name = `${environment}-${NAME}`;
  if (name.length > ELB_NAME_LIMIT) {
    throw new Error(`petstore: load balancer name "${name}" is longer than ${ELB_NAME_LIMIT} characters; use a shorter environment name`);
  }
  return name;
}

/** Options of {@link petstoreObjects}. */
export interface PetstoreObjectsOptions extends Pick<PetstoreProps, 'image' | 'replicas' | 'internal' | 'apiGateway'> {
  readonly compute: ComputeMode;
  readonly loadBalancerName: string;
}

/** The Kubernetes objects of petstore (namespace, Deployment, NLB Service, disruption budget). */
export function petstoreObjects(options: PetstoreObjectsOptions): object[] {
  const deployment = workloadDeployment(NAME, options.replicas ?? 2, {
    nodeSelector: { 'kubernetes.io/arch': 'amd64', 'kubernetes.io/os': 'linux' },
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      {
        name: NAME,
        image: options.image ?? PETSTORE_IMAGE,
        ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
        env: [
          // Size the heap from the memory limit instead of the node's memory.
          { name: 'JAVA_TOOL_OPTIONS', value: '-XX:MaxRAMPercentage=75' },
          // Some image builds start an OpenTelemetry agent that exports to a third-party endpoint.
          { name: 'OTEL_JAVAAGENT_ENABLED', value: 'false' },
          { name: 'OTEL_SDK_DISABLED', value: 'true' },
        ],
        resources: {
          requests: { cpu: '100m', memory: '256Mi' },
          limits: { cpu: '500m', memory: '512Mi' },
        },
        // Jetty unpacks the war and starts slowly on half a CPU: up to 3 minutes before liveness counts.
        startupProbe: httpProbe(HEALTH_PATH, 'http', { periodSeconds: 5, failureThreshold: 36 }),
        readinessProbe: httpProbe(HEALTH_PATH, 'http', { periodSeconds: 10, failureThreshold: 3 }),
        livenessProbe: httpProbe(HEALTH_PATH, 'http', { periodSeconds: 20, failureThreshold: 3 }),
        securityContext: restrictedSecurityContext(RUN_AS_USER, true),
        // The only writable paths: Jetty's work directory and its request log.
        volumeMounts: [
          { name: 'tmp', mountPath: '/tmp' },
          { name: 'logs', mountPath: '/var/log' },
        ],
      },
    ],
    volumes: [
      { name: 'tmp', emptyDir: { sizeLimit: '256Mi' } },
      { name: 'logs', emptyDir: { sizeLimit: '128Mi' } },
    ],
  });
  const annotations: Record<string, string> = {
    // Fixed, so the API Gateway side can find this NLB by name.
    'service.beta.kubernetes.io/aws-load-balancer-name': options.loadBalancerName,
    'service.beta.kubernetes.io/aws-load-balancer-scheme': (options.internal ?? true) ? 'internal' : 'internet-facing',
    'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
  };
  if (options.apiGateway ?? true) {
    // The VPC link reaches the NLB over PrivateLink, whose source addresses the NLB's security group
    // (opened by the controller to the VPC CIDR) is not guaranteed to allow: do not apply it to
    // PrivateLink traffic. The NLB stays internal either way.
    annotations['service.beta.kubernetes.io/aws-load-balancer-inbound-sg-rules-on-private-link-traffic'] = 'off';
  }
  const service = nlbService(NAME, options.compute, annotations, { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' });
  return [namespaceObject(NAME, 'restricted'), deployment, service, podDisruptionBudget(NAME, NAME)];
}

/**
 * The petstore API behind an NLB the cluster creates from a plain `type: LoadBalancer` Service
 * (built into Auto Mode; the AWS Load Balancer Controller on node groups), optionally with API
 * Gateway in front through a VPC link. Output `AppUrlPetstore`: the API Gateway stage URL, or the
 * NLB's address without API Gateway.
 */
export class Petstore extends Construct {
  /** The NLB's DNS name (a deploy-time token). */
  readonly hostname: string;
  /** The API in front of the NLB, when `apiGateway` is on. */
  readonly api?: PetstoreApi;

  constructor(scope: Construct, id: string, props: PetstoreProps) {
    super(scope, id);
    const { cluster, config } = props.context;
    dependOnControllers(this, NAME, config.compute, props.addons);
    const loadBalancerName = petstoreLoadBalancerName(config.environment);
    const manifest = applyObjects(
      this,
      cluster,
      petstoreObjects({
        image: props.image,
        replicas: props.replicas,
        internal: props.internal,
        apiGateway: props.apiGateway,
        compute: config.compute,
        loadBalancerName,
      }),
    );
    this.hostname = loadBalancerHostname(this, 'LoadBalancerHostname', {
      cluster,
      kind: 'service',
      namespace: NAME,
      name: NAME,
      manifest,
    }).value;
    if (props.apiGateway ?? true) {
      this.api = new PetstoreApi(this, 'Api', { context: props.context, loadBalancerName, loadBalancerHostname: this.hostname });
      appUrlOutput(this, 'AppUrlPetstore', this.api.url, 'petstore through API Gateway; try <url>api/v3/pet/findByStatus?status=available');
    } else {
      const reach = (props.internal ?? true) ? 'internal NLB, reachable inside the VPC only' : 'internet-facing NLB';
      appUrlOutput(
        this,
        'AppUrlPetstore',
        `http://${this.hostname}`,
        `petstore (${reach}); try <url>/api/v3/pet/findByStatus?status=available`,
      );
    }
  }
}
