import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import * as blueprints from '@aws-quickstart/eks-blueprints';
import { Validations } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { Match } from 'aws-cdk-lib/assertions';
import { HelmChart } from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';

import { BlueprintsAddOn, blueprintsAddOnId } from '../../addons/blueprints/blueprints-addon';
import { KNOWN_ADDONS } from '../../addons/blueprints/known-addons';
import type { AddOnContext } from '../../addons/core/addon';
import { ManifestAddOn } from '../../addons/core/manifest-addon';
import { selectionProblems } from '../../addons/core/resolve';
import type { KubernetesObject } from '../../lib/core/kubernetes-object';
import { helmReleases, kubernetesObjects, nagFindings, synth } from '../helpers';
import { schemaProblems } from '../support/kubernetes-schemas';

// Any download or AWS call at synth fails the test instead of hanging on an offline machine:
// sync-request is how Blueprints downloads YAML and Helm indexes, the SDK clients how it calls AWS.
jest.mock('sync-request', () => () => {
  throw new Error('network access at synth (sync-request)');
});
jest.mock('@aws-sdk/client-eks', () => mockOfflineSdk('EKS'));
jest.mock('@aws-sdk/client-secrets-manager', () => mockOfflineSdk('Secrets Manager'));

function mockOfflineSdk(service: string): unknown {
  return new Proxy(
    {},
    {
      get: (_target, name) =>
        name === '__esModule'
          ? false
          : class {
              constructor() {
                throw new Error(`${service} API call at synth (${String(name)})`);
              }
            },
    },
  );
}

// Blueprints' user log prints DEBUG lines for core add-on versions; they buried real failures in CI output.
blueprints.utils.userLog.settings.minLevel = 3;

const SERVICE_TOKEN = { 'Fn::GetAtt': [Match.stringLikeRegexp('^ClusterKubectlProviderframeworkonEvent'), 'Arn'] };
const CLUSTER_NAME = { 'Fn::ImportValue': 'dev-infra:ClusterName' };

function chart(template: Template, props: Record<string, unknown>): void {
  template.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', { ServiceToken: SERVICE_TOKEN, ClusterName: CLUSTER_NAME, ...props });
}

