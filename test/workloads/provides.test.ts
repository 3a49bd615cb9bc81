import { CfnResource } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

import { AutoModeIngressAddOn } from '../../addons/auto-mode-ingress';
import type { AddOnContext, PlatformAddOn } from '../../addons/core/addon';
import type { ProvidedCapabilities } from '../../addons/core/provides';
import { ExternalDnsAddOn } from '../../addons/external-dns';
import type { WorkloadsConfig } from '../../lib/core/config';
import { ConfigError } from '../../lib/core/config';
import { composePlan } from '../../lib/stacks/plan';
import { buildWorkloads } from './build';

/*
 * The workloads ask the plan's add-ons what they provide, never their class: a consumer's add-on
 * that declares the same capability serves a workload exactly like the first-party one.
 */

const ZONE = 'Z0123456789ABCDEFGHIJ';
const OTHER_ZONE = 'Z9999999999999999999';
const NGINX = { hostedZoneId: ZONE, zoneName: 'example.com', hostname: 'nginx.example.com' };
const GAME_ONLY: WorkloadsConfig = { game2048: true, petstore: { enabled: false, internal: true, apiGateway: true } };
const NGINX_ONLY: WorkloadsConfig = { game2048: false, petstore: { enabled: false, internal: true, apiGateway: true }, nginx: NGINX };

/** A consumer's add-on that declares what it provides and records one resource. */
class ProvidingAddOn implements PlatformAddOn {
  readonly computeModes = ['auto', 'nodegroups'] as const;
  readonly namespaces = [];

  constructor(
    readonly id: string,
    readonly provides: ProvidedCapabilities,
  ) {}

  deploy(scope: Construct, _context: AddOnContext): void {
    new CfnResource(scope, 'Marker', { type: 'AWS::SSM::Parameter', properties: { Type: 'String', Value: this.id } });
  }
}

/** The problems of composing a plan with `workloads` and the add-ons passed in code. */
function problemsOf(workloads: WorkloadsConfig, addons: readonly PlatformAddOn[], compute = 'auto'): readonly string[] {
  try {
    composePlan({ compute, addons: '', sampleWorkloads: false, workloads }, { addons });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('an IngressClass or load balancer class from any add-on', () => {
  test('a consumer add-on that provides the alb IngressClass serves game-2048 on Auto Mode', () => {
    expect(problemsOf(GAME_ONLY, [new ProvidingAddOn('my-ingress', { ingressClasses: ['alb'] })])).toEqual([]);
  });

  test('one that provides another class does not', () => {
    expect(problemsOf(GAME_ONLY, [new ProvidingAddOn('my-ingress', { ingressClasses: ['web'] })])).toEqual([
      expect.stringMatching(/^workloads\.game2048: got true; allowed: with compute=auto only together with the "auto-mode-ingress" add-on/),
    ]);
  });

  // Reproduced bug: the plan accepted auto-mode-ingress by id, though with another className no
  // IngressClass alb exists and game-2048's load balancer would never be built.
  test('auto-mode-ingress with another className is selected but does not serve game-2048', () => {
    expect(problemsOf(GAME_ONLY, [new AutoModeIngressAddOn({ className: 'web' })])).toEqual([
      'workloads.game2048: got true; allowed: with compute=auto only together with an add-on that provides the alb IngressClass (its Ingress needs ' +
        'the alb IngressClass of Auto Mode); the selected "auto-mode-ingress" add-on does not, as configured: change its options, or turn the workload off in the workloads key',
    ]);
    expect(problemsOf(GAME_ONLY, [new AutoModeIngressAddOn({ className: 'alb' })])).toEqual([]);
  });

  test('on node groups, the NLB class and the IngressClass may come from a consumer add-on', () => {
    const workloads: WorkloadsConfig = { game2048: true, petstore: { enabled: true, internal: true, apiGateway: true } };
    const both = new ProvidingAddOn('my-lb', { ingressClasses: ['alb'], loadBalancerClasses: ['service.k8s.aws/nlb'] });
    expect(problemsOf(workloads, [both], 'nodegroups')).toEqual([]);
    expect(problemsOf(workloads, [new ProvidingAddOn('my-lb', { ingressClasses: ['alb'] })], 'nodegroups')).toEqual([
      expect.stringMatching(
        /^workloads\.petstore: got true; allowed: with compute=nodegroups only together with the "aws-load-balancer-controller" add-on \(its NLB Service/,
      ),
    ]);
  });

  test("the workload depends on the providing add-on's scope, so its load balancer is deleted first", () => {
    const app = buildWorkloads('auto', [new ProvidingAddOn('my-ingress', { ingressClasses: ['alb'] })], GAME_ONLY);
    const resources = app.platformTemplate.toJSON().Resources as Record<string, { DependsOn?: string[] }>;
    const marker = Object.keys(app.platformTemplate.findResources('AWS::SSM::Parameter')).filter((id) => id.startsWith('AddOnsmyingress'));
    const manifest = Object.keys(resources).filter((id) => /^WorkloadsGame2048Manifest[0-9A-F]{8}$/.test(id));
    expect(marker).toHaveLength(1);
    expect(manifest).toHaveLength(1);
    expect(resources[manifest[0]].DependsOn).toEqual(marker);
  });
});

describe('DNS records from any add-on', () => {
  const dns = (id: string, hostedZoneIds: string[], domainFilters: string[]) =>
    new ProvidingAddOn(id, { dnsRecords: { hostedZoneIds, domainFilters } });

  test('a consumer add-on that publishes records in the zone serves nginx', () => {
    expect(problemsOf(NGINX_ONLY, [dns('my-dns', [ZONE], ['example.com'])])).toEqual([]);
  });

  test("its zones and domains are checked like external-dns's, under its own id", () => {
    expect(problemsOf(NGINX_ONLY, [dns('my-dns', [OTHER_ZONE], ['example.org'])])).toEqual([
      `workloads.nginx.hostedZoneId: got "${ZONE}"; allowed: a hosted zone my-dns manages (addons.my-dns.hostedZoneIds: ${OTHER_ZONE})`,
      'workloads.nginx.hostname: got "nginx.example.com"; allowed: a name inside the my-dns domain filters (addons.my-dns.domainFilters: example.org)',
    ]);
  });

  test('external-dns declares its zones and domains as what it provides', () => {
    const externalDns = new ExternalDnsAddOn({ hostedZoneIds: [ZONE], domainFilters: ['example.com'] });
    expect(externalDns.provides).toEqual({ dnsRecords: { hostedZoneIds: [ZONE], domainFilters: ['example.com'] } });
    expect(problemsOf(NGINX_ONLY, [new ExternalDnsAddOn({ hostedZoneIds: [OTHER_ZONE], domainFilters: ['example.com'] })])).toEqual([
      `workloads.nginx.hostedZoneId: got "${ZONE}"; allowed: a hosted zone external-dns manages (addons.external-dns.hostedZoneIds: ${OTHER_ZONE})`,
    ]);
  });

  test('with two providers, the one that manages the zone must also cover the name', () => {
    const addons = [dns('dns-a', [ZONE], ['example.org']), dns('dns-b', [OTHER_ZONE], ['example.com'])];
    expect(problemsOf(NGINX_ONLY, addons)).toEqual([
      'workloads.nginx.hostname: got "nginx.example.com"; allowed: a name inside the dns-a domain filters (addons.dns-a.domainFilters: example.org)',
    ]);
  });
});
