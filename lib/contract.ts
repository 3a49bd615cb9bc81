import type { Stack } from 'aws-cdk-lib';
import { CfnOutput, Fn } from 'aws-cdk-lib';
import type { EnvironmentNames } from './config';

/**
 * The contract between InfraStack and PlatformStack: the only values PlatformStack reads from
 * InfraStack, each a named CloudFormation export `<env>-infra:<Name>`.
 *
 * Named exports (not constructs passed across stacks) let each team deploy its stack alone.
 * Renaming or removing an entry breaks deployed PlatformStacks ("export in use"): add a new entry,
 * move PlatformStack to it, and only then drop the old one.
 */
export const INFRA_EXPORTS = {
  /** Name of the EKS cluster. */
  clusterName: 'ClusterName',
  /** The VPC the cluster runs in. */
  vpcId: 'VpcId',
  /** Comma-separated private subnet ids, one per AZ (the kubectl handler runs there). */
  privateSubnetIds: 'PrivateSubnetIds',
  /** The EKS-managed cluster security group; the kubectl handler uses it to reach the API server. */
  clusterSecurityGroupId: 'ClusterSecurityGroupId',
  /** Role assumed by PlatformStack's kubectl handler; its cluster access is granted in InfraStack. */
  kubectlRoleArn: 'KubectlRoleArn',
  /** The environment's KMS key for CloudWatch Logs, so PlatformStack's log groups are encrypted too. */
  logsKeyArn: 'LogsKeyArn',
  /**
   * The cluster's OIDC issuer URL (https://oidc.eks.<region>.amazonaws.com/id/<id>): add-ons that
   * must bind AWS credentials to a service account other than their own pods' trust it (IRSA).
   */
  oidcIssuerUrl: 'OidcIssuerUrl',
} as const;

export type InfraExportKey = keyof typeof INFRA_EXPORTS;

export function exportName(names: EnvironmentNames, key: InfraExportKey): string {
  return `${names.exportPrefix}:${INFRA_EXPORTS[key]}`;
}

/** Publishes every contract value; the Record type makes a missing one a compile error. */
export function publishInfraExports(
  stack: Stack,
  names: EnvironmentNames,
  values: Readonly<Record<InfraExportKey, string>>,
): void {
  for (const key of Object.keys(INFRA_EXPORTS) as InfraExportKey[]) {
    new CfnOutput(stack, `Export${INFRA_EXPORTS[key]}`, {
      value: values[key],
      exportName: exportName(names, key),
      description: `cdk-eks-platform contract: ${key}`,
    });
  }
}

/** Reads one contract value in PlatformStack. */
export function importInfraValue(names: EnvironmentNames, key: InfraExportKey): string {
  return Fn.importValue(exportName(names, key));
}

/** Reads a list-valued contract entry; `length` must be known at synth time to index it. */
export function importInfraList(names: EnvironmentNames, key: InfraExportKey, length: number): string[] {
  return Fn.split(',', importInfraValue(names, key), length);
}
