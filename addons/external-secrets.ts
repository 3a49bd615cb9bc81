import { join } from 'node:path';

import { Fn } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { z } from 'zod';

import type { PlatformConfig, Problems, TeamConfig } from '../lib/core/config';
import {
  ConfigError,
  documented,
  list,
  namespaceList,
  PLATFORM_NAMESPACE,
  strictObject,
  teamKubernetesGroup,
  text,
} from '../lib/core/config';
import { HOURS_PER_MONTH, usd } from '../lib/core/cost/ledger';
import type { AddOnContext } from './core/addon';
import { checkArnScope, KMS_KEY_ARN } from './core/arn';
import type { AddOnCost, AddOnCostContext } from './core/cost';
import type { HelmChartSpec, HelmValues, Toleration } from './core/helm-addon';
import { HelmAddOn } from './core/helm-addon';
import type { OptionsInput } from './core/options';
import { addOnOptions, distinct, HELM_OPTIONS } from './core/options';
import type { AddOnRegistration } from './core/registration';
import { registerAddOn } from './core/registration';
import type { ClusterOidc } from './external-secrets-iam';
import { secretNamePrefix, ServiceAccountRole } from './external-secrets-iam';
import type { PlatformSecretStore } from './external-secrets-stores';
import {
  PLATFORM_STORE,
  PLATFORM_STORE_SERVICE_ACCOUNT,
  platformStore,
  storeServiceAccount,
  TEAM_STORE,
  teamRbac,
  teamStore,
} from './external-secrets-stores';

/** The tested chart. */
export const EXTERNAL_SECRETS_CHART: HelmChartSpec = {
  repository: 'https://charts.external-secrets.io',
  chart: 'external-secrets',
  // Released as tag helm-chart-2.10.0 on 2026-08-28 (ESO release v2.10.0; read 2026-12-01). Its
  // values and Chart.yaml were read at 2.0.0 (the last copy we could read); 2.10.0's are assumed to match.
  version: '2.10.0',
  namespace: 'external-secrets',
  release: 'external-secrets',
  // Chart.yaml `kubeVersion: ">= 1.19.0-0"` (no upper bound). ESO's stability page tests only one
  // Kubernetes version per minor release (2.0: 1.34) and guarantees no other; 2.10's row was not readable.
  kubernetesVersions: { min: '1.19', source: "the external-secrets chart's kubeVersion (>= 1.19.0-0)" },
};

/** The name of secrets the platform store reads: `<environment>/platform/...`; no team may be named so. */
export const PLATFORM_SECRETS_OWNER = 'platform';

const KMS_ALLOWED =
  'KMS key ARNs such as arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab ' +
  "or a multi-Region key's .../key/mrk-<32 hex digits> (not aliases)";
const OIDC_PROVIDER_ARN =
  /^arn:aws(-[a-z]+)*:iam::\d{12}:oidc-provider\/oidc\.eks\.[a-z]{2}(-[a-z]+)+-\d\.amazonaws\.com(\.cn)?\/id\/[0-9A-F]{32}$/;
const OIDC_ALLOWED =
  "the ARN of the cluster's IAM OIDC provider, arn:aws:iam::<account>:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<32 hex digits>";

/** Options of {@link ExternalSecretsAddOn}, in configuration and in code. */
export const EXTERNAL_SECRETS_OPTIONS = strictObject(
  {
    ...HELM_OPTIONS,
    platformNamespaces: documented(
      distinct(namespaceList, 'namespace').refine((ns) => ns.length > 0, 'at least one namespace'),
      {
        allowed: 'one or more namespace names that no team owns',
        description: 'Namespaces whose ExternalSecrets may use the platform store (`<environment>/platform/*`).',
      },
    ).default([PLATFORM_NAMESPACE]),
    kmsKeyArns: documented(distinct(list(text(KMS_ALLOWED, KMS_KEY_ARN), KMS_ALLOWED), 'key ARN'), {
      description:
        'Customer managed keys the secrets are encrypted with; every store may decrypt with them through Secrets Manager only. None: the aws/secretsmanager key needs no grant.',
    }).default([]),
    /** @default - created from the cluster's issuer */
    oidcProviderArn: documented(text(OIDC_ALLOWED, OIDC_PROVIDER_ARN), {
      description: "The cluster's existing IAM OIDC provider (IAM allows one per issuer); without it the add-on creates one.",
    }).optional(),
  },
  'an object of external-secrets options',
);

/** Props for {@link ExternalSecretsAddOn}. */
export type ExternalSecretsAddOnProps = OptionsInput<typeof EXTERNAL_SECRETS_OPTIONS>;

/**
 * External Secrets Operator syncing AWS Secrets Manager secrets into Kubernetes Secrets: a
 * ClusterSecretStore for the platform's own secrets (`<environment>/platform/*`, usable only from
 * `platformNamespaces`), and a SecretStore in every namespace of every application team
 * (`<environment>/<team>/*`). Each store has its own IAM role bound by IRSA to a service account in
 * the store's namespace; see external-secrets-iam.ts for why a team cannot read another's secrets.
 */
