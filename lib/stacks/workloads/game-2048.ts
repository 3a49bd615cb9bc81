import { Construct } from 'constructs';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { IService } from 'kubernetes-models/v1/Service';

import { ALB_INGRESS_CLASS, dependOnControllers } from './controllers';
import type { WorkloadProps } from './workload-objects';
import {
  applyObjects,
  appUrlOutput,
  httpProbe,
  loadBalancerHostname,
  namespaceObject,
  podDisruptionBudget,
  selectorLabels,
  workloadDeployment,
  workloadLabels,
} from './workload-objects';

/**
 * The image of the AWS load balancing examples. This public repository only publishes `latest`
 * (no version tags, no digest we could pin durably), so it is pulled on every start.
 */
export const GAME_2048_IMAGE = 'public.ecr.aws/l6m2t8p7/docker-2048:latest';

const NAME = 'game-2048';

/** Props for {@link Game2048}. */
export interface Game2048Props extends WorkloadProps {
  /**
   * Container image.
   * @default GAME_2048_IMAGE
   */
  readonly image?: string;
}

/** The Kubernetes objects of game-2048 (namespace, Deployment, Service, Ingress, disruption budget). */
export function game2048Objects(props: Pick<Game2048Props, 'image' | 'replicas'> = {}): object[] {
  const labels = workloadLabels(NAME);
  const deployment = workloadDeployment(NAME, props.replicas ?? 2, {
    // The image is published for linux/amd64 only.
    nodeSelector: { 'kubernetes.io/arch': 'amd64', 'kubernetes.io/os': 'linux' },
    securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      {
        name: NAME,
        image: props.image ?? GAME_2048_IMAGE,
        imagePullPolicy: 'Always',
        ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
        resources: {
          requests: { cpu: '50m', memory: '64Mi' },
          limits: { cpu: '250m', memory: '128Mi' },
        },
        readinessProbe: httpProbe('/', 'http', { periodSeconds: 5, failureThreshold: 3 }),
        livenessProbe: httpProbe('/', 'http', { initialDelaySeconds: 10, periodSeconds: 10, failureThreshold: 3 }),
        // Exception to the restricted standard: the image runs nginx as root on port 80 and
        // switches its workers to the nginx user, writing pid, temp and log files into
        // root- and nginx-owned paths that vary between the Alpine releases behind `latest`.
        // So: root and a writable root filesystem, but every capability dropped except what
        // an nginx master needs (bind :80, chown its temp dirs, setuid/setgid to its workers,
        // open files in directories the nginx user owns), no privilege escalation, seccomp.
        securityContext: {
          runAsNonRoot: false,
          allowPrivilegeEscalation: false,
          privileged: false,
          readOnlyRootFilesystem: false,
          capabilities: { drop: ['ALL'], add: ['CHOWN', 'DAC_OVERRIDE', 'NET_BIND_SERVICE', 'SETGID', 'SETUID'] },
          seccompProfile: { type: 'RuntimeDefault' },
        },
      },
    ],
  });
  const service: IService = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: NAME, namespace: NAME, labels },
    spec: {
      type: 'ClusterIP',
      selector: selectorLabels(NAME),
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    },
  };
  const ingress: IIngress = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: NAME,
      namespace: NAME,
      labels,
      annotations: {
        'alb.ingress.kubernetes.io/scheme': 'internet-facing',
        // Pod IPs as targets: no NodePort, and the same on Auto Mode and node groups.
        'alb.ingress.kubernetes.io/target-type': 'ip',
      },
    },
    spec: {
      ingressClassName: ALB_INGRESS_CLASS,
      rules: [
        {
          http: {
            paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: NAME, port: { name: 'http' } } } }],
          },
        },
      ],
    },
  };
  // Baseline, not restricted: the container runs as root (see above).
  return [namespaceObject(NAME, 'baseline'), deployment, service, ingress, podDisruptionBudget(NAME, NAME)];
}

/**
 * game-2048 behind an internet-facing ALB: an Ingress of class `alb`, served on Auto Mode by the
 * auto-mode-ingress add-on and on node groups by the AWS Load Balancer Controller. Output
 * `AppUrlGame2048` is the ALB's address, read from the Ingress status.
 */
export class Game2048 extends Construct {
  /** The ALB's DNS name (a deploy-time token). */
  readonly hostname: string;

  constructor(scope: Construct, id: string, props: Game2048Props) {
    super(scope, id);
    const { cluster, config } = props.context;
    dependOnControllers(this, NAME, config.compute, props.addons);
    const manifest = applyObjects(this, cluster, game2048Objects(props));
    this.hostname = loadBalancerHostname(this, 'LoadBalancerHostname', {
      cluster,
      kind: 'ingress',
      namespace: NAME,
      name: NAME,
      manifest,
    }).value;
    appUrlOutput(this, 'AppUrlGame2048', `http://${this.hostname}`, 'game-2048 (internet-facing ALB); open it in a browser');
  }
}
