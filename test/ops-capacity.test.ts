import { Match } from 'aws-cdk-lib/assertions';

import type { PlatformAddOn } from '../addons/core/addon';
import { canLandOn, tolerates } from '../addons/core/node-placement';
import { podRequests } from '../addons/core/pod-sets';
import type { NodeGroupConfig } from '../lib/core/config';
import { OPS_NODE_GROUP } from '../lib/core/config';
import { composePlan } from '../lib/stacks/plan';
import { kubeReservedCpu, kubeReservedMemory, nodeAllocatable } from '../lib/stacks/plan/node-allocatable';
import { helmReleases, synth } from './helpers';

const NODEGROUPS = { compute: 'nodegroups' };
const CRITICAL = { key: 'CriticalAddonsOnly', value: 'true', effect: 'NO_SCHEDULE' } as const;
const OPS_TOLERATION = { key: 'CriticalAddonsOnly', operator: 'Equal', value: 'true', effect: 'NoSchedule' };
const group = (overrides: Partial<NodeGroupConfig>): NodeGroupConfig => ({ ...OPS_NODE_GROUP, ...overrides });
const nodeGroups = (...groups: NodeGroupConfig[]): string => JSON.stringify(groups);

describe('the default ops node group is dedicated', () => {
  const app = synth(NODEGROUPS);
  const releases = helmReleases(app.platformTemplate);

  test('it carries the CriticalAddonsOnly taint', () => {
    app.infraTemplate.hasResourceProperties('AWS::EKS::Nodegroup', {
      NodegroupName: 'ops',
      Taints: [{ Key: 'CriticalAddonsOnly', Value: 'true', Effect: 'NO_SCHEDULE' }],
    });
  });

  test('Karpenter, pinned there, tolerates exactly that taint', () => {
    app.platformTemplate.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', {
      Release: 'karpenter',
      Values: {
        'Fn::Join': [
          '',
          Match.arrayWith([
            Match.stringLikeRegexp(
              '"nodeSelector":\\{"karpenter.sh/controller":"true"\\},"tolerations":\\[\\{"key":"CriticalAddonsOnly","operator":"Equal","value":"true","effect":"NoSchedule"\\}\\]\\}$',
            ),
          ]),
        ],
      },
    });
  });

  test("the charts that are not pinned there get no toleration and wait for Karpenter's nodes", () => {
    app.platformTemplate.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', {
      Release: 'metrics-server',
      Values: Match.serializedJson(Match.not(Match.objectLike({ tolerations: Match.anyValue() }))),
    });
    for (const release of ['metrics-server', 'aws-load-balancer-controller']) {
      expect(JSON.stringify(releases[release].Values)).not.toContain('tolerations');
      expect(releases[release].DependsOn).toEqual(
        expect.arrayContaining([releases.karpenter.logicalId, expect.stringMatching(/^AddOnskarpenterNodePool/)]),
      );
    }
    expect(releases.karpenter.DependsOn ?? []).not.toContain(releases['metrics-server'].logicalId);
  });

  test("Kyverno's controllers and hooks tolerate it too", () => {
    const kyverno = helmReleases(
      synth({ ...NODEGROUPS, addons: 'metrics-server,storage,aws-load-balancer-controller,karpenter,kyverno', kubernetesVersion: '1.35' })
        .platformTemplate,
    ).kyverno;
    for (const key of [
      'global',
      'admissionController',
      'backgroundController',
      'cleanupController',
      'reportsController',
      'webhooksCleanup',
    ]) {
      expect(kyverno.Values[key]).toMatchObject({ nodeSelector: { 'workload-type': 'ops' }, tolerations: [OPS_TOLERATION] });
    }
    // Pinned to the ops group, it needs no node Karpenter adds.
    expect(kyverno.DependsOn ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/^AddOnskarpenter/)]));
  });

  test('a chart pinned there by configuration gets the toleration with its node selector', () => {
    const values = helmReleases(
      synth({ ...NODEGROUPS, addons: '{"metrics-server":{"nodeSelector":{"workload-type":"ops"}},"karpenter":{}}', sampleWorkloads: false })
        .platformTemplate,
    )['metrics-server'];
    expect(values.Values).toMatchObject({ nodeSelector: { 'workload-type': 'ops' }, tolerations: [OPS_TOLERATION] });
    expect(values.DependsOn ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/^AddOnskarpenter/)]));
  });
});