/** Logical id of the one manifest resource whose rendered manifest contains `text`. */
function manifestId(template: Template, text: string): string {
  const ids = Object.entries(template.findResources('Custom::AWSCDK-EKS-KubernetesResource'))
    .filter(([, resource]) => JSON.stringify(resource.Properties.Manifest).includes(text.replace(/"/g, '\\"')))
    .map(([id]) => id);
  expect(ids).toHaveLength(1);
  return ids[0];
}

/** Logical id of the one resource of `type` whose properties match. */
function logicalId(template: Template, type: string, props: Record<string, unknown>): string {
  const ids = Object.keys(template.findResources(type, { Properties: props }));
  expect(ids).toHaveLength(1);
  return ids[0];
}

function dependsOn(template: Template, id: string): string[] {
  return (template.toJSON().Resources[id].DependsOn as string[] | undefined) ?? [];
}

/** A first-party add-on, to check that mixed selections order correctly. */
class ConfigMapAddOn extends ManifestAddOn {
  readonly computeModes = ['auto', 'nodegroups'] as const;
  readonly namespaces = ['default'];
  constructor(
    readonly id: string,
    readonly dependsOn: readonly string[] = [],
  ) {
    super();
  }
  manifests(): KubernetesObject[] {
    return [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: this.id, namespace: 'default' }, data: { owner: this.id } }];
  }
}

describe('Blueprints add-ons on node groups', () => {
  const app = synth({ compute: 'nodegroups', addons: '' }, [
    new BlueprintsAddOn(new blueprints.addons.MetricsServerAddOn()),
    new BlueprintsAddOn(new blueprints.addons.AwsLoadBalancerControllerAddOn()),
    new BlueprintsAddOn(new blueprints.addons.CertManagerAddOn(), { dependsOn: ['aws-load-balancer-controller'] }),
    new BlueprintsAddOn(
      new blueprints.addons.ArgoCDAddOn({
        bootstrapRepo: { repoUrl: 'https://github.com/aws-samples/eks-blueprints-workloads.git', path: 'envs/dev', targetRevision: 'main' },
      }),
    ),
    new BlueprintsAddOn(new blueprints.addons.KubeStateMetricsAddOn()),
  ]);
  const template = app.platformTemplate;

  test("installs each chart through PlatformStack's kubectl handler on the imported cluster", () => {
    chart(template, {
      Chart: 'metrics-server',
      Repository: 'https://kubernetes-sigs.github.io/metrics-server',
      Version: '3.13.1',
      Namespace: 'kube-system',
    });
    chart(template, {
      Chart: 'aws-load-balancer-controller',
      Repository: 'https://aws.github.io/eks-charts',
      Version: '3.4.0',
      Namespace: 'kube-system',
    });
    chart(template, {
      Chart: 'cert-manager',
      Repository: 'https://charts.jetstack.io',
      Version: 'v1.20.3',
      Namespace: 'cert-manager',
      Values: '{"installCRDs":true}',
    });
    chart(template, { Chart: 'argo-cd', Repository: 'https://argoproj.github.io/argo-helm', Version: '10.1.2', Namespace: 'argocd' });
    chart(template, {
      Chart: 'kube-state-metrics',
      Repository: 'https://prometheus-community.github.io/helm-charts',
      Version: '7.5.1',
      Namespace: 'kube-system',
    });
    template.resourceCountIs('Custom::AWSCDK-EKS-HelmChart', 5);
  });

  test("creates the charts inside each add-on's own scope", () => {
    const scopes = Object.values(helmReleases(template))
      .map((r) => /^AddOns([a-z]+)Cluster/.exec(r.logicalId)?.[1])
      .sort();
    expect(scopes).toEqual(['argocd', 'awsloadbalancercontroller', 'certmanager', 'kubestatemetrics', 'metricsserver']);
  });

  test('service accounts get EKS Pod Identity and a customer-managed policy, never IRSA or inline policies', () => {
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
      ClusterName: CLUSTER_NAME,
      Namespace: 'kube-system',
      ServiceAccount: 'aws-load-balancer-controller',
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{ Action: ['sts:AssumeRole', 'sts:TagSession'], Principal: { Service: 'pods.eks.amazonaws.com' } }],
      },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'],
            Condition: { Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'false' } },
          }),
        ]),
      },
      Roles: [{ Ref: Match.stringLikeRegexp('^AddOnsawsloadbalancercontrollerCluster') }],
    });
    expect(Object.keys(template.findResources('AWS::IAM::Policy')).filter((id) => !id.startsWith('ClusterKubectlProvider'))).toEqual([]);
    expect(JSON.stringify(template.toJSON())).not.toContain('OpenIdConnect');
  });

  test('orders by dependsOn, including what Blueprints put directly in the stack', () => {
    const alb = logicalId(template, 'Custom::AWSCDK-EKS-HelmChart', { Chart: 'aws-load-balancer-controller' });
    const certManager = logicalId(template, 'Custom::AWSCDK-EKS-HelmChart', { Chart: 'cert-manager' });
    const certManagerNamespace = manifestId(template, '"kind":"Namespace","metadata":{"name":"cert-manager"');
    expect(dependsOn(template, certManager)).toEqual(expect.arrayContaining([alb, certManagerNamespace]));
    expect(dependsOn(template, certManagerNamespace)).toContain(alb);
    const metricsServer = logicalId(template, 'Custom::AWSCDK-EKS-HelmChart', { Chart: 'metrics-server' });
    expect(dependsOn(template, metricsServer)).toEqual([]);
  });

  test('runs postDeploy: the ArgoCD bootstrap Application comes after the ArgoCD chart', () => {
    const argo = logicalId(template, 'Custom::AWSCDK-EKS-HelmChart', { Chart: 'argo-cd' });
    const application = manifestId(template, '"kind":"Application"');
    expect(dependsOn(template, application)).toContain(argo);
  });

  test('every Kubernetes object the Blueprints add-ons render passes its schema; a broken one fails', () => {
    const objects = kubernetesObjects(template);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(
      expect.arrayContaining([
        'Namespace/cert-manager',
        'Namespace/argocd',
        'ServiceAccount/aws-load-balancer-controller',
        'ServiceAccount/argocd-server',
        'Application/bootstrap-apps',
      ]),
    );
    expect(schemaProblems(objects)).toEqual([]);
    const application = objects.find((o) => o.kind === 'Application');
    expect(
      schemaProblems([{ ...application, spec: { ...(application?.spec as object), destination: 'in-cluster' } } as (typeof objects)[0]]),
    ).not.toEqual([]);
  });

  test("has no cdk-nag findings; only the load balancer controller's published IAM wildcards are acknowledged, on its policy", () => {
    expect(nagFindings(app)).toEqual([]);
    const acknowledged = app.platform.node
      .findChild('AddOns')
      .node.findAll()
      .filter((c) => c.node.metadata.some((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY));
    expect(acknowledged.map((c) => c.node.path)).toEqual([
      'PlatformStack/AddOns/aws-load-balancer-controller/Cluster/aws-load-balancer-controller/Policy',
    ]);
    const ids = acknowledged[0].node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.keys(m.data as Record<string, string>));
    expect(ids).toContain('AwsSolutions-IAM5[Resource::arn:aws:elasticloadbalancing:*:*:targetgroup/*/*]');
    expect(ids.every((id) => id.startsWith('AwsSolutions-IAM5['))).toBe(true);
  });
});

