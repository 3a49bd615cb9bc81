import { Match } from 'aws-cdk-lib/assertions';
import { parse } from 'yaml';

import { AckAddOn } from '../../addons/ack';
import { toYaml } from '../../addons/core/yaml';
import { PrometheusAddOn, prometheusDurationMs } from '../../addons/prometheus';
import { ConfigError, Problems } from '../../lib/core/config';
import { composePlan } from '../../lib/stacks/plan';
import { kubernetesObjects, nagFindings, resourcesOfType, synth } from '../helpers';
import type { AddOnFixture } from '../support/addon-fixture';
import { deployAlone } from '../support/addon-fixture';

interface ScrapeJob {
  readonly job_name: string;
  readonly metrics_path?: string;
  readonly scheme?: string;
  readonly authorization?: Record<string, string>;
  readonly kubernetes_sd_configs: ReadonlyArray<{ role: string }>;
  readonly relabel_configs: ReadonlyArray<Record<string, unknown>>;
}

/** The scraper's configuration blob, decoded. */
function scraperBlob(app: AddOnFixture): string {
  const [scraper] = Object.values(resourcesOfType(app.template, 'AWS::APS::Scraper'));
  const blob = (scraper.Properties as { ScrapeConfiguration: { ConfigurationBlob: string } }).ScrapeConfiguration.ConfigurationBlob;
  return Buffer.from(blob, 'base64').toString('utf8');
}

/** The logical id of this add-on's (only) resource of `type`. */
const logicalId = (app: Pick<AddOnFixture, 'template'>, type: string): string =>
  Object.keys(resourcesOfType(app.template, type)).filter((id) => id.startsWith('AddOnsprometheus'))[0];

