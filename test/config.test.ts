import { ConfigError, loadConfig } from '../lib/core/config';
import { composePlan } from '../lib/stacks/plan';

const ADMIN = 'arn:aws:iam::111122223333:role/Admin';
const DEV = 'arn:aws:iam::111122223333:role/Dev';

/** The problems a bad configuration reports (fails the test if it does not throw). */
function problemsOf(context: Record<string, unknown>): readonly string[] {
  try {
    composePlan(context);
  } catch (error) {
    if (error instanceof ConfigError) {
      return error.problems;
    }
    throw error;
  }
  throw new Error(`configuration was accepted: ${JSON.stringify(context)}`);
}

describe('defaults and profiles', () => {
  test('workshop is the default profile', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      environment: 'dev',
      profile: 'workshop',
      region: 'us-west-2',
      kubernetesVersion: '1.35',
      azCount: 3,
      availabilityZones: ['us-west-2a', 'us-west-2b', 'us-west-2c'],
      vpcCidr: '10.0.0.0/16',
      natGateways: 1,
      endpointAccess: 'public-and-private',
      compute: 'auto',
      sampleWorkloads: true,
      logRetentionDays: 30,
    });
    expect(config.publicAccessCidrs.length).toBeGreaterThan(0);
    expect(config.account).toBeUndefined();
  });

  test('production: private endpoint, a NAT gateway per AZ, no samples, longer retention', () => {
    const config = loadConfig({ profile: 'production', azCount: '2' });
    expect(config).toMatchObject({
      endpointAccess: 'private',
      publicAccessCidrs: [],
      natGateways: 2,
      sampleWorkloads: false,
      logRetentionDays: 365,
    });
  });

  test('single keys override the profile, typed (cdk.json) or as strings (-c)', () => {
    const config = loadConfig({
      profile: 'production',
      sampleWorkloads: 'true',
      natGateways: 1,
      compute: 'nodegroups',
      kubernetesVersion: '1.34',
      publicAccessCidrs: '203.0.113.0/24, 198.51.100.0/24',
      endpointAccess: 'public-and-private',
      clusterAdmins: ADMIN,
      tags: '{"cost-center":"platform"}',
    });
    expect(config).toMatchObject({
      sampleWorkloads: true,
      natGateways: 1,
      compute: 'nodegroups',
      kubernetesVersion: '1.34',
      publicAccessCidrs: ['203.0.113.0/24', '198.51.100.0/24'],
      clusterAdmins: [ADMIN],
      tags: { 'cost-center': 'platform' },
    });
  });

  test('the default node group is the Bottlerocket ON_DEMAND "ops" group of at least two nodes', () => {
    const config = loadConfig({ compute: 'nodegroups' });
    expect(config.nodeGroups).toEqual([
      expect.objectContaining({
        name: 'ops',
        amiType: 'BOTTLEROCKET_x86_64',
        instanceTypes: ['m5.large', 't3.medium'],
        capacityType: 'ON_DEMAND',
        minSize: 2,
        maxSize: 3,
        desiredSize: 2,
        labels: { 'workload-type': 'ops', 'karpenter.sh/controller': 'true' },
      }),
    ]);
  });

  test('access entries parse from JSON given on the command line', () => {
    const config = loadConfig({
      accessEntries: JSON.stringify([{ principalArn: DEV, policy: 'AmazonEKSEditPolicy', scope: 'namespace', namespaces: ['team-a'] }]),
    });
    expect(config.accessEntries).toEqual([
      { principalArn: DEV, policy: 'AmazonEKSEditPolicy', scope: 'namespace', namespaces: ['team-a'] },
    ]);
  });

  test('explicit availability zones and regions without committed zones', () => {
    expect(loadConfig({ region: 'eu-south-1', availabilityZones: 'eu-south-1a,eu-south-1b', azCount: 2 }).availabilityZones).toEqual([
      'eu-south-1a',
      'eu-south-1b',
    ]);
    expect(loadConfig({ region: 'ap-northeast-1' }).availabilityZones).toEqual(['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d']);
  });
});

