import { z } from 'zod';

import { documented, json, oneOf, strictObject, text } from '../lib/core/config';
import { KMS_KEY_ALLOWED, KMS_KEY_ARN } from './core/arn';
import { distinct } from './core/options';

/*
 * The `repositories` option of the argo-cd add-on: private chart and Git repositories. Its checks
 * are in argo-cd-repository-checks.ts, what it builds in argo-cd-repository-credentials.ts. Source, read
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
export const SSH_URL = /^(ssh:\/\/[A-Za-z0-9._-]+@[A-Za-z0-9.-]+(:\d{1,5})?\/[^\s]+|[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\s/][^\s]*)$/;
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
export const ARGO_CD_REPOSITORIES = documented(json(distinct(z.array(repositorySchema, REPOSITORIES_ALLOWED), 'url', 'url')), {
  allowed: REPOSITORIES_ALLOWED,
  description:
    'Private repositories: each url a credential template for every repository under it, with the credentials in the Secrets Manager secret `secretArn` (`kmsKeyArn`: the key it is encrypted with, unless aws/secretsmanager). Managed, the capability reads it; with the chart, the external-secrets add-on syncs it (a secret `<environment>/platform/...`). Managed only: a private ECR registry (`oci://<account>.dkr.ecr.<region>.amazonaws.com/<prefix>`, type helm), pulled with the capability role, no secret. Public repositories need no entry.',
});

/** A private ECR registry entry: its account, Region and repository prefix (empty for all). */
export interface EcrRegistry {
  readonly account: string;
  readonly region: string;
  readonly prefix: string;
}

/** The registry of a private ECR entry; undefined for any other. */
export function ecrRegistry(repository: RepositoryOptions): EcrRegistry | undefined {
  const match = ECR_URL.exec(repository.url);
  return match ? { account: match[1], region: match[2], prefix: match[3] ?? '' } : undefined;
}