describe('Blueprints add-ons next to first-party ones', () => {
  const app = synth({ compute: 'nodegroups', addons: '' }, [
    new ConfigMapAddOn('aws-load-balancer-controller'),
    new BlueprintsAddOn(new blueprints.addons.CertManagerAddOn(), { dependsOn: ['aws-load-balancer-controller'] }),
    new ConfigMapAddOn('issuers', ['cert-manager']),
  ]);
  const template = app.platformTemplate;
  const manifest = (name: string): string => manifestId(template, `"kind":"ConfigMap","metadata":{"name":"${name}"`);

  test("a first-party add-on with the Blueprints dependency's id satisfies @dependable", () => {
    const certManager = logicalId(template, 'Custom::AWSCDK-EKS-HelmChart', { Chart: 'cert-manager' });
    expect(dependsOn(template, certManager)).toContain(manifest('aws-load-balancer-controller'));
  });

  test('an add-on depending on a Blueprints one also waits for what Blueprints put directly in the stack', () => {
    const certManager = logicalId(template, 'Custom::AWSCDK-EKS-HelmChart', { Chart: 'cert-manager' });
    const namespace = manifestId(template, '"kind":"Namespace","metadata":{"name":"cert-manager"');
    expect(dependsOn(template, manifest('issuers'))).toEqual(expect.arrayContaining([certManager, namespace]));
  });
});