describe('bad configuration fails with the key, the value and what is allowed', () => {
  test.each<[string, Record<string, unknown>, RegExp]>([
    ['bad CIDR', { vpcCidr: '10.0.0.0/33' }, /vpcCidr: got "10\.0\.0\.0\/33"; allowed: a private .*\/16 to \/20/],
    ['CIDR with host bits', { vpcCidr: '10.0.0.1/16' }, /vpcCidr: got "10\.0\.0\.1\/16"/],
    ['public VPC CIDR', { vpcCidr: '8.8.0.0/16' }, /vpcCidr: got "8\.8\.0\.0\/16"; allowed: a private \(RFC 1918\)/],
    ['AZ count 4', { azCount: '4' }, /azCount: got "4"; allowed: an integer from 2 to 3/],
    ['unsupported version', { kubernetesVersion: '1.28' }, /kubernetesVersion: got "1\.28"; allowed: 1\.34, 1\.35, 1\.36/],
    ['version as a float that is not supported', { kubernetesVersion: 1.4 }, /kubernetesVersion: got 1\.4; allowed: 1\.34/],
    [
      'node group min > max',
      {
        compute: 'nodegroups',
        nodeGroups: [{ name: 'a', amiType: 'BOTTLEROCKET_x86_64', instanceTypes: ['m5.large'], minSize: 4, maxSize: 2 }],
      },
      /nodeGroups\[0\]\.minSize: got 4; allowed: at most maxSize \(2\)/,
    ],
    [
      'desired outside min..max',
      {
        compute: 'nodegroups',
        nodeGroups: '[{"name":"a","amiType":"BOTTLEROCKET_x86_64","instanceTypes":["m5.large"],"minSize":1,"maxSize":2,"desiredSize":5}]',
      },
      /nodeGroups\[0\]\.desiredSize: got 5; allowed: between minSize \(1\) and maxSize \(2\)/,
    ],
    [
      'arm instance on an x86 AMI',
      {
        compute: 'nodegroups',
        nodeGroups: [{ name: 'a', amiType: 'BOTTLEROCKET_x86_64', instanceTypes: ['m7g.large'], minSize: 1, maxSize: 2 }],
      },
      /nodeGroups\[0\]\.instanceTypes: got \["m7g\.large"\]; allowed: instance types of the x86_64 architecture/,
    ],
    [
      'namespace scope without namespaces',
      { accessEntries: [{ principalArn: DEV, policy: 'AmazonEKSViewPolicy', scope: 'namespace' }] },
      /accessEntries\[0\]\.namespaces: got \[\]; allowed: at least one namespace when scope is "namespace"/,
    ],
    [
      'cluster scope with namespaces',
      { accessEntries: [{ principalArn: DEV, policy: 'AmazonEKSViewPolicy', scope: 'cluster', namespaces: ['a'] }] },
      /accessEntries\[0\]\.namespaces: .*allowed: no namespaces when scope is "cluster"/,
    ],
    [
      'duplicate principal',
      { clusterAdmins: ADMIN, accessEntries: [{ principalArn: ADMIN, policy: 'AmazonEKSViewPolicy', scope: 'cluster' }] },
      /accessEntries\[0\]\.principalArn: got "arn:aws:iam::111122223333:role\/Admin"; allowed: a principal without another access entry \(already given by clusterAdmins\[0\]\)/,
    ],
    [
      'sts session ARN instead of the role',
      { clusterAdmins: 'arn:aws:sts::111122223333:assumed-role/Admin/alice' },
      /clusterAdmins\[0\]: .*arn:aws:iam::<account>:role\/Admin, not the sts session ARN/,
    ],
    [
      'unknown access policy',
      { accessEntries: [{ principalArn: DEV, policy: 'AmazonEKSGodPolicy', scope: 'cluster' }] },
      /accessEntries\[0\]\.policy: got "AmazonEKSGodPolicy"; allowed: AmazonEKSClusterAdminPolicy, AmazonEKSAdminPolicy, AmazonEKSEditPolicy, AmazonEKSViewPolicy/,
    ],
    [
      'public endpoint with an empty CIDR list',
      { endpointAccess: 'public-and-private', publicAccessCidrs: '' },
      /publicAccessCidrs: got ""; allowed: at least one public IPv4 CIDR/,
    ],
    [
      'private CIDR on the public endpoint',
      { publicAccessCidrs: '10.0.0.0/8' },
      /publicAccessCidrs: got "10\.0\.0\.0\/8"; allowed: public IPv4 CIDRs/,
    ],
    [
      'CIDRs with a private endpoint',
      { endpointAccess: 'private', publicAccessCidrs: '203.0.113.0/24' },
      /publicAccessCidrs: .*allowed: nothing when endpointAccess is "private"/,
    ],
    ['unknown compute mode', { compute: 'fargate' }, /compute: got "fargate"; allowed: auto, nodegroups/],
    ['unknown profile', { profile: 'staging' }, /profile: got "staging"; allowed: workshop, production/],
    ['more NAT gateways than AZs', { natGateways: 3, azCount: 2 }, /natGateways: got 3; allowed: an integer from 1 to 2/],
    ['bad environment name', { environment: 'Prod_1' }, /environment: got "Prod_1"; allowed: lowercase letters/],
    ['not a boolean', { sampleWorkloads: 'yes' }, /sampleWorkloads: got "yes"; allowed: true, false/],
    ['unsupported retention', { logRetentionDays: 42 }, /logRetentionDays: got 42; allowed: 1, 3, 5/],
    ['unknown region without zones', { region: 'eu-south-1' }, /region: got "eu-south-1"; allowed: a region with committed AZ names/],
    ['malformed JSON', { accessEntries: '[{"principalArn":' }, /^accessEntries: got "\[\{"principalArn":"; allowed: valid JSON$/],
    [
      'typo in a node group key',
      {
        compute: 'nodegroups',
        nodeGroups: [{ name: 'a', amiType: 'BOTTLEROCKET_x86_64', instanceTypes: ['m5.large'], minSize: 1, maxSize: 2, maxsize: 3 }],
      },
      /nodeGroups\[0\]\.maxsize: got 3; allowed: a known key: did you mean "maxSize"\?/,
    ],
    [
      'bad taint effect',
      {
        compute: 'nodegroups',
        nodeGroups: [
          {
            name: 'a',
            amiType: 'BOTTLEROCKET_x86_64',
            instanceTypes: ['m5.large'],
            minSize: 1,
            maxSize: 2,
            taints: [{ key: 'dedicated', effect: 'NoSchedule' }],
          },
        ],
      },
      /nodeGroups\[0\]\.taints\[0\]\.effect: got "NoSchedule"; allowed: NO_SCHEDULE, PREFER_NO_SCHEDULE, NO_EXECUTE/,
    ],
  ])('%s', (_name, context, message) => {
    expect(problemsOf(context).join('\n')).toMatch(message);
  });

  test('all problems are reported together, not just the first', () => {
    const problems = problemsOf({ azCount: 4, vpcCidr: 'nope', compute: 'ec2', kubernetesVersion: '1.20' });
    expect(problems).toHaveLength(4);
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['azCount', 'compute', 'kubernetesVersion', 'vpcCidr']);
  });

  test('the error message lists every problem and says where keys are set', () => {
    expect(() => loadConfig({ azCount: 4, compute: 'ec2' })).toThrow(
      /2 problems\):\n {2}- azCount: got 4; allowed: an integer from 2 to 3\n {2}- compute: got "ec2".*\nSet keys with `-c key=value`/s,
    );
  });

  test('node groups with compute=auto are refused, not silently dropped', () => {
    expect(problemsOf({ compute: 'auto', nodeGroups: [{ name: 'a' }] })).toEqual([
      'nodeGroups: got [{"name":"a"}]; allowed: nothing when compute is "auto" (set compute=nodegroups to use node groups)',
    ]);
  });
});

