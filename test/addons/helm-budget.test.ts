import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { HELM_HANDLER_RESERVE, HELM_RELEASE_TIMEOUT, KUBECTL_HANDLER_LIMIT } from '../../addons/core/helm-addon';

/**
 * The premises of HELM_RELEASE_TIMEOUT, read from the installed packages: when aws-cdk-lib or a
 * kubectl layer changes them, the budget has to be derived again (full-platform.test.ts checks
 * every release against the handler limits of the synthesized template).
 */
const HANDLER = join(
  dirname(require.resolve('aws-cdk-lib/package.json')),
  'custom-resource-handlers',
  'dist',
  'aws-eks-v2',
  'kubectl-handler',
  'helm',
  '__init__.py',
);

/** Helm versions whose `--atomic` was checked (in their pkg/cmd/upgrade.go) to be `--rollback-on-failure`. */
const CHECKED_HELM = ['4.1.4', '4.2.3'];

test('a failed release takes two waits of the timeout, and both fit the handler with its reserve', () => {
  expect(2 * HELM_RELEASE_TIMEOUT.toSeconds() + HELM_HANDLER_RESERVE.toSeconds()).toBeLessThanOrEqual(KUBECTL_HANDLER_LIMIT.toSeconds());
  expect(HELM_RELEASE_TIMEOUT.toMinutes()).toBe(6);
});

test('the handler passes --wait, --timeout and --atomic to helm upgrade --install', () => {
  const handler = readFileSync(HANDLER, 'utf8');
  for (const flag of [
    "cmnd.append('--install')",
    "cmnd.append('--wait')",
    "cmnd.extend(['--timeout', timeout])",
    "cmnd.append('--atomic')",
  ]) {
    expect(handler).toContain(flag);
  }
});

test.each(['v34', 'v35', 'v36'])('the pinned kubectl layer %s ships a Helm whose --atomic was checked', (layer) => {
  const dockerfile = readFileSync(
    join(dirname(require.resolve(`@aws-cdk/lambda-layer-kubectl-${layer}/package.json`)), 'layer', 'Dockerfile'),
    'utf8',
  );
  const helm = /^ARG HELM_VERSION=(\S+)$/m.exec(dockerfile)?.[1];
  expect(CHECKED_HELM).toContain(helm);
});