describe('Blueprints add-ons on EKS Auto Mode', () => {
  const app = synth({ compute: 'auto', addons: '' }, [new BlueprintsAddOn(new blueprints.addons.CertManagerAddOn())]);

  test('CertManager needs no load balancer controller there (Blueprints skips Auto Mode built-ins)', () => {
    chart(app.platformTemplate, { Chart: 'cert-manager', Version: 'v1.20.3', Namespace: 'cert-manager' });
  });

  test('the AWS Load Balancer Controller is refused with the Auto Mode advice', () => {
    expect(selectionProblems([new BlueprintsAddOn(new blueprints.addons.AwsLoadBalancerControllerAddOn())], 'auto')).toEqual([
      expect.stringMatching(/^"aws-load-balancer-controller" is built into EKS Auto Mode: .*auto-mode-ingress/),
    ]);
  });

  describe('the synchronous contract', () => {
    /** A Blueprints-style add-on whose deploy creates a namespace (or nothing), then returns `result`. */
    class FakeAddOn implements blueprints.ClusterAddOn {
      constructor(
        readonly id: string,
        private readonly result: () => Promise<Construct> | void,
        private readonly create = true,
      ) {}
      deploy(clusterInfo: blueprints.ClusterInfo): Promise<Construct> | void {
        if (this.create) {
          blueprints.utils.createNamespace(this.id, clusterInfo.cluster);
        }
        return this.result();
      }
    }
    // Deploys into the stack synthesized above (its template was already taken), as PlatformStack would.
    const context: AddOnContext = { ...app.platform.context, platformNamespaces: [] };
    const deployOnly = (addOn: blueprints.ClusterAddOn) => () =>
      new BlueprintsAddOn(addOn).deploy(new Construct(app.platform, `Probe-${addOn.id}`), context);

    test('a promise still pending after deploy() fails the synth', () => {
      expect(deployOnly(new FakeAddOn('waits', () => new Promise(() => undefined)))).toThrow(
        /"waits": Blueprints waits.deploy\(\) is still waiting for asynchronous work/,
      );
    });

    test('a rejected promise fails the synth with its reason and is not left unhandled', async () => {
      const unhandled = jest.fn();
      process.on('unhandledRejection', unhandled);
      try {
        expect(deployOnly(new FakeAddOn('rejects', () => Promise.reject(new Error('no credentials'))))).toThrow(
          /"rejects": Blueprints rejects.deploy\(\) failed: Error: no credentials/,
        );
        await new Promise((resolve) => setImmediate(resolve));
        expect(unhandled).not.toHaveBeenCalled();
      } finally {
        process.off('unhandledRejection', unhandled);
      }
    });

    test('an add-on that installs in postDeploy (OpaGatekeeperAddOn) works', () => {
      const scope = new Construct(app.platform, 'Probe-gatekeeper');
      new BlueprintsAddOn(new blueprints.addons.OpaGatekeeperAddOn()).deploy(scope, context);
      const charts = scope.node.findAll().filter((c): c is HelmChart => c instanceof HelmChart);
      expect(charts.map((c) => c.chart)).toEqual(['gatekeeper']);
    });

    test('a deploy() that creates no resources fails the synth', () => {
      expect(deployOnly(new FakeAddOn('empty', () => undefined, false))).toThrow(/"empty": .*created no resources/);
    });
  });
});

describe('dependencies Blueprints declares with @dependable', () => {
  test('a missing one fails the synth with the add-on to add', () => {
    expect(() => synth({ compute: 'nodegroups', addons: '' }, [new BlueprintsAddOn(new blueprints.addons.CertManagerAddOn())])).toThrow(
      /"cert-manager": .*needs Blueprints AwsLoadBalancerControllerAddOn deployed first: .*list "aws-load-balancer-controller" in dependsOn of "cert-manager"/,
    );
  });

  test('one deployed but not listed in dependsOn fails the synth', () => {
    expect(() =>
      synth({ compute: 'nodegroups', addons: '' }, [
        new BlueprintsAddOn(new blueprints.addons.AwsLoadBalancerControllerAddOn()),
        new BlueprintsAddOn(new blueprints.addons.CertManagerAddOn()),
      ]),
    ).toThrow(
      /depends on AwsLoadBalancerControllerAddOn \("aws-load-balancer-controller"\): list "aws-load-balancer-controller" in dependsOn/,
    );
  });
});

