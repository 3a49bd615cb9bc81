import { Match } from 'aws-cdk-lib/assertions';

import { NodeMonitoringAddOn } from '../../addons/node-monitoring';
import { ConfigError } from '../../lib/core/config';
import { composePlan } from '../../lib/stacks/plan';
import { buildTestApp, nagFindings, synth } from '../helpers';
import { deployAlone } from '../support/addon-fixture';

describe('node-monitoring', () => {
  const app = deployAlone(new NodeMonitoringAddOn(), { compute: 'nodegroups' });

  test("the EKS add-on at EKS's default version, with no Pod Identity (it needs no AWS permissions)", () => {
    app.template.resourceCountIs('AWS::EKS::Addon', 1);
    app.template.hasResourceProperties('AWS::EKS::Addon', {
      AddonName: 'eks-node-monitoring-agent',
      ClusterName: { 'Fn::ImportValue': 'dev-infra:ClusterName' },
      AddonVersion: Match.absent(),
      ConfigurationValues: Match.absent(),
    });
    app.template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 0);
    app.template.resourceCountIs('AWS::IAM::Role', 1); // the kubectl handler framework's only
  });

  // InfraStack's node groups: a whole-app test.
  test('the node groups it feeds have node auto repair on', () => {
    synth({ compute: 'nodegroups', addons: 'node-monitoring' }).infraTemplate.hasResourceProperties('AWS::EKS::Nodegroup', {
      NodeRepairConfig: { Enabled: true },
    });
  });

  test('on by default with node groups, not with Auto Mode', () => {
    const byDefault = (compute: string) => composePlan({ compute }).addons.map((a) => a.id);
    expect(byDefault('nodegroups')).toContain('node-monitoring');
    expect(byDefault('auto')).not.toContain('node-monitoring');
  });

  test('refused on Auto Mode, which has the agent built in', () => {
    expect(() => buildTestApp({ addons: 'node-monitoring' })).toThrow(ConfigError);
    expect(() => buildTestApp({ addons: 'node-monitoring' })).toThrow(
      /"node-monitoring" is built into EKS Auto Mode: every EKS Auto Mode cluster already runs the node monitoring agent/,
    );
  });

  test('rejects bad options', () => {
    expect(() => new NodeMonitoringAddOn({ version: 'latest' })).toThrow(/addons\.node-monitoring\.version: got "latest"/);
    expect(() => NodeMonitoringAddOn.registration.create({ replicas: 2 })).toThrow(/addons\.node-monitoring\.replicas/);
  });

  test('zero unacknowledged nag findings', () => {
    expect(nagFindings(app)).toEqual([]);
  });
});
