import { Annotations, Match } from 'aws-cdk-lib/assertions';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';

import { CertManagerAddOn } from '../../addons/cert-manager';
import type { PlatformAddOn } from '../../addons/core/addon';
import {
  KYVERNO_BASELINE_CAPABILITIES,
  KYVERNO_BASELINE_POLICIES,
  KYVERNO_CHART,
  KYVERNO_POLICIES_CHART,
  KyvernoAddOn,
} from '../../addons/kyverno';
import { MetricsServerAddOn } from '../../addons/metrics-server';
import type { ConfigError } from '../../lib/core/config';
import { OPS_NODE_GROUP } from '../../lib/core/config';
import { composePlan } from '../../lib/stacks/plan';
import { game2048Objects } from '../../lib/stacks/workloads/game-2048';
import { helmReleases, nagFindings, synth } from '../helpers';
import { deployAlone } from '../support/addon-fixture';

/** Kyverno 1.19 supports Kubernetes 1.33 to 1.35 (its releases page), not 1.36. */
const SUPPORTED = { kubernetesVersion: '1.35' };
/** metrics-server lives in kube-system, cert-manager in its own namespace. */
const selection = (): PlatformAddOn[] => [new MetricsServerAddOn(), new CertManagerAddOn(), new KyvernoAddOn()];
const EXCLUDED = ['cert-manager', 'kube-node-lease', 'kube-public', 'kube-system', 'kyverno'];

type Values = Record<string, unknown>;

describe.each(['auto', 'nodegroups'])('kyverno on compute=%s', (compute) => {
  const app = deployAlone(selection(), { compute, ...SUPPORTED });
  const template = app.template;
  const releases = helmReleases(template);
  const kyverno = releases.kyverno;
  const policies = releases['kyverno-policies'];

  test('installs the pinned kyverno and kyverno-policies charts into the kyverno namespace', () => {
    expect(kyverno).toMatchObject({
      Chart: 'kyverno',
      Version: '3.9.1',
      Repository: 'https://kyverno.github.io/kyverno/',
      Namespace: 'kyverno',
    });
    expect(policies).toMatchObject({
      Chart: 'kyverno-policies',
      Version: '3.9.1',
      Repository: 'https://kyverno.github.io/kyverno/',
      Namespace: 'kyverno',
    });
    template.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', { Release: 'kyverno', CreateNamespace: true, Wait: true });
  });

  test('the policies are created after the controller and so deleted before it', () => {
    expect(policies.DependsOn).toContain(kyverno.logicalId);
    expect(kyverno.DependsOn ?? []).not.toContain(policies.logicalId);
  });

  test('Audit by default: the baseline standard as ValidatingPolicies that report, fail open', () => {
    expect(policies.Values).toMatchObject({
      policyType: 'ValidatingPolicy',
      podSecurityStandard: 'baseline',
      validationFailureAction: 'Audit',
      failurePolicy: 'Ignore',
      background: true,
    });
  });

  test("webhooks and policies exclude the system, Kyverno's and every platform add-on's namespaces", () => {
    const webhooks = (kyverno.Values.config as Values).webhooks;
    expect(webhooks).toEqual({
      namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: EXCLUDED }] },
    });
    expect(policies.Values.vpolExclude).toEqual({ excludeNamespaces: EXCLUDED });
  });

  test('three admission controller replicas, two of every other controller, each with a budget and requests', () => {
    expect(kyverno.Values.admissionController).toMatchObject({
      replicas: 3,
      podDisruptionBudget: { enabled: true, minAvailable: 1 },
      container: { resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '384Mi' } } },
    });
    for (const name of ['backgroundController', 'cleanupController', 'reportsController']) {
      expect(kyverno.Values[name]).toMatchObject({
        replicas: 2,
        podDisruptionBudget: { enabled: true, minAvailable: 1 },
        resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
      });
    }
  });

  test('the pre-delete hook removes the webhooks before the controllers go', () => {
    expect(kyverno.Values.webhooksCleanup).toMatchObject({ enabled: true });
  });

  test('pinned to the ops nodes on node groups only', () => {
    const global = kyverno.Values.global as Values | undefined;
    if (compute === 'nodegroups') {
      expect(global).toEqual({ nodeSelector: { 'workload-type': 'ops' }, tolerations: [] });
      for (const name of ['admissionController', 'backgroundController', 'cleanupController', 'reportsController', 'webhooksCleanup']) {
        expect(kyverno.Values[name]).toMatchObject({ nodeSelector: { 'workload-type': 'ops' } });
      }
    } else {
      expect(global).toBeUndefined();
      expect(kyverno.Values.admissionController).not.toHaveProperty('nodeSelector');
    }
  });

  test('needs no AWS permissions', () => {
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 0);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
  });

  test('zero unacknowledged nag findings', () => {
    expect(nagFindings(app)).toEqual([]);
  });
});

