import { z } from 'zod';

import { flag, strictObject, text } from './schema-kit';

const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,32}$/;
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
/** ACM refuses a certificate whose first domain name is longer than 64 characters. */
const MAX_CERTIFICATE_NAME = 64;

const ALLOWED = {
  workloads:
    'a JSON object {"game2048": true|false, "petstore": true|false|{"enabled", "internal", "apiGateway"}, "nginx": {"hostedZoneId", "zoneName", "hostname"}}',
  petstore: 'true, false, or an object {"enabled": true|false, "internal": true|false, "apiGateway": true|false}',
  nginx: 'an object {"hostedZoneId": "Z...", "zoneName": "example.com", "hostname": "nginx.example.com"}, or false',
} as const;

/** `true`/`false` is shorthand for `{"enabled": ...}`. */
const petstoreSchema = z.preprocess(
  (raw) => (typeof raw === 'boolean' || raw === 'true' || raw === 'false' ? { enabled: raw === true || raw === 'true' } : raw),
  strictObject(
    {
      // Giving petstore options means wanting petstore, whatever the profile's default.
      enabled: flag().default(true),
      /** An internal NLB is reachable only inside the VPC (API Gateway reaches it through its VPC link). */
      internal: flag().default(true),
      /** A REST API in front of the NLB through a VPC link; its stage URL is the app URL. */
      apiGateway: flag().default(true),
    },
    ALLOWED.petstore,
  ),
);

const nginxSchema = z.preprocess(
  (raw) => (raw === false || raw === 'false' ? undefined : raw),
  strictObject(
    {
      hostedZoneId: text('a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ (without /hostedzone/)', HOSTED_ZONE_ID),
      zoneName: text("the hosted zone's lower-case domain name without a trailing dot, e.g. example.com", DOMAIN),
      /** @default 'nginx.<zoneName>' */
      hostname: z.string('a lower-case host name in the zone, e.g. nginx.example.com').optional(),
    },
    ALLOWED.nginx,
  )
    .transform((nginx, ctx) => {
      const zone = nginx.zoneName;
      const hostname = nginx.hostname ?? `nginx.${zone}`;
      const inZone = hostname === zone || hostname.endsWith(`.${zone}`);
      if (!(DOMAIN.test(hostname) && inZone && hostname.length <= MAX_CERTIFICATE_NAME)) {
        ctx.addIssue({
          code: 'custom',
          path: ['hostname'],
          input: hostname,
          message: `a lower-case host name in the zone (${zone} or ending in ".${zone}"), at most ${MAX_CERTIFICATE_NAME} characters (the ACM certificate's limit), e.g. nginx.${zone}`,
        });
      }
      return { hostedZoneId: nginx.hostedZoneId, zoneName: zone, hostname };
    })
    .optional(),
);

/**
 * The `workloads` key as given: keys left out take their defaults when the configuration is
 * resolved (game2048 and petstore follow `sampleWorkloads`, nginx is off).
 */
export const workloadsSchema = strictObject(
  {
    /** game-2048 behind an internet-facing ALB. */
    game2048: flag().optional(),
    petstore: petstoreSchema.optional(),
    /** nginx with TLS and a DNS name; only when a hosted zone is configured. */
    nginx: nginxSchema,
  },
  ALLOWED.workloads,
);

/** The petstore API: an NLB that the cluster creates from a plain Service, optionally behind API Gateway. */
export type PetstoreWorkloadConfig = z.output<typeof petstoreSchema>;
/** nginx behind a TLS NLB with an ACM certificate and a DNS name external-dns publishes. */
export type NginxWorkloadConfig = NonNullable<z.output<typeof nginxSchema>>;

/** Which sample workloads PlatformStack deploys (README "Sample workloads"). */
export interface WorkloadsConfig {
  readonly game2048: boolean;
  readonly petstore: PetstoreWorkloadConfig;
  /** @default - not deployed */
  readonly nginx?: NginxWorkloadConfig;
}

/** Nothing deployed. */
export const NO_WORKLOADS: WorkloadsConfig = {
  game2048: false,
  petstore: { enabled: false, internal: true, apiGateway: true },
};

/** The workloads of a configuration: what was given, the rest from `sampleWorkloads`. */
export function resolveWorkloads(given: z.output<typeof workloadsSchema> | undefined, sampleWorkloads: boolean): WorkloadsConfig {
  return {
    game2048: given?.game2048 ?? sampleWorkloads,
    petstore: given?.petstore ?? { enabled: sampleWorkloads, internal: true, apiGateway: true },
    ...(given?.nginx ? { nginx: given.nginx } : {}),
  };
}

/** Whether any workload is on (PlatformStack creates the workloads construct only then). */
export function hasWorkloads(workloads: WorkloadsConfig): boolean {
  return workloads.game2048 || workloads.petstore.enabled || workloads.nginx !== undefined;
}

/** The sample workloads, by their Kubernetes names (each lives in the namespace of its name). */
export type WorkloadName = 'game-2048' | 'petstore' | 'nginx';

/** The workloads that are on, by name. */
export function enabledWorkloads(workloads: WorkloadsConfig): WorkloadName[] {
  return [
    ...(workloads.game2048 ? ['game-2048' as const] : []),
    ...(workloads.petstore.enabled ? ['petstore' as const] : []),
    ...(workloads.nginx ? ['nginx' as const] : []),
  ];
}
