import type { Template } from 'aws-cdk-lib/assertions';
import { Annotations, Match } from 'aws-cdk-lib/assertions';

import {
  AWS_LOAD_BALANCER_CONTROLLER_CHART,
  AWS_LOAD_BALANCER_CONTROLLER_OPTIONS,
  AwsLoadBalancerControllerAddOn,
} from '../../addons/aws-load-balancer-controller';
import { ConfigError, docOf, Problems } from '../../lib/core/config';
import { helmReleases, nagFindings, synth } from '../helpers';
import { deployAlone } from '../support/addon-fixture';
import type { AnyStatement, Statement } from '../support/iam-policies';
import {
  allows,
  list,
  policies as policiesWithPrefix,
  resolve,
  statementBySid,
  statements as statementsWithPrefix,
} from '../support/iam-policies';

const PREFIX = 'AddOnsawsloadbalancercontroller';
const policies = (template: Template) => policiesWithPrefix(template, PREFIX);
const statements = (template: Template): Statement[] => statementsWithPrefix(template, PREFIX);
const bySid = (template: Template, sid: string): Statement => statementBySid(template, PREFIX, sid);

/** Deploy-time values replaced by the longest plausible strings, to measure a policy as IAM does. */
function resolveLongest(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolveLongest);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ('Ref' in o)
      return (
        ({ 'AWS::Partition': 'aws-us-gov', 'AWS::Region': 'ap-southeast-2', 'AWS::AccountId': '123456789012' } as Record<string, string>)[
          o.Ref as string
        ] ?? 'x'.repeat(64)
      );
    if ('Fn::Join' in o) {
      const [separator, parts] = o['Fn::Join'] as [string, unknown[]];
      return parts.map(resolveLongest).join(separator);
    }
    if ('Fn::ImportValue' in o) return 'vpc-0123456789abcdef0';
    if ('Fn::GetAtt' in o) return `arn:aws-us-gov:iam::123456789012:role/${'x'.repeat(64)}`;
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, resolveLongest(v)]));
  }
  return value;
}

/**
 * Every action of docs/install/iam_policy.json of kubernetes-sigs/aws-load-balancer-controller at
 * v3.4.0, the app version of the pinned chart 3.4.0.
 */
const UPSTREAM_ACTIONS = [
  'iam:CreateServiceLinkedRole',
  'ec2:DescribeAccountAttributes',
  'ec2:DescribeAddresses',
  'ec2:DescribeAvailabilityZones',
  'ec2:DescribeInternetGateways',
  'ec2:DescribeVpcs',
  'ec2:DescribeVpcPeeringConnections',
  'ec2:DescribeSubnets',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeInstances',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeTags',
  'ec2:GetCoipPoolUsage',
  'ec2:DescribeCoipPools',
  'ec2:GetSecurityGroupsForVpc',
  'ec2:DescribeIpamPools',
  'ec2:DescribeRouteTables',
  'elasticloadbalancing:DescribeLoadBalancers',
  'elasticloadbalancing:DescribeLoadBalancerAttributes',
  'elasticloadbalancing:DescribeListeners',
  'elasticloadbalancing:DescribeListenerCertificates',
  'elasticloadbalancing:DescribeSSLPolicies',
  'elasticloadbalancing:DescribeRules',
  'elasticloadbalancing:DescribeTargetGroups',
  'elasticloadbalancing:DescribeTargetGroupAttributes',
  'elasticloadbalancing:DescribeTargetHealth',
  'elasticloadbalancing:DescribeTags',
  'elasticloadbalancing:DescribeTrustStores',
  'elasticloadbalancing:DescribeListenerAttributes',
  'elasticloadbalancing:DescribeCapacityReservation',
  'cognito-idp:DescribeUserPoolClient',
  'acm:ListCertificates',
  'acm:DescribeCertificate',
  'iam:ListServerCertificates',
  'iam:GetServerCertificate',
  'waf-regional:GetWebACL',
  'waf-regional:GetWebACLForResource',
  'waf-regional:AssociateWebACL',
  'waf-regional:DisassociateWebACL',
  'wafv2:GetWebACL',
  'wafv2:GetWebACLForResource',
  'wafv2:AssociateWebACL',
  'wafv2:DisassociateWebACL',
  'shield:GetSubscriptionState',
  'shield:DescribeProtection',
  'shield:CreateProtection',
  'shield:DeleteProtection',
  'ec2:AuthorizeSecurityGroupIngress',
  'ec2:RevokeSecurityGroupIngress',
  'ec2:CreateSecurityGroup',
  'ec2:CreateTags',
  'ec2:DeleteTags',
  'ec2:DeleteSecurityGroup',
  'elasticloadbalancing:CreateLoadBalancer',
  'elasticloadbalancing:CreateTargetGroup',
  'elasticloadbalancing:CreateListener',
  'elasticloadbalancing:DeleteListener',
  'elasticloadbalancing:CreateRule',
  'elasticloadbalancing:DeleteRule',
  'elasticloadbalancing:AddTags',
  'elasticloadbalancing:RemoveTags',
  'elasticloadbalancing:ModifyLoadBalancerAttributes',
  'elasticloadbalancing:SetIpAddressType',
  'elasticloadbalancing:SetSecurityGroups',
  'elasticloadbalancing:SetSubnets',
  'elasticloadbalancing:DeleteLoadBalancer',
  'elasticloadbalancing:ModifyTargetGroup',
  'elasticloadbalancing:ModifyTargetGroupAttributes',
  'elasticloadbalancing:DeleteTargetGroup',
  'elasticloadbalancing:ModifyListenerAttributes',
  'elasticloadbalancing:ModifyCapacityReservation',
  'elasticloadbalancing:ModifyIpPools',
  'elasticloadbalancing:RegisterTargets',
  'elasticloadbalancing:DeregisterTargets',
  'elasticloadbalancing:SetWebAcl',
  'elasticloadbalancing:ModifyListener',
  'elasticloadbalancing:AddListenerCertificates',
  'elasticloadbalancing:RemoveListenerCertificates',
  'elasticloadbalancing:ModifyRule',
  'elasticloadbalancing:SetRulePriorities',
];
/** Writes of WAF Classic and Shield Advanced, whose reconcilers the chart values turn off. */
const OMITTED_ACTIONS = [
  'waf-regional:AssociateWebACL',
  'waf-regional:DisassociateWebACL',
  'shield:CreateProtection',
  'shield:DeleteProtection',
];