export class ExternalSecretsAddOn extends HelmAddOn<z.output<typeof EXTERNAL_SECRETS_OPTIONS>, ClusterOidc> {
  static readonly ID = 'external-secrets';
  static readonly registration: AddOnRegistration = registerAddOn({
    id: ExternalSecretsAddOn.ID,
    summary: 'External Secrets Operator (Secrets Manager secrets as Kubernetes Secrets; a store per team, isolated by IAM)',
    options: EXTERNAL_SECRETS_OPTIONS,
    create: (props) => new ExternalSecretsAddOn(props),
    docs: { prose: join(__dirname, 'external-secrets.md') },
  });

  readonly id = ExternalSecretsAddOn.ID;
  readonly computeModes = ['auto', 'nodegroups'] as const;
  /** Namespaces whose ExternalSecrets may use the platform store. */
  readonly platformNamespaces: readonly string[];
  private oidc?: ClusterOidc;

  constructor(props: ExternalSecretsAddOnProps = {}) {
    super(EXTERNAL_SECRETS_CHART, addOnOptions(ExternalSecretsAddOn.ID, EXTERNAL_SECRETS_OPTIONS, props));
    this.platformNamespaces = [...this.options.platformNamespaces];
  }

  /** The platform store, for add-ons whose ExternalSecrets use it (the argo-cd add-on's repository credentials). */
  get platformStore(): PlatformSecretStore {
    return {
      name: PLATFORM_STORE,
      namespaces: this.platformNamespaces,
      owner: PLATFORM_SECRETS_OWNER,
      kmsKeyArns: this.options.kmsKeyArns,
    };
  }

  /**
   * Secrets Manager encrypts a secret only with a KMS key in the secret's Region (Secrets Manager User
   * Guide, "Secret encryption and decryption"; a multi-Region key is used through its replica's ARN in
   * that Region), and the stores' roles trust the OIDC provider of this cluster's issuer, in this
   * account (EKS User Guide, "Create an IAM OIDC provider for your cluster").
   */
  checkConfiguration(p: Problems, config: PlatformConfig): void {
    const key = `addons.${ExternalSecretsAddOn.ID}`;
    this.options.kmsKeyArns.forEach((arn, i) =>
      checkArnScope(p, `${key}.kmsKeyArns[${i}]`, arn, config, {
        sameRegion: true,
        why: 'Secrets Manager uses KMS keys of its own Region only',
      }),
    );
    const provider = this.options.oidcProviderArn;
    if (provider !== undefined) {
      const providerKey = `${key}.oidcProviderArn`;
      const before = p.count;
      checkArnScope(p, providerKey, provider, config, {
        sameAccount: true,
        why: "the stores' roles trust a provider of their own account",
      });
      const issuerRegion = /oidc-provider\/oidc\.eks\.([a-z0-9-]+)\.amazonaws\.com/.exec(provider)?.[1];
      if (p.count === before && issuerRegion !== config.region) {
        p.add(
          providerKey,
          provider,
          `the OIDC provider of this cluster's issuer, oidc.eks.${config.region}.amazonaws.com/id/... (the cluster is in ${config.region})`,
        );
      }
    }
  }

  /** The release namespace and the platform store's namespaces: no team may own them. */
  get namespaces(): readonly string[] {
    return [...new Set([this.chart.namespace, ...this.platformNamespaces])];
  }

  /**
   * The secrets the stores read: `secretsPerTeam` for the platform and for each team, at Secrets
   * Manager's price per secret-month (https://aws.amazon.com/secrets-manager/pricing/).
   */
  costLines({ teams, prices: { secretsManager }, assumptions }: AddOnCostContext): AddOnCost[] {
    const secrets = (teams.length + 1) * assumptions.secretsPerTeam;
    return [
      {
        section: 'services',
        component: 'Secrets Manager secrets',
        basis: 'assumed',
        price: secretsManager.perSecretMonth,
        source: secretsManager.source,
        what: 'secrets',
        perHour: (p) => (secrets * p) / HOURS_PER_MONTH,
        detail: (p) => `${secrets} x ${usd(p)}/month (platform + ${teams.length} teams)`,
      },
    ];
  }

  /** The cluster's IAM OIDC provider, which the platform's and the teams' store roles trust. */
  protected prerequisites(scope: Construct, context: AddOnContext): ClusterOidc {
    this.oidc = clusterOidc(scope, context, this.options.oidcProviderArn);
    return this.oidc;
  }

