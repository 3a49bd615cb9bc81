import { CfnWaitConditionHandle } from 'aws-cdk-lib';

import { ArgoCdAddOn } from '../../addons/argo-cd';
import type { PlatformAddOn } from '../../addons/core/addon';
import { OPS_NODE_GROUP } from '../../lib/core/config';
import { composePlan } from '../../lib/stacks/plan';
import { planProblems as problemsOf, synth } from '../helpers';

const IDC_INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';

describe('the delivery key', () => {
  test.each(['workshop', 'production'])('defaults to helm in the %s profile', (profile) => {
    expect(composePlan({ profile }).config.delivery).toBe('helm');
  });

  test('an unknown delivery is refused with the allowed values', () => {
    expect(problemsOf({ delivery: 'flux' })).toEqual([expect.stringMatching(/^delivery: got "flux"; allowed: helm, gitops/)]);
  });

  test('gitops without the argo-cd add-on is refused, naming the key, the value and the fix', () => {
    expect(problemsOf({ delivery: 'gitops' })).toEqual([
      expect.stringMatching(
        /^delivery: got "gitops"; allowed: helm, or gitops together with an add-on that delivers charts through GitOps \(argo-cd.*add "argo-cd" to addons/,
      ),
    ]);
  });

  test('gitops is reported with the other problems, all at once', () => {
    const problems = problemsOf({ delivery: 'gitops', azCount: 7 });
    expect(problems).toHaveLength(2);
    expect(problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/^azCount: /), expect.stringMatching(/^delivery: got "gitops"/)]),
    );
  });

  test.each([
    ['self-managed', { 'argo-cd': {} }],
    ['managed', { 'argo-cd': { managed: true, identityCenter: { instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef' } } }],
  ])('gitops with %s Argo CD is accepted', (_name, argoCd) => {
    const plan = composePlan({ delivery: 'gitops', sampleWorkloads: false, addons: { 'metrics-server': {}, ...argoCd } });
    expect(plan.config.delivery).toBe('gitops');
    expect(plan.addons.map((a) => a.id)).toContain('argo-cd');
  });

  test('argo-cd with bad options is not reported again as missing', () => {
    const problems = problemsOf({ delivery: 'gitops', sampleWorkloads: false, addons: { 'argo-cd': { ha: 'maybe' } } });
    expect(problems).toEqual([expect.stringMatching(/^addons\.argo-cd\.ha: /)]);
  });

  describe('on node groups, where Argo CD installs the node autoscaler', () => {
    const NODEGROUPS = { compute: 'nodegroups', sampleWorkloads: false, addons: 'metrics-server,karpenter,argo-cd' };

    test('Argo CD does not wait for the autoscaler with gitops (it would wait for itself), as it does with helm', () => {
      expect(composePlan(NODEGROUPS).capacityWaits.get('argo-cd')).toEqual(['karpenter']);
      const plan = composePlan({ ...NODEGROUPS, delivery: 'gitops' });
      expect(plan.capacityWaits.has('argo-cd')).toBe(false);
      expect(plan.capacityWaits.get('metrics-server')).toEqual(['karpenter']);
    });

    test("Argo CD's own pods count on the ops nodes with gitops: one t3.small holds Karpenter, not Argo CD beside it", () => {
      const nodeGroups = JSON.stringify([{ ...OPS_NODE_GROUP, instanceTypes: ['t3.small'], minSize: 1, desiredSize: 1 }]);
      expect(() => composePlan({ ...NODEGROUPS, nodeGroups })).not.toThrow();
      expect(() => composePlan({ ...NODEGROUPS, nodeGroups, delivery: 'gitops' })).toThrow(
        new RegExp(
          'nodeGroups\\[0\\]: got "ops: 1 x t3\\.small"; .*ops needs 1350m CPU, 2252 MiB and 13 pods but have 1930m CPU, 1418 MiB and 11 pods.*' +
            'argo-cd application controller 1x250m/512Mi, argo-cd server 1x50m/128Mi, argo-cd repo server 1x100m/256Mi, ' +
            'argo-cd ApplicationSet controller 1x50m/64Mi, argo-cd notifications controller 1x25m/64Mi, argo-cd redis 1x50m/64Mi',
        ),
      );
    });

    test('with ha, the Redis HA pods are counted instead of the one Redis, and the scaled components twice', () => {
      const config = composePlan({ ...NODEGROUPS, delivery: 'gitops' }).config;
      const sets = new ArgoCdAddOn({ ha: true }).podSets?.(config) ?? [];
      expect(sets.map((s) => [s.name, s.replicas])).toEqual([
        ['argo-cd application controller', 1],
        ['argo-cd server', 2],
        ['argo-cd repo server', 2],
        ['argo-cd ApplicationSet controller', 2],
        ['argo-cd notifications controller', 1],
        ['argo-cd redis-ha server', 3],
        ['argo-cd redis-ha haproxy', 3],
      ]);
      expect(sets.every((s) => s.nodeSelector['workload-type'] === 'ops')).toBe(true);
    });

    test('the managed capability runs off the nodes: no pods to place', () => {
      expect(new ArgoCdAddOn({ managed: true, identityCenter: { instanceArn: IDC_INSTANCE } }).podSets).toBeUndefined();
    });

    test('without an ops node group Argo CD needs a nodeSelector', () => {
      const group = { name: 'apps', amiType: 'BOTTLEROCKET_x86_64', instanceTypes: ['m5.large'], minSize: 2, maxSize: 3 };
      const controllers = { ...group, name: 'controllers', labels: { 'karpenter.sh/controller': 'true' } };
      expect(problemsOf({ ...NODEGROUPS, delivery: 'gitops', nodeGroups: [group, controllers] })).toEqual([
        expect.stringMatching(
          /^addons\.argo-cd\.nodeSelector: missing; required with delivery gitops on node groups when no node group carries workload-type=ops/,
        ),
      ]);
      const pinned = {
        ...NODEGROUPS,
        delivery: 'gitops',
        nodeGroups: [group, controllers],
        addons: { karpenter: {}, 'argo-cd': { nodeSelector: { 'karpenter.sh/controller': 'true' } } },
      };
      expect(problemsOf(pinned)).toEqual([]);
    });
  });
});

describe("a consumer's GitOps engine", () => {
  /** An engine of the consumer's own: each release of another add-on becomes one marker resource. */
  const engine: PlatformAddOn = {
    id: 'my-engine',
    computeModes: ['auto', 'nodegroups'],
    namespaces: [],
    deploy: () => undefined,
    gitopsDelivery: (request) => (scope, release) => new CfnWaitConditionHandle(scope, `Delivered${release.id}Level${request.level}`),
  };

  test('satisfies delivery gitops without argo-cd: the plan asks for the facet, not an add-on id', () => {
    expect(() => composePlan({ delivery: 'gitops', addons: 'metrics-server', sampleWorkloads: false }, { addons: [engine] })).not.toThrow();
  });

  test("delivers the other add-ons' charts: no Helm release, the engine's resource instead", () => {
    const app = synth({ delivery: 'gitops', addons: 'metrics-server' }, [engine]);
    app.platformTemplate.resourceCountIs('Custom::AWSCDK-EKS-HelmChart', 0);
    app.platformTemplate.resourceCountIs('AWS::CloudFormation::WaitConditionHandle', 1);
    expect(Object.keys(app.platformTemplate.findResources('AWS::CloudFormation::WaitConditionHandle'))[0]).toMatch(
      /^AddOnsmetricsserverDeliveredChartLevel0/,
    );
  });
});
