import { Match } from 'aws-cdk-lib/assertions';

import { CERT_MANAGER_CHART } from '../../addons/cert-manager';
import { KYVERNO_CHART, KYVERNO_POLICIES_CHART } from '../../addons/kyverno';
import { loadConfig } from '../../lib/core/config';
import { synth } from '../helpers';

/**
 * cert-manager and Kyverno were both refused on the former default 1.36: the two add-ons most
 * platforms start with must synthesize on the default, with no kubernetesVersion given.
 */
describe('-c addons=cert-manager,kyverno on the default Kubernetes version', () => {
  const context = { addons: 'cert-manager,kyverno' };
  // Throws a ConfigError naming the add-on when the default is outside its documented range.
  const app = synth(context);
  const { kubernetesVersion } = loadConfig(context);

  test('the cluster runs the default version, which both add-ons document', () => {
    expect(kubernetesVersion).toBe('1.35');
    app.infraTemplate.hasResourceProperties('AWS::EKS::Cluster', { Name: 'dev-eks', Version: kubernetesVersion });
    for (const range of [CERT_MANAGER_CHART.kubernetesVersions, KYVERNO_CHART.kubernetesVersions]) {
      expect(Number(range?.min?.split('.')[1])).toBeLessThanOrEqual(35);
      expect(Number(range?.max?.split('.')[1])).toBeGreaterThanOrEqual(35);
    }
  });

  test('cert-manager is installed from the pinned chart', () => {
    app.platformTemplate.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', {
      Chart: 'cert-manager',
      Repository: 'https://charts.jetstack.io',
      Version: 'v1.21.1',
      Namespace: 'cert-manager',
      Release: 'cert-manager',
      ClusterName: Match.anyValue(),
    });
  });

  test('Kyverno and its policies are installed from the pinned charts, released together', () => {
    for (const chart of [KYVERNO_CHART.chart, KYVERNO_POLICIES_CHART.chart]) {
      app.platformTemplate.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', {
        Chart: chart,
        Repository: 'https://kyverno.github.io/kyverno/',
        Version: '3.9.1',
        Namespace: 'kyverno',
      });
    }
  });
});