describe('unknown keys are refused at every depth, with the key they were probably meant to be', () => {
  const GROUP = { name: 'a', amiType: 'BOTTLEROCKET_x86_64', instanceTypes: ['m5.large'], minSize: 1, maxSize: 2 };

  test.each<[string, Record<string, unknown>, string]>([
    [
      'a misspelt top-level key (-c computee=...)',
      { computee: 'nodegroups' },
      'computee: got "nodegroups"; allowed: a known key: did you mean "compute"?',
    ],
    [
      'a plural that is not a key',
      { kubernetesVersions: '1.34' },
      'kubernetesVersions: got "1.34"; allowed: a known key: did you mean "kubernetesVersion"?',
    ],
    ['a key in another case', { NodeGroups: '[]' }, 'NodeGroups: got "[]"; allowed: a known key: did you mean "nodeGroups"?'],
    [
      'an add-on option',
      { addons: { 'metrics-server': { replica: 3 } } },
      'addons.metrics-server.replica: got 3; allowed: a known key: did you mean "replicas"?',
    ],
    [
      'a node group field',
      { compute: 'nodegroups', nodeGroups: [{ ...GROUP, instanceType: ['m5.large'] }] },
      'nodeGroups[0].instanceType: got ["m5.large"]; allowed: a known key: did you mean "instanceTypes"?',
    ],
    ['a team field', { teams: [{ nmae: 'x', name: 'x' }] }, 'teams[0].nmae: got "x"; allowed: a known key: did you mean "name"?'],
    [
      'a workload',
      { workloads: { game2048: false, petstor: false } },
      'workloads.petstor: got false; allowed: a known key: did you mean "petstore"?',
    ],
  ])('%s', (_name, context, problem) => {
    expect(problemsOf(context).join('\n')).toContain(problem);
  });

  test('a key nothing resembles lists the keys there are', () => {
    expect(problemsOf({ flavour: 'vanilla' })).toEqual([
      expect.stringMatching(/^flavour: got "vanilla"; allowed: one of the keys environment, profile, account, region, /),
    ]);
  });

  test("CDK's own context keys (feature flags, aws:cdk:*, lookups) are not configuration", () => {
    expect(() =>
      loadConfig({
        '@aws-cdk/core:newStyleStackSynthesis': true,
        'aws:cdk:disable-asset-staging': true,
        'availability-zones:account=1:region=x': ['a'],
      }),
    ).not.toThrow();
  });
});

