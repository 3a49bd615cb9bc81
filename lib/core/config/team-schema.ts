import { z } from 'zod';

import { NAMESPACE_NAME, namespaceList, principalArn } from './access-schema';
import { documented, firstDuplicate, integer, list, oneOf, strictObject, text } from './schema-kit';

/** Kubernetes access levels of a team in its namespaces. */
export const TEAM_ACCESS_LEVELS = ['admin', 'edit', 'view'] as const;

/** A team gets room for a handful of services; raise it per team in configuration. */
export const DEFAULT_TEAM_QUOTA = { cpu: '4', memory: '8Gi', pods: 50 } as const;

/** The namespace that holds the platform's own objects. */
export const PLATFORM_NAMESPACE = 'platform-system';

/** Namespaces no team may own: Kubernetes', EKS's and the platform's own. */
export const SYSTEM_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public', 'kube-node-lease', PLATFORM_NAMESPACE];

/**
 * The Kubernetes group every principal of a team is in, besides its EKS access policy. EKS access
 * policies cover only built-in resources; add-ons bind a team's rights on their custom resources
 * (e.g. ExternalSecrets) to this group in the team's namespaces.
 */
export function teamKubernetesGroup(teamName: string): string {
  return `platform-team:${teamName}`;
}

/** A Kubernetes resource quantity as the API server parses it: 4, 500m, 8Gi, 16G, 1e3. */
const QUANTITY = /^(\d+(\.\d*)?|\.\d+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)?$/;

/**
 * A quantity that parses but means nonsense for the resource: CPU in binary multiples (`2Mi` is
 * two million cores), memory in fractions of a byte (`512m` is half a byte, a common slip for
 * 512Mi). The API server takes both (k8s.io/apimachinery pkg/api/resource/quantity.go), so the
 * namespace would get a quota nothing fits in, or one that allows nothing.
 */
const NONSENSE_SUFFIX = { cpu: /[KMGTPE]i$/, memory: /[num]$/ } as const;

/**
 * A quota quantity: a string, or a JSON number as Kubernetes also takes one (Quantity's
 * UnmarshalJSON parses an unquoted value like a quoted one, same file).
 */
function quantity(resource: keyof typeof NONSENSE_SUFFIX, allowed: string): z.ZodType<string> {
  return documented(
    z.preprocess(
      (raw) => (typeof raw === 'number' && Number.isFinite(raw) && raw >= 0 ? String(raw) : raw),
      z
        .string(allowed)
        .regex(QUANTITY, allowed)
        .refine((q) => !NONSENSE_SUFFIX[resource].test(q), allowed),
    ),
    { allowed },
  );
}

const quotaSchema = strictObject(
  {
    /** Sum of CPU requests. */
    cpu: quantity('cpu', 'a CPU quantity in cores or millicores (no binary suffix such as Mi), e.g. "4" or "500m"').default(
      DEFAULT_TEAM_QUOTA.cpu,
    ),
    /** Sum of memory requests. */
    memory: quantity(
      'memory',
      'a memory quantity in bytes with a suffix such as Mi, Gi or G (not m: that is millibytes), e.g. "8Gi" or "16G"',
    ).default(DEFAULT_TEAM_QUOTA.memory),
    pods: integer(1, 1000).default(DEFAULT_TEAM_QUOTA.pods),
  },
  'an object {cpu, memory, pods}',
);

/** An application team: namespaces it owns and the IAM principals that act in them. */
export const teamSchema = strictObject(
  {
    name: text('a DNS label: lowercase letters, digits and "-", at most 63 characters', NAMESPACE_NAME),
    /** @default [name] */
    namespaces: namespaceList
      .refine((ns) => ns.length > 0, 'at least one namespace')
      .refine((ns) => firstDuplicate(ns) === undefined, 'namespaces listed once each')
      .optional(),
    principals: list(principalArn, 'a list of IAM role or user ARNs').default([]),
    access: oneOf(TEAM_ACCESS_LEVELS).default('edit'),
    quota: quotaSchema.default({ ...DEFAULT_TEAM_QUOTA }),
  },
  'an object {name, namespaces?, principals, access?, quota?}',
).transform((team) => ({ ...team, namespaces: team.namespaces ?? [team.name] }));

/** The teams of the `teams` key. */
export const teamsSchema = z.array(teamSchema, 'a JSON array of teams {name, namespaces?, principals, access?, quota?}');

/** An application team, validated and with its defaults. */
export type TeamConfig = z.output<typeof teamSchema>;
/** A team as code passes it: omitted fields take their defaults (and it is checked like a configured one). */
export type TeamInput = Pick<TeamConfig, 'name'> &
  Partial<Pick<TeamConfig, 'namespaces' | 'principals' | 'access'>> & {
    readonly quota?: Partial<TeamConfig['quota']>;
  };
/** A team's access level. */
export type TeamAccess = (typeof TEAM_ACCESS_LEVELS)[number];
/** The ResourceQuota of each team namespace. */
export type TeamQuota = TeamConfig['quota'];
