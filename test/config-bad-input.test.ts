import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

import { loadConfig, TAGS_THE_APP_ADDS } from '../lib/core/config';
import { parseJsonText } from '../lib/core/config/json-text';
import { limitManagedPoliciesPerRole } from '../lib/stacks/infra/managed-policy-quota';
import { planProblems, synth } from './helpers';

/*
 * Input that AWS, EKS or Kubernetes would refuse at deploy time (or silently misread) is refused
 * at synth, naming the key, the value and what is allowed; tricky input they take is accepted.
 */

const ADMIN = 'arn:aws:iam::111122223333:role/Admin';
const GROUP = { name: 'a', amiType: 'BOTTLEROCKET_x86_64', instanceTypes: ['m5.large'], minSize: 1, maxSize: 2 };
/** A group for Karpenter's controller (a default add-on on node groups), which needs one labelled for it. */
const CONTROLLER_GROUP = { ...GROUP, name: 'controllers', minSize: 2, maxSize: 3, labels: { 'karpenter.sh/controller': 'true' } };
/** The group under test, beside one labelled for Karpenter's controller (the default add-ons need it). */
const nodegroups = (fields: Record<string, unknown>): Record<string, unknown> => ({
  compute: 'nodegroups',
  nodeGroups: [{ ...GROUP, ...fields }, CONTROLLER_GROUP],
});
const tags = (count: number): Record<string, string> => Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, 'v']));
const team = (fields: Record<string, unknown>): Record<string, unknown> => ({ teams: [{ name: 'web', ...fields }] });

const problemsOf = planProblems;

