import type { CfnAccessEntry } from 'aws-cdk-lib/aws-eks';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';

import type { AccessPolicyName, TeamAccess, TeamConfig } from '../../core/config';
import { teamKubernetesGroup } from '../../core/config';
import { principalId } from '../infra/access-entries';
import { teamNamespaceObjects } from './team-manifests';

/** Props for {@link ApplicationTeam}. */
export interface ApplicationTeamProps {
  readonly cluster: eks.ICluster;
  /** The team, validated (unique principals and namespaces across the app). */
  readonly team: TeamConfig;
}

const ACCESS_POLICY: Readonly<Record<TeamAccess, AccessPolicyName>> = {
  admin: 'AmazonEKSAdminPolicy',
  edit: 'AmazonEKSEditPolicy',
  view: 'AmazonEKSViewPolicy',
};

/**
 * An application team: its namespaces with quota, default limits and network isolation, and a
 * namespace-scoped EKS access entry for each of its principals. The access entries wait for the
 * namespaces, so a team member's first request finds them.
 */
export class ApplicationTeam extends Construct {
  /** The team's namespaces and their policies; per-team add-on objects are applied after them. */
  readonly namespaces: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: ApplicationTeamProps) {
    super(scope, id);
    const { team, cluster } = props;
    const namespaces = new eks.KubernetesManifest(this, 'Namespaces', {
      cluster,
      manifest: team.namespaces.flatMap((ns) => teamNamespaceObjects(team, ns)),
      overwrite: true,
    });
    this.namespaces = namespaces;
    for (const principal of team.principals) {
      const entry = new eks.AccessEntry(this, principalId(principal), {
        cluster,
        principal,
        accessPolicies: [
          eks.AccessPolicy.fromAccessPolicyName(ACCESS_POLICY[team.access], {
            accessScopeType: eks.AccessScopeType.NAMESPACE,
            namespaces: [...team.namespaces],
          }),
        ],
      });
      // The L2 has no kubernetesGroups; RBAC bindings of add-ons name this group.
      (entry.node.defaultChild as CfnAccessEntry).kubernetesGroups = [teamKubernetesGroup(team.name)];
      entry.node.addDependency(namespaces);
    }
  }
}
