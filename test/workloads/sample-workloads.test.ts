import type { Template } from 'aws-cdk-lib/assertions';
import { Match } from 'aws-cdk-lib/assertions';

import { AutoModeIngressAddOn } from '../../addons/auto-mode-ingress';
import { AwsLoadBalancerControllerAddOn } from '../../addons/aws-load-balancer-controller';
import type { PlatformAddOn } from '../../addons/core/addon';
import { ExternalDnsAddOn } from '../../addons/external-dns';
import type { ComputeMode, WorkloadsConfig } from '../../lib/core/config';
import { ConfigError } from '../../lib/core/config';
import { petstoreLoadBalancerName } from '../../lib/stacks/workloads/petstore';
import { SampleWorkloads } from '../../lib/stacks/workloads/sample-workloads';
import type { RenderedObject } from '../helpers';
import { buildTestApp, nagFindings, renderManifest } from '../helpers';
import type { AnyKubernetesObject } from '../support/kubernetes-schemas';
import { schemaProblems } from '../support/kubernetes-schemas';
import type { WorkloadsApp } from './build';
import { buildWorkloads } from './build';

const ZONE_ID = 'Z0123456789ABCDEFGHIJ';
const NGINX = { hostedZoneId: ZONE_ID, zoneName: 'example.com', hostname: 'nginx.example.com' };
const ALL: WorkloadsConfig = { game2048: true, petstore: { enabled: true, internal: true, apiGateway: true }, nginx: NGINX };
const NLB_CLASS: Record<ComputeMode, string> = { auto: 'eks.amazonaws.com/nlb', nodegroups: 'service.k8s.aws/nlb' };

const externalDns = (): ExternalDnsAddOn => new ExternalDnsAddOn({ hostedZoneIds: [ZONE_ID], domainFilters: ['example.com'] });
/** The add-ons that serve every workload on a compute mode. */
const CONTROLLERS: Record<ComputeMode, () => PlatformAddOn[]> = {
  auto: () => [new AutoModeIngressAddOn(), externalDns()],
  nodegroups: () => [new AwsLoadBalancerControllerAddOn(), externalDns()],
};

const apps = new Map<ComputeMode, WorkloadsApp>();
/** The app with every workload and the controllers they need (built once per compute mode). */
function fullApp(compute: ComputeMode): WorkloadsApp {
  const cached = apps.get(compute) ?? buildWorkloads(compute, CONTROLLERS[compute](), ALL);
  apps.set(compute, cached);
  return cached;
}

/** The resource whose logical id is `path` (the construct path without separators) plus CDK's 8-digit hash. */
function resource(template: Template, path: string): { id: string; Properties: Record<string, unknown>; DependsOn: string[] } {
  const logicalId = new RegExp(`^${path.replace(/[{}+]/g, '\\$&')}[0-9A-F]{8}$`);
  const found = Object.entries(
    template.toJSON().Resources as Record<string, { Properties: Record<string, unknown>; DependsOn?: string[] }>,
  ).filter(([id]) => logicalId.test(id));
  if (found.length !== 1) throw new Error(`${found.length} resources have the logical id ${logicalId}`);
  const [id, r] = found[0];
  return { id, Properties: r.Properties, DependsOn: r.DependsOn ?? [] };
}

/** Logical ids of the resources whose ids start with `prefix`. */
function idsStartingWith(template: Template, prefix: string): string[] {
  return Object.keys(template.toJSON().Resources as object).filter((id) => id.startsWith(prefix));
}

/** The objects a workload's manifest applies, by kind. */
function objectsOf(template: Template, workload: 'Game2048' | 'Petstore' | 'Nginx'): Record<string, RenderedObject> {
  const objects = renderManifest(resource(template, `Workloads${workload}Manifest`).Properties.Manifest);
  return Object.fromEntries(objects.map((o) => [o.kind, o]));
}

/** What a Deployment's only container and pod spec look like. */
function podOf(deployment: RenderedObject): { spec: Record<string, unknown>; container: Record<string, unknown> } {
  const spec = (deployment.spec as { template: { spec: Record<string, unknown> } }).template.spec;
  return { spec, container: (spec.containers as Record<string, unknown>[])[0] };
}

