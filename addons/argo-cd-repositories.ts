import { createHash } from 'node:crypto';

import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { z } from 'zod';

import { acknowledge, wildcardFinding } from '../lib/core/compliance/acknowledge';
import type { PlatformConfig, Problems } from '../lib/core/config';
import { documented, json, oneOf, strictObject, text } from '../lib/core/config';
import type { KubernetesObject } from '../lib/core/kubernetes-object';
import { PLATFORM_LABELS } from '../lib/core/kubernetes-object';
import { checkArnScope, KMS_KEY_ALLOWED, KMS_KEY_ARN } from './core/arn';
import type { PlatformSecretStore } from './external-secrets-stores';
import { ESO_API_VERSION } from './external-secrets-stores';

/*
 * Private chart and Git repositories for managed Argo CD (the EKS Capability). Source, read
 * 2026-12-08: EKS user guide, "Configure repository access" (awsdocs/amazon-eks-user-guide
 * latest/ug/capabilities/argocd-configure-repositories.adoc):
 * - ECR Helm charts are referenced directly, "without creating Repository configurations"; the
 *   capability role needs ecr:GetAuthorizationToken, ecr:BatchGetImage and ecr:GetDownloadUrlForLayer
 *   (what AmazonEC2ContainerRegistryPullOnly grants).
 * - Other repositories: a Secret labelled `argocd.argoproj.io/secret-type: repo-creds` (a credential
 *   template for every repository URL that starts with `url`) with `type`, `url` and `secretArn`, a
 *   Secrets Manager secret holding `{"username", "token"}`, a plain-text SSH private key, or GitHub
 *   App fields; the capability role needs secretsmanager:GetSecretValue and KMS decrypt.
 * The self-managed chart cannot read Secrets Manager: the external-secrets add-on syncs each secret
 * into a repo-creds Secret in Argo CD's namespace (an ExternalSecret through its platform store,
 * external-secrets.io/v1 as of ESO v2.9.0 apis/externalsecrets/v1: `target.template.mergePolicy:
 * Merge` adds the secret's keys to the template's `type` and `url`). The secret then holds Argo CD's
 * own field names (argo-cd docs/operator-manual/declarative-setup.md, "Repository Credentials").
 */

/** The kinds of repository Argo CD pulls from. */
export const REPOSITORY_TYPES = ['git', 'helm'] as const;

// No "@" before the host in https URLs: credentials in the URL would be stored in the template.
const HTTPS_URL = /^https:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[^\s@]*)?$/;
const SSH_URL = /^(ssh:\/\/[A-Za-z0-9._-]+@[A-Za-z0-9.-]+(:\d{1,5})?\/[^\s]+|[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\s/][^\s]*)$/;
const OCI_URL = /^oci:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[^\s@]*)?$/;
/** A private ECR registry (ECR User Guide, "Private registry concepts": `<account>.dkr.ecr.<region>.amazonaws.com`). */
const ECR_URL = /^oci:\/\/(\d{12})\.dkr\.ecr\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com(?:\.cn)?(?:\/([^\s@]*?))?\/?$/;
// Secrets Manager appends "-" and six characters to a secret's name in its ARN (Secrets Manager
// User Guide, "Secret ARN"); names take letters, digits and /_+=.@- .
const SECRET_ARN = /^arn:aws(-[a-z]+)*:secretsmanager:[a-z]{2}(-[a-z]+)+-\d:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/;

const URL_ALLOWED = {
  git: 'a Git URL prefix: https://host/path (no credentials in it), ssh://user@host/path or user@host:path',
  helm: 'a chart repository prefix: https://host/path (no credentials in it), or an OCI registry oci://host/path',
} as const;
const SECRET_ARN_ALLOWED =
  'the full ARN of a Secrets Manager secret, ending in its 6-character suffix, e.g. arn:aws:secretsmanager:eu-west-1:111122223333:secret:argocd/charts-AbCdEf';

const repositorySchema = strictObject(
  {
    url: text('a repository URL or prefix'),
    type: oneOf(REPOSITORY_TYPES),
    secretArn: text(SECRET_ARN_ALLOWED, SECRET_ARN).optional(),
    kmsKeyArn: text(KMS_KEY_ALLOWED, KMS_KEY_ARN).optional(),
  },
  'an object {url, type, secretArn?, kmsKeyArn?}',
).superRefine((repository, ctx) => {
  const valid = repository.type === 'git' ? [HTTPS_URL, SSH_URL] : [HTTPS_URL, OCI_URL];
  if (!valid.some((pattern) => pattern.test(repository.url))) {
    ctx.addIssue({ code: 'custom', path: ['url'], input: repository.url, message: URL_ALLOWED[repository.type] });
  }
});

