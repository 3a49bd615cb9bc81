import { join } from 'node:path';

import type { PlatformConfig } from '../lib/core/config';
import { strictObject } from '../lib/core/config';
import { MANAGED_ADDON_OPTIONS, ManagedAddOn } from './core/managed-addon';
import type { OptionsInput } from './core/options';
import { addOnOptions } from './core/options';
import type { PodSet } from './core/pod-sets';
import { podRequests, TOLERATE_EVERYTHING } from './core/pod-sets';
import type { AddOnRegistration } from './core/registration';
import { registerAddOn } from './core/registration';

/*
 * Sources (read 2026-12-01), all from the EKS user guide (awsdocs/amazon-eks-user-guide):
 * - latest/ug/workloads/workloads-add-ons-available-eks.adoc, #add-ons-eks-node-monitoring-agent: the
 *   add-on name `eks-node-monitoring-agent`, "doesn't require additional permissions", and "You do not
 *   need to install this add-on on Amazon EKS Auto Mode clusters".
 * - latest/ug/nodes/node-health.adoc: the agent is "included as a capability for all Amazon EKS Auto
 *   Mode clusters"; paired with node auto repair, repair also reacts to KernelReady, NetworkingReady and
 *   StorageReady.
 * - Namespace kube-system: the agent's chart installs there (aws/eks-node-monitoring-agent
 *   charts/eks-node-monitoring-agent/README.md, `--namespace kube-system`); the EKS add-on is built from
 *   that chart.
 * No configuration value is set: the EKS guide (node-health-nma.adoc) documents `monitoringAgent.*` keys
 * while the chart's configuration schema (charts/configuration.schema.json) names them `nodeAgent.*`, so
 * pass `configurationValues` only after checking `aws eks describe-addon-configuration`.
 */

/** Options of {@link NodeMonitoringAddOn}, in configuration and in code. */
export const NODE_MONITORING_OPTIONS = strictObject(
  {
    ...MANAGED_ADDON_OPTIONS,
  },
  'an object {version?, configurationValues?}',
);

/** Props for {@link NodeMonitoringAddOn}. */
export type NodeMonitoringAddOnProps = OptionsInput<typeof NODE_MONITORING_OPTIONS>;

/**
 * The EKS node monitoring agent (EKS managed add-on `eks-node-monitoring-agent`) on managed node
 * groups: a DaemonSet that reads node logs and sets node conditions (KernelReady, NetworkingReady,
 * StorageReady, ...), which the node groups' auto repair acts on. Needs no AWS permissions.
 */
export class NodeMonitoringAddOn extends ManagedAddOn {
  static readonly ID = 'node-monitoring';
  static readonly registration: AddOnRegistration = registerAddOn({
    id: NodeMonitoringAddOn.ID,
    summary: 'EKS node monitoring agent (node health conditions for node auto repair), as the EKS add-on',
    options: NODE_MONITORING_OPTIONS,
    create: (props) => new NodeMonitoringAddOn(props),
    docs: { prose: join(__dirname, 'node-monitoring.md') },
  });

  readonly id = NodeMonitoringAddOn.ID;
  readonly computeModes = ['nodegroups'] as const;
  readonly namespaces = ['kube-system'];
  readonly autoModeBuiltIn =
    'every EKS Auto Mode cluster already runs the node monitoring agent and repairs its nodes; remove "node-monitoring" ' +
    '(it is only for managed node groups, -c compute=nodegroups).';

  constructor(props: NodeMonitoringAddOnProps = {}) {
    super('eks-node-monitoring-agent', addOnOptions(NodeMonitoringAddOn.ID, NODE_MONITORING_OPTIONS, props));
  }

  /**
   * The agent's DaemonSet, on every node (aws/eks-node-monitoring-agent
   * charts/eks-node-monitoring-agent/values.yaml: `nodeAgent.resources.requests` 10m/30Mi,
   * `nodeAgent.tolerations` [{operator: Exists}]).
   */
  podSets(_config: PlatformConfig): PodSet[] {
    return [
      {
        name: 'eks-node-monitoring-agent',
        replicas: 'per-node',
        requests: podRequests('10m', '30Mi'),
        nodeSelector: {},
        tolerations: TOLERATE_EVERYTHING,
        source: 'the eks-node-monitoring-agent chart values.yaml (nodeAgent.resources, nodeAgent.tolerations)',
      },
    ];
  }
}