describe('aws-load-balancer-controller', () => {
  const app = deployAlone(new AwsLoadBalancerControllerAddOn(), { compute: 'nodegroups' });
  const template = app.template;
  const release = helmReleases(template)['aws-load-balancer-controller'];

  test('pinned chart in kube-system, the alb IngressClass, no Service mutator, HA', () => {
    expect(release).toMatchObject({
      Chart: 'aws-load-balancer-controller',
      Repository: 'https://aws.github.io/eks-charts',
      Version: '3.4.0',
      Namespace: 'kube-system',
      Values: {
        region: 'us-west-2',
        replicaCount: 2,
        podDisruptionBudget: { maxUnavailable: 1 },
        serviceAccount: { create: true, name: 'aws-load-balancer-controller' },
        createIngressClassResource: true,
        ingressClass: 'alb',
        enableServiceMutatorWebhook: false,
        enableWaf: false,
        enableShield: false,
        enableWafv2: true,
      },
    });
    expect(AWS_LOAD_BALANCER_CONTROLLER_CHART.version).toBe('3.4.0');
  });

  test('cluster name and VPC id come from the InfraStack exports (IMDS is not reachable from pods)', () => {
    template.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', {
      Release: 'aws-load-balancer-controller',
      Values: {
        'Fn::Join': ['', Match.arrayWith([{ 'Fn::ImportValue': 'dev-infra:ClusterName' }, { 'Fn::ImportValue': 'dev-infra:VpcId' }])],
      },
    });
    expect(release.Values).toMatchObject({ clusterName: '<deploy-time>', vpcId: '<deploy-time>' });
  });

  test('publishes the class names workloads need', () => {
    expect(AwsLoadBalancerControllerAddOn.INGRESS_CLASS).toBe('alb');
    expect(AwsLoadBalancerControllerAddOn.NLB_LOAD_BALANCER_CLASS).toBe('service.k8s.aws/nlb');
    expect(release.Values.ingressClass).toBe(AwsLoadBalancerControllerAddOn.INGRESS_CLASS);
  });

  test('Pod Identity for kube-system/aws-load-balancer-controller, with both managed policies on its role', () => {
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
      ClusterName: { 'Fn::ImportValue': 'dev-infra:ClusterName' },
      Namespace: 'kube-system',
      ServiceAccount: 'aws-load-balancer-controller',
    });
    const [roleId] = Object.keys(
      template.findResources('AWS::IAM::Role', {
        Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'pods.eks.amazonaws.com' } })] } },
      }),
    );
    const policyIds = Object.keys(policies(template));
    expect(policyIds).toHaveLength(2);
    template.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: [{ Ref: policyIds.find((id) => id.includes('PodIdentityPolicy')) }],
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', { Roles: [{ Ref: roleId }] });
  });

  test('the chart waits for its Pod Identity and both policies', () => {
    const association = Object.keys(template.findResources('AWS::EKS::PodIdentityAssociation'))[0];
    expect(release.DependsOn).toEqual(expect.arrayContaining([association, ...Object.keys(policies(template))]));
  });

  test("load balancers, target groups and security groups are created and changed only with this cluster's tag", () => {
    expect(bySid(template, 'CreateTaggedLoadBalancersAndTargetGroups')).toMatchObject({
      Action: ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'],
      Condition: { StringEquals: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'dev-eks' } },
    });
    expect(bySid(template, 'ManageOwnLoadBalancersAndTargetGroups')).toMatchObject({
      Action: expect.arrayContaining(['elasticloadbalancing:DeleteLoadBalancer', 'elasticloadbalancing:DeleteTargetGroup']),
      Condition: { StringEquals: { 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'dev-eks' } },
    });
    expect(bySid(template, 'ManageOwnSecurityGroups')).toMatchObject({
      Action: expect.arrayContaining(['ec2:DeleteSecurityGroup']),
      Condition: { StringEquals: { 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'dev-eks' } },
    });
    // Tag edits can never add, change or drop the ownership tag.
    for (const sid of ['RetagOwnSecurityGroups', 'RetagOwnLoadBalancersAndTargetGroups']) {
      expect(bySid(template, sid).Condition?.Null).toEqual({ 'aws:RequestTag/elbv2.k8s.aws/cluster': 'true' });
    }
  });

  test('security-group rules change only in the cluster VPC; the service-linked role only for ELB', () => {
    const vpcArn = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':ec2:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':vpc/',
          { 'Fn::ImportValue': 'dev-infra:VpcId' },
        ],
      ],
    };
    expect(bySid(template, 'OpenNodeSecurityGroupsInClusterVpc').Condition).toEqual({ ArnEquals: { 'ec2:Vpc': vpcArn } });
    expect(list(bySid(template, 'CreateSecurityGroupsInClusterVpc').Resource)).toContainEqual(vpcArn);
    expect(bySid(template, 'CreateElbServiceLinkedRole')).toMatchObject({
      Action: 'iam:CreateServiceLinkedRole',
      Resource: {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':iam::',
            { Ref: 'AWS::AccountId' },
            ':role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing',
          ],
        ],
      },
      Condition: { StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } },
    });
  });

  test('grants every action of the upstream v3.4.0 policy except the WAF Classic and Shield writes', () => {
    const granted = new Set(statements(template).flatMap((s) => list(s.Action)));
    expect([...granted].sort()).toEqual(UPSTREAM_ACTIONS.filter((a) => !OMITTED_ACTIONS.includes(a)).sort());
  });

  test('a WAFv2 web ACL can be associated with an ALB of the cluster (enableWafv2 is on)', () => {
    const policy = resolve(statements(template)) as AnyStatement[];
    const alb = 'arn:aws:elasticloadbalancing:us-west-2:111122223333:loadbalancer/app/k8s-game2048-ingress/0123456789abcdef';
    const webAcl = 'arn:aws:wafv2:us-west-2:111122223333:regional/webacl/platform/0123-4567';
    for (const action of ['wafv2:AssociateWebACL', 'wafv2:DisassociateWebACL']) {
      expect(allows(policy, { action, resource: webAcl }) && allows(policy, { action, resource: alb })).toBe(true);
    }
    expect(allows(policy, { action: 'elasticloadbalancing:SetWebAcl', resource: alb })).toBe(true);
    expect(allows(policy, { action: 'elasticloadbalancing:SetWebAcl', resource: alb.replace('111122223333', '444455556666') })).toBe(false);
  });

  test('"*" resources carry reads only, every other resource is an ARN in this account', () => {
    for (const statement of statements(template)) {
      for (const resource of list(statement.Resource)) {
        if (resource === '*') {
          expect(list(statement.Action).filter((a) => !/^[a-z0-9-]+:(Describe|Get|List)/.test(a))).toEqual([]);
        } else {
          expect(JSON.stringify(resource)).toContain('{"Ref":"AWS::AccountId"}');
        }
      }
    }
  });

  test('each policy stays under the 6,144-character IAM limit, even for the longest environment name', () => {
    const longest = deployAlone(new AwsLoadBalancerControllerAddOn(), { compute: 'nodegroups', environment: 'a'.repeat(20) });
    for (const document of Object.values(policies(longest.template))) {
      expect(JSON.stringify(resolveLongest(document)).length).toBeLessThan(6144);
    }
  });

  test('renders no Kubernetes objects of its own (the chart owns the IngressClass)', () => {
    const manifests = Object.keys(template.findResources('Custom::AWSCDK-EKS-KubernetesResource')).filter((id) => id.startsWith(PREFIX));
    expect(manifests).toEqual([]);
  });

  test('zero unacknowledged nag findings', () => {
    expect(nagFindings(app)).toEqual([]);
  });
});