test('enforce switches the policies to Enforce and fails closed', () => {
  const fromCode = helmReleases(deployAlone(new KyvernoAddOn({ enforce: true }), SUPPORTED).template)['kyverno-policies'];
  // The string "true" as cdk.json or -c gives it, read by the plan.
  const configured = composePlan({ addons: '{"kyverno":{"enforce":"true"}}', sampleWorkloads: false, ...SUPPORTED }).addons;
  const fromConfig = helmReleases(deployAlone(configured, SUPPORTED).template)['kyverno-policies'];
  for (const release of [fromCode, fromConfig]) {
    expect(release.Values).toMatchObject({ validationFailureAction: 'Enforce', failurePolicy: 'Fail' });
  }
});

test('a version moves both charts; a node selector and tolerations replace the ops default on every pod', () => {
  const placement = {
    nodeSelector: { role: 'policy' },
    tolerations: [{ key: 'dedicated', operator: 'Equal' as const, value: 'policy', effect: 'NoSchedule' as const }],
  };
  // A node group the selector picks: without one the pods would fit nowhere, which the synth refuses.
  const policyGroup = {
    ...OPS_NODE_GROUP,
    name: 'policy',
    labels: { role: 'policy' },
    taints: [{ key: 'dedicated', value: 'policy', effect: 'NO_SCHEDULE' }],
  };
  const releases = helmReleases(
    deployAlone(new KyvernoAddOn({ version: '3.9.0', replicas: 1, ...placement }), {
      compute: 'nodegroups',
      nodeGroups: JSON.stringify([OPS_NODE_GROUP, policyGroup]),
      ...SUPPORTED,
    }).template,
  );
  expect([releases.kyverno.Version, releases['kyverno-policies'].Version]).toEqual(['3.9.0', '3.9.0']);
  const values = releases.kyverno.Values;
  for (const part of [values.global, values.admissionController, values.reportsController, values.webhooksCleanup]) {
    expect(part).toMatchObject(placement);
  }
  expect(values.admissionController).toMatchObject({ replicas: 1, podDisruptionBudget: { enabled: false } });
  expect(JSON.stringify(values)).not.toContain('workload-type');
});

test('sample workload namespaces are not platform namespaces: game-2048 stays under the policies', () => {
  const values = helmReleases(
    synth({ compute: 'auto', addons: 'metrics-server,storage,auto-mode-ingress,kyverno', sampleWorkloads: true, ...SUPPORTED })
      .platformTemplate,
  )['kyverno-policies'].Values;
  expect((values.vpolExclude as { excludeNamespaces: string[] }).excludeNamespaces).not.toContain('game-2048');
});

/**
 * Each baseline policy of the pinned chart as a check of a pod spec, following its CEL expression
 * (templates/baseline/*.cel.yaml). A policy added to the list without a check fails the first test.
 */