const RESTRICTED = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  privileged: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

describe.each(['auto', 'nodegroups'] as const)('sample workloads on compute=%s', (compute) => {
  const template = (): Template => fullApp(compute).platformTemplate;

  test('each workload in its own namespace, enforced by Pod Security Admission', () => {
    for (const [workload, namespace, level] of [
      ['Game2048', 'game-2048', 'baseline'],
      ['Petstore', 'petstore', 'restricted'],
      ['Nginx', 'nginx', 'restricted'],
    ] as const) {
      const objects = objectsOf(template(), workload);
      expect(Object.keys(objects)).toEqual(
        workload === 'Game2048'
          ? ['Namespace', 'Deployment', 'Service', 'Ingress', 'PodDisruptionBudget']
          : ['Namespace', 'Deployment', 'Service', 'PodDisruptionBudget'],
      );
      expect(objects.Namespace.metadata).toMatchObject({
        name: namespace,
        labels: { 'pod-security.kubernetes.io/enforce': level, 'pod-security.kubernetes.io/warn': 'restricted' },
      });
      for (const object of Object.values(objects).filter((o) => o.kind !== 'Namespace')) {
        expect(object.metadata).toMatchObject({
          name: namespace,
          namespace,
          labels: { 'app.kubernetes.io/name': namespace, 'app.kubernetes.io/part-of': 'cdk-eks-platform' },
        });
      }
      expect(objects.Deployment.spec).toMatchObject({ replicas: 2, selector: { matchLabels: { 'app.kubernetes.io/name': namespace } } });
      expect(objects.PodDisruptionBudget.spec).toEqual({
        maxUnavailable: 1,
        selector: { matchLabels: { 'app.kubernetes.io/name': namespace } },
      });
    }
  });

  test('game-2048: 2 replicas of the public image behind an internet-facing ALB of class alb, pod IPs as targets', () => {
    const { Deployment, Service, Ingress } = objectsOf(template(), 'Game2048');
    const { spec, container } = podOf(Deployment);
    expect(container).toMatchObject({
      image: 'public.ecr.aws/l6m2t8p7/docker-2048:latest',
      imagePullPolicy: 'Always',
      ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
    });
    expect(spec.nodeSelector).toEqual({ 'kubernetes.io/arch': 'amd64', 'kubernetes.io/os': 'linux' });
    expect(Service.spec).toEqual({
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': 'game-2048' },
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    });
    expect(Ingress.metadata.annotations).toEqual({
      'alb.ingress.kubernetes.io/scheme': 'internet-facing',
      'alb.ingress.kubernetes.io/target-type': 'ip',
    });
    expect(Ingress.spec).toEqual({
      ingressClassName: 'alb',
      rules: [
        { http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'game-2048', port: { name: 'http' } } } }] } },
      ],
    });
  });

  test('game-2048: the documented root exception, every other hardening kept', () => {
    const { spec, container } = podOf(objectsOf(template(), 'Game2048').Deployment);
    expect(container.securityContext).toEqual({
      runAsNonRoot: false,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: false,
      capabilities: { drop: ['ALL'], add: ['CHOWN', 'DAC_OVERRIDE', 'NET_BIND_SERVICE', 'SETGID', 'SETUID'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(spec).toMatchObject({ automountServiceAccountToken: false, securityContext: { seccompProfile: { type: 'RuntimeDefault' } } });
  });

  test(`petstore: pinned image, NLB Service of class ${NLB_CLASS[compute]} with a fixed internal NLB name`, () => {
    const { Deployment, Service } = objectsOf(template(), 'Petstore');
    const { spec, container } = podOf(Deployment);
    expect(container).toMatchObject({
      image: 'swaggerapi/petstore3:1.0.27',
      ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
    });
    expect(spec.nodeSelector).toEqual({ 'kubernetes.io/arch': 'amd64', 'kubernetes.io/os': 'linux' });
    expect(container.env).toEqual(expect.arrayContaining([{ name: 'OTEL_JAVAAGENT_ENABLED', value: 'false' }]));
    expect(Service.metadata.annotations).toEqual({
      'service.beta.kubernetes.io/aws-load-balancer-name': 'dev-petstore',
      'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
      'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
      'service.beta.kubernetes.io/aws-load-balancer-inbound-sg-rules-on-private-link-traffic': 'off',
    });
    expect(Service.spec).toEqual({
      type: 'LoadBalancer',
      loadBalancerClass: NLB_CLASS[compute],
      selector: { 'app.kubernetes.io/name': 'petstore' },
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    });
  });

  test(`nginx: unprivileged image, TLS NLB (class ${NLB_CLASS[compute]}) with the ACM certificate and the external-dns name`, () => {
    const { Deployment, Service } = objectsOf(template(), 'Nginx');
    const { container } = podOf(Deployment);
    expect(container).toMatchObject({
      image: 'nginxinc/nginx-unprivileged:1.28.0-alpine',
      ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
    });
    expect(Service.metadata.annotations).toEqual({
      'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
      'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
      'service.beta.kubernetes.io/aws-load-balancer-ssl-cert': '<deploy-time>',
      'service.beta.kubernetes.io/aws-load-balancer-ssl-ports': '443',
      'service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      'external-dns.alpha.kubernetes.io/hostname': 'nginx.example.com',
    });
    expect(Service.spec).toEqual({
      type: 'LoadBalancer',
      loadBalancerClass: NLB_CLASS[compute],
      selector: { 'app.kubernetes.io/name': 'nginx' },
      ports: [{ name: 'https', port: 443, targetPort: 'http', protocol: 'TCP' }],
    });
    // The certificate in the Service annotation is the one created here, DNS-validated in the configured zone.
    const certificate = resource(template(), 'WorkloadsNginxCertificate');
    expect(JSON.stringify(resource(template(), 'WorkloadsNginxManifest').Properties.Manifest)).toContain(`{"Ref":"${certificate.id}"}`);
    template().hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'nginx.example.com',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: 'nginx.example.com', HostedZoneId: ZONE_ID }],
    });
  });

  test('petstore and nginx: restricted security context, read-only root with emptyDir scratch space', () => {
    const expected = { Petstore: { user: 10001, mounts: ['/tmp', '/var/log'] }, Nginx: { user: 101, mounts: ['/tmp'] } };
    for (const [workload, { user, mounts }] of Object.entries(expected) as Array<
      ['Petstore' | 'Nginx', { user: number; mounts: string[] }]
    >) {
      const { spec, container } = podOf(objectsOf(template(), workload).Deployment);
      expect(container.securityContext).toEqual({ ...RESTRICTED, runAsUser: user, runAsGroup: user });
      expect(spec).toMatchObject({
        automountServiceAccountToken: false,
        securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      });
      expect((container.volumeMounts as Array<{ mountPath: string }>).map((m) => m.mountPath)).toEqual(mounts);
      expect((spec.volumes as Array<{ emptyDir: { sizeLimit: string } }>).every((v) => v.emptyDir.sizeLimit !== undefined)).toBe(true);
    }
  });

  test('every container: requests and limits, readiness and liveness probes (petstore: a startup probe too)', () => {
    const probes = {
      Game2048: { path: '/', startup: false },
      Petstore: { path: '/api/v3/openapi.json', startup: true },
      Nginx: { path: '/', startup: false },
    } as const;
    for (const [workload, { path, startup }] of Object.entries(probes) as Array<
      [keyof typeof probes, (typeof probes)[keyof typeof probes]]
    >) {
      const { container } = podOf(objectsOf(template(), workload).Deployment);
      expect(container.resources).toEqual({
        requests: { cpu: expect.any(String), memory: expect.any(String) },
        limits: { cpu: expect.any(String), memory: expect.any(String) },
      });
      for (const probe of ['readinessProbe', 'livenessProbe', ...(startup ? ['startupProbe'] : [])]) {
        expect(container[probe]).toMatchObject({ httpGet: { path, port: 'http' }, periodSeconds: expect.any(Number) });
      }
      if (!startup) expect(container.startupProbe).toBeUndefined();
    }
    expect(podOf(objectsOf(template(), 'Petstore').Deployment).container.resources).toEqual({
      requests: { cpu: '100m', memory: '256Mi' },
      limits: { cpu: '500m', memory: '512Mi' },
    });
  });

  test('every rendered object is valid against the Kubernetes schemas; a broken one is not', () => {
    const objects = (['Game2048', 'Petstore', 'Nginx'] as const).flatMap((w) => Object.values(objectsOf(template(), w)));
    expect(objects).toHaveLength(13);
    expect(schemaProblems(objects as AnyKubernetesObject[])).toEqual([]);
    const { Deployment } = objectsOf(template(), 'Nginx');
    const broken = JSON.parse(JSON.stringify(Deployment)) as RenderedObject;
    (podOf(broken).container.readinessProbe as Record<string, unknown>).periodSeconds = 'often';
    expect(schemaProblems([broken])).toEqual([
      'apps/v1/Deployment nginx: data/spec/template/spec/containers/0/readinessProbe/periodSeconds must be integer',
    ]);
  });

  test('each workload depends on the controllers serving it, so its load balancer is deleted first', () => {
    const albControllerIds = idsStartingWith(template(), 'AddOnsawsloadbalancercontroller');
    const autoIngressIds = idsStartingWith(template(), 'AddOnsautomodeingress');
    const externalDnsIds = idsStartingWith(template(), 'AddOnsexternaldns');
    expect(externalDnsIds.length).toBeGreaterThan(0);
    const dependsOn = (workload: string) => resource(template(), `Workloads${workload}Manifest`).DependsOn;
    if (compute === 'auto') {
      expect(albControllerIds).toEqual([]);
      expect(autoIngressIds.length).toBeGreaterThan(0);
      expect(dependsOn('Game2048')).toEqual(expect.arrayContaining(autoIngressIds));
      // NLBs are built into Auto Mode: petstore needs no add-on at all.
      expect(dependsOn('Petstore')).toEqual([]);
      expect(dependsOn('Nginx')).toEqual(externalDnsIds.sort());
    } else {
      expect(albControllerIds).toEqual(expect.arrayContaining([expect.stringMatching(/^AddOnsawsloadbalancercontrollerChart/)]));
      for (const workload of ['Game2048', 'Petstore', 'Nginx']) {
        expect(dependsOn(workload)).toEqual(expect.arrayContaining(albControllerIds));
      }
      expect(dependsOn('Game2048')).not.toEqual(expect.arrayContaining(externalDnsIds));
      expect(dependsOn('Nginx')).toEqual(expect.arrayContaining(externalDnsIds));
    }
    // The URL read-backs run after their manifests.
    for (const workload of ['Game2048', 'Petstore', 'Nginx']) {
      expect(resource(template(), `Workloads${workload}LoadBalancerHostname`).DependsOn).toContain(
        resource(template(), `Workloads${workload}Manifest`).id,
      );
    }
  });

  test('the URLs are read back from the Ingress and Service status (up to 10 minutes)', () => {
    for (const [workload, type, name] of [
      ['Game2048', 'ingress', 'game-2048'],
      ['Petstore', 'service', 'petstore'],
      ['Nginx', 'service', 'nginx'],
    ]) {
      expect(resource(template(), `Workloads${workload}LoadBalancerHostname`).Properties).toMatchObject({
        ObjectType: type,
        ObjectName: name,
        ObjectNamespace: name,
        JsonPath: '.status.loadBalancer.ingress[0].hostname',
        TimeoutSeconds: 600,
      });
    }
    const outputs = template().toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.AppUrlGame2048.Value).toEqual({
      'Fn::Join': ['', ['http://', { 'Fn::GetAtt': [resource(template(), 'WorkloadsGame2048LoadBalancerHostname').id, 'Value'] }]],
    });
    expect(outputs.AppUrlNginx.Value).toBe('https://nginx.example.com');
    expect(outputs.NginxLoadBalancerHostname.Value).toEqual({
      'Fn::GetAtt': [resource(template(), 'WorkloadsNginxLoadBalancerHostname').id, 'Value'],
    });
    // With API Gateway the petstore URL is the stage URL (the RestApi's own Endpoint output is dropped).
    expect(JSON.stringify(outputs.AppUrlPetstore.Value)).toMatch(
      /"https:\/\/",\{"Ref":"WorkloadsPetstoreApi[0-9A-F]{8}"\},".execute-api.us-west-2.",.*"\/",\{"Ref":"WorkloadsPetstoreApiDeploymentStageprod[0-9A-F]{8}"\},"\/"/,
    );
    expect(Object.keys(outputs).filter((k) => k.includes('Endpoint'))).toEqual([]);
  });

  test('zero unacknowledged cdk-nag findings (AwsSolutions, NIST 800-53 R5, HIPAA, PCI)', () => {
    expect(nagFindings(fullApp(compute))).toEqual([]);
  });
});