describe('bad input is refused with the key, the value and what is allowed', () => {
  test.each<[string, Record<string, unknown>, string]>([
    // JSON text (-c key='...') whose object repeats a key: JSON.parse would keep only the last.
    [
      'a repeated key in a node group',
      {
        compute: 'nodegroups',
        nodeGroups: '[{"name":"a","amiType":"BOTTLEROCKET_x86_64","instanceTypes":["m5.large"],"minSize":1,"maxSize":2,"maxSize":5}]',
      },
      'nodeGroups: got "[{"name":"a","amiType"',
    ],
    [
      'the repeated key is named',
      {
        compute: 'nodegroups',
        nodeGroups: '[{"name":"a","amiType":"BOTTLEROCKET_x86_64","instanceTypes":["m5.large"],"minSize":1,"maxSize":2,"maxSize":5}]',
      },
      'allowed: JSON without a repeated key in one object ([0].maxSize is given twice; JSON keeps only the last)',
    ],
    [
      'a repeated key, escaped differently',
      { tags: '{"team":"a","t\\u0065am":"b"}' },
      'tags: got "{"team":"a","t\\u0065am":"b"}"; allowed: JSON without a repeated key in one object (team is given twice',
    ],
    [
      'a repeated add-on id',
      { addons: '{"metrics-server":true,"metrics-server":{"replicas":3}}' },
      'allowed: JSON without a repeated key in one object (metrics-server is given twice',
    ],
    [
      'a repeated key deep in a team',
      { teams: '[{"name":"a","quota":{"cpu":"1","cpu":"2"}}]' },
      'teams: got "[{"name":"a","quota":{"cpu":"1","cpu":"2"}}]"; allowed: JSON without a repeated key in one object ([0].quota.cpu is given twice',
    ],
    // Kubernetes versions given as JSON numbers that do not print back as written.
    [
      'a version number that rounds to a supported one',
      { kubernetesVersion: 1.345 },
      'kubernetesVersion: got 1.345; allowed: 1.34, 1.35, 1.36, as a string (quote it: as a JSON number 1.30 reads as 1.3)',
    ],
    [
      'a version number with a dropped zero',
      { kubernetesVersion: 1.3 },
      'kubernetesVersion: got 1.3; allowed: 1.34, 1.35, 1.36, as a string (quote it',
    ],
    // Regions and AZs that do not exist.
    [
      'a region that does not exist',
      { region: 'us-west-9' },
      'region: got "us-west-9"; allowed: an AWS region name aws-cdk-lib knows (its RegionInfo list), e.g. us-west-2',
    ],
    ['a made-up region name', { region: 'eu-moon-1' }, 'region: got "eu-moon-1"; allowed: an AWS region name aws-cdk-lib knows'],
    [
      'an AZ letter past f',
      { availabilityZones: 'us-west-2a,us-west-2z', azCount: 2 },
      'availabilityZones: got "us-west-2a,us-west-2z"; allowed: 2 distinct AZ names of region us-west-2 (azCount), each the region and a letter a to f',
    ],
    // CIDRs with leading zeros.
    ['a VPC CIDR with a leading zero', { vpcCidr: '10.01.0.0/16' }, 'vpcCidr: got "10.01.0.0/16"; allowed: a private (RFC 1918) IPv4 CIDR'],
    [
      'a public CIDR with a leading zero',
      { publicAccessCidrs: '203.0.113.00/24' },
      'publicAccessCidrs: got "203.0.113.00/24"; allowed: public IPv4 CIDRs',
    ],
    // ARNs of another partition, IAM names over their limits.
    [
      'a China principal in a commercial region',
      { clusterAdmins: 'arn:aws-cn:iam::111122223333:role/Admin' },
      'clusterAdmins[0]: got "arn:aws-cn:iam::111122223333:role/Admin"; allowed: an ARN of partition aws, the partition of region us-west-2',
    ],
    [
      'a commercial principal in GovCloud',
      {
        region: 'us-gov-west-1',
        availabilityZones: 'us-gov-west-1a,us-gov-west-1b,us-gov-west-1c',
        accessEntries: [{ principalArn: ADMIN, policy: 'AmazonEKSViewPolicy' }],
      },
      'accessEntries[0].principalArn: got "arn:aws:iam::111122223333:role/Admin"; allowed: an ARN of partition aws-us-gov',
    ],
    [
      'a team principal of another partition',
      team({ principals: ['arn:aws-us-gov:iam::111122223333:role/Dev'] }),
      'teams[0].principals[0]: got "arn:aws-us-gov:iam::111122223333:role/Dev"; allowed: an ARN of partition aws',
    ],
    [
      'a role name of 65 characters',
      { clusterAdmins: `arn:aws:iam::111122223333:role/${'r'.repeat(65)}` },
      "allowed: an IAM role or user ARN within IAM's limits: a name of at most 64 characters (got 65), a path of at most 512 (got 1)",
    ],
    [
      'a path of 513 characters',
      { clusterAdmins: `arn:aws:iam::111122223333:role/${'p'.repeat(511)}/Admin` },
      'a path of at most 512 (got 513)',
    ],
    // Duplicates where EKS or Kubernetes needs names to be unique.
    [
      'a namespace twice in one team',
      team({ namespaces: ['web', 'web'] }),
      'teams[0].namespaces: got ["web","web"]; allowed: namespaces listed once each',
    ],
    [
      'a namespace twice in one access entry',
      { accessEntries: [{ principalArn: ADMIN, policy: 'AmazonEKSViewPolicy', scope: 'namespace', namespaces: ['a', 'a'] }] },
      'accessEntries[0].namespaces: got "a"; allowed: namespaces listed once each',
    ],
    [
      'a taint key and effect twice',
      nodegroups({
        taints: [
          { key: 'gpu', value: 'a', effect: 'NO_SCHEDULE' },
          { key: 'gpu', value: 'b', effect: 'NO_SCHEDULE' },
        ],
      }),
      'nodeGroups[0].taints: got "gpu:NO_SCHEDULE"; allowed: a list of {key, value?, effect}, each key and effect pair once',
    ],
    // Label and taint keys EKS reserves, and its key and value lengths.
    [
      'a label under kubernetes.io',
      nodegroups({ labels: { 'kubernetes.io/role': 'ops' } }),
      'nodeGroups[0].labels.kubernetes.io/role: got "kubernetes.io/role"; allowed: a Kubernetes label key of at most 63 characters (prefix included) that does not contain kubernetes.io/, k8s.io/, eks.amazonaws.com/ (EKS reserves them, subdomains included)',
    ],
    [
      'a node-role label',
      nodegroups({ labels: { 'node-role.kubernetes.io/ops': 'true' } }),
      'nodeGroups[0].labels.node-role.kubernetes.io/ops: got "node-role.kubernetes.io/ops"; allowed: a Kubernetes label key',
    ],
    ['a label under k8s.io', nodegroups({ labels: { 'x.k8s.io/pool': 'a' } }), 'nodeGroups[0].labels.x.k8s.io/pool: got "x.k8s.io/pool"'],
    [
      'a label under eks.amazonaws.com',
      nodegroups({ labels: { 'eks.amazonaws.com/nodegroup': 'a' } }),
      'nodeGroups[0].labels.eks.amazonaws.com/nodegroup: got "eks.amazonaws.com/nodegroup"',
    ],
    [
      'a label whose domain only ends like a reserved one (EKS: "cannot contain")',
      nodegroups({ labels: { 'notkubernetes.io/pool': 'a' } }),
      'nodeGroups[0].labels.notkubernetes.io/pool: got "notkubernetes.io/pool"',
    ],
    [
      'a label key of 64 characters with its prefix',
      nodegroups({ labels: { [`example.com/${'k'.repeat(52)}`]: 'a' } }),
      'allowed: a Kubernetes label key of at most 63 characters',
    ],
    [
      'an empty label value',
      nodegroups({ labels: { pool: '' } }),
      'nodeGroups[0].labels.pool: got ""; allowed: a Kubernetes label value of 1 to 63 characters (EKS refuses an empty one)',
    ],
    [
      'a taint under kubernetes.io',
      nodegroups({ taints: [{ key: 'node.kubernetes.io/ops', effect: 'NO_SCHEDULE' }] }),
      'nodeGroups[0].taints[0].key: got "node.kubernetes.io/ops"; allowed: a Kubernetes taint key of at most 63 characters',
    ],
    // Quantities that parse but mean nonsense, and negative numbers.
    [
      'memory in millibytes',
      team({ quota: { memory: '512m' } }),
      'teams[0].quota.memory: got "512m"; allowed: a memory quantity in bytes with a suffix such as Mi, Gi or G (not m: that is millibytes)',
    ],
    [
      'CPU in mebi-cores',
      team({ quota: { cpu: '2Mi' } }),
      'teams[0].quota.cpu: got "2Mi"; allowed: a CPU quantity in cores or millicores (no binary suffix such as Mi)',
    ],
    ['a negative CPU number', team({ quota: { cpu: -1 } }), 'teams[0].quota.cpu: got -1; allowed: a CPU quantity'],
    // Tags that overflow 50 once the app's own are on the resource, or replace the app's own.
    [
      '45 tags: the private subnets already carry 6',
      { tags: tags(45) },
      "tags: got 45; allowed: at most 44 tags (AWS allows 50 per resource, and each of the private subnets (AWS::EC2::Subnet) already has 6 of the app's: platform:environment, Name, aws-cdk:subnet-name, aws-cdk:subnet-type, kubernetes.io/role/internal-elb, karpenter.sh/discovery)",
    ],
    [
      '44 tags with Karpenter',
      { compute: 'nodegroups', tags: tags(44) },
      "tags: got 44; allowed: at most 43 tags (AWS allows 50 per resource, and each of the EC2 instances Karpenter launches already has 7 of the app's",
    ],
    [
      'the subnet discovery tag',
      { tags: { 'karpenter.sh/discovery': 'other' } },
      'tags.karpenter.sh/discovery: got "karpenter.sh/discovery"; allowed: a tag key the app, aws-cdk-lib and Karpenter do not set themselves',
    ],
    [
      'a cluster ownership tag',
      { tags: { 'kubernetes.io/cluster/dev-eks': 'owned' } },
      'tags.kubernetes.io/cluster/dev-eks: got "kubernetes.io/cluster/dev-eks"; allowed: a tag key the app',
    ],
    // Production does not open the API endpoint to the internet.
    [
      'production with an endpoint open to the internet',
      { profile: 'production', endpointAccess: 'public-and-private', publicAccessCidrs: '0.0.0.0/0' },
      'publicAccessCidrs: got "0.0.0.0/0"; allowed: CIDRs of the networks that administer the cluster in the production profile, not the whole internet (0.0.0.0/0)',
    ],
  ])('%s', (_name, context, problem) => {
    expect(problemsOf(context)).toContainEqual(expect.stringContaining(problem));
  });

  test('every problem of one configuration is reported together', () => {
    const problems = problemsOf({
      region: 'us-west-9',
      vpcCidr: '10.01.0.0/16',
      kubernetesVersion: 1.345,
      tags: tags(45),
      teams: [{ name: 'web', quota: { memory: '512m' } }],
    });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'kubernetesVersion',
      'region',
      'tags',
      'teams[0].quota.memory',
      'vpcCidr',
    ]);
  });
});

