import { createHash } from 'node:crypto';

import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';

import type { AccessEntryConfig } from '../../core/config';

/** Props for {@link ClusterAccess}. */
export interface ClusterAccessProps {
  readonly cluster: eks.Cluster;
  /** The entries decided by the infrastructure team; principals are unique (validated). */
  readonly entries: readonly AccessEntryConfig[];
}

/**
 * One access entry per principal. The construct id comes from the principal ARN, not the list
 * position: reordering the list must not replace entries, because a replacement creates the new
 * entry before deleting the old one and EKS rejects two entries for one principal.
 */
export class ClusterAccess extends Construct {
  constructor(scope: Construct, id: string, props: ClusterAccessProps) {
    super(scope, id);
    for (const entry of props.entries) {
      new eks.AccessEntry(this, principalId(entry.principalArn), {
        cluster: props.cluster,
        principal: entry.principalArn,
        accessPolicies: [
          eks.AccessPolicy.fromAccessPolicyName(entry.policy, {
            accessScopeType: entry.scope === 'cluster' ? eks.AccessScopeType.CLUSTER : eks.AccessScopeType.NAMESPACE,
            namespaces: entry.scope === 'namespace' ? [...entry.namespaces] : undefined,
          }),
        ],
      });
    }
  }
}

/** A readable, stable construct id for a principal: its name plus a short hash of the full ARN. */
export function principalId(principalArn: string): string {
  const name =
    principalArn
      .split('/')
      .pop()
      ?.replace(/[^A-Za-z0-9]/g, '') ?? 'Principal';
  const hash = createHash('sha256').update(principalArn).digest('hex').slice(0, 8);
  return `${name.slice(0, 40)}${hash}`;
}
