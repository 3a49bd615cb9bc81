import { InstanceClass, InstanceSize, InstanceType } from 'aws-cdk-lib/aws-ec2';
import { z } from 'zod';

import { documented, firstDuplicate, integer, list, oneOf, strictObject, text } from './schema-kit';

/** AMI families we allow for managed node groups (Linux, x86_64 or arm64). */
export const NODE_GROUP_AMI_TYPES = [
  'BOTTLEROCKET_x86_64',
  'BOTTLEROCKET_ARM_64',
  'AL2023_x86_64_STANDARD',
  'AL2023_ARM_64_STANDARD',
] as const;
/** Purchasing options of a managed node group. */
export const CAPACITY_TYPES = ['SPOT', 'ON_DEMAND'] as const;
/** Node taint effects accepted by EKS managed node groups. */
export const TAINT_EFFECTS = ['NO_SCHEDULE', 'PREFER_NO_SCHEDULE', 'NO_EXECUTE'] as const;

const NODE_GROUP_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}$/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;
/**
 * The instance families and sizes aws-cdk-lib knows (its InstanceClass and InstanceSize): our
 * offline stand-in for EC2's list, so a typo such as `m5.lage` or `x9.large` fails at synth, not in
 * CloudFormation. A family newer than the pinned aws-cdk-lib needs an aws-cdk-lib upgrade.
 */
const FAMILIES = new Set<string>(Object.values(InstanceClass));
const SIZES = new Set<string>(Object.values(InstanceSize));
/** EC2 Mac instances run macOS only: they cannot join a cluster as nodes. */
const MAC_FAMILY = /^mac/;
/** The CPU architecture aws-cdk-lib gives an instance type, `undefined` when it cannot parse it. */
function architectureOf(type: string): string | undefined {
  try {
    return new InstanceType(type).architecture;
  } catch {
    return undefined;
  }
}

/** EKS service quota: managed node groups per cluster. */
const MAX_NODE_GROUPS = 30;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** EKS service quota: nodes per managed node group. */
const MAX_NODES = 450;
const NODES_ALLOWED = (min: number): string => `an integer from ${min} to ${MAX_NODES} (the EKS limit of nodes per managed node group)`;

/**
 * Label and taint keys of a managed node group: EKS takes keys of 1 to 63 characters, prefix
 * included (EKS API Reference, CreateNodegroup `labels` and Taint `key`:
 * https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html,
 * https://docs.aws.amazon.com/eks/latest/APIReference/API_Taint.html), and refuses both under the
 * Kubernetes and EKS domains: "Label cannot contain reserved prefixes [kubernetes.io/, k8s.io/,
 * eks.amazonaws.com/]" (InvalidParameterException, aws/containers-roadmap#1451, also for taints),
 * subdomains such as node-role.kubernetes.io/ included (eksctl-io/eksctl#4007). Kubernetes'
 * NodeRestriction admission would refuse most of them from the kubelet anyway.
 */
const MAX_NODE_GROUP_KEY = 63;
/**
 * Read as EKS words it ("cannot contain"): any key containing the text is refused, so
 * `notkubernetes.io/x` is too. Erring this way costs a rename; the other way, a failed deploy.
 */
const RESERVED_KEY_PREFIXES = ['kubernetes.io/', 'k8s.io/', 'eks.amazonaws.com/'] as const;

/** What a label or taint key of a managed node group may be; `what` is "label" or "taint". */
function keyAllowed(what: string): string {
  return `a Kubernetes ${what} key of at most ${MAX_NODE_GROUP_KEY} characters (prefix included) that does not contain ${RESERVED_KEY_PREFIXES.join(', ')} (EKS reserves them, subdomains included)`;
}

function isNodeGroupKey(key: string): boolean {
  return LABEL_KEY.test(key) && key.length <= MAX_NODE_GROUP_KEY && !RESERVED_KEY_PREFIXES.some((reserved) => key.includes(reserved));
}

/** EKS takes label values of 1 to 63 characters (CreateNodegroup `labels`), taint values of 0 to 63. */
const LABEL_VALUE_ALLOWED = 'a Kubernetes label value of 1 to 63 characters (EKS refuses an empty one)';
/** Kubernetes node labels: controllers select their nodes with them. Each bad key is named itself. */
export const labelsSchema = documented(
  z
    .record(
      z.string(),
      z.string(LABEL_VALUE_ALLOWED).regex(LABEL_VALUE, LABEL_VALUE_ALLOWED).min(1, LABEL_VALUE_ALLOWED),
      'an object of Kubernetes label keys to string values',
    )
    .superRefine((labels, ctx) => {
      for (const key of Object.keys(labels).filter((k) => !isNodeGroupKey(k))) {
        ctx.addIssue({ code: 'custom', path: [key], input: key, message: keyAllowed('label') });
      }
    }),
  { allowed: 'an object of Kubernetes label keys to string values' },
);

const taintSchema = strictObject(
  {
    key: documented(z.string(keyAllowed('taint')).trim().refine(isNodeGroupKey, keyAllowed('taint')), { allowed: keyAllowed('taint') }),
    value: documented(z.string('a string of at most 63 characters').regex(LABEL_VALUE, 'a string of at most 63 characters'), {
      allowed: 'a string of at most 63 characters',
    }).default(''),
    effect: oneOf(TAINT_EFFECTS),
  },
  'an object {key, value?, effect}',
);