describe('tricky input that AWS, EKS and Kubernetes take is accepted', () => {
  test.each<[string, Record<string, unknown>]>([
    ['a version as a JSON number that prints back as written', { kubernetesVersion: 1.35 }],
    [
      'the same key in different objects',
      {
        compute: 'nodegroups',
        addons: 'metrics-server,storage',
        sampleWorkloads: false,
        nodeGroups:
          '[{"name":"a","amiType":"BOTTLEROCKET_x86_64","instanceTypes":["m5.large"],"minSize":1,"maxSize":2},{"name":"b","amiType":"BOTTLEROCKET_x86_64","instanceTypes":["m5.large"],"minSize":1,"maxSize":2}]',
      },
    ],
    [
      'a GovCloud region with GovCloud principals',
      {
        region: 'us-gov-west-1',
        availabilityZones: 'us-gov-west-1a,us-gov-west-1b,us-gov-west-1c',
        clusterAdmins: 'arn:aws-us-gov:iam::111122223333:role/Admin',
      },
    ],
    [
      'a China region with China principals',
      {
        region: 'cn-north-1',
        availabilityZones: 'cn-north-1a,cn-north-1b,cn-north-1d',
        clusterAdmins: 'arn:aws-cn:iam::111122223333:role/Admin',
      },
    ],
    [
      'a region newer than the committed zones, zones given',
      { region: 'ap-southeast-7', availabilityZones: 'ap-southeast-7a,ap-southeast-7b', azCount: 2 },
    ],
    ['us-east-1f', { region: 'us-east-1', availabilityZones: 'us-east-1e,us-east-1f', azCount: 2 }],
    ['a role with a path and a 64-character name', { clusterAdmins: `arn:aws:iam::111122223333:role/teams/platform/${'r'.repeat(64)}` }],
    ['CIDRs with zeros that are not leading', { vpcCidr: '10.100.0.0/16', publicAccessCidrs: '203.0.113.0/24,100.64.0.0/10' }],
    [
      'production with a restricted public endpoint',
      { profile: 'production', endpointAccess: 'public-and-private', publicAccessCidrs: '203.0.113.0/24' },
    ],
    [
      "label and taint keys of other domains, and Karpenter's",
      nodegroups({
        labels: { 'example.com/pool': 'a', 'karpenter.sh/controller': 'true' },
        taints: [
          { key: 'example.com/dedicated', effect: 'NO_SCHEDULE' },
          { key: 'example.com/dedicated', effect: 'NO_EXECUTE' },
        ],
      }),
    ],
    ['an empty taint value', nodegroups({ taints: [{ key: 'gpu', value: '', effect: 'NO_SCHEDULE' }] })],
    ['quantities as JSON numbers, as Kubernetes takes them', team({ quota: { cpu: 0.5, memory: 1073741824 } })],
    ['a zero CPU quota', team({ quota: { cpu: 0 } })],
    ['decimal, exponent and kilo forms', team({ quota: { cpu: '1e3', memory: '128k' } })],
    ['44 tags without Karpenter', { tags: tags(44) }],
    ['a Name tag', { tags: { Name: 'platform' } }],
  ])('%s', (_name, context) => {
    expect(problemsOf(context)).toEqual([]);
  });

  test('JSON text: a key that only looks repeated (inside a string, in another object) is not a repeat', () => {
    expect(parseJsonText('{"a":"\\"a\\":","b":{"a":1},"c":["a","a"],"d":"\\\\"}')).toEqual({
      ok: true,
      value: { a: '"a":', b: { a: 1 }, c: ['a', 'a'], d: '\\' },
    });
    expect(parseJsonText('{"b":{"a":1,"x":[{"a":2,"a":3}]}}')).toEqual({
      ok: false,
      problem: 'JSON without a repeated key in one object (b.x[0].a is given twice; JSON keeps only the last)',
    });
  });

  test('quantities given as numbers reach the ResourceQuota as Kubernetes reads them', () => {
    expect(loadConfig(team({ quota: { cpu: 0.5, memory: 1073741824 } })).teams[0].quota).toEqual({
      cpu: '0.5',
      memory: '1073741824',
      pods: 50,
    });
  });
});