describe('limits are the ones AWS documents', () => {
  const group = (fields: Record<string, unknown>) => ({
    compute: 'nodegroups',
    nodeGroups: [{ name: 'a', amiType: 'BOTTLEROCKET_x86_64', instanceTypes: ['m5.large'], minSize: 1, maxSize: 2, ...fields }],
  });

  test('a node group may have up to 450 nodes, not more', () => {
    expect(loadConfig(group({ maxSize: 200, desiredSize: 150 })).nodeGroups[0]).toMatchObject({ maxSize: 200, desiredSize: 150 });
    expect(problemsOf(group({ maxSize: 451 }))).toEqual([
      'nodeGroups[0].maxSize: got 451; allowed: an integer from 1 to 450 (the EKS limit of nodes per managed node group)',
    ]);
  });

  test('at most 40 public access CIDRs', () => {
    const cidrs = Array.from({ length: 41 }, (_, i) => `203.0.${i}.0/24`);
    expect(loadConfig({ publicAccessCidrs: cidrs.slice(0, 40) }).publicAccessCidrs).toHaveLength(40);
    expect(problemsOf({ publicAccessCidrs: cidrs })).toEqual([
      'publicAccessCidrs: got 41; allowed: at most 40 CIDRs (the EKS limit per cluster)',
    ]);
  });

  test('tags: AWS tagging rules', () => {
    expect(loadConfig({ tags: { 'cost-center': 'platform', 'team:owner': 'a b @x' } }).tags).toEqual({
      'cost-center': 'platform',
      'team:owner': 'a b @x',
    });
    const tooMany = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    expect(problemsOf({ tags: tooMany })).toEqual([
      expect.stringMatching(/^tags: got 50; allowed: at most 44 tags \(AWS allows 50 per resource, and each of the private subnets/),
    ]);
    expect(
      problemsOf({
        tags: { 'AWS:owner': 'x', '': 'x', big: 'v'.repeat(257), 'bad#key': 'x', 'platform:environment': 'x', 'platform:kept': 'x' },
      }),
    ).toEqual([
      'tags.AWS:owner: got "AWS:owner"; allowed: a tag key not starting with "aws:" in any case (reserved by AWS)',
      'tags[""]: got ""; allowed: a tag key of 1 to 128 characters',
      `tags.big: got "${'v'.repeat(116)}...; allowed: a tag value of at most 256 letters, digits, spaces and _ . : / = + - @`,
      'tags.bad#key: got "bad#key"; allowed: a tag key of letters, digits, spaces and _ . : / = + - @',
      'tags.platform:environment: got "platform:environment"; allowed: a tag key other than platform:environment (the app sets it to the environment name)',
      'tags.platform:kept: got "platform:kept"; allowed: a tag key other than platform:kept (the app marks with it what scripts/down.sh must never delete)',
    ]);
  });

  test('Kubernetes quantities in every form the API server accepts', () => {
    expect(loadConfig({ teams: [{ name: 'a', quota: { cpu: '1500m', memory: '16G' } }] }).teams[0].quota).toEqual({
      cpu: '1500m',
      memory: '16G',
      pods: 50,
    });
  });
});

describe('instance types and node group counts as EC2 and EKS take them', () => {
  const group = (instanceTypes: string[], amiType = 'BOTTLEROCKET_x86_64') => ({
    name: 'a',
    amiType,
    instanceTypes,
    minSize: 1,
    maxSize: 2,
  });
  const nodegroups = (groups: unknown[]) => ({ compute: 'nodegroups', nodeGroups: groups });

  test('valid types of every kind are accepted: metal, flex, network-optimised Graviton, Graviton 1', () => {
    expect(() => loadConfig(nodegroups([group(['m5.metal', 'm7i-flex.large', 'c5n.xlarge'])]))).not.toThrow();
    expect(() => loadConfig(nodegroups([group(['c7gn.xlarge', 'a1.large', 't4g.small'], 'AL2023_ARM_64_STANDARD')]))).not.toThrow();
  });

  test.each<[string, string[], string]>([
    [
      'an unknown family',
      ['x9.large'],
      'nodeGroups[0].instanceTypes[0]: got "x9.large"; allowed: an EC2 instance type aws-cdk-lib knows (family "x9" is unknown), e.g. m5.large',
    ],
    [
      'a misspelt size',
      ['m5.lage'],
      'nodeGroups[0].instanceTypes[0]: got "m5.lage"; allowed: an EC2 instance type aws-cdk-lib knows (family "m5" has no size "lage"), e.g. m5.large',
    ],
    [
      'a Mac instance',
      ['mac2.metal'],
      'nodeGroups[0].instanceTypes[0]: got "mac2.metal"; allowed: a Linux instance type: EC2 Mac instances run macOS and cannot be EKS nodes',
    ],
  ])('refuses %s', (_name, types, problem) => {
    expect(() => loadConfig(nodegroups([group(types)]))).toThrow(problem);
  });

  test('Graviton 1 (a1) is arm64: refused on an x86_64 AMI', () => {
    expect(() => loadConfig(nodegroups([group(['a1.large'])]))).toThrow(
      'allowed: instance types of the x86_64 architecture of amiType BOTTLEROCKET_x86_64',
    );
  });

  test('at most 30 managed node groups per cluster', () => {
    const groups = Array.from({ length: 31 }, (_, i) => ({ ...group(['m5.large']), name: `g${i}` }));
    expect(() => loadConfig(nodegroups(groups.slice(0, 30)))).not.toThrow();
    expect(() => loadConfig(nodegroups(groups))).toThrow('nodeGroups: got [');
    expect(() => loadConfig(nodegroups(groups))).toThrow(
      'allowed: at most 30 node groups (the EKS limit of managed node groups per cluster)',
    );
  });
});
