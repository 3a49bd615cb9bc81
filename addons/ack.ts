import { join } from 'node:path';

import type { CfnCapability } from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { z } from 'zod';

import { acknowledge } from '../lib/core/compliance/acknowledge';
import type { PlatformConfig } from '../lib/core/config';
import { documented, flag, list, oneOf, Problems, strictObject, text } from '../lib/core/config';
import { AccessPolicyAssociation } from './core/access-policy-association';
import type { AddOnContext, PlatformAddOn } from './core/addon';
import { checkArnScope } from './core/arn';
import { EksCapability, policyArn } from './core/capability';
import type { OptionsInput } from './core/options';
import { addOnOptions, distinct } from './core/options';
import type { AddOnRegistration } from './core/registration';
import { registerAddOn } from './core/registration';

/*
 * The EKS Capability for AWS Controllers for Kubernetes (ACK): AWS resources as Kubernetes objects,
 * reconciled by controllers EKS runs off the cluster. Sources, read 2026-12-01: EKS user guide
 * (awsdocs/amazon-eks-user-guide) capabilities/ack-permissions.adoc, create-ack-capability.adoc
 * (admin-scoped: anyone who may create ACK objects creates AWS resources with the role's rights),
 * security/capabilities-security.adoc; EKS API reference AckConfigRequest (disabledServices: at
 * most 200 names matching ^[a-z][a-z0-9]*$, 1-63 characters; enableCrossNamespace default false).
 */

/**
 * The AWS managed policy each ACK controller recommends (config/iam/recommended-policy-arn of
 * aws-controllers-k8s/<service>-controller). Other services: pass their policies as policyArns.
 */
export const ACK_SERVICE_POLICIES = {
  s3: 'AmazonS3FullAccess',
  sqs: 'AmazonSQSFullAccess',
  rds: 'AmazonRDSFullAccess',
  secretsmanager: 'SecretsManagerReadWrite',
  lambda: 'AWSLambda_FullAccess',
} as const;

type AckService = keyof typeof ACK_SERVICE_POLICIES;

/**
 * ACK controllers that read Kubernetes Secrets (database passwords and the like) and so need the
 * access policy AmazonEKSSecretReaderPolicy on the capability's access entry. EKS user guide,
 * "Security considerations for EKS Capabilities", section "Additional Kubernetes permissions"
 * (docs.aws.amazon.com/eks/latest/userguide/capabilities-security.html, read 2026-12-07): acm,
 * acmpca, documentdb, memorydb, mq, rds, secretsmanager; scope it to the namespaces whose ACK
 * resources reference secrets, or cluster-wide. Of the services this add-on knows: rds, secretsmanager.
 */
export const SECRET_READING_SERVICES: readonly AckService[] = ['rds', 'secretsmanager'];
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const SERVICES = Object.keys(ACK_SERVICE_POLICIES) as [AckService, ...AckService[]];
const SERVICE_NAME = /^[a-z][a-z0-9]{0,62}$/;
const MAX_DISABLED = 200;
const DISABLED_ALLOWED = `a list of at most ${MAX_DISABLED} ACK service names (lower-case letters and digits, e.g. iam, ec2)`;

/** Options of {@link AckAddOn}, in configuration and in code. */
export const ACK_OPTIONS = strictObject(
  {
    // services and policyArns stay unset when not given: `requiredSettings` asks for one of them.
    /** @default - none; services or policyArns is required */
    services: documented(distinct(list(oneOf(SERVICES), `a list of ${SERVICES.join(', ')}`), 'service'), {
      description: `AWS services ACK manages with the AWS managed policy its controller recommends (${SERVICES.map((s) => `${s}: ${ACK_SERVICE_POLICIES[s]}`).join(', ')}). Default: none; services or policyArns is required.`,
    }).optional(),
    /** @default - none; services or policyArns is required */
    policyArns: documented(distinct(list(policyArn(), 'a list of IAM policy ARNs'), 'policy ARN'), {
      description:
        'IAM policies (ARNs) attached to the capability role: what ACK may do in AWS. Default: none; services or policyArns is required.',
    }).optional(),
    /** @default - none; required */
    permissionsBoundaryArn: documented(policyArn(), {
      description:
        'Permissions boundary of the capability role (required: ACK creates AWS resources, IAM included, for anyone who may create its Kubernetes objects). Make the boundary also demand itself on iam:CreateRole, or roles ACK creates escape it.',
    }).optional(),
    disabledServices: documented(
      distinct(
        list(text('an ACK service name (lower-case letters and digits, e.g. iam)', SERVICE_NAME), DISABLED_ALLOWED),
        'service name',
      ).refine((names) => names.length <= MAX_DISABLED, DISABLED_ALLOWED),
      {
        allowed: DISABLED_ALLOWED,
        description:
          'ACK controllers EKS turns off (their resources are not reconciled), e.g. ["iam", "ec2"]; with none, EKS runs every controller.',
      },
    ).default([]),
    /** @default - cluster-wide, when a secret-reading service is selected */
    secretReaderNamespaces: documented(
      distinct(list(text('a Kubernetes namespace name', NAMESPACE), 'a list of Kubernetes namespace names'), 'namespace'),
      {
        description: `Namespaces whose Secrets the ACK controllers that read them (${SECRET_READING_SERVICES.join(', ')}) may read: the scope of AmazonEKSSecretReaderPolicy, which the add-on associates with the capability's access entry when one of those services is selected. Default: cluster-wide.`,
      },
    ).optional(),
    /** @default - EKS's default (false): left out of the capability's configuration */
    enableCrossNamespace: documented(flag(), {
      description: "Let ACK resolve references to resources in other namespaces. Default false (EKS's default).",
    }).optional(),
  },
  'an object of ack options',
);