  protected chartValues(): HelmValues {
    return {
      // CRDs are chart templates (templates/crds/, gated by installCRDs), so `helm upgrade` upgrades them
      // too, unlike a crds/ folder.
      installCRDs: true,
      // The controller's service account gets no AWS identity: every store brings its own.
      serviceAccount: { create: true },
      // By default the chart aggregates create/update/patch/delete on every ESO kind, including the
      // cluster-scoped ClusterSecretStores, into the built-in `edit` and `admin` ClusterRoles
      // (templates/rbac.yaml, `<release>-edit` with aggregate-to-edit/-admin labels). Whoever is bound
      // to `edit` cluster-wide (kro with clusterRole: edit) could then rewrite `platform-secrets`
      // (its namespace conditions) or create ExternalSecrets that read `<environment>/platform/*`.
      // Teams lose nothing: their access policies are EKS's own, not these ClusterRoles, and their
      // ESO rights come from the Role teamRbac() gives them. `view` stays: it adds only get/list/watch
      // on ESO objects, which hold references (secret names, service accounts), never secret values.
      // Keys read at helm-chart-2.9.0 (values.yaml, templates/rbac.yaml); aggregateToAdmin exists
      // since 2.8.0 (earlier charts aggregate to admin unconditionally).
      rbac: { aggregateToView: true, aggregateToEdit: false, aggregateToAdmin: false },
      resources: { requests: { cpu: '50m', memory: '128Mi' } },
      webhook: { resources: { requests: { cpu: '25m', memory: '64Mi' } } },
      certController: { resources: { requests: { cpu: '25m', memory: '64Mi' } } },
    };
  }

  /** The controller, the webhook and the cert controller each have their own placement keys. */
  protected placementValues(nodeSelector: Readonly<Record<string, string>>, tolerations: readonly Toleration[]): HelmValues {
    const placement = { nodeSelector, tolerations };
    return { ...placement, webhook: placement, certController: placement };
  }

  protected afterChart(scope: Construct, context: AddOnContext, chart: Construct, oidc: ClusterOidc): void {
    const { config } = context;
    const reader = new ServiceAccountRole(scope, 'PlatformStoreRole', {
      oidc,
      serviceAccounts: [{ namespace: this.chart.namespace, name: PLATFORM_STORE_SERVICE_ACCOUNT }],
      secretPrefix: secretNamePrefix(config.environment, PLATFORM_SECRETS_OWNER),
      kmsKeyArns: this.options.kmsKeyArns,
      purpose: 'External Secrets platform store',
    });
    const store = new eks.KubernetesManifest(scope, 'PlatformStore', {
      cluster: context.cluster,
      overwrite: true,
      manifest: [
        storeServiceAccount(this.chart.namespace, PLATFORM_STORE_SERVICE_ACCOUNT, reader.role.roleArn),
        platformStore(config.region, this.chart.namespace, this.platformNamespaces),
      ],
    });
    store.node.addDependency(chart, reader);
  }

  /** The team's role (its prefix only, trusted by its namespaces' store service accounts), store and RBAC. */
  deployTeam(scope: Construct, context: AddOnContext, team: TeamConfig): void {
    const clash = team.name === PLATFORM_SECRETS_OWNER ? `the name of the platform's secrets (${PLATFORM_SECRETS_OWNER})` : undefined;
    const shared = team.namespaces.filter((ns) => this.platformNamespaces.includes(ns));
    if (clash || shared.length > 0) {
      throw new ConfigError([
        ...(clash
          ? [
              `teams: team "${team.name}": got name "${team.name}"; allowed: a team name other than ${clash}, which the external-secrets add-on reserves`,
            ]
          : []),
        ...shared.map(
          (ns) => `addons.external-secrets.platformNamespaces: got "${ns}"; allowed: namespaces no team owns (team "${team.name}" owns it)`,
        ),
      ]);
    }
    const { config } = context;
    const reader = new ServiceAccountRole(scope, 'Role', {
      oidc: this.requireOidc(),
      serviceAccounts: team.namespaces.map((namespace) => ({ namespace, name: TEAM_STORE })),
      secretPrefix: secretNamePrefix(config.environment, team.name),
      kmsKeyArns: this.options.kmsKeyArns,
      purpose: `External Secrets store of team ${team.name}`,
    });
    const stores = new eks.KubernetesManifest(scope, 'Stores', {
      cluster: context.cluster,
      overwrite: true,
      manifest: team.namespaces.flatMap((namespace) => [
        storeServiceAccount(namespace, TEAM_STORE, reader.role.roleArn),
        teamStore(config.region, namespace, team.name),
        ...teamRbac(namespace, teamKubernetesGroup(team.name), team.access !== 'view'),
      ]),
    });
    stores.node.addDependency(reader);
  }

  private requireOidc(): ClusterOidc {
    if (!this.oidc) {
      throw new Error('external-secrets: deploy() must run before the stores are created');
    }
    return this.oidc;
  }
}

/** The cluster's IAM OIDC provider (created unless given) and its issuer, from InfraStack's export. */
function clusterOidc(scope: Construct, context: AddOnContext, providerArn: string | undefined): ClusterOidc {
  const issuerUrl = context.oidcIssuerUrl;
  const provider = providerArn
    ? iam.OidcProviderNative.fromOidcProviderArn(scope, 'OidcProvider', providerArn)
    : new eks.OidcProviderNative(scope, 'OidcProvider', { url: issuerUrl });
  return {
    provider,
    issuer: Fn.select(1, Fn.split('https://', issuerUrl)),
    vpc: context.vpc,
  };
}