describe('aws-load-balancer-controller options and compute modes', () => {
  test('replicas, placement and values are applied', () => {
    const { template } = deployAlone(
      new AwsLoadBalancerControllerAddOn({
        replicas: 1,
        nodeSelector: { 'workload-type': 'ops' },
        values: { logLevel: 'debug' },
      }),
      { compute: 'nodegroups' },
    );
    expect(helmReleases(template)['aws-load-balancer-controller'].Values).toMatchObject({
      replicaCount: 1,
      podDisruptionBudget: {},
      nodeSelector: { 'workload-type': 'ops' },
      tolerations: [],
      logLevel: 'debug',
    });
  });

  test('options from configuration: bad ones reported with their keys', () => {
    const p = new Problems();
    p.collect(() => AwsLoadBalancerControllerAddOn.registration.create({ replicas: 0, version: '3.x', ingressClass: 'nginx' }));
    expect(p.count).toBe(3);
    expect(() => p.throwIfAny()).toThrow(/addons\.aws-load-balancer-controller\.replicas: got 0; allowed: an integer from 1 to 10/);
    expect(() => p.throwIfAny()).toThrow(
      /addons\.aws-load-balancer-controller\.ingressClass: got "nginx"; allowed: (a known key|one of the keys)/,
    );
    expect(() => p.throwIfAny()).toThrow(/addons\.aws-load-balancer-controller\.version: got "3\.x"/);
    const ok = new Problems();
    const addon = ok.collect(() =>
      AwsLoadBalancerControllerAddOn.registration.create({ replicas: 3, version: '3.4.0' }),
    ) as AwsLoadBalancerControllerAddOn;
    expect(ok.count).toBe(0);
    expect(addon.chart.version).toBe('3.4.0');
  });

  test("keeps the chart's CRDs and refuses another chart version, whose CRDs Helm would not upgrade", () => {
    const pinned = deployAlone(new AwsLoadBalancerControllerAddOn(), { compute: 'nodegroups' });
    expect(helmReleases(pinned.template)['aws-load-balancer-controller']).not.toHaveProperty('SkipCrds');
    expect(Annotations.fromStack(pinned.stack).findError('*', Match.anyValue())).toEqual([]);
    // A configuration error, in code as in cdk.json, before anything is built.
    expect(() => new AwsLoadBalancerControllerAddOn({ version: '3.5.0' })).toThrow(ConfigError);
    expect(() => new AwsLoadBalancerControllerAddOn({ version: '3.5.0' })).toThrow(
      'addons.aws-load-balancer-controller.version: got "3.5.0"; allowed: the tested chart version 3.4.0',
    );
    expect(docOf(AWS_LOAD_BALANCER_CONTROLLER_OPTIONS.shape.version).description).toMatch(
      /crds\/, which Helm installs on the first install and never upgrades.*helm show crds eks\/aws-load-balancer-controller/,
    );
  });

  test('on Auto Mode it is refused with the built-in alternative', () => {
    expect(() => synth({ compute: 'auto', addons: '' }, [new AwsLoadBalancerControllerAddOn()])).toThrow(
      /"aws-load-balancer-controller" is built into EKS Auto Mode: .*auto-mode-ingress.*eks\.amazonaws\.com\/nlb/,
    );
  });
});