describe('the tag room is what the templates leave', () => {
  /** Tags on a resource that the user did not give, across both stacks of a configuration. */
  function appTagsPerResource(context: Record<string, unknown>): Map<string, number> {
    const built = synth({ ...context, tags: { 'user-tag': 'x' } });
    const most = new Map<string, number>();
    for (const template of [built.infraTemplate, built.platformTemplate]) {
      const resources = template.toJSON().Resources as Record<string, { Type: string; Properties?: { Tags?: unknown } }>;
      for (const { Type, Properties } of Object.values(resources)) {
        const given = Properties?.Tags;
        const keys = Array.isArray(given) ? given.map((t: { Key: string }) => t.Key) : Object.keys(given ?? {});
        if (!keys.includes('user-tag')) continue;
        const own = keys.filter((k) => k !== 'user-tag' && !k.toLowerCase().startsWith('aws:')).length;
        most.set(Type, Math.max(most.get(Type) ?? 0, own));
      }
    }
    return most;
  }

  test.each([{}, { compute: 'nodegroups' }, { profile: 'production' }])(
    "no resource carries more of the app's tags than the subnets (%j)",
    (context) => {
      const most = appTagsPerResource(context);
      expect(most.get('AWS::EC2::Subnet')).toBe(TAGS_THE_APP_ADDS['private subnets (AWS::EC2::Subnet)'].length);
      expect(Math.max(...most.values())).toBe(TAGS_THE_APP_ADDS['private subnets (AWS::EC2::Subnet)'].length);
    },
  );
});

