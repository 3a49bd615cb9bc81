import { CfnResource } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { z } from 'zod';

import { AddOnCatalog } from '../../addons/catalog';
import type { AddOnContext, PlatformAddOn, ServiceAccountRef } from '../../addons/core/addon';
import { facetsOf } from '../../addons/core/facets';
import { addOnOptions } from '../../addons/core/options';
import type { AddOnRegistration } from '../../addons/core/registration';
import { registerAddOn } from '../../addons/core/registration';
import type { ComputeMode } from '../../lib/core/config';
import { ConfigError, DEFAULT_ADDON_IDS, integer, loadConfig, Problems, strictObject } from '../../lib/core/config';
import type { PlanInputs } from '../../lib/stacks/plan';
import { composePlan } from '../../lib/stacks/plan';
import { synth } from '../helpers';

type FakeProps = Partial<Pick<PlatformAddOn, 'computeModes' | 'dependsOn' | 'conflictsWith' | 'autoModeBuiltIn' | 'namespaces'>> & {
  serviceAccounts?: ServiceAccountRef[];
};

/** A minimal add-on that records one resource, for the contract's rules. */
class FakeAddOn implements PlatformAddOn {
  readonly computeModes: readonly ComputeMode[];
  readonly dependsOn?: readonly string[];
  readonly conflictsWith?: readonly string[];
  readonly autoModeBuiltIn?: string;
  readonly namespaces: readonly string[];
  readonly serviceAccounts?: readonly ServiceAccountRef[];

  constructor(
    readonly id: string,
    props: FakeProps = {},
  ) {
    this.computeModes = props.computeModes ?? ['auto', 'nodegroups'];
    this.dependsOn = props.dependsOn;
    this.conflictsWith = props.conflictsWith;
    this.autoModeBuiltIn = props.autoModeBuiltIn;
    this.namespaces = props.namespaces ?? [];
    this.serviceAccounts = props.serviceAccounts;
  }

  deploy(scope: Construct, _context: AddOnContext): void {
    new CfnResource(scope, 'Marker', { type: 'AWS::SSM::Parameter', properties: { Type: 'String', Value: this.id } });
  }
}

const ids = (addons: readonly PlatformAddOn[]) => addons.map((a) => a.id);
/** Only the add-ons passed in code: no configured ones, no sample workloads. */
const CODE_ONLY = { addons: '', sampleWorkloads: false };