/**
 * An ssh bootstrap repository needs a key, so a git entry of `repositories` with a secret must
 * cover it (Argo CD would fail to clone only after the deploy); https may be public.
 */
export function refineBootstrapCredentials(
  options: { readonly bootstrap?: { readonly repoUrl: string }; readonly repositories?: readonly RepositoryOptions[] },
  ctx: z.RefinementCtx,
): void {
  const url = options.bootstrap?.repoUrl;
  if (url === undefined || !SSH_URL.test(url)) return;
  if ((options.repositories ?? []).some((r) => r.type === 'git' && r.secretArn !== undefined && url.startsWith(r.url))) return;
  ctx.addIssue({
    code: 'custom',
    path: ['bootstrap', 'repoUrl'],
    input: url,
    message:
      'an https URL, or an ssh URL that starts with the url of a git entry of repositories with a secretArn (Argo CD clones over ssh only with a private key)',
  });
}

/** One repository (or prefix) Argo CD reaches with credentials, as configuration gives it. */
export type RepositoryOptions = z.output<typeof repositorySchema>;

const REPOSITORIES_ALLOWED = 'a list of {url, type: git|helm, secretArn?, kmsKeyArn?}, each url once';

/** The `repositories` option of the argo-cd add-on. */
export const ARGO_CD_REPOSITORIES = documented(
  json(
    z.array(repositorySchema, REPOSITORIES_ALLOWED).superRefine((repositories, ctx) => {
      repositories.forEach((repository, i) => {
        const first = repositories.findIndex((r) => r.url === repository.url);
        if (first !== i) {
          ctx.addIssue({ code: 'custom', path: [i, 'url'], input: repository.url, message: `each url once (it is item ${first} already)` });
        }
      });
    }),
  ),
  {
    allowed: REPOSITORIES_ALLOWED,
    description:
      'Private repositories: each url a credential template for every repository under it, with the credentials in the Secrets Manager secret `secretArn` (`kmsKeyArn`: the key it is encrypted with, unless aws/secretsmanager). Managed, the capability reads it; with the chart, the external-secrets add-on syncs it (a secret `<environment>/platform/...`). Managed only: a private ECR registry (`oci://<account>.dkr.ecr.<region>.amazonaws.com/<prefix>`, type helm), pulled with the capability role, no secret. Public repositories need no entry.',
  },
);

/** A private ECR registry entry: its account, Region and repository prefix (empty for all). */
interface EcrRegistry {
  readonly account: string;
  readonly region: string;
  readonly prefix: string;
}

function ecrRegistry(repository: RepositoryOptions): EcrRegistry | undefined {
  const match = ECR_URL.exec(repository.url);
  return match ? { account: match[1], region: match[2], prefix: match[3] ?? '' } : undefined;
}

/**
 * Who reads the credentials: the EKS Capability with its role, or, with the chart, the platform
 * store of the external-secrets add-on (undefined when the plan has none that describes it), for
 * Argo CD's `namespace`.
 */
export type CredentialReader =
  { readonly kind: 'capability' } | { readonly kind: 'store'; readonly store?: PlatformSecretStore; readonly namespace: string };

/** The name of a secret, from its full ARN (the name, "-" and six characters). */
const secretName = (arn: string): string => arn.slice(arn.indexOf(':secret:') + ':secret:'.length, -7);

/**
 * Every problem of the entries that shape alone cannot show: what each kind of entry needs, ARNs
 * that cannot be used from this environment, and what the reader of the credentials cannot read.
 */
