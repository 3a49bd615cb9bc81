import type { Construct } from 'constructs';
import { CfnResource } from 'aws-cdk-lib';
import type { AddOnContext, PlatformAddOn } from '../../addons/core/addon';
import { AddOnSelectionError, resolveAddOns } from '../../addons/core/resolve';
import { DEFAULT_ADDONS } from '../../addons/catalog';
import { ConfigError, loadConfig } from '../../lib/config';
import type { ComputeMode } from '../../lib/config';
import { synth } from '../helpers';

/** A minimal add-on that records one resource, for the contract's rules. */
class FakeAddOn implements PlatformAddOn {
  readonly computeModes: readonly ComputeMode[];
  readonly dependsOn?: readonly string[];
  readonly conflictsWith?: readonly string[];
  readonly autoModeBuiltIn?: string;

  constructor(readonly id: string, props: Partial<Pick<PlatformAddOn, 'computeModes' | 'dependsOn' | 'conflictsWith' | 'autoModeBuiltIn'>> = {}) {
    this.computeModes = props.computeModes ?? ['auto', 'nodegroups'];
    this.dependsOn = props.dependsOn;
    this.conflictsWith = props.conflictsWith;
    this.autoModeBuiltIn = props.autoModeBuiltIn;
  }

  deploy(scope: Construct, _context: AddOnContext): void {
    new CfnResource(scope, 'Marker', { type: 'AWS::SSM::Parameter', properties: { Type: 'String', Value: this.id } });
  }
}

const ids = (addons: PlatformAddOn[]) => addons.map((a) => a.id);

describe('resolveAddOns', () => {
  test('orders add-ons after their dependencies, otherwise keeping the given order', () => {
    const order = resolveAddOns([
      new FakeAddOn('app', { dependsOn: ['controller', 'certs'] }),
      new FakeAddOn('metrics'),
      new FakeAddOn('controller', { dependsOn: ['certs'] }),
      new FakeAddOn('certs'),
    ], 'auto');
    expect(ids(order)).toEqual(['certs', 'controller', 'app', 'metrics']);
  });

  test.each<[string, PlatformAddOn[], ComputeMode, RegExp]>([
    ['missing dependency', [new FakeAddOn('app', { dependsOn: ['controller'] })], 'auto', /"app" depends on "controller", which is not selected: add "controller"/],
    ['conflict', [new FakeAddOn('a', { conflictsWith: ['b'] }), new FakeAddOn('b')], 'auto', /"a" conflicts with "b": select only one of them/],
    ['duplicate', [new FakeAddOn('a'), new FakeAddOn('a')], 'auto', /"a" is selected twice/],
    ['built into Auto Mode', [new FakeAddOn('lbc', { computeModes: ['nodegroups'], autoModeBuiltIn: 'use auto-mode-ingress instead' })], 'auto', /"lbc" is built into EKS Auto Mode: use auto-mode-ingress instead/],
    ['unsupported compute mode', [new FakeAddOn('ingress', { computeModes: ['auto'] })], 'nodegroups', /"ingress" does not support compute=nodegroups \(it supports auto\)/],
    ['cycle', [new FakeAddOn('a', { dependsOn: ['b'] }), new FakeAddOn('b', { dependsOn: ['a'] })], 'auto', /dependency cycle: "a" -> "b" -> "a"/],
  ])('%s fails with advice', (_name, addons, compute, message) => {
    expect(() => resolveAddOns(addons, compute)).toThrow(AddOnSelectionError);
    expect(() => resolveAddOns(addons, compute)).toThrow(message);
  });

  test('every problem is reported at once', () => {
    expect(() => resolveAddOns([
      new FakeAddOn('a', { dependsOn: ['x'] }),
      new FakeAddOn('b', { computeModes: ['nodegroups'] }),
      new FakeAddOn('a'),
    ], 'auto')).toThrow(/3 problems/);
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
    expect(loadConfig({}).addons.map((a) => a.id)).toEqual(DEFAULT_ADDONS.auto);
    expect(loadConfig({ compute: 'nodegroups' }).addons.map((a) => a.id)).toEqual(DEFAULT_ADDONS.nodegroups);
    expect(DEFAULT_ADDONS.auto).toEqual(expect.arrayContaining(['metrics-server', 'storage', 'auto-mode-ingress']));
  });

  test('ids as a list, or an object of id to options; empty means none', () => {
    expect(loadConfig({ addons: 'metrics-server, storage' }).addons).toEqual([
      { id: 'metrics-server', options: {} }, { id: 'storage', options: {} },
    ]);
    expect(loadConfig({ addons: '{"metrics-server":{"replicas":3}}' }).addons).toEqual([{ id: 'metrics-server', options: { replicas: 3 } }]);
    expect(loadConfig({ addons: '' }).addons).toEqual([]);
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    ['options an add-on requires', { addons: '{"external-dns": {}}' }, /addons\.external-dns\.hostedZoneIds: .*\n.*addons\.external-dns\.domainFilters/],
    ['unknown id', { addons: 'metrics-server,prometheus' }, /addons: got "prometheus"; allowed: an add-on id: metrics-server/],
    ['bad option', { addons: { 'metrics-server': { replicas: 0 } } }, /addons\.metrics-server\.replicas: got 0; allowed: an integer from 1 to 10/],
    ['unknown option', { addons: { storage: { classname: 'x' } } }, /addons\.storage\.classname: got "x"; allowed: one of the options className, ebsCsiDriverVersion/],
    ['inexact chart version', { addons: { 'metrics-server': { version: '^3.0.0' } } }, /addons\.metrics-server\.version: got "\^3\.0\.0"; allowed: an exact chart version/],
    ['Auto Mode only add-on on node groups', { compute: 'nodegroups', addons: 'auto-mode-ingress' }, /"auto-mode-ingress" does not support compute=nodegroups/],
  ])('%s is a configuration error', (_name, context, message) => {
    expect(() => loadConfig(context)).toThrow(ConfigError);
    expect(() => loadConfig(context)).toThrow(message);
  });
});
