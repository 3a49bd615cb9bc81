import type { PlatformConfig, Problems, TeamConfig } from '../../core/config';
import { arnPartition, partitionOf, SYSTEM_NAMESPACES } from '../../core/config';

/**
 * Teams own their namespaces alone: no system or platform namespace (`reserved`: Kubernetes',
 * the platform's, every add-on's and every workload's), no namespace of another team, and no
 * two teams of one name. `keyOf` names a team the way its user wrote it.
 */
export function checkTeams(p: Problems, teams: readonly TeamConfig[], reserved: readonly string[], keyOf: (index: number) => string): void {
  const forbidden = new Set([...SYSTEM_NAMESPACES, ...reserved]);
  const owner = new Map<string, string>();
  const names = new Map<string, number>();
  teams.forEach((team, i) => {
    for (const ns of team.namespaces) {
      if (forbidden.has(ns) || ns.startsWith('kube-')) {
        p.add(
          `${keyOf(i)}.namespaces`,
          ns,
          `a namespace that is not a system or platform namespace (${[...forbidden].join(', ')}, kube-*)`,
        );
      }
      const first = owner.get(ns);
      if (first !== undefined && first !== team.name) {
        p.add(`${keyOf(i)}.namespaces`, ns, `a namespace no other team uses (team "${first}" has it)`);
      }
      owner.set(ns, first ?? team.name);
    }
    if (names.has(team.name)) {
      p.add(`${keyOf(i)}.name`, team.name, `a team name no other team has (${keyOf(names.get(team.name) as number)} has it)`);
    }
    names.set(team.name, names.get(team.name) ?? i);
  });
}

/**
 * Every principal that gets an access entry, with the key it was given under. EKS allows one
 * access entry per principal (a duplicate only fails at deploy time, 409), and an access entry
 * takes only principals of the cluster's own partition (an IAM ARN names its partition, not a
 * region: arn:aws-cn:iam::... cannot be a principal of a cluster in us-west-2).
 */
export function checkUniquePrincipals(
  p: Problems,
  config: PlatformConfig,
  teams: readonly TeamConfig[],
  keyOf: (index: number) => string,
): void {
  const owners = [
    ...config.clusterAdmins.map((principalArn, i) => ({ key: `clusterAdmins[${i}]`, principalArn })),
    ...config.accessEntries.map((e, i) => ({ key: `accessEntries[${i}].principalArn`, principalArn: e.principalArn })),
    ...teams.flatMap((t, i) => t.principals.map((principalArn, j) => ({ key: `${keyOf(i)}.principals[${j}]`, principalArn }))),
  ];
  const partition = partitionOf(config.region);
  const seen = new Map<string, string>();
  for (const { key, principalArn } of owners) {
    const first = seen.get(principalArn);
    if (partition !== undefined && arnPartition(principalArn) !== partition) {
      p.add(key, principalArn, `an ARN of partition ${partition}, the partition of region ${config.region} (arn:${partition}:iam::...)`);
    } else if (first) {
      p.add(
        key,
        principalArn,
        `a principal without another access entry (already given by ${first}); EKS allows one access entry per principal`,
      );
    } else {
      seen.set(principalArn, key);
    }
  }
}
