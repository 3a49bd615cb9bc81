import type { Template } from 'aws-cdk-lib/assertions';

import { FIRST_PARTY_ADDONS } from '../addons/catalog';
import { HELM_HANDLER_RESERVE } from '../addons/core/helm-addon';
import { loadConfig } from '../lib/core/config';
import { helmReleases, kubernetesObjects, nagFindings, synth } from './helpers';
import { FULL, fullPlatformContext, REQUIRED_OPTIONS } from './support/full-platform';
import { expectFunctionsLogToOwnGroups } from './support/function-logs';
import { schemaProblems } from './support/kubernetes-schemas';

test('the full selections cover every first-party add-on', () => {
  expect(new Set([...Object.keys(FULL.auto), ...Object.keys(FULL.nodegroups)])).toEqual(new Set(FIRST_PARTY_ADDONS.map((r) => r.id)));
  for (const compute of ['auto', 'nodegroups'] as const) {
    for (const { id, create } of FIRST_PARTY_ADDONS) {
      const addon = create(REQUIRED_OPTIONS[id] ?? {});
      const supported = addon.computeModes.includes(compute) && !(compute === 'auto' && addon.autoModeBuiltIn);
      expect([id, supported]).toEqual([id, id in FULL[compute]]);
    }
  }
});

describe.each(['auto', 'nodegroups'])('every add-on, teams and all workloads on compute=%s', (compute) => {
  // The default Kubernetes version: every first-party add-on must run on it.
  const context = fullPlatformContext(compute);
  const app = synth(context);

  test('configuration accepts it', () => {
    expect(loadConfig(context).addons.map((a) => a.id)).toEqual(Object.keys(FULL[compute]));
  });

  test('every Lambda function of both stacks logs to a log group of its own stack', () => {
    expectFunctionsLogToOwnGroups(app.infraTemplate, 'Delete', 30);
    // The kubectl handler, its framework, the CfnJson resolver (IRSA) and the sample workloads' lookup.
    expect(expectFunctionsLogToOwnGroups(app.platformTemplate, 'Delete', 30).length).toBeGreaterThanOrEqual(4);
  });

  test('zero unacknowledged findings in all four cdk-nag packs', () => {
    expect(nagFindings(app)).toEqual([]);
  });

  test('every rendered Kubernetes object is valid against its schema', () => {
    const objects = kubernetesObjects(app.platformTemplate);
    expect(objects.length).toBeGreaterThan(20);
    expect(schemaProblems(objects)).toEqual([]);
  });

  test('every Helm release waits, rolls back on failure, and ends (rollback included) before its handler', () => {
    const releases = Object.entries(helmReleases(app.platformTemplate));
    expect(releases.length).toBeGreaterThanOrEqual(compute === 'auto' ? 7 : 10);
    // The limit is read from the template: the kubectl handler and the provider framework's onEvent
    // function that invokes it synchronously (the earlier-started one dies first).
    const limit = Math.min(...kubectlLambdaTimeouts(app.platformTemplate));
    expect(limit).toBe(900);
    // A failed release waits up to its timeout once, then up to its timeout again to roll back.
    const fits = (timeout: string | undefined) => 2 * helmSeconds(timeout) + HELM_HANDLER_RESERVE.toSeconds() <= limit;
    expect(releases.map(([name, r]) => ({ name, wait: r.Wait, atomic: r.Atomic, fits: fits(r.Timeout) }))).toEqual(
      releases.map(([name]) => ({ name, wait: true, atomic: true, fits: true })),
    );
  });

  test('every Helm release is recovered from pending-* before its chart runs', () => {
    const recovered = new Map(
      Object.entries(app.platformTemplate.findResources('Custom::HelmReleaseRecovery')).map(([logicalId, r]) => [
        `${r.Properties.Namespace}/${r.Properties.Release}`,
        logicalId,
      ]),
    );
    const releases = Object.entries(helmReleases(app.platformTemplate));
    expect(
      releases.map(([name, r]) => ({ name, runsAfter: r.DependsOn?.includes(recovered.get(`${r.Namespace}/${name}`) ?? '-') })),
    ).toEqual(releases.map(([name]) => ({ name, runsAfter: true })));
    expect(recovered.size).toBe(releases.length);
  });

  test('outputs a participant needs', () => {
    for (const key of ['AppUrlGame2048', 'AppUrlPetstore', 'AppUrlNginx', 'TeamNamespaces', 'KubeconfigCommand']) {
      app.platformTemplate.hasOutput(key, {});
    }
  });
});

/** Seconds of a HelmChart `Timeout` ("360s"); Helm's own default (5 minutes) when it is not set. */
function helmSeconds(timeout: string | undefined): number {
  if (timeout === undefined) return 300;
  const match = /^(\d+)s$/.exec(timeout);
  if (!match) throw new Error(`unexpected Helm timeout ${timeout}`);
  return Number(match[1]);
}

/** Timeouts (seconds) of the kubectl handler and of the provider framework function that invokes it. */
function kubectlLambdaTimeouts(template: Template): number[] {
  const functions = Object.values(template.findResources('AWS::Lambda::Function'))
    .map((f) => f.Properties as { Description?: string; Timeout?: number })
    .filter(
      (p) =>
        p.Description === 'onEvent handler for EKS kubectl resource provider' ||
        ((p.Description ?? '').startsWith('AWS CDK resource provider framework - onEvent (') &&
          (p.Description ?? '').includes('KubectlProvider')),
    );
  expect(functions.length).toBe(2);
  return functions.map((p) => p.Timeout ?? 3);
}