const containersOf = (pod: IPodSpec): IContainer[] => [...pod.containers, ...(pod.initContainers ?? [])];
const BASELINE_CHECKS: Record<(typeof KYVERNO_BASELINE_POLICIES)[number], (pod: IPodSpec) => boolean> = {
  'disallow-capabilities': (pod) =>
    containersOf(pod).every((c) =>
      (c.securityContext?.capabilities?.add ?? []).every((cap) => (KYVERNO_BASELINE_CAPABILITIES as readonly string[]).includes(cap)),
    ),
  'disallow-host-namespaces': (pod) => !pod.hostNetwork && !pod.hostPID && !pod.hostIPC,
  'disallow-host-path': (pod) => (pod.volumes ?? []).every((v) => v.hostPath === undefined),
  'disallow-host-ports': (pod) => containersOf(pod).every((c) => (c.ports ?? []).every((p) => !p.hostPort)),
  'disallow-host-probes': (pod) =>
    containersOf(pod).every((c) =>
      [c.livenessProbe, c.readinessProbe, c.startupProbe, c.lifecycle?.postStart, c.lifecycle?.preStop].every(
        (h) => !h?.httpGet?.host && !h?.tcpSocket?.host,
      ),
    ),
  'disallow-host-process': (pod) =>
    [pod.securityContext, ...containersOf(pod).map((c) => c.securityContext)].every((s) => s?.windowsOptions?.hostProcess !== true),
  'disallow-privileged-containers': (pod) => containersOf(pod).every((c) => c.securityContext?.privileged !== true),
  'disallow-proc-mount': (pod) => containersOf(pod).every((c) => [undefined, 'Default'].includes(c.securityContext?.procMount)),
  'disallow-selinux': (pod) =>
    [pod.securityContext, ...containersOf(pod).map((c) => c.securityContext)].every(
      (s) =>
        [undefined, 'container_t', 'container_init_t', 'container_kvm_t'].includes(s?.seLinuxOptions?.type) &&
        s?.seLinuxOptions?.user === undefined &&
        s?.seLinuxOptions?.role === undefined,
    ),
  'restrict-apparmor-profiles': (pod) =>
    [pod.securityContext, ...containersOf(pod).map((c) => c.securityContext)].every((s) =>
      [undefined, 'RuntimeDefault', 'Localhost'].includes(s?.appArmorProfile?.type),
    ),
  'restrict-seccomp': (pod) =>
    [pod.securityContext, ...containersOf(pod).map((c) => c.securityContext)].every((s) =>
      [undefined, 'RuntimeDefault', 'Localhost'].includes(s?.seccompProfile?.type),
    ),
  // Only sysctls on the baseline's safe list; game-2048 sets none, so this subset of the list suffices.
  'restrict-sysctls': (pod) =>
    (pod.securityContext?.sysctls ?? []).every((s) =>
      [
        'kernel.shm_rmid_forced',
        'net.ipv4.ip_local_port_range',
        'net.ipv4.ip_unprivileged_port_start',
        'net.ipv4.tcp_syncookies',
        'net.ipv4.ping_group_range',
      ].includes(s.name),
    ),
};

describe('game-2048 under the baseline policies in Enforce mode', () => {
  const deployment = game2048Objects().find((o) => (o as { kind: string }).kind === 'Deployment') as {
    spec: { template: { spec: IPodSpec } };
  };
  const pod = deployment.spec.template.spec;

  test('every baseline policy of the chart has a check here', () => {
    expect(Object.keys(BASELINE_CHECKS).sort()).toEqual([...KYVERNO_BASELINE_POLICIES].sort());
  });

  test.each(KYVERNO_BASELINE_POLICIES)('%s admits it (no PolicyException needed)', (policy) => {
    expect(BASELINE_CHECKS[policy](pod)).toBe(true);
  });

  test("the capabilities it adds are all in disallow-capabilities' allowed list", () => {
    const added = pod.containers.flatMap((c) => c.securityContext?.capabilities?.add ?? []);
    expect(added).toEqual(['CHOWN', 'DAC_OVERRIDE', 'NET_BIND_SERVICE', 'SETGID', 'SETUID']);
    expect(KYVERNO_BASELINE_CAPABILITIES).toEqual(expect.arrayContaining(added));
  });

  test('the checks do reject what baseline forbids', () => {
    const container = pod.containers[0];
    const withContext = (securityContext: IContainer['securityContext']): IPodSpec => ({
      ...pod,
      containers: [{ ...container, securityContext }],
    });
    expect(BASELINE_CHECKS['disallow-capabilities'](withContext({ capabilities: { add: ['SYS_ADMIN'] } }))).toBe(false);
    expect(BASELINE_CHECKS['disallow-privileged-containers'](withContext({ privileged: true }))).toBe(false);
    expect(BASELINE_CHECKS['restrict-seccomp'](withContext({ seccompProfile: { type: 'Unconfined' } }))).toBe(false);
    expect(BASELINE_CHECKS['disallow-host-namespaces']({ ...pod, hostNetwork: true })).toBe(false);
    expect(BASELINE_CHECKS['disallow-host-path']({ ...pod, volumes: [{ name: 'root', hostPath: { path: '/' } }] })).toBe(false);
  });
});