describe('petstore behind API Gateway through a VPC link', () => {
  const template = (): Template => fullApp('auto').platformTemplate;
  const lookup = () => resource(template(), 'WorkloadsPetstoreApiLoadBalancer');
  const LOOKUP_ID = /^WorkloadsPetstoreApiLoadBalancer[0-9A-F]{8}$/;

  test('the NLB is looked up by its fixed name after the Service status has its DNS name', () => {
    const { id, Properties } = lookup();
    expect(id).toMatch(LOOKUP_ID);
    expect(Properties).toMatchObject({
      LoadBalancerName: 'dev-petstore',
      Trigger: { 'Fn::GetAtt': [resource(template(), 'WorkloadsPetstoreLoadBalancerHostname').id, 'Value'] },
    });
    template().hasResource('Custom::LoadBalancerLookup', {
      Properties: { ServiceToken: { 'Fn::GetAtt': [resource(template(), 'WorkloadsPetstoreApiLoadBalancerFunction').id, 'Arn'] } },
    });
  });

  test('the VPC link targets the looked-up NLB ARN', () => {
    template().hasResourceProperties('AWS::ApiGateway::VpcLink', {
      Name: 'dev-petstore',
      TargetArns: [{ 'Fn::GetAtt': [lookup().id, 'Arn'] }],
    });
  });

  test('ANY / and ANY /{proxy+}: HTTP proxies over the VPC link to the NLB DNS name', () => {
    const vpcLinkId = resource(template(), 'WorkloadsPetstoreApiVpcLink').id;
    const dns = { 'Fn::GetAtt': [lookup().id, 'DNSName'] };
    const validatorId = resource(template(), 'WorkloadsPetstoreApiRequestValidator').id;
    template().resourceCountIs('AWS::ApiGateway::Method', 2);
    template().hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'ANY',
      AuthorizationType: 'NONE',
      RequestValidatorId: { Ref: validatorId },
      ResourceId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WorkloadsPetstoreApi'), 'RootResourceId'] },
      Integration: {
        Type: 'HTTP_PROXY',
        IntegrationHttpMethod: 'ANY',
        ConnectionType: 'VPC_LINK',
        ConnectionId: { Ref: vpcLinkId },
        Uri: { 'Fn::Join': ['', ['http://', dns, '/']] },
      },
    });
    template().hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'ANY',
      RequestParameters: { 'method.request.path.proxy': true },
      Integration: {
        Type: 'HTTP_PROXY',
        ConnectionType: 'VPC_LINK',
        ConnectionId: { Ref: vpcLinkId },
        Uri: { 'Fn::Join': ['', ['http://', dns, '/{proxy}']] },
        RequestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' },
      },
    });
    template().hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: '{proxy+}' });
    template().hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true, ValidateRequestParameters: true });
  });

  test('stage: JSON access logs and execution logs in KMS-encrypted groups, X-Ray, throttling, no data trace', () => {
    const accessLogs = resource(template(), 'WorkloadsPetstoreApiAccessLogs');
    template().hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      TracingEnabled: true,
      // The log group's ARN without the `:*` suffix GetAtt adds: the form API Gateway documents for a
      // destination (feature flag @aws-cdk/aws-apigateway:logGroupDestinationArnWithoutWildcard).
      AccessLogSetting: {
        DestinationArn: {
          'Fn::Join': [
            '',
            [Match.stringLikeRegexp('^arn:aws:logs:[a-z0-9-]+:$'), { Ref: 'AWS::AccountId' }, ':log-group:', { Ref: accessLogs.id }],
          ],
        },
        Format: Match.stringLikeRegexp('^\\{"requestId":"\\$context.requestId"'),
      },
      MethodSettings: [
        {
          HttpMethod: '*',
          ResourcePath: '/*',
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
          MetricsEnabled: true,
          ThrottlingRateLimit: 50,
          ThrottlingBurstLimit: 100,
        },
      ],
    });
    expect(accessLogs.Properties).toEqual({
      KmsKeyId: { 'Fn::ImportValue': 'dev-infra:LogsKeyArn' },
      RetentionInDays: 30,
      Tags: expect.any(Array),
    });
    const executionLogs = resource(template(), 'WorkloadsPetstoreApiExecutionLogs');
    expect(executionLogs.Properties).toMatchObject({
      LogGroupName: {
        'Fn::Join': ['', ['API-Gateway-Execution-Logs_', { Ref: resource(template(), 'WorkloadsPetstoreApi').id }, '/prod']],
      },
      KmsKeyId: { 'Fn::ImportValue': 'dev-infra:LogsKeyArn' },
      RetentionInDays: 30,
    });
    // The stage waits for the account's logging role and for its pre-created execution log group.
    expect(resource(template(), 'WorkloadsPetstoreApiDeploymentStageprod').DependsOn).toEqual(
      expect.arrayContaining([resource(template(), 'WorkloadsPetstoreApiAccount').id, executionLogs.id]),
    );
    template().hasResource('AWS::ApiGateway::Account', { DeletionPolicy: 'Retain' });
    template().hasResource('AWS::IAM::Role', {
      DeletionPolicy: 'Retain',
      Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })] } },
    });
  });

  test('the lookup function: in the private subnets, its own encrypted log group, least privilege in a customer-managed policy', () => {
    const fn = resource(template(), 'WorkloadsPetstoreApiLoadBalancerFunction');
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      Timeout: 870,
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogGroup: { Ref: resource(template(), 'WorkloadsPetstoreApiLoadBalancerLogs').id } },
      VpcConfig: {
        SubnetIds: [0, 1, 2].map((i) => ({
          'Fn::Select': [i, { 'Fn::Split': [',', { 'Fn::ImportValue': 'dev-infra:PrivateSubnetIds' }] }],
        })),
      },
    });
    const role = resource(template(), 'WorkloadsPetstoreApiLoadBalancerRole');
    expect(role.Properties.ManagedPolicyArns).toEqual([{ Ref: resource(template(), 'WorkloadsPetstoreApiLoadBalancerPolicy').id }]);
    expect(role.Properties.Policies).toBeUndefined();
    expect(idsStartingWith(template(), 'WorkloadsPetstoreApiLoadBalancerRoleDefaultPolicy')).toEqual([]);
    const statements = (
      resource(template(), 'WorkloadsPetstoreApiLoadBalancerPolicy').Properties.PolicyDocument as {
        Statement: Array<Record<string, unknown>>;
      }
    ).Statement;
    expect(statements.map((s) => [s.Sid, s.Action])).toEqual([
      ['DescribeLoadBalancers', 'elasticloadbalancing:DescribeLoadBalancers'],
      ['WriteOwnLogs', ['logs:CreateLogStream', 'logs:PutLogEvents']],
      ['XRayTracing', ['xray:PutTelemetryRecords', 'xray:PutTraceSegments']],
      ['LambdaVpcNetworking', expect.arrayContaining(['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface'])],
    ]);
    expect(statements[1].Resource).toEqual({ 'Fn::GetAtt': [resource(template(), 'WorkloadsPetstoreApiLoadBalancerLogs').id, 'Arn'] });
    expect(statements[3].Condition).toEqual({ StringEquals: { 'aws:RequestedRegion': { Ref: 'AWS::Region' } } });
  });
});