/** Kubernetes validates node taints as "unique by key and effect pair" (pkg/apis/core/validation). */
const TAINTS_ALLOWED =
  'a list of {key, value?, effect}, each key and effect pair once (Kubernetes refuses a node with two taints of one key and effect)';

/** One EKS managed node group (compute mode `nodegroups`). */
export const nodeGroupSchema = strictObject(
  {
    name: text('letters, digits, "-" and "_", 1-63 characters, starting with a letter or digit', NODE_GROUP_NAME),
    amiType: oneOf(NODE_GROUP_AMI_TYPES),
    instanceTypes: list(
      z
        .string('an EC2 instance type such as m5.large')
        .regex(INSTANCE_TYPE, 'an EC2 instance type such as m5.large')
        .superRefine((type, ctx) => {
          const [family, size] = type.split('.');
          if (!FAMILIES.has(family) || !SIZES.has(size)) {
            ctx.addIssue({
              code: 'custom',
              input: type,
              message: `an EC2 instance type aws-cdk-lib knows (family ${FAMILIES.has(family) ? `"${family}" has no size "${size}"` : `"${family}" is unknown`}), e.g. m5.large`,
            });
          } else if (MAC_FAMILY.test(family)) {
            ctx.addIssue({
              code: 'custom',
              input: type,
              message: 'a Linux instance type: EC2 Mac instances run macOS and cannot be EKS nodes',
            });
          } else if (architectureOf(type) === undefined) {
            // The node group construct reads the architecture too: it would fail the synth with a stack trace.
            ctx.addIssue({
              code: 'custom',
              input: type,
              message: 'an instance type whose architecture aws-cdk-lib can tell (it cannot parse this identifier)',
            });
          }
        }),
      'a non-empty list of EC2 instance types, e.g. ["m5.large", "t3.medium"]',
    ).refine((types) => types.length > 0, 'a non-empty list of EC2 instance types, e.g. ["m5.large", "t3.medium"]'),
    capacityType: oneOf(CAPACITY_TYPES).default('ON_DEMAND'),
    minSize: integer(0, MAX_NODES, NODES_ALLOWED(0)),
    maxSize: integer(1, MAX_NODES, NODES_ALLOWED(1)),
    /** @default minSize */
    desiredSize: integer(0, MAX_NODES, NODES_ALLOWED(0)).optional(),
    /** Root volume size in GiB. */
    diskSize: integer(20, 16384).default(20),
    labels: labelsSchema.default({}),
    taints: list(taintSchema, TAINTS_ALLOWED)
      .superRefine((taints, ctx) => {
        const dup = firstDuplicate(taints.map((t) => `${t.key}:${t.effect}`));
        if (dup) ctx.addIssue({ code: 'custom', input: dup, message: TAINTS_ALLOWED });
      })
      .default([]),
  },
  'an object describing a managed node group',
).transform((group, ctx) => {
  const desiredSize = group.desiredSize ?? group.minSize;
  if (group.minSize > group.maxSize) {
    ctx.addIssue({ code: 'custom', path: ['minSize'], input: group.minSize, message: `at most maxSize (${group.maxSize})` });
  } else if (desiredSize < group.minSize || desiredSize > group.maxSize) {
    ctx.addIssue({
      code: 'custom',
      path: ['desiredSize'],
      input: desiredSize,
      message: `between minSize (${group.minSize}) and maxSize (${group.maxSize})`,
    });
  }
  const wantArm = group.amiType.includes('ARM_64');
  // aws-cdk-lib knows each family's architecture (a1 and the Graviton "g" families are arm64).
  const mismatched = group.instanceTypes.filter((t) => (architectureOf(t) === 'arm64') !== wantArm);
  if (mismatched.length > 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['instanceTypes'],
      input: mismatched,
      message: `instance types of the ${wantArm ? 'arm64 (Graviton)' : 'x86_64'} architecture of amiType ${group.amiType}`,
    });
  }
  return { ...group, desiredSize };
});

/** The node groups of compute mode `nodegroups`: at least one, names unique in the cluster. */
export const nodeGroupsSchema = z
  .array(nodeGroupSchema, 'a non-empty JSON array of node groups when compute is "nodegroups"')
  .min(1, 'a non-empty JSON array of node groups when compute is "nodegroups"')
  .max(MAX_NODE_GROUPS, `at most ${MAX_NODE_GROUPS} node groups (the EKS limit of managed node groups per cluster)`)
  .superRefine((groups, ctx) => {
    const dup = firstDuplicate(groups.map((g) => g.name));
    if (dup) ctx.addIssue({ code: 'custom', input: dup, message: 'node group names that are unique in the cluster' });
  });

/** One managed node group, validated and with its defaults. */
export type NodeGroupConfig = z.output<typeof nodeGroupSchema>;
/** A node taint. */
export type TaintConfig = NodeGroupConfig['taints'][number];
/** The AMI family of a node group. */
export type NodeGroupAmiType = (typeof NODE_GROUP_AMI_TYPES)[number];
/** The purchasing option of a node group. */
export type CapacityTypeName = (typeof CAPACITY_TYPES)[number];
/** A taint effect. */
export type TaintEffectName = (typeof TAINT_EFFECTS)[number];