/** The problems of composing a plan (fails the test if it composes). */
function problemsOf(context: Record<string, unknown>, inputs: PlanInputs = {}): readonly string[] {
  try {
    composePlan(context, inputs);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('the plan was composed');
}

describe('composePlan: add-on order and selection rules', () => {
  test('orders add-ons after their dependencies, otherwise keeping the given order', () => {
    const plan = composePlan(CODE_ONLY, {
      addons: [
        new FakeAddOn('app', { dependsOn: ['controller', 'certs'] }),
        new FakeAddOn('metrics'),
        new FakeAddOn('controller', { dependsOn: ['certs'] }),
        new FakeAddOn('certs'),
      ],
    });
    expect(ids(plan.addons)).toEqual(['certs', 'controller', 'app', 'metrics']);
  });

  test.each<[string, PlatformAddOn[], ComputeMode, RegExp]>([
    [
      'missing dependency',
      [new FakeAddOn('app', { dependsOn: ['controller'] })],
      'auto',
      /"app" depends on "controller", which is not selected: add "controller"/,
    ],
    [
      'conflict',
      [new FakeAddOn('a', { conflictsWith: ['b'] }), new FakeAddOn('b')],
      'auto',
      /"a" conflicts with "b": select only one of them/,
    ],
    ['duplicate', [new FakeAddOn('a'), new FakeAddOn('a')], 'auto', /"a" is selected twice/],
    [
      'built into Auto Mode',
      [new FakeAddOn('lbc', { computeModes: ['nodegroups'], autoModeBuiltIn: 'use auto-mode-ingress instead' })],
      'auto',
      /"lbc" is built into EKS Auto Mode: use auto-mode-ingress instead/,
    ],
    [
      'unsupported compute mode',
      [new FakeAddOn('ingress', { computeModes: ['auto'] })],
      'nodegroups',
      /"ingress" does not support compute=nodegroups \(it supports auto\)/,
    ],
    [
      'cycle',
      [new FakeAddOn('a', { dependsOn: ['b'] }), new FakeAddOn('b', { dependsOn: ['a'] })],
      'auto',
      /dependency cycle: "a" -> "b" -> "a"/,
    ],
    [
      'one service account bound twice',
      [
        new FakeAddOn('a', { serviceAccounts: [{ namespace: 'tools', name: 'agent' }] }),
        new FakeAddOn('b', { serviceAccounts: [{ namespace: 'tools', name: 'agent' }] }),
      ],
      'auto',
      /"b" binds service account tools\/agent to an AWS role, which "a" binds already/,
    ],
  ])('%s: a configuration error with advice', (_name, addons, compute, message) => {
    expect(problemsOf({ ...CODE_ONLY, compute }, { addons }).join('\n')).toMatch(message);
  });

  test('every problem is reported at once', () => {
    expect(
      problemsOf(CODE_ONLY, {
        addons: [new FakeAddOn('a', { dependsOn: ['x'] }), new FakeAddOn('b', { computeModes: ['nodegroups'] }), new FakeAddOn('a')],
      }),
    ).toHaveLength(3);
  });

  // Reproduced bug: a code add-on on the wrong compute mode ended in a JavaScript stack trace
  // (AddOnSelectionError) instead of the configuration message.
  test('a code add-on on the wrong compute mode is a ConfigError like a configured one', () => {
    expect(() =>
      composePlan({ ...CODE_ONLY, compute: 'nodegroups' }, { addons: [new FakeAddOn('ingress', { computeModes: ['auto'] })] }),
    ).toThrow(ConfigError);
  });

  test('the plan is immutable', () => {
    const plan = composePlan({});
    expect(Object.isFrozen(plan)).toBe(true);
    expect(Object.isFrozen(plan.config.availabilityZones)).toBe(true);
    expect(() => ((plan.config.tags as Record<string, string>).x = 'y')).toThrow(TypeError);
  });
});

describe('teams against the namespaces every add-on declares', () => {
  const TEAM = (namespace: string) => [{ name: 'apps', namespaces: [namespace], principals: ['arn:aws:iam::111122223333:role/Apps'] }];

  // Reproduced bug: a team could claim the namespace of an add-on passed in code.
  test('a team may not own the namespace of an add-on passed in code', () => {
    expect(problemsOf(CODE_ONLY, { addons: [new FakeAddOn('tools', { namespaces: ['tools'] })], teams: TEAM('tools') })).toEqual([
      expect.stringMatching(
        /^code teams\[0\]\.namespaces: got "tools"; allowed: a namespace that is not a system or platform namespace \(.*tools/,
      ),
    ]);
  });

  test("whatever the add-on's kind: a manifest add-on's namespace is protected too", () => {
    expect(problemsOf({ ...CODE_ONLY, teams: TEAM('tools') }, { addons: [new FakeAddOn('tools', { namespaces: ['tools'] })] })).toEqual([
      expect.stringMatching(/^teams\[0\]\.namespaces: got "tools"/),
    ]);
  });
});

/** A consumer's own add-on with an options schema, registered like a first-party one. */
const QUOTA_OPTIONS = strictObject({ pods: integer(1, 100).optional() }, 'an object {pods?}');
class QuotaAddOn extends FakeAddOn {
  static readonly registration: AddOnRegistration = registerAddOn({
    id: 'quota',
    summary: 'a test add-on',
    options: QUOTA_OPTIONS,
    create: (props) => new QuotaAddOn(props),
  });

  readonly pods: number;

  constructor(props: z.input<typeof QUOTA_OPTIONS> = {}) {
    super('quota');
    this.pods = addOnOptions('quota', QUOTA_OPTIONS, props).pods ?? 10;
  }
}

describe('the catalog is open', () => {
  const catalog = AddOnCatalog.firstParty().with(QuotaAddOn.registration);

  test('a registered add-on is selectable from configuration, with its options', () => {
    const plan = composePlan({ addons: { quota: { pods: 5 }, 'metrics-server': true }, sampleWorkloads: false }, { catalog });
    expect(ids(plan.addons)).toEqual(['quota', 'metrics-server']);
    expect((plan.addons[0] as QuotaAddOn).pods).toBe(5);
  });

  test('its options are checked by its schema, with the full key', () => {
    expect(problemsOf({ addons: { quota: { pod: 5 } }, sampleWorkloads: false }, { catalog })).toEqual([
      'addons.quota.pod: got 5; allowed: a known key: did you mean "pods"? (keys: pods)',
    ]);
    expect(() => new QuotaAddOn({ pods: 0 })).toThrow(/addons\.quota\.pods: got 0; allowed: an integer from 1 to 100/);
  });

  test('without the registration the id is unknown', () => {
    expect(problemsOf({ addons: 'quota', sampleWorkloads: false })).toEqual([
      expect.stringMatching(/^addons: got "quota"; allowed: an add-on id: metrics-server, storage, /),
    ]);
  });

  test("registerAddOn parses the options before create, which gets the schema's output (defaults applied)", () => {
    const received: { pods: number }[] = [];
    const registration = registerAddOn({
      id: 'sized',
      summary: 'a test add-on',
      options: strictObject({ pods: integer(1, 100).default(10) }, 'an object {pods?}'),
      create: (props) => {
        received.push(props);
        return new FakeAddOn('sized');
      },
    });
    registration.create({});
    registration.create({ pods: 3 });
    expect(received).toEqual([{ pods: 10 }, { pods: 3 }]);
    expect(() => registration.create({ pods: 0, replicas: 2 })).toThrow(ConfigError);
    expect(() => registration.create({ pods: 0, replicas: 2 })).toThrow(/addons\.sized\.pods: got 0;[^]*addons\.sized\.replicas: got 2/);
    expect(received).toHaveLength(2);
  });

  test('an id registered twice is refused', () => {
    expect(() => catalog.with(QuotaAddOn.registration)).toThrow(/catalog: got "quota" twice/);
  });
});

describe('deployment in PlatformStack', () => {
  test('each add-on gets its own scope, and a dependency becomes a CloudFormation DependsOn', () => {
    const { platformTemplate } = synth({ addons: '' }, [new FakeAddOn('app', { dependsOn: ['controller'] }), new FakeAddOn('controller')]);
    const markers = platformTemplate.findResources('AWS::SSM::Parameter');
    const controllerId = Object.keys(markers).find((id) => id.startsWith('AddOnscontroller')) as string;
    const appId = Object.keys(markers).find((id) => id.startsWith('AddOnsapp')) as string;
    expect(markers[appId].DependsOn).toEqual([controllerId]);
    expect(markers[controllerId].DependsOn).toBeUndefined();
  });

  test('add-ons from configuration and from code are resolved together', () => {
    expect(() => synth({ addons: 'metrics-server' }, [new FakeAddOn('metrics-server')])).toThrow(/"metrics-server" is selected twice/);
  });
});

describe('selecting add-ons by configuration', () => {
  test('a sensible default set per compute mode', () => {
    expect(loadConfig({}).addons.map((a) => a.id)).toEqual(DEFAULT_ADDON_IDS.auto);
    expect(loadConfig({ compute: 'nodegroups' }).addons.map((a) => a.id)).toEqual(DEFAULT_ADDON_IDS.nodegroups);
    expect(DEFAULT_ADDON_IDS.auto).toEqual(expect.arrayContaining(['metrics-server', 'storage', 'auto-mode-ingress']));
  });

  test('ids as a list, or an object of id to options; empty means none', () => {
    expect(loadConfig({ addons: 'metrics-server, storage' }).addons).toEqual([
      { id: 'metrics-server', options: {} },
      { id: 'storage', options: {} },
    ]);
    expect(loadConfig({ addons: '{"metrics-server":{"replicas":3}}' }).addons).toEqual([
      { id: 'metrics-server', options: { replicas: 3 } },
    ]);
    expect(loadConfig({ addons: '' }).addons).toEqual([]);
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    [
      'options an add-on requires',
      { addons: '{"external-dns": {}}' },
      /addons\.external-dns\.hostedZoneIds: .*\n.*addons\.external-dns\.domainFilters/,
    ],
    ['unknown id', { addons: 'metrics-server,grafana' }, /addons: got "grafana"; allowed: an add-on id: metrics-server/],
    [
      'bad option',
      { addons: { 'metrics-server': { replicas: 0 } } },
      /addons\.metrics-server\.replicas: got 0; allowed: an integer from 1 to 10/,
    ],
    [
      'unknown option',
      { addons: { storage: { classname: 'x' } } },
      /addons\.storage\.classname: got "x"; allowed: a known key: did you mean "className"\? \(keys: className, ebsCsiDriverVersion\)/,
    ],
    [
      'inexact chart version',
      { addons: { 'metrics-server': { version: '^3.0.0' } } },
      /addons\.metrics-server\.version: got "\^3\.0\.0"; allowed: an exact chart version/,
    ],
    [
      'Auto Mode only add-on on node groups',
      { compute: 'nodegroups', addons: 'auto-mode-ingress' },
      /"auto-mode-ingress" does not support compute=nodegroups/,
    ],
  ])('%s is a configuration error', (_name, context, message) => {
    expect(problemsOf({ sampleWorkloads: false, ...context }).join('\n')).toMatch(message);
  });
});

describe('facetsOf: an add-on that delegates declares what its delivery declares', () => {
  class Delivery extends FakeAddOn {
    readonly checked: string[] = [];
    checkConfiguration(): void {
      this.checked.push(this.id);
    }
  }

  test('values as declared, methods bound to the delivery, absent facets left out', () => {
    const delivery = new Delivery('chart', { namespaces: ['tools'], dependsOn: ['certs'] });
    const facets = facetsOf(delivery);
    expect(facets).toEqual({
      computeModes: ['auto', 'nodegroups'],
      namespaces: ['tools'],
      dependsOn: ['certs'],
      checkConfiguration: expect.any(Function),
    });
    facets.checkConfiguration?.(new Problems(), loadConfig({}), []);
    expect(delivery.checked).toEqual(['chart']);
  });
});
