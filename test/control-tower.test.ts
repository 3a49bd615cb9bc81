import { Fn, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';

import { buildTestApp, testApp } from './helpers';
import type { ControlTowerFinding } from './support/cfn-guard';
import { bundledRules, controlTowerFindings, inapplicableRules } from './support/cfn-guard';
import type { ControlTowerException } from './support/control-tower-exceptions';
import { CONTROL_TOWER_EXCEPTIONS, exceptionFor } from './support/control-tower-exceptions';
import { fullPlatformContext } from './support/full-platform';

/** Findings are the tests' to judge, so synth must not stop at the first one. */
const REPORT_ONLY = { '@aws-cdk/core:failSynthOnValidationErrors': false };

const CONFIGURATIONS: ReadonlyArray<readonly [string, Record<string, unknown>]> = [
  ['workshop, auto', {}],
  ['workshop, node groups', { compute: 'nodegroups' }],
  ['production, auto', { profile: 'production' }],
  ['production, node groups', { profile: 'production', compute: 'nodegroups' }],
  ['workshop, full platform on auto', fullPlatformContext('auto')],
  ['workshop, full platform on node groups', fullPlatformContext('nodegroups')],
];

interface Judged {
  readonly finding: ControlTowerFinding;
  readonly exception?: ControlTowerException;
}

const judged = new Map<string, Judged[]>();

/** The platform app for `context` through the Control Tower rules, each finding with the exception that covers it. */
function judge(context: Record<string, unknown>): Judged[] {
  const key = JSON.stringify(context);
  if (!judged.has(key)) {
    const built = buildTestApp({ ...context, ...REPORT_ONLY });
    judged.set(
      key,
      controlTowerFindings(built.app).map((finding) => ({ finding, exception: exceptionFor(finding, built.config) })),
    );
  }
  return judged.get(key) ?? [];
}

const line = ({ finding }: Judged): string => `${finding.control} ${finding.constructPath}`;
/** One line per stack and control: what README documents. */
const documented = (results: readonly Judged[]): string[] =>
  [...new Set(results.map(({ finding }) => `${finding.stack} ${finding.control}${finding.importedOnly ? ' (imported)' : ''}`))].sort();

describe.each(CONFIGURATIONS)('%s', (_name, context) => {
  test('every Control Tower finding is a declared exception', () => {
    expect(
      judge(context)
        .filter((j) => !j.exception)
        .map(line),
    ).toEqual([]);
  });
});

describe('what is excepted is what README documents', () => {
  test.each(CONFIGURATIONS.slice(0, 2))('%s: Secrets key grants, one month of logs, public endpoint', (_name, context) => {
    expect(documented(judge(context))).toEqual([
      'InfraStack CT.CLOUDWATCH.PR.2',
      'InfraStack CT.EKS.PR.1',
      'InfraStack CT.KMS.PR.3',
      'PlatformStack CT.CLOUDWATCH.PR.2',
      'PlatformStack CT.CLOUDWATCH.PR.3 (imported)',
      'PlatformStack CT.LAMBDA.PR.3 (imported)',
    ]);
  });

  test.each(CONFIGURATIONS.slice(2, 4))('%s: the Secrets key grants, and imported values in template mode', (_name, context) => {
    expect(documented(judge(context))).toEqual([
      'InfraStack CT.KMS.PR.3',
      'PlatformStack CT.CLOUDWATCH.PR.3 (imported)',
      'PlatformStack CT.LAMBDA.PR.3 (imported)',
    ]);
  });

  test('a year of retention (logRetentionDays=365) and a private endpoint make the workshop pass them too', () => {
    expect(documented(judge({ logRetentionDays: 365, endpointAccess: 'private' }))).toEqual([
      'InfraStack CT.KMS.PR.3',
      'PlatformStack CT.CLOUDWATCH.PR.3 (imported)',
      'PlatformStack CT.LAMBDA.PR.3 (imported)',
    ]);
  });

  test('every declared exception is still needed by one of the configurations', () => {
    const used = new Set(CONFIGURATIONS.flatMap(([, context]) => judge(context).map((j) => j.exception)));
    expect(CONTROL_TOWER_EXCEPTIONS.filter((e) => !used.has(e)).map((e) => `${e.control} ${e.constructPath}`)).toEqual([]);
  });
});

describe('the rules that run', () => {
  test('every bundled rule names the resource types it reports on', () => {
    expect(
      bundledRules()
        .filter((rule) => rule.reportsOn.length === 0)
        .map((rule) => rule.name),
    ).toEqual([]);
  });

  test('the controls that apply to the platform are among them', () => {
    const app = buildTestApp({ compute: 'nodegroups' }).app;
    const skipped = new Set(inapplicableRules(app));
    expect(
      ['ct-kms-pr-3', 'ct-sqs-pr-1', 'ct-cloudwatch-pr-2', 'ct-cloudwatch-pr-3', 'ct-eks-pr-1', 'ct-lambda-pr-3'].filter((r) =>
        skipped.has(r),
      ),
    ).toEqual([]);
  });
});

describe('non-compliant resources are reported', () => {
  const findings = (build: (stack: Stack) => void): string[] => {
    const app = testApp(REPORT_ONLY);
    build(new Stack(app, 'Probe'));
    return controlTowerFindings(app)
      .map((f) => `${f.control} ${f.logicalId}${f.importedOnly ? ' (imported)' : ''}`)
      .sort();
  };

  test('a queue without a dead-letter queue fails CT.SQS.PR.1', () => {
    expect(findings((stack) => new sqs.Queue(stack, 'Queue', { encryption: sqs.QueueEncryption.SQS_MANAGED }))).toContainEqual(
      expect.stringMatching(/^CT\.SQS\.PR\.1 Queue/),
    );
  });

  test('a log group without a key and with a week of retention fails CT.CLOUDWATCH.PR.2 and .3', () => {
    const result = findings((stack) => new logs.LogGroup(stack, 'Logs', { retention: logs.RetentionDays.ONE_WEEK }));
    expect(result).toEqual(
      expect.arrayContaining([expect.stringMatching(/^CT\.CLOUDWATCH\.PR\.2 Logs/), expect.stringMatching(/^CT\.CLOUDWATCH\.PR\.3 Logs/)]),
    );
  });

  test('a function outside a VPC fails CT.LAMBDA.PR.3, one in imported subnets is told apart', () => {
    const result = findings((stack) => {
      const props = {
        runtime: lambda.Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('exports.handler = async () => {};'),
      };
      new lambda.Function(stack, 'Outside', props);
      new lambda.CfnFunction(stack, 'Imported', {
        code: { zipFile: 'exports.handler = async () => {};' },
        role: 'arn:aws:iam::111122223333:role/Probe',
        handler: 'index.handler',
        runtime: 'nodejs22.x',
        vpcConfig: { subnetIds: [Fn.importValue('probe:Subnet')], securityGroupIds: [Fn.importValue('probe:SecurityGroup')] },
      });
    });
    expect(result.filter((f) => f.startsWith('CT.LAMBDA.PR.3'))).toEqual([
      'CT.LAMBDA.PR.3 Imported (imported)',
      expect.stringMatching(/^CT\.LAMBDA\.PR\.3 Outside[0-9A-F]{8}$/),
    ]);
  });
});