describe('own node groups keep working', () => {
  const untainted = group({ taints: [] });

  test("without taints, Karpenter keeps the chart's tolerations and nothing waits for it", () => {
    const app = synth({ ...NODEGROUPS, nodeGroups: nodeGroups(untainted) });
    app.infraTemplate.hasResourceProperties('AWS::EKS::Nodegroup', { NodegroupName: 'ops', Taints: [] });
    const releases = helmReleases(app.platformTemplate);
    expect(releases.karpenter.Values).not.toHaveProperty('tolerations');
    expect(releases['metrics-server'].DependsOn ?? []).not.toContain(releases.karpenter.logicalId);
  });

  test("the controllers tolerate a group's own taint key", () => {
    const own = group({ taints: [{ key: 'dedicated', value: 'controllers', effect: 'NO_EXECUTE' }] });
    const releases = helmReleases(synth({ ...NODEGROUPS, nodeGroups: nodeGroups(own) }).platformTemplate);
    expect(releases.karpenter.Values.tolerations).toEqual([
      { key: 'dedicated', operator: 'Equal', value: 'controllers', effect: 'NoExecute' },
    ]);
  });

  test('without an autoscaler the default group is the only capacity and stays undedicated', () => {
    const app = synth({ ...NODEGROUPS, addons: 'metrics-server,storage,aws-load-balancer-controller' });
    app.infraTemplate.hasResourceProperties('AWS::EKS::Nodegroup', { NodegroupName: 'ops', Taints: [] });
    expect(
      composePlan({ ...NODEGROUPS, addons: 'metrics-server,storage,aws-load-balancer-controller' }).config.nodeGroups[0].taints,
    ).toEqual([]);
  });

  test('the plan places each pod set once: the capacity check and the deploy order read the same placement', () => {
    let calls = 0;
    const counting: PlatformAddOn = {
      id: 'counting',
      computeModes: ['nodegroups'],
      namespaces: [],
      podSets: () => {
        calls += 1;
        return [{ name: 'counted', replicas: 1, requests: podRequests('10m', '16Mi'), nodeSelector: {}, tolerations: [], source: 'test' }];
      },
      deploy: () => undefined,
    };
    const plan = composePlan(NODEGROUPS, { addons: [counting] });
    expect(calls).toBe(1);
    // Untainted pods fit no group of the dedicated ops pool: they wait for Karpenter's nodes.
    expect(plan.capacityWaits.get('counting')).toEqual(['karpenter']);
  });

  test('Auto Mode is untouched: no capacity dependencies', () => {
    const plan = composePlan({});
    expect([...plan.capacityWaits]).toEqual([]);
  });
});