describe('options and compute-mode rules', () => {
  test('petstore without API Gateway, internet-facing: no API, the NLB address is the URL', () => {
    const app = buildWorkloads('auto', [], { game2048: false, petstore: { enabled: true, internal: false, apiGateway: false } });
    const template = app.platformTemplate;
    const { Service } = objectsOf(template, 'Petstore');
    expect(Service.metadata.annotations).toEqual({
      'service.beta.kubernetes.io/aws-load-balancer-name': 'dev-petstore',
      'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
      'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
    });
    for (const type of [
      'AWS::ApiGateway::RestApi',
      'AWS::ApiGateway::VpcLink',
      'Custom::LoadBalancerLookup',
      'AWS::CertificateManager::Certificate',
    ]) {
      template.resourceCountIs(type, 0);
    }
    expect(Object.keys(template.findResources('AWS::Lambda::Function')).filter((id) => id.startsWith('Workloads'))).toEqual([]);
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.AppUrlPetstore.Value).toEqual({
      'Fn::Join': ['', ['http://', { 'Fn::GetAtt': [resource(template, 'WorkloadsPetstoreLoadBalancerHostname').id, 'Value'] }]],
    });
    expect(outputs.AppUrlGame2048).toBeUndefined();
    expect(app.workloads.game2048).toBeUndefined();
    expect(nagFindings(app)).toEqual([]);
  });

  test('the NLB name must fit the 32 characters ELB allows', () => {
    expect(petstoreLoadBalancerName('a-20-character-envir')).toBe('a-20-character-envir-petstore');
    expect(() => petstoreLoadBalancerName('a'.repeat(24))).toThrow(/longer than 32 characters/);
  });

  test('Auto Mode without the auto-mode-ingress add-on: game-2048 cannot get its ALB', () => {
    expect(() => buildWorkloads('auto', [], { ...ALL, nginx: undefined })).toThrow(
      'Invalid cdk-eks-platform configuration (1 problem):\n' +
        '  - workloads.game2048: got true; allowed: with compute=auto only together with the "auto-mode-ingress" add-on (its Ingress needs the alb IngressClass of Auto Mode): ' +
        'add it, or turn the workload off in the workloads key',
    );
  });

  test('node groups without the AWS Load Balancer Controller or external-dns: every missing controller is listed', () => {
    expect(() => buildWorkloads('nodegroups', [], ALL)).toThrow(ConfigError);
    expect(() => buildWorkloads('nodegroups', [], ALL)).toThrow(
      new RegExp(
        [
          '  - workloads\\.game2048: got true; allowed: with compute=nodegroups only together with the "aws-load-balancer-controller" add-on \\(its Ingress needs the alb IngressClass.*',
          '  - workloads\\.petstore: got true; allowed: .*"aws-load-balancer-controller" add-on \\(its NLB Service \\(loadBalancerClass service.k8s.aws/nlb\\).*',
          '  - workloads\\.nginx: got true; allowed: .*"aws-load-balancer-controller" add-on.*',
          '  - workloads\\.nginx: got true; allowed: .*"external-dns" add-on \\(external-dns publishes its host name in Route 53\\).*',
        ].join('\n'),
      ),
    );
  });

  test('workloads default to the configuration (context.config.workloads)', () => {
    const built = buildTestApp({ compute: 'auto', addons: '', sampleWorkloads: false }, { addons: [new AutoModeIngressAddOn()] });
    const { platform } = built;
    const context = { ...platform.context, platformNamespaces: [] };
    const configured = { ...built.config, workloads: { game2048: true, petstore: { enabled: false, internal: true, apiGateway: true } } };
    const addons = { planned: built.plan.addons, scopes: platform.addons };
    const fromConfig = new SampleWorkloads(platform, 'FromConfig', { context: { ...context, config: configured }, addons });
    expect(fromConfig.game2048).toBeDefined();
    expect(fromConfig.petstore).toBeUndefined();
    const off = new SampleWorkloads(platform, 'Off', { context: { ...context, config: built.config }, addons });
    expect(off.node.children).toEqual([]);
  });
});
