import { CfnOutput } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';

import type { NginxWorkloadConfig } from '../../core/config';
import type { ComputeMode } from '../../core/config/types';
import { dependOnControllers } from './controllers';
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

/** nginx built to run as UID 101 on port 8080, with pid and temp files under /tmp (stable line). */
export const NGINX_IMAGE = 'nginxinc/nginx-unprivileged:1.28.0-alpine';

const NAME = 'nginx';
/** The user the image is built for. */
const NGINX_UID = 101;
/** TLS 1.3 and 1.2 with forward secrecy only. */
const TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

/** Props for {@link Nginx}. */
export interface NginxProps extends WorkloadProps, NginxWorkloadConfig {
  /**
   * Container image.
   * @default NGINX_IMAGE
   */
  readonly image?: string;
}

/** Options of {@link nginxObjects}. */
export interface NginxObjectsOptions extends Pick<NginxProps, 'image' | 'replicas' | 'hostname'> {
  readonly compute: ComputeMode;
  /** ARN of the certificate the NLB's TLS listener presents. */
  readonly certificateArn: string;
}

/** The Kubernetes objects of nginx (namespace, Deployment, TLS NLB Service, disruption budget). */
export function nginxObjects(options: NginxObjectsOptions): object[] {
  const deployment = workloadDeployment(NAME, options.replicas ?? 2, {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      {
        name: NAME,
        image: options.image ?? NGINX_IMAGE,
        ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
        resources: {
          requests: { cpu: '50m', memory: '32Mi' },
          limits: { cpu: '250m', memory: '128Mi' },
        },
        readinessProbe: httpProbe('/', 'http', { periodSeconds: 5, failureThreshold: 3 }),
        livenessProbe: httpProbe('/', 'http', { initialDelaySeconds: 5, periodSeconds: 10, failureThreshold: 3 }),
        securityContext: restrictedSecurityContext(NGINX_UID, true),
        // The image keeps its pid file and temp paths in /tmp; its entrypoint skips config
        // edits on a read-only filesystem.
        volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
      },
    ],
    volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
  });
  const service = nlbService(
    NAME,
    options.compute,
    {
      'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
      'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
      // TLS ends at the NLB with the ACM certificate; nginx serves plain HTTP on 8080 in the VPC.
      'service.beta.kubernetes.io/aws-load-balancer-ssl-cert': options.certificateArn,
      'service.beta.kubernetes.io/aws-load-balancer-ssl-ports': '443',
      'service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy': TLS_POLICY,
      'external-dns.alpha.kubernetes.io/hostname': options.hostname,
    },
    { name: 'https', port: 443, targetPort: 'http', protocol: 'TCP' },
  );
  return [namespaceObject(NAME, 'restricted'), deployment, service, podDisruptionBudget(NAME, NAME)];
}

/**
 * nginx at `https://<hostname>`: an internet-facing NLB with a TLS listener and an ACM certificate
 * (DNS-validated in the configured hosted zone), and a DNS record external-dns publishes from the
 * Service annotation. Output `AppUrlNginx`.
 */
export class Nginx extends Construct {
  readonly certificate: acm.Certificate;
  /** The NLB's DNS name (a deploy-time token); the host name's record points at it. */
  readonly loadBalancerHostname: string;

  constructor(scope: Construct, id: string, props: NginxProps) {
    super(scope, id);
    const { cluster, config } = props.context;
    dependOnControllers(this, NAME, config.compute, props.addons);
    // Imported from configuration, not looked up: synth stays offline.
    const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: props.hostedZoneId, zoneName: props.zoneName });
    this.certificate = new acm.Certificate(this, 'Certificate', {
      domainName: props.hostname,
      validation: acm.CertificateValidation.fromDns(zone),
    });
    const manifest = applyObjects(
      this,
      cluster,
      nginxObjects({
        image: props.image,
        replicas: props.replicas,
        hostname: props.hostname,
        compute: config.compute,
        certificateArn: this.certificate.certificateArn,
      }),
    );
    this.loadBalancerHostname = loadBalancerHostname(this, 'LoadBalancerHostname', {
      cluster,
      kind: 'service',
      namespace: NAME,
      name: NAME,
      manifest,
    }).value;
    appUrlOutput(
      this,
      'AppUrlNginx',
      `https://${props.hostname}`,
      'nginx over TLS; the DNS record appears once external-dns has synced (about a minute)',
    );
    new CfnOutput(this, 'NginxLoadBalancer', {
      value: this.loadBalancerHostname,
      description: `The NLB that ${props.hostname} should point at (check the record if the name does not resolve)`,
    }).overrideLogicalId('NginxLoadBalancerHostname');
  }
}
