import { ARGO_CD_CHART, ArgoCdAddOn } from '../../addons/argo-cd';
import { OPS_NODE_GROUP } from '../../lib/core/config';
import { composePlan } from '../../lib/stacks/plan';
import { addOnPage } from '../../lib/tools/docs/addon-pages';
import { ROOT } from '../../scripts/docs/reference';
import { kubernetesObjects, problemLines } from '../helpers';
import { deployAlone } from '../support/addon-fixture';

/*
 * The argo-cd add-on is a choice between two deliveries, the Helm chart and the EKS Capability:
 * each form carries the facts of its own delivery and builds nothing of the other.
 */

const IDC = { instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef' };
const REPO = 'https://github.com/example/platform-gitops';

describe('self-managed: the Helm chart', () => {
  const addon = new ArgoCdAddOn({ bootstrap: { repoUrl: REPO, path: 'apps' } });

  test('declares the chart, its namespace, and no check of capability settings', () => {
    expect(addon.managed).toBe(false);
    expect(addon.chart).toEqual(ARGO_CD_CHART);
    expect(addon.namespaces).toEqual(['argocd']);
    // Its one check is where its pods go with delivery gitops on node groups (test/delivery).
    const elsewhere = composePlan({
      compute: 'nodegroups',
      nodeGroups: [{ ...OPS_NODE_GROUP, labels: {} }],
      addons: '',
      sampleWorkloads: false,
    }).config;
    expect(problemLines((p) => addon.checkConfiguration?.(p, elsewhere, [addon]))).toEqual([]);
  });

  test('builds the release and its bootstrap, no capability', () => {
    const { template } = deployAlone(addon);
    template.resourceCountIs('Custom::AWSCDK-EKS-HelmChart', 1);
    template.resourceCountIs('AWS::EKS::Capability', 0);
    expect(kubernetesObjects(template).map((o) => o.kind)).toEqual(['Application']);
  });
});

describe('managed: the EKS Capability', () => {
  const addon = new ArgoCdAddOn({ managed: true, identityCenter: IDC, namespace: 'gitops', bootstrap: { repoUrl: REPO, path: 'apps' } });

  test('declares no chart and no chart version range, its own namespace and the Identity Center check', () => {
    expect(addon.managed).toBe(true);
    expect(addon.chart).toBeUndefined();
    expect(addon.kubernetesVersions).toBeUndefined();
    expect(addon.namespaces).toEqual(['gitops']);
    expect(addon.checkConfiguration).toEqual(expect.any(Function));
  });

  test('builds the capability and its bootstrap, no Helm release', () => {
    const { template } = deployAlone(addon);
    template.resourceCountIs('AWS::EKS::Capability', 1);
    template.resourceCountIs('Custom::AWSCDK-EKS-HelmChart', 0);
    template.resourceCountIs('Custom::HelmReleaseRecovery', 0);
    expect(kubernetesObjects(template).map((o) => o.kind)).toContain('Application');
  });

  test('the bootstrap object defaults to the capability namespace', () => {
    expect(addon.bootstrapObject('arn:aws:eks:eu-west-1:111122223333:cluster/dev')).toMatchObject({
      metadata: { namespace: 'gitops' },
      spec: { destination: { server: 'arn:aws:eks:eu-west-1:111122223333:cluster/dev', namespace: 'gitops' } },
    });
  });

  // The registration parses configuration before the add-on checks which options belong to which
  // delivery: a schema default on a chart option would make every configured managed form fail here.
  test('configuration picks the same delivery, the chart options left out', () => {
    const configured = ArgoCdAddOn.registration.create({ managed: 'true', identityCenter: IDC }) as ArgoCdAddOn;
    expect([configured.managed, configured.chart, configured.namespaces]).toEqual([true, undefined, ['argocd']]);
  });

  test("its generated page names no chart, as the delivery's facts say", () => {
    const page = addOnPage({ ...ArgoCdAddOn.registration, docs: { example: { managed: true, identityCenter: IDC } } }, ROOT);
    expect(page).toContain('| installs | AWS resources and Kubernetes objects (no chart) |');
    expect(page).not.toContain('argo-helm');
  });
});
