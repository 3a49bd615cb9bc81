import type { ConfigError, WorkloadsConfig } from '../../lib/core/config';
import { hasWorkloads, NO_WORKLOADS, Problems, readConfig } from '../../lib/core/config';
import { composePlan } from '../../lib/stacks/plan';

const ZONE = { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' };
interface WorkloadDefaults {
  readonly sampleWorkloads: boolean;
}
const WORKSHOP: WorkloadDefaults = { sampleWorkloads: true };
const PRODUCTION: WorkloadDefaults = { sampleWorkloads: false };

/** The workloads read from the `workloads` key `raw`, and the problems reported. */
function read(raw: unknown, defaults: WorkloadDefaults = WORKSHOP): { workloads: WorkloadsConfig; problems: readonly string[] } {
  const p = new Problems();
  const { workloads } = readConfig(p, { ...defaults, ...(raw === undefined ? {} : { workloads: raw }) });
  try {
    p.throwIfAny();
    return { workloads, problems: [] };
  } catch (error) {
    return { workloads, problems: (error as ConfigError).problems };
  }
}

/** The problems of composing a plan: workloads checked against the add-ons actually present. */
function planProblems(context: Record<string, unknown>): readonly string[] {
  try {
    composePlan(context);
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
}

describe('defaults', () => {
  test('workshop (sampleWorkloads true): game2048 and petstore (internal, API Gateway), no nginx', () => {
    expect(read(undefined)).toEqual({
      workloads: { game2048: true, petstore: { enabled: true, internal: true, apiGateway: true } },
      problems: [],
    });
  });

  test('production (sampleWorkloads false): nothing', () => {
    const { workloads } = read(undefined, PRODUCTION);
    expect(workloads).toEqual(NO_WORKLOADS);
    expect(hasWorkloads(workloads)).toBe(false);
  });

  test('keys left out keep their defaults; nginx adds to them', () => {
    const { workloads, problems } = read({ nginx: ZONE });
    expect(problems).toEqual([]);
    expect(workloads).toEqual({
      game2048: true,
      petstore: { enabled: true, internal: true, apiGateway: true },
      nginx: { ...ZONE, hostname: 'nginx.example.com' },
    });
  });
});

describe('values', () => {
  test('booleans, also as the strings the command line passes', () => {
    expect(read({ game2048: 'false', petstore: false }).workloads).toEqual({
      game2048: false,
      petstore: { enabled: false, internal: true, apiGateway: true },
    });
    expect(read({ petstore: 'true' }, PRODUCTION).workloads.petstore.enabled).toBe(true);
  });

  test('petstore options: an object enables petstore even when the profile does not', () => {
    expect(read({ petstore: { internal: false, apiGateway: 'false' } }, PRODUCTION).workloads).toEqual({
      game2048: false,
      petstore: { enabled: true, internal: false, apiGateway: false },
    });
    expect(read({ petstore: { enabled: false } }).workloads.petstore.enabled).toBe(false);
  });

  test('JSON text from -c workloads=...', () => {
    const { workloads, problems } = read(JSON.stringify({ game2048: false, nginx: { ...ZONE, hostname: 'www.example.com' } }));
    expect(problems).toEqual([]);
    expect(workloads.game2048).toBe(false);
    expect(workloads.nginx).toEqual({ ...ZONE, hostname: 'www.example.com' });
  });

  test('nginx on the zone apex, and nginx explicitly off', () => {
    expect(read({ nginx: { ...ZONE, hostname: 'example.com' } }).workloads.nginx?.hostname).toBe('example.com');
    expect(read({ nginx: false }).workloads.nginx).toBeUndefined();
  });

  test('hasWorkloads', () => {
    expect(hasWorkloads(read({ game2048: false, petstore: false, nginx: ZONE }).workloads)).toBe(true);
    expect(hasWorkloads(read({ game2048: false, petstore: false }).workloads)).toBe(false);
  });
});

describe('problems name the key, the value and what is allowed', () => {
  test('not an object, and invalid JSON', () => {
    expect(read(['game2048']).problems).toEqual([
      expect.stringMatching(/^workloads: got \["game2048"\]; allowed: a JSON object \{"game2048"/),
    ]);
    expect(read('{game2048: true').problems).toEqual(['workloads: got "{game2048: true"; allowed: valid JSON']);
  });

  test('unknown keys, at every level', () => {
    expect(read({ game2084: true, petstore: { internl: false } }).problems).toEqual([
      'workloads.petstore.internl: got false; allowed: a known key: did you mean "internal"? (keys: enabled, internal, apiGateway)',
      'workloads.game2084: got true; allowed: a known key: did you mean "game2048"? (keys: game2048, petstore, nginx)',
    ]);
  });

  test('bad booleans', () => {
    expect(read({ game2048: 'yes', petstore: { internal: 'no', apiGateway: 1 } }).problems).toEqual([
      'workloads.game2048: got "yes"; allowed: true, false',
      'workloads.petstore.internal: got "no"; allowed: true, false',
      'workloads.petstore.apiGateway: got 1; allowed: true, false',
    ]);
    expect(read({ petstore: 'internal' }).problems).toEqual([
      'workloads.petstore: got "internal"; allowed: true, false, or an object {"enabled": true|false, "internal": true|false, "apiGateway": true|false}',
    ]);
  });

  test('nginx: zone id, zone name, host name outside the zone or too long for ACM', () => {
    const { workloads, problems } = read({
      nginx: { hostedZoneId: '/hostedzone/Z0123', zoneName: 'Example.com.', hostname: 'nginx.example.org' },
    });
    expect(workloads.nginx).toBeUndefined();
    expect(problems).toEqual([
      'workloads.nginx.hostedZoneId: got "/hostedzone/Z0123"; allowed: a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ (without /hostedzone/)',
      'workloads.nginx.zoneName: got "Example.com."; allowed: the hosted zone\'s lower-case domain name without a trailing dot, e.g. example.com',
    ]);
    expect(read({ nginx: { ...ZONE, hostname: 'nginx.example.org' } }).problems).toEqual([
      'workloads.nginx.hostname: got "nginx.example.org"; allowed: a lower-case host name in the zone (example.com or ending in ".example.com"), ' +
        "at most 64 characters (the ACM certificate's limit), e.g. nginx.example.com",
    ]);
    const long = `${'a'.repeat(60)}.example.com`;
    expect(read({ nginx: { ...ZONE, hostname: long } }).problems).toEqual([
      expect.stringMatching(
        /^workloads\.nginx\.hostname: got "a{60}\.example\.com"; .*at most 64 characters \(the ACM certificate's limit\)/,
      ),
    ]);
    expect(read({ nginx: 'example.com' }).problems).toEqual([
      expect.stringMatching(/^workloads\.nginx: got "example\.com"; allowed: an object \{"hostedZoneId"/),
    ]);
    expect(read({ nginx: { zoneName: 'example.com' } }).problems).toEqual([
      expect.stringMatching(/^workloads\.nginx\.hostedZoneId: got undefined;/),
    ]);
  });
});

describe('nginx needs external-dns (checked against the add-ons of the plan)', () => {
  const nginxOnly = (addons: unknown): Record<string, unknown> => ({ sampleWorkloads: false, workloads: { nginx: ZONE }, addons });

  test('not selected', () => {
    expect(planProblems(nginxOnly('storage'))).toEqual([
      'workloads.nginx: got true; allowed: with compute=auto only together with the "external-dns" add-on (external-dns publishes its host name in Route 53): ' +
        'add it, or turn the workload off in the workloads key',
    ]);
  });

  test('selected, managing the zone and the domain: no problem (lists as JSON or comma-separated)', () => {
    expect(
      planProblems(
        nginxOnly({ storage: true, 'external-dns': { hostedZoneIds: ['Z0123456789ABCDEFGHIJ'], domainFilters: ['example.com'] } }),
      ),
    ).toEqual([]);
    expect(
      planProblems(nginxOnly({ 'external-dns': { hostedZoneIds: 'ZOTHER,Z0123456789ABCDEFGHIJ', domainFilters: 'nginx.example.com' } })),
    ).toEqual([]);
  });

  test('selected, but another zone and another domain', () => {
    expect(planProblems(nginxOnly({ 'external-dns': { hostedZoneIds: ['ZOTHER'], domainFilters: ['apps.example.com'] } }))).toEqual([
      'workloads.nginx.hostedZoneId: got "Z0123456789ABCDEFGHIJ"; allowed: a hosted zone external-dns manages (addons.external-dns.hostedZoneIds: ZOTHER)',
      'workloads.nginx.hostname: got "nginx.example.com"; allowed: a name inside the external-dns domain filters (addons.external-dns.domainFilters: apps.example.com)',
    ]);
  });

  test('game-2048 and petstore need their controllers: every missing one is listed', () => {
    expect(planProblems({ compute: 'nodegroups', addons: 'storage', sampleWorkloads: true })).toEqual([
      expect.stringMatching(
        /^workloads\.game2048: got true; allowed: with compute=nodegroups only together with the "aws-load-balancer-controller" add-on \(its Ingress needs the alb IngressClass/,
      ),
      expect.stringMatching(
        /^workloads\.petstore: got true; allowed: with compute=nodegroups only together with the "aws-load-balancer-controller" add-on \(its NLB Service/,
      ),
    ]);
  });
});