export function checkRepositories(
  p: Problems,
  key: string,
  repositories: readonly RepositoryOptions[],
  config: PlatformConfig,
  reader: CredentialReader,
): void {
  repositories.forEach((repository, i) => {
    const at = `${key}[${i}]`;
    if (ecrRegistry(repository)) {
      checkEcrEntry(p, at, repository, reader);
      return;
    }
    if (repository.secretArn === undefined) {
      p.missing(`${at}.secretArn`, 'required for a repository other than a private ECR registry (public repositories need no entry)');
      return;
    }
    if (reader.kind === 'capability') {
      checkArnScope(p, `${at}.secretArn`, repository.secretArn, config, { why: 'the capability reads secrets within its own partition' });
      const secretRegion = repository.secretArn.split(':')[3];
      if (repository.kmsKeyArn !== undefined && repository.kmsKeyArn.split(':')[3] !== secretRegion) {
        p.add(
          `${at}.kmsKeyArn`,
          repository.kmsKeyArn,
          `a key in ${secretRegion}, the secret's Region (Secrets Manager uses keys of its own Region)`,
        );
      }
      return;
    }
    const why = "the external-secrets add-on's platform store reads this environment's secrets only";
    checkArnScope(p, `${at}.secretArn`, repository.secretArn, config, { sameRegion: true, sameAccount: true, why });
    const owner = reader.store?.owner;
    if (owner !== undefined && !secretName(repository.secretArn).startsWith(`${config.environment}/${owner}/`)) {
      p.add(`${at}.secretArn`, repository.secretArn, `a secret named ${config.environment}/${owner}/... (${why})`);
    }
    if (repository.kmsKeyArn !== undefined && reader.store && !reader.store.kmsKeyArns.includes(repository.kmsKeyArn)) {
      p.add(
        `${at}.kmsKeyArn`,
        repository.kmsKeyArn,
        'a key listed in addons.external-secrets.kmsKeyArns (the platform store decrypts with those only)',
      );
    }
  });
  if (reader.kind === 'store' && reader.store && repositories.some((r) => r.secretArn !== undefined)) {
    if (!reader.store.namespaces.includes(reader.namespace)) {
      p.add(
        'addons.external-secrets.platformNamespaces',
        reader.store.namespaces,
        `a list with ${reader.namespace}, Argo CD's namespace, while addons.argo-cd.repositories has credentials (the platform store serves only the namespaces listed)`,
      );
    }
  }
}

/** A private ECR registry entry: no secret, and only the capability can pull from it. */
function checkEcrEntry(p: Problems, at: string, repository: RepositoryOptions, reader: CredentialReader): void {
  if (reader.kind === 'store') {
    p.add(
      `${at}.url`,
      repository.url,
      'with the chart, no private ECR registry (its tokens expire after 12 hours and nothing here renews them; managed Argo CD pulls with its role): a repository with long-lived credentials in Secrets Manager',
    );
    return;
  }
  if (repository.secretArn !== undefined) {
    p.add(`${at}.secretArn`, repository.secretArn, 'nothing for a private ECR registry: the capability role pulls from it');
  }
  if (repository.kmsKeyArn !== undefined) {
    p.add(`${at}.kmsKeyArn`, repository.kmsKeyArn, 'nothing for a private ECR registry (no secret to decrypt)');
  }
}

/** The Secret's name: derived from the URL, so adding or reordering entries renames none. */
function credentialName(url: string): string {
  return `repo-creds-${createHash('sha256').update(url).digest('hex').slice(0, 10)}`;
}

/**
 * The credential templates, one Secret per entry that has a secret, in the capability's namespace.
 * An OCI registry is matched without its scheme and with `enableOCI`, as Argo CD names Helm
 * repositories in Applications (see helmRepoUrl).
 */
export function repositoryCredentialSecrets(repositories: readonly RepositoryOptions[], namespace: string): KubernetesObject[] {
  return repositories
    .filter((repository) => repository.secretArn !== undefined)
    .map((repository) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: credentialName(repository.url),
        namespace,
        labels: { ...PLATFORM_LABELS, 'argocd.argoproj.io/secret-type': 'repo-creds' },
      },
      // No credential: the ARN only names the secret the capability reads with its role.
      stringData: { ...templateFields(repository), secretArn: repository.secretArn ?? '' },
    }));
}

/** What Argo CD matches a credential template by: an OCI registry without its scheme, and flagged. */
function templateFields(repository: RepositoryOptions): Record<string, string> {
  const oci = repository.url.startsWith('oci://');
  return {
    type: repository.type,
    url: oci ? repository.url.slice('oci://'.length) : repository.url,
    ...(oci ? { enableOCI: 'true' } : {}),
  };
}

