import type { Stack } from 'aws-cdk-lib';
import { CfnOutput, Fn } from 'aws-cdk-lib';

import type { EnvironmentNames } from '../core/config';

/**
 * The contract between InfraStack and PlatformStack: the only values PlatformStack reads from
 * InfraStack, each a named CloudFormation export `<env>-infra:<Name>`.
 *
 * Named exports (not constructs passed across stacks) let each team deploy its stack alone.
 * Renaming or removing an entry breaks deployed PlatformStacks ("export in use"): add a new entry,
 * move PlatformStack to it, and only then drop the old one.
 */
export const INFRA_CONTRACT = {
  clusterName: {
    name: 'ClusterName',
    value: 'the EKS cluster name',
    usedFor: 'the imported cluster handle',
  },
  vpcId: {
    name: 'VpcId',
    value: 'the cluster VPC',
    usedFor: 'the imported VPC handle; published in the environment ConfigMap',
  },
  privateSubnetIds: {
    name: 'PrivateSubnetIds',
    value: 'private subnet ids, one per AZ, comma-separated',
    usedFor: 'where the kubectl handler and the other Lambda functions run',
  },
  clusterSecurityGroupId: {
    name: 'ClusterSecurityGroupId',
    value: 'the EKS-managed cluster security group',
    usedFor: "the kubectl handler's network access to the API server; add-ons that open ports to the nodes",
  },
  kubectlRoleArn: {
    name: 'KubectlRoleArn',
    value: "role of PlatformStack's kubectl handler",
    usedFor: "the handler's identity; its cluster-admin access entry is granted in InfraStack",
  },
  logsKeyArn: {
    name: 'LogsKeyArn',
    value: "the environment's KMS key for CloudWatch Logs",
    usedFor: "encrypting PlatformStack's log groups",
  },
  oidcIssuerUrl: {
    name: 'OidcIssuerUrl',
    value: "the cluster's OIDC issuer URL (https://oidc.eks.<region>.amazonaws.com/id/<id>)",
    usedFor: "add-ons that bind AWS credentials to a service account other than their own pods' (IRSA)",
  },
} as const satisfies Readonly<Record<string, ContractEntry>>;

/** One value that crosses the stack boundary; docs/architecture.md's table is generated from these. */
export interface ContractEntry {
  /** The export's name after `<env>-infra:`. */
  readonly name: string;
  /** What the value is. */
  readonly value: string;
  /** What PlatformStack uses it for. */
  readonly usedFor: string;
}

/** Export name (after `<env>-infra:`) of each contract value. */
export const INFRA_EXPORTS = Object.fromEntries(Object.entries(INFRA_CONTRACT).map(([key, entry]) => [key, entry.name])) as {
  readonly [K in keyof typeof INFRA_CONTRACT]: (typeof INFRA_CONTRACT)[K]['name'];
};

export type InfraExportKey = keyof typeof INFRA_CONTRACT;

export function exportName(names: EnvironmentNames, key: InfraExportKey): string {
  return `${names.exportPrefix}:${INFRA_EXPORTS[key]}`;
}

/** Publishes every contract value; the Record type makes a missing one a compile error. */
export function publishInfraExports(stack: Stack, names: EnvironmentNames, values: Readonly<Record<InfraExportKey, string>>): void {
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