describe('IAM attaches at most 10 managed policies to a role', () => {
  function stackWithRole(policies: number, attachedByPolicy = 0): App {
    const app = new App();
    const stack = new Stack(app, 'S');
    const role = new iam.Role(stack, 'Role', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      managedPolicies: Array.from({ length: policies }, (_, i) => iam.ManagedPolicy.fromAwsManagedPolicyName(`P${i}`)),
    });
    for (let i = 0; i < attachedByPolicy; i++) {
      new iam.ManagedPolicy(stack, `Attached${i}`, {
        roles: [role],
        statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] })],
      });
    }
    limitManagedPoliciesPerRole(stack);
    return app;
  }

  test('10 are accepted', () => {
    expect(() => stackWithRole(10).synth()).not.toThrow();
    expect(() => stackWithRole(8, 2).synth()).not.toThrow();
  });

  test('11 fail the synth, counting policies that attach themselves to the role', () => {
    expect(() => stackWithRole(11).synth()).toThrow(
      'S/Role/Resource: 11 managed policies on one role; IAM attaches at most 10 (the default quota)',
    );
    expect(() => stackWithRole(9, 2).synth()).toThrow('S/Role/Resource: 11 managed policies on one role');
  });

  test("the platform's own roles are within the quota in every compute mode", () => {
    for (const context of [{}, { compute: 'nodegroups' }]) {
      expect(() => synth(context).app.synth()).not.toThrow();
    }
  });
});