/**
 * With the chart: for each entry an ExternalSecret of the platform store that writes the
 * credential template into Argo CD's namespace, the secret's own keys beside `type` and `url`.
 */
export function repositoryExternalSecrets(
  repositories: readonly RepositoryOptions[],
  namespace: string,
  storeName: string,
): KubernetesObject[] {
  return repositories.flatMap((repository) => {
    if (repository.secretArn === undefined) return [];
    const name = credentialName(repository.url);
    return [
      {
        apiVersion: ESO_API_VERSION,
        kind: 'ExternalSecret',
        metadata: { name, namespace, labels: PLATFORM_LABELS },
        spec: {
          // A rotated secret reaches Argo CD within the hour.
          refreshInterval: '1h',
          secretStoreRef: { kind: 'ClusterSecretStore', name: storeName },
          target: {
            name,
            template: {
              metadata: { labels: { ...PLATFORM_LABELS, 'argocd.argoproj.io/secret-type': 'repo-creds' } },
              mergePolicy: 'Merge',
              data: templateFields(repository),
            },
          },
          dataFrom: [{ extract: { key: repository.secretArn } }],
        },
      },
    ];
  });
}

/** `secretsmanager.<region>.amazonaws.com` for the Region of each secret, each once (one as a string). */
function viaSecretsManager(secretArns: readonly string[]): string | string[] {
  const via = [...new Set(secretArns.map((arn) => `secretsmanager.${arn.split(':')[3]}.amazonaws.com`))];
  return via.length === 1 ? via[0] : via;
}

/**
 * The capability role's access to the repositories: reading exactly the configured secrets,
 * decrypting with their keys through Secrets Manager only, and pulling from the ECR repositories
 * under each registry prefix. Undefined when nothing needs access.
 */
export function repositoryAccessPolicy(
  scope: IConstruct,
  id: string,
  repositories: readonly RepositoryOptions[],
): iam.ManagedPolicy | undefined {
  const secrets = repositories.flatMap((r) => (r.secretArn ? [r.secretArn] : []));
  const keys = [...new Set(repositories.flatMap((r) => (r.kmsKeyArn ? [r.kmsKeyArn] : [])))];
  const registries = repositories.flatMap((r) => ecrRegistry(r) ?? []);
  if (secrets.length === 0 && registries.length === 0) return undefined;
  const statements: iam.PolicyStatement[] = [];
  if (secrets.length > 0) {
    statements.push(
      new iam.PolicyStatement({ sid: 'ReadRepositoryCredentials', actions: ['secretsmanager:GetSecretValue'], resources: secrets }),
    );
  }
  if (keys.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'DecryptRepositoryCredentials',
        actions: ['kms:Decrypt'],
        resources: keys,
        // Decrypt only on Secrets Manager's behalf, in the Regions of the secrets.
        conditions: { StringEquals: { 'kms:ViaService': viaSecretsManager(secrets) } },
      }),
    );
  }
  const repositoryArns = registries.map(
    (r) => `arn:${Aws.PARTITION}:ecr:${r.region}:${r.account}:repository/${r.prefix === '' ? '' : `${r.prefix.replace(/\/$/, '')}/`}*`,
  );
  if (registries.length > 0) {
    statements.push(
      // ECR grants the token for the whole registry only: the action takes no resource (ECR
      // User Guide, "Private registry authentication"); the pulls below are what it allows.
      new iam.PolicyStatement({ sid: 'EcrToken', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }),
      new iam.PolicyStatement({
        sid: 'PullCharts',
        actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
        resources: [...new Set(repositoryArns)],
      }),
    );
  }
  const policy = new iam.ManagedPolicy(scope, id, {
    description: 'Managed Argo CD: read the configured repository credentials and pull charts from the configured ECR registries',
    statements,
  });
  if (registries.length > 0) {
    acknowledge(
      policy,
      'ecr:GetAuthorizationToken supports no resource-level permissions (ECR User Guide, "Private registry authentication"); ' +
        'chart pulls are limited to the ECR repositories under each configured registry prefix, whose names a chart ' +
        'reference ends in, so only a trailing wildcard can name them.',
      [
        wildcardFinding('Resource', '*'),
        ...[...new Set(repositoryArns)].map((arn) => wildcardFinding('Resource', arn.replace(Aws.PARTITION, '<AWS::Partition>'))),
      ],
    );
  }
  return policy;
}
