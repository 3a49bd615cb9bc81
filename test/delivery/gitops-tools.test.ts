import { estimateEnvironment } from '../../lib/tools/cost';
import { cdkJsonContext } from '../../scripts/cdk-json';
import { architectureDot } from '../../scripts/diagram/architecture';

/*
 * The tools on the gitops form: the cost estimate and the picture read the same plan and
 * templates, so an Application in place of a Helm release must neither break nor skew them.
 */
const CONTEXT = { ...cdkJsonContext(), addons: 'metrics-server,storage,auto-mode-ingress,argo-cd' };
const TODAY = '2026-12-07';

describe('the tools on delivery gitops', () => {
  test('npm run cost prices the same lines as in helm delivery: nothing priced depends on where the chart runs', () => {
    const helm = estimateEnvironment(CONTEXT, { today: TODAY });
    const gitops = estimateEnvironment({ ...CONTEXT, delivery: 'gitops' }, { today: TODAY });
    expect(gitops.lines).toEqual(helm.lines);
    expect(gitops.totals).toEqual(helm.totals);
  });

  test('npm run diagram draws each Argo CD-delivered add-on with its Application', () => {
    const helm = architectureDot(CONTEXT);
    const gitops = architectureDot({ ...CONTEXT, delivery: 'gitops' });
    expect(helm).not.toContain('Application argocd/metrics-server');
    expect(helm).toContain('<b>Helm metrics-server');
    expect(gitops).toContain('Application argocd/metrics-server');
    expect(gitops).not.toContain('<b>Helm metrics-server');
    // Argo CD's own chart stays a Helm release in both.
    expect(gitops).toContain('<b>Helm argo-cd 10.1.2</b>');
  });
});