describe('refused Blueprints add-ons say what to use instead', () => {
  const refused = (addOn: blueprints.ClusterAddOn) => () => new BlueprintsAddOn(addOn);

  test.each([
    ['KarpenterAddOn', () => new blueprints.addons.KarpenterAddOn(), /refuses imported clusters.*"karpenter" add-on/],
    ['KarpenterV1AddOn', () => new blueprints.addons.KarpenterV1AddOn(), /refuses imported clusters.*"karpenter" add-on/],
    ['SecretsStoreAddOn', () => new blueprints.addons.SecretsStoreAddOn(), /downloads Kubernetes YAML .* at synth.*ExternalsSecretsAddOn/],
    ['GatewayApiCrdsAddOn', () => new blueprints.addons.GatewayApiCrdsAddOn(), /downloads Kubernetes YAML .* at synth/],
    ['ClusterAutoScalerAddOn', () => new blueprints.addons.ClusterAutoScalerAddOn(), /InfraStack owns them.*"karpenter"/],
    [
      'VpcCniAddOn',
      () => new blueprints.addons.VpcCniAddOn({ version: 'v1.20.4-eksbuild.2' }),
      /InfraStack already installs the vpc-cni EKS add-on/,
    ],
    ['EbsCsiDriverAddOn', () => new blueprints.addons.EbsCsiDriverAddOn(), /"storage" add-on/],
    [
      'AdotCollectorAddOn (version auto)',
      () => new blueprints.addons.AdotCollectorAddOn(),
      /version "auto" calls the EKS API at synth .*: pass an exact version/,
    ],
    [
      'ArgoCDAddOn with adminPasswordSecretName',
      () => new blueprints.addons.ArgoCDAddOn({ adminPasswordSecretName: 'argo-admin' }),
      /reads AWS Secrets Manager at synth/,
    ],
    [
      'MetricsServerAddOn with a version range',
      () => new blueprints.addons.MetricsServerAddOn({ version: '3.x' }),
      /chart version "3.x" is not exact/,
    ],
  ])('%s', (_name, create, advice) => {
    expect(refused(create())).toThrow(advice);
  });

  test("every add-on, while Blueprints' Helm version check (repository index downloads) is on", () => {
    const addOn = new blueprints.addons.MetricsServerAddOn();
    blueprints.HelmAddOn.validateHelmVersions = true;
    try {
      expect(refused(addOn)).toThrow(/validateHelmVersions is on: it downloads Helm repository indexes at synth/);
    } finally {
      blueprints.HelmAddOn.validateHelmVersions = false;
    }
  });

  test('every add-on Blueprints decorates for Auto Mode is listed in known-addons.ts (catches Blueprints upgrades)', () => {
    // The decorators leave no metadata and wrap each other, so read the installed library's source.
    const root = join(dirname(require.resolve('@aws-quickstart/eks-blueprints')), 'addons');
    const decorated = readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.js'))
      .flatMap((file) => [...readFileSync(join(root, file), 'utf8').matchAll(/__decorate\(\[([^\]]*?)\], (\w+)\.prototype, "deploy"/g)])
      .filter((match) => /conflictsWithAutoMode|mustRunOnAutoMode/.test(match[1]))
      .map((match) => match[2])
      .sort();
    expect(decorated).toEqual(
      expect.arrayContaining(['AwsLoadBalancerControllerAddOn', 'KarpenterV1AddOn', 'SSMAgentAddOn', 'VpcCniAddOn']),
    );
    const listed = KNOWN_ADDONS.map((k) => k.type.name);
    expect(decorated.filter((name) => !listed.includes(name))).toEqual([]);
  });
});

test('default ids are the kebab-case Blueprints names; options override id, compute modes and dependencies', () => {
  expect(['CertManagerAddOn', 'ArgoCDAddOn', 'AWSPrivateCAIssuerAddon', 'KubeStateMetricsAddOn'].map(blueprintsAddOnId)).toEqual([
    'cert-manager',
    'argo-cd',
    'aws-private-ca-issuer',
    'kube-state-metrics',
  ]);
  const addOn = new BlueprintsAddOn(new blueprints.addons.KubeStateMetricsAddOn(), {
    id: 'ksm',
    computeModes: ['nodegroups'],
    dependsOn: ['metrics-server'],
  });
  expect(addOn).toMatchObject({
    id: 'ksm',
    computeModes: ['nodegroups'],
    dependsOn: ['metrics-server'],
    blueprintsKey: 'KubeStateMetricsAddOn',
  });
  expect(new BlueprintsAddOn(new blueprints.addons.MetricsServerAddOn()).computeModes).toEqual(['auto', 'nodegroups']);
  expect(() => new BlueprintsAddOn(new blueprints.addons.MetricsServerAddOn(), { id: 'Metrics Server' })).toThrow(/must be lowercase/);
});