describe('the ops capacity check (every synth on node groups)', () => {
  test('the default passes, with and without Kyverno', () => {
    expect(() => composePlan(NODEGROUPS)).not.toThrow();
    expect(() =>
      composePlan({ ...NODEGROUPS, addons: 'metrics-server,storage,aws-load-balancer-controller,karpenter,node-monitoring,kyverno' }),
    ).not.toThrow();
  });

  test('one t3.small is refused with the node group, the numbers and the fix', () => {
    const small = group({ instanceTypes: ['t3.small'], minSize: 1, desiredSize: 1 });
    expect(() => composePlan({ ...NODEGROUPS, nodeGroups: nodeGroups(small) })).toThrow(
      new RegExp(
        'nodeGroups\\[0\\]: got "ops: 1 x t3\\.small"; allowed: .*ops needs 985m CPU, 1794 MiB and 11 pods but have ' +
          '1930m CPU, 1418 MiB and 11 pods \\(short: 1794 MiB > 1418 MiB\\); the pods: .*karpenter controller 2x250m/512Mi.*Raise minSize',
      ),
    );
  });

  test('counts pods too: two t3.small cannot hold Kyverno beside Karpenter (25 pods > 22)', () => {
    const small = group({ instanceTypes: ['m5.large', 't3.small'] });
    expect(() =>
      composePlan({
        ...NODEGROUPS,
        nodeGroups: nodeGroups(small),
        addons: 'metrics-server,storage,aws-load-balancer-controller,karpenter,node-monitoring,kyverno',
      }),
    ).toThrow(/ops needs 2050m CPU, 2712 MiB and 25 pods but have 3860m CPU, 2836 MiB and 22 pods \(short: 25 pods > 22\)/);
  });

  test('without an autoscaler, pods that fit no node group are refused', () => {
    const withoutKarpenter = { ...NODEGROUPS, addons: 'metrics-server,storage', sampleWorkloads: false };
    expect(() => composePlan({ ...withoutKarpenter, nodeGroups: nodeGroups(OPS_NODE_GROUP) })).toThrow(
      /nodeGroups: got "ops: 2 x m5\.large\|t3\.medium"; allowed: a node group where "metrics-server" \(add-on "metrics-server"\) can run.*Add a node group without taints/,
    );
    expect(() => composePlan({ ...withoutKarpenter, nodeGroups: nodeGroups(group({ taints: [] })) })).not.toThrow();
  });

  test('instance types the table does not know are left out with a warning', () => {
    const plan = composePlan({ ...NODEGROUPS, nodeGroups: nodeGroups(group({ instanceTypes: ['m5.large', 'i3.large'] })) });
    expect(plan.warnings).toEqual([expect.stringMatching(/^node group "ops": the capacity check does not know i3\.large/)]);
  });
});

describe('node allocatable, from the EKS AMI formulas', () => {
  test('kube-reserved CPU: 6% of the first core, 1% of the second, 0.5% of the next two, 0.25% above', () => {
    expect([1000, 2000, 4000, 8000].map(kubeReservedCpu)).toEqual([60, 70, 80, 90]);
    expect(kubeReservedMemory(29)).toBe(574);
  });

  test('m5.large: 1930m CPU, 8 GiB less 7.5%, 574 MiB reserved and 100 MiB eviction, 29 pods', () => {
    expect(nodeAllocatable('m5.large')).toEqual({ cpuMillicores: 1930, memoryMiB: 6903, pods: 29 });
    expect(nodeAllocatable('t3.medium')).toEqual({ cpuMillicores: 1930, memoryMiB: 3246, pods: 17 });
    expect(nodeAllocatable('m5.medium')).toBeUndefined();
  });
});

describe('placement rules', () => {
  const taint = CRITICAL;

  test('tolerations match taints as Kubernetes matches them', () => {
    expect(tolerates([{ operator: 'Exists' }], taint)).toBe(true);
    expect(tolerates([{ key: 'CriticalAddonsOnly', operator: 'Exists' }], taint)).toBe(true);
    expect(tolerates([{ key: 'CriticalAddonsOnly', operator: 'Equal', value: 'false' }], taint)).toBe(false);
    expect(tolerates([{ key: 'CriticalAddonsOnly', operator: 'Exists', effect: 'NoExecute' }], taint)).toBe(false);
    expect(tolerates([], taint)).toBe(false);
  });

  test('a pod lands on a group when its selector matches and it tolerates the hard taints', () => {
    expect(canLandOn(OPS_NODE_GROUP, { 'workload-type': 'ops' }, [])).toBe(false);
    expect(canLandOn(group({ taints: [{ ...taint, effect: 'PREFER_NO_SCHEDULE' }] }), {}, [])).toBe(true);
    expect(canLandOn(OPS_NODE_GROUP, { role: 'x' }, [{ operator: 'Exists' }])).toBe(false);
  });

  test('quantities', () => {
    expect(podRequests('250m', '512Mi')).toEqual({ cpuMillicores: 250, memoryMiB: 512 });
    expect(podRequests('1', '1Gi')).toEqual({ cpuMillicores: 1000, memoryMiB: 1024 });
    expect(() => podRequests('1 core', '1GB')).toThrow(/not CPU/);
  });
});
