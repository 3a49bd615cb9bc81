import { createHash } from 'node:crypto';

import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

import { acknowledge, wildcardFinding } from '../lib/core/compliance/acknowledge';
import type { KubernetesObject } from '../lib/core/kubernetes-object';
import { PLATFORM_LABELS } from '../lib/core/kubernetes-object';
import type { RepositoryOptions } from './argo-cd-repositories';
import { ecrRegistry } from './argo-cd-repositories';
import { ESO_API_VERSION } from './external-secrets-stores';

/*
 * What the `repositories` entries become (sources in argo-cd-repositories.ts): for the capability,
 * repo-creds Secrets naming the secrets and the IAM policy of its role; for the chart,
 * ExternalSecrets of the external-secrets add-on's platform store.
 */

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
