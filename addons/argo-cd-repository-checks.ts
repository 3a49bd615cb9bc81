import type { PlatformConfig, Problems } from '../lib/core/config';
import type { RepositoryOptions } from './argo-cd-repositories';
import { ecrRegistry } from './argo-cd-repositories';
import { checkArnScope } from './core/arn';
import { secretNamePrefix } from './external-secrets-iam';
import type { PlatformSecretStore } from './external-secrets-stores';

/*
 * What the `repositories` entries need beyond their shape, from the environment and from whoever
 * reads the credentials (sources in argo-cd-repositories.ts).
 */

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
    const prefix = owner === undefined ? undefined : secretNamePrefix(config.environment, owner);
    if (prefix !== undefined && !secretName(repository.secretArn).startsWith(prefix)) {
      p.add(`${at}.secretArn`, repository.secretArn, `a secret named ${prefix}... (${why})`);
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