describe('options', () => {
  test('valid options create the add-on', () => {
    const addon = KyvernoAddOn.registration.create({ enforce: true, replicas: 5, version: '3.9.1' }) as KyvernoAddOn;
    expect(addon.chart).toEqual(KYVERNO_CHART);
    expect(addon.computeModes).toEqual(['auto', 'nodegroups']);
    expect(addon.namespaces).toEqual([KYVERNO_POLICIES_CHART.namespace]);
  });

  test('bad options are all reported with their full key and what is allowed', () => {
    let problems: readonly string[] = [];
    try {
      KyvernoAddOn.registration.create({ enforce: 'yes', replicas: 0, version: '3.9', mode: 'Enforce' });
    } catch (error) {
      problems = (error as ConfigError).problems;
    }
    expect(problems).toEqual([
      expect.stringMatching(/^addons\.kyverno\.version: got "3\.9"; allowed: an exact chart version/),
      expect.stringMatching(/^addons\.kyverno\.enforce: got "yes"; allowed: true, false/),
      expect.stringMatching(/^addons\.kyverno\.replicas: got 0; allowed: an integer from 1 to 9/),
      expect.stringMatching(/^addons\.kyverno\.mode: got "Enforce"; allowed: one of the keys .*enforce/),
    ]);
  });

  test('props are checked in code too', () => {
    expect(() => new KyvernoAddOn({ replicas: 10 })).toThrow(/addons\.kyverno\.replicas: got 10; allowed: an integer from 1 to 9/);
  });
});

test('on Kubernetes 1.36, which no Kyverno release documents yet, a configuration error names both', () => {
  expect(() => synth({ addons: 'kyverno', kubernetesVersion: '1.36' })).toThrow(
    'kubernetesVersion: got "1.36"; allowed: a version the "kyverno" add-on supports (1.33 to 1.35, per Kyverno\'s releases page (v1.19)): ' +
      'change kubernetesVersion or remove the add-on',
  );
});

describe('kyverno placement warning', () => {
  const warned = (context: Record<string, unknown>): unknown[] =>
    Annotations.fromStack(deployAlone(new KyvernoAddOn(), { ...SUPPORTED, ...context }).stack).findWarning(
      '*',
      Match.stringLikeRegexp('no node group carries workload-type=ops'),
    );
  const unlabelled = { ...OPS_NODE_GROUP, labels: {}, taints: [] };

  test('on node groups none of which carries workload-type=ops, and only then', () => {
    expect(warned({ compute: 'nodegroups', nodeGroups: [unlabelled] })).toHaveLength(1);
    expect(warned({ compute: 'nodegroups' })).toEqual([]);
    expect(warned({ compute: 'auto' })).toEqual([]);
  });

  test('not with a configured node selector', () => {
    expect(
      Annotations.fromStack(
        deployAlone(new KyvernoAddOn({ nodeSelector: { tier: 'control' } }), {
          compute: 'nodegroups',
          ...SUPPORTED,
          nodeGroups: [{ ...unlabelled, labels: { tier: 'control' } }],
        }).stack,
      ).findWarning('*', Match.stringLikeRegexp('workload-type=ops')),
    ).toEqual([]);
  });
});