describe('prometheus', () => {
  const app = deployAlone(new PrometheusAddOn());

  test('a workspace named after the cluster, encrypted with its own rotated key, logging to a pre-created encrypted group', () => {
    const keyId = logicalId(app, 'AWS::KMS::Key');
    const logsId = logicalId(app, 'AWS::Logs::LogGroup');
    app.template.resourceCountIs('AWS::APS::Workspace', 1);
    app.template.hasResourceProperties('AWS::APS::Workspace', {
      Alias: 'dev-eks',
      KmsKeyArn: { 'Fn::GetAtt': [keyId, 'Arn'] },
      LoggingConfiguration: { LogGroupArn: { 'Fn::GetAtt': [logsId, 'Arn'] } },
      WorkspaceConfiguration: Match.absent(),
      AlertManagerDefinition: Match.absent(),
      Tags: Match.arrayWith([{ Key: 'AMPAgentlessScraper', Value: '' }]),
    });
    app.template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({ Sid: 'CreateGrantOnlyForAwsServices', Effect: 'Deny', Action: 'kms:CreateGrant' })]),
      },
    });
    app.template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/vendedlogs/prometheus/dev-eks',
      KmsKeyId: { 'Fn::ImportValue': 'dev-infra:LogsKeyArn' },
      RetentionInDays: app.context.config.logRetentionDays,
    });
    app.template.resourceCountIs('AWS::APS::RuleGroupsNamespace', 0);
  });

  test('the collector scrapes this cluster from its private subnets and security group into the workspace', () => {
    const workspaceId = logicalId(app, 'AWS::APS::Workspace');
    const subnets = app.context.config.azCount;
    app.template.resourceCountIs('AWS::APS::Scraper', 1);
    app.template.hasResourceProperties('AWS::APS::Scraper', {
      Alias: 'dev-eks',
      Source: {
        EksConfiguration: {
          // Not in the contract: built from the stack's environment and the exported name.
          ClusterArn: {
            'Fn::Join': [
              '',
              ['arn:aws:eks:us-west-2:', { Ref: 'AWS::AccountId' }, ':cluster/', { 'Fn::ImportValue': 'dev-infra:ClusterName' }],
            ],
          },
          SubnetIds: Array.from({ length: subnets }, (_, i) => ({
            'Fn::Select': [i, { 'Fn::Split': [',', { 'Fn::ImportValue': 'dev-infra:PrivateSubnetIds' }] }],
          })),
          SecurityGroupIds: [{ 'Fn::ImportValue': 'dev-infra:ClusterSecurityGroupId' }],
        },
      },
      Destination: { AmpConfiguration: { WorkspaceArn: { 'Fn::GetAtt': [workspaceId, 'Arn'] } } },
    });
    expect(subnets).toBeGreaterThanOrEqual(2); // the collector needs two subnets in two AZs
  });

  test("the collector writes into the key-encrypted workspace through a role pair created for this account's scrapers", () => {
    const roles = resourcesOfType(app.template, 'AWS::IAM::Role');
    const [sourceId] = Object.entries(roles).find(([, r]) => JSON.stringify(r.Properties).includes('scraper.aps.amazonaws.com')) ?? [];
    const [targetId] = Object.entries(roles).find(([, r]) => JSON.stringify(r.Properties).includes('sts:ExternalId')) ?? [];
    const scrapers = {
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':aps:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':scraper/*']],
    };
    app.template.hasResourceProperties('AWS::APS::Scraper', {
      RoleConfiguration: { SourceRoleArn: { 'Fn::GetAtt': [sourceId, 'Arn'] }, TargetRoleArn: { 'Fn::GetAtt': [targetId, 'Arn'] } },
    });
    app.template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'scraper.aps.amazonaws.com' },
            Condition: { ArnLike: { 'aws:SourceArn': scrapers }, StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ],
      },
    });
    app.template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { AWS: { 'Fn::GetAtt': [sourceId, 'Arn'] } },
            Condition: { StringLike: { 'sts:ExternalId': scrapers } },
          }),
        ],
      },
    });
    app.template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'aps:RemoteWrite', Resource: { 'Fn::GetAtt': [logicalId(app, 'AWS::APS::Workspace'), 'Arn'] } }),
        ]),
      },
    });
    app.template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: sourceId }],
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'sts:AssumeRole', Resource: { 'Fn::GetAtt': [targetId, 'Arn'] } })] },
    });
  });

  describe("the collector roles' trust, narrowed to their own scraper once it exists", () => {
    const roles = resourcesOfType(app.template, 'AWS::IAM::Role');
    const roleId = (marker: string): string =>
      Object.entries(roles).find(([, r]) => JSON.stringify(r.Properties).includes(marker))?.[0] ?? '';
    const sourceId = roleId('scraper.aps.amazonaws.com');
    const targetId = roleId('sts:ExternalId');
    const scraperId = logicalId(app, 'AWS::APS::Scraper');
    // What CloudFormation would substitute at deploy time, so the handler's request can be read as sent.
    const deployed: Record<string, string> = {
      [`${scraperId}.Arn`]: 'arn:aws:aps:us-west-2:111122223333:scraper/s-1234',
      [sourceId]: 'collector-source',
      [`${sourceId}.Arn`]: 'arn:aws:iam::111122223333:role/collector-source',
      [targetId]: 'collector-target',
      'AWS::AccountId': '111122223333',
    };
    const render = (value: unknown): string => {
      if (typeof value === 'string') return value;
      const v = value as Record<string, unknown>;
      if (v.Ref !== undefined) return deployed[v.Ref as string] ?? `<${v.Ref as string}>`;
      if (v['Fn::GetAtt'] !== undefined) return deployed[(v['Fn::GetAtt'] as string[]).join('.')] ?? '<getatt>';
      const [separator, parts] = v['Fn::Join'] as [string, unknown[]];
      return parts.map(render).join(separator);
    };
    const calls = Object.values(app.template.findResources('Custom::ScraperTrust'));
    const sent = (event: 'Create' | 'Update') =>
      calls.map(
        (c) =>
          JSON.parse(render((c.Properties as Record<string, unknown>)[event])) as {
            service: string;
            action: string;
            parameters: { RoleName: string; PolicyDocument: string };
          },
      );

    test('after create and every update, each role trusts exactly this scraper (User Guide, cross-account setup)', () => {
      expect(calls).toHaveLength(2);
      for (const event of ['Create', 'Update'] as const) {
        const byRole = Object.fromEntries(
          sent(event).map((call) => [call.parameters.RoleName, { ...call, policy: JSON.parse(call.parameters.PolicyDocument) as unknown }]),
        );
        expect(byRole['collector-source']).toMatchObject({ service: 'IAM', action: 'UpdateAssumeRolePolicy' });
        expect(byRole['collector-source'].policy).toEqual({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 'sts:AssumeRole',
              Principal: { Service: 'scraper.aps.amazonaws.com' },
              Condition: {
                ArnEquals: { 'aws:SourceArn': 'arn:aws:aps:us-west-2:111122223333:scraper/s-1234' },
                StringEquals: { 'aws:SourceAccount': '111122223333' },
              },
            },
          ],
        });
        expect(byRole['collector-target'].policy).toEqual({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 'sts:AssumeRole',
              Principal: { AWS: 'arn:aws:iam::111122223333:role/collector-source' },
              Condition: { StringEquals: { 'sts:ExternalId': 'arn:aws:aps:us-west-2:111122223333:scraper/s-1234' } },
            },
          ],
        });
      }
    });

    test("a change of a role's template trust (written back over the narrowed one) updates its narrowing call too", () => {
      const intrinsic = (v: Record<string, unknown>): boolean => ['Ref', 'Fn::GetAtt', 'Fn::Join'].some((k) => k in v);
      const renderDeep = (value: unknown): unknown => {
        if (Array.isArray(value)) return value.map(renderDeep);
        if (value === null || typeof value !== 'object') return value;
        const v = value as Record<string, unknown>;
        return intrinsic(v) ? render(v) : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, renderDeep(x)]));
      };
      for (const [id, name] of [
        [sourceId, 'collector-source'],
        [targetId, 'collector-target'],
      ] as const) {
        const call = calls.find((c) => render((c.Properties as Record<string, unknown>).Create).includes(`"RoleName":"${name}"`));
        expect(JSON.parse(render(call?.Properties.TemplateTrustPolicy))).toEqual(
          renderDeep((roles[id].Properties as Record<string, unknown>).AssumeRolePolicyDocument),
        );
      }
    });

    test("each call may update exactly its own role's trust, nothing else", () => {
      for (const id of [sourceId, targetId]) {
        app.template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
          PolicyDocument: {
            Statement: [
              {
                Sid: 'UpdateThisRoleTrust',
                Effect: 'Allow',
                Action: 'iam:UpdateAssumeRolePolicy',
                Resource: { 'Fn::GetAtt': [id, 'Arn'] },
              },
            ],
            Version: '2012-10-17',
          },
        });
      }
    });
  });

  // About two add-ons sharing one handler: a whole-app test.
  test("with another AWS SDK call in the stack (ACK's access policy), the one shared handler gets every call's permissions", () => {
    const both = synth({ addons: 'prometheus' }, [
      new AckAddOn({ services: ['rds'], permissionsBoundaryArn: 'arn:aws:iam::111122223333:policy/AckBoundary' }),
    ]);
    const functions = Object.values(both.platformTemplate.findResources('AWS::Lambda::Function')).filter((f) =>
      JSON.stringify(f).includes('AWS679f53fac002430cb0da5b7982bd2287'),
    );
    expect(functions).toHaveLength(1);
    const handlerRole = (functions[0].Properties as { Role: { 'Fn::GetAtt': [string, string] } }).Role['Fn::GetAtt'][0];
    const policies = Object.values(both.platformTemplate.findResources('AWS::IAM::ManagedPolicy'));
    for (const sid of ['UpdateThisRoleTrust', 'AssociateAccessPolicy']) {
      const granting = policies.filter((p) => JSON.stringify(p.Properties.PolicyDocument).includes(`"Sid":"${sid}"`));
      expect(granting.length).toBeGreaterThan(0);
      granting.forEach((p) => expect(p.Properties.Roles).toEqual([{ Ref: handlerRole }]));
    }
    expect(nagFindings(both)).toEqual([]);
  });

  test("no access entry and no RBAC objects: AMP creates the scraper's access entry on API-mode clusters", () => {
    app.template.resourceCountIs('AWS::EKS::AccessEntry', 0);
    expect(kubernetesObjects(app.template).filter((o) => /^Cluster?Role/.test(o.kind))).toEqual([]);
  });

  test('the scrape configuration: documented jobs, 30s, the API server proxy and the only allowed credential', () => {
    const addon = new PrometheusAddOn();
    const value = addon.scrapeConfiguration('dev-eks');
    expect(scraperBlob(app)).toBe(toYaml(value));
    const config = value as unknown as { global: Record<string, unknown>; scrape_configs: ScrapeJob[] };
    expect(config.global).toEqual({ scrape_interval: '30s', external_labels: { cluster: 'dev-eks' } });
    const jobs = Object.fromEntries(config.scrape_configs.map((job) => [job.job_name, job]));
    expect(Object.keys(jobs)).toEqual([
      'kubernetes-apiservers',
      'kube-scheduler',
      'kube-controller-manager',
      'kubelet',
      'cadvisor',
      'kubernetes-pods',
    ]);
    for (const name of ['kubernetes-apiservers', 'kube-scheduler', 'kube-controller-manager', 'kubelet', 'cadvisor']) {
      expect(jobs[name]).toMatchObject({
        scheme: 'https',
        authorization: { type: 'Bearer', credentials_file: '/var/run/secrets/kubernetes.io/serviceaccount/token' },
      });
    }
    expect(jobs['kube-scheduler'].metrics_path).toBe('/apis/metrics.eks.amazonaws.com/v1/ksh/container/metrics');
    expect(jobs['kube-controller-manager'].metrics_path).toBe('/apis/metrics.eks.amazonaws.com/v1/kcm/container/metrics');
    expect(jobs.cadvisor.relabel_configs).toContainEqual(
      expect.objectContaining({ target_label: '__address__', replacement: 'kubernetes.default.svc:443' }),
    );
    expect(jobs.cadvisor.relabel_configs).toContainEqual(
      expect.objectContaining({ target_label: '__metrics_path__', replacement: '/api/v1/nodes/$1/proxy/metrics/cadvisor' }),
    );
    expect(jobs['kubernetes-pods'].relabel_configs[0]).toEqual({
      source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'],
      action: 'keep',
      regex: 'true',
    });
    expect(jobs['kubernetes-pods'].authorization).toBeUndefined();
  });

  test('the YAML is block style with every string quoted', () => {
    const text = scraperBlob(app);
    expect(text).toContain('global:\n  scrape_interval: "30s"\n');
    expect(text).toContain('  - job_name: "cadvisor"\n    scheme: "https"\n');
    expect(text).toContain('        regex: "([^:]+)(?::\\\\d+)?;(\\\\d+)"\n');
    // Strings that look like other YAML types stay strings when AMP reads the text back.
    const tricky = { a: [], b: {}, c: [{ d: 1, e: true }, ['x']], 'f-g': 'h"i', n: '30', t: 'true', z: 'null' };
    expect(parse(toYaml(tricky))).toEqual(tricky);
  });

  test('stack outputs: workspace id, query endpoint and console link', () => {
    const workspaceId = logicalId(app, 'AWS::APS::Workspace');
    app.template.hasOutput('PrometheusWorkspaceId', { Value: { 'Fn::GetAtt': [workspaceId, 'WorkspaceId'] } });
    app.template.hasOutput('PrometheusEndpoint', { Value: { 'Fn::GetAtt': [workspaceId, 'PrometheusEndpoint'] } });
    app.template.hasOutput('PrometheusConsoleUrl', {
      Value: {
        'Fn::Join': [
          '',
          [
            'https://console.aws.amazon.com/prometheus/home?region=us-west-2#/workspaces/workspace/',
            { 'Fn::GetAtt': [workspaceId, 'WorkspaceId'] },
          ],
        ],
      },
    });
  });

  test('teardown order: the scraper goes before its workspace, roles and log group', () => {
    const [scraper] = Object.values(app.template.findResources('AWS::APS::Scraper'));
    expect(scraper.DependsOn).toEqual(expect.arrayContaining([logicalId(app, 'AWS::Logs::LogGroup')]));
    expect(JSON.stringify(scraper.Properties)).toContain(logicalId(app, 'AWS::APS::Workspace'));
  });

  test('zero unacknowledged nag findings', () => {
    expect(nagFindings(app)).toEqual([]);
  });

  describe('options', () => {
    const rules =
      'groups:\n  - name: petstore\n    rules:\n      - record: petstore:cpu:rate5m\n        expr: sum(rate(container_cpu_usage_seconds_total{namespace="petstore"}[5m]))\n';
    const alerts = 'alertmanager_config: |\n  route:\n    receiver: default\n  receivers:\n    - name: default\n';
    const custom = deployAlone(
      new PrometheusAddOn({
        workspaceAlias: ' team metrics ',
        scrapeInterval: '1m30s',
        retentionDays: 400,
        customerManagedKey: false,
        alertManagerDefinition: alerts,
        ruleGroups: { petstore: rules, 'slo.v1': rules },
      }),
      { compute: 'nodegroups' },
    );

    test('alias, retention, alert manager and one rule groups namespace per entry; node groups synthesize too', () => {
      const workspaceArn = { 'Fn::GetAtt': [logicalId(custom, 'AWS::APS::Workspace'), 'Arn'] };
      custom.template.hasResourceProperties('AWS::APS::Workspace', {
        Alias: 'team metrics',
        WorkspaceConfiguration: { RetentionPeriodInDays: 400 },
        AlertManagerDefinition: alerts,
        KmsKeyArn: Match.absent(),
      });
      custom.template.resourceCountIs('AWS::APS::RuleGroupsNamespace', 2);
      custom.template.hasResourceProperties('AWS::APS::RuleGroupsNamespace', {
        Name: 'petstore',
        Data: rules,
        Workspace: workspaceArn,
      });
      custom.template.hasResourceProperties('AWS::APS::RuleGroupsNamespace', {
        Name: 'slo.v1',
        Data: rules,
        Workspace: workspaceArn,
      });
      expect(scraperBlob(custom)).toContain('scrape_interval: "1m30s"');
    });

    test('an AWS owned key needs no key and no role pair', () => {
      custom.template.resourceCountIs('AWS::KMS::Key', 0);
      custom.template.hasResourceProperties('AWS::APS::Scraper', { RoleConfiguration: Match.absent() });
      expect(nagFindings(custom)).toEqual([]);
    });

    test('Prometheus durations', () => {
      expect(prometheusDurationMs('30s')).toBe(30_000);
      expect(prometheusDurationMs('1h2m3s')).toBe(3_723_000);
      expect(prometheusDurationMs('1d')).toBe(86_400_000);
      for (const bad of ['', '30', '1s1m', '30 s', '-30s', '1.5m']) {
        expect(prometheusDurationMs(bad)).toBeUndefined();
      }
    });

    test('rejects what AMP or the collector would refuse, naming the key, the value and what is allowed', () => {
      expect(() => new PrometheusAddOn({ scrapeInterval: '15s' })).toThrow(
        /addons\.prometheus\.scrapeInterval: got "15s"; allowed: a Prometheus duration of at least 30s/,
      );
      expect(() => new PrometheusAddOn({ scrapeInterval: '30 seconds' })).toThrow(/scrapeInterval: got "30 seconds"/);
      expect(() => new PrometheusAddOn({ workspaceAlias: 'x'.repeat(101) })).toThrow(
        /addons\.prometheus\.workspaceAlias: got "x{101}"; allowed: 1 to 100 characters/,
      );
      expect(() => new PrometheusAddOn({ workspaceAlias: '   ' })).toThrow(/workspaceAlias.*allowed: 1 to 100 characters/);
      expect(() => new PrometheusAddOn({ retentionDays: 1096 })).toThrow(
        /addons\.prometheus\.retentionDays: got 1096; allowed: an integer from 1 to 1095/,
      );
      expect(() => new PrometheusAddOn({ ruleGroups: { '-bad': rules } })).toThrow(
        /addons\.prometheus\.ruleGroups\.-bad: got "-bad"; allowed: a rule groups namespace name/,
      );
      expect(() => new PrometheusAddOn({ ruleGroups: { ok: 'rules: []' } })).toThrow(
        /addons\.prometheus\.ruleGroups\.ok.*allowed: a Prometheus rules file/,
      );
      expect(() => new PrometheusAddOn({ alertManagerDefinition: 'route: {}' })).toThrow(
        /addons\.prometheus\.alertManagerDefinition: got "no alertmanager_config"; allowed: an AMP alert manager definition/,
      );
      expect(() => PrometheusAddOn.registration.create({ scrapeIntervall: '30s' })).toThrow(ConfigError);
      const p = new Problems();
      p.collect(() => PrometheusAddOn.registration.create({ scrapeInterval: '10s', retentionDays: 0, customerManagedKey: 'yes' }));
      expect(p.count).toBe(3);
    });

    test('selectable from configuration on both compute modes', () => {
      const configured = (compute: string) => composePlan({ compute, addons: 'prometheus', sampleWorkloads: false }).addons;
      expect(configured('auto').map((a) => a.id)).toContain('prometheus');
      const nodegroups = deployAlone(configured('nodegroups'), { compute: 'nodegroups' });
      expect(nodegroups.template.findResources('AWS::APS::Scraper')).not.toEqual({});
    });
  });
});