/** Props for {@link AckAddOn}. */
export type AckAddOnProps = OptionsInput<typeof ACK_OPTIONS>;

/** Settings ACK cannot work safely without; every missing one is reported. */
function requiredSettings(prefix: string, raw: unknown): Problems {
  const p = new Problems();
  const options = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const none = (list: unknown): boolean => list === undefined || (Array.isArray(list) && list.length === 0);
  if (options.services === undefined && options.policyArns === undefined) {
    p.missing(`${prefix}.policyArns`, 'services or policyArns is required (the capability role has no AWS permissions otherwise)');
  } else if (none(options.services) && none(options.policyArns)) {
    // Given, but empty: the role would still have no AWS permissions.
    const key = options.services !== undefined ? 'services' : 'policyArns';
    p.add(
      `${prefix}.${key}`,
      options[key],
      'at least one entry in services or policyArns (the capability role has no AWS permissions otherwise)',
    );
  }
  if (options.permissionsBoundaryArn === undefined) {
    p.missing(
      `${prefix}.permissionsBoundaryArn`,
      'required (ACK acts with the role for anyone who may create its Kubernetes objects: the boundary caps what that can reach)',
    );
  }
  return p;
}

/**
 * AWS Controllers for Kubernetes as an EKS Capability: S3 buckets, RDS databases, IAM roles and
 * more as Kubernetes objects, with the role's policies and a required permissions boundary.
 */
export class AckAddOn implements PlatformAddOn {
  static readonly ID = 'ack';
  static readonly registration: AddOnRegistration = registerAddOn({
    id: AckAddOn.ID,
    summary: 'AWS Controllers for Kubernetes as an EKS Capability (AWS resources as Kubernetes objects, role with a permissions boundary)',
    options: ACK_OPTIONS,
    create: (props) => new AckAddOn(props),
    docs: {
      prose: join(__dirname, 'ack.md'),
      example: { services: ['s3'], permissionsBoundaryArn: 'arn:aws:iam::111122223333:policy/AckBoundary' },
    },
  });
  readonly id = AckAddOn.ID;
  readonly computeModes = ['auto', 'nodegroups'] as const;
  readonly namespaces: readonly string[] = [];
  private readonly options: z.output<typeof ACK_OPTIONS>;

  constructor(props: AckAddOnProps = {}) {
    const p = requiredSettings(`addons.${AckAddOn.ID}`, props);
    const options = p.collect(() => addOnOptions(AckAddOn.ID, ACK_OPTIONS, props));
    p.throwIfAny();
    this.options = options as z.output<typeof ACK_OPTIONS>;
  }

  /** IAM attaches only AWS managed policies and this account's own, of this partition, to a role. */
  checkConfiguration(p: Problems, config: PlatformConfig): void {
    const key = `addons.${AckAddOn.ID}`;
    const scope = {
      sameAccount: true,
      awsManaged: true,
      why: "IAM attaches AWS managed policies and the role's own account's policies only",
    };
    (this.options.policyArns ?? []).forEach((arn, i) => checkArnScope(p, `${key}.policyArns[${i}]`, arn, config, scope));
    if (this.options.permissionsBoundaryArn !== undefined) {
      checkArnScope(p, `${key}.permissionsBoundaryArn`, this.options.permissionsBoundaryArn, config, scope);
    }
  }

  deploy(scope: Construct, context: AddOnContext): void {
    const { services = [], policyArns = [], disabledServices, enableCrossNamespace } = this.options;
    const boundaryArn = this.options.permissionsBoundaryArn as string;
    const ack: CfnCapability.AckProperty = {
      ...(disabledServices.length > 0 ? { disabledServices: [...disabledServices] } : {}),
      ...(enableCrossNamespace !== undefined ? { enableCrossNamespace } : {}),
    };
    const capability = new EksCapability(scope, 'Ack', {
      cluster: context.cluster,
      configuration: Object.keys(ack).length > 0 ? { ack } : undefined,
      type: 'ACK',
      capabilityName: 'ack',
      purpose: 'AWS Controllers for Kubernetes',
      managedPolicies: [
        ...services.map((s) => iam.ManagedPolicy.fromAwsManagedPolicyName(ACK_SERVICE_POLICIES[s])),
        ...policyArns.map((arn, i) => iam.ManagedPolicy.fromManagedPolicyArn(scope, `Policy${i}`, arn)),
      ],
      permissionsBoundary: iam.ManagedPolicy.fromManagedPolicyArn(scope, 'Boundary', boundaryArn),
    });
    if (services.some((s) => SECRET_READING_SERVICES.includes(s))) {
      // EKS creates the access entry with the capability; the association comes after it.
      const reader = new AccessPolicyAssociation(scope, 'SecretReader', {
        cluster: context.cluster,
        vpc: context.vpc,
        names: context.names,
        logsKey: context.logsKey,
        logRetention: context.config.logRetentionDays as logs.RetentionDays,
        principalArn: capability.role.roleArn,
        policyName: 'AmazonEKSSecretReaderPolicy',
        namespaces: this.options.secretReaderNamespaces,
      });
      reader.node.addDependency(capability.resource);
    }
    const awsManaged = [
      ...services.map((s) => `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${ACK_SERVICE_POLICIES[s]}]`),
      ...policyArns.filter((arn) => /:iam::aws:policy\//.test(arn)).map((arn) => `AwsSolutions-IAM4[Policy::${arn}]`),
    ];
    if (awsManaged.length > 0) {
      acknowledge(
        capability.role,
        'ACK manages the AWS resources of the services the user selected; the AWS managed policies are the ones each ACK ' +
          'controller recommends (or the user named them), and the required permissions boundary caps what the role can do.',
        awsManaged,
      );
    }
  }
}
