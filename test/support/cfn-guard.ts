import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import type { App } from 'aws-cdk-lib';
import { CfnResource, Validations } from 'aws-cdk-lib';

/**
 * AWS Control Tower's proactive controls, run by the CDK policy-validation plugin
 * `@cdklabs/cdk-validator-cfnguard` (its bundled cfn-guard binary and the Control Tower guard rules
 * it ships, rules/control-tower/cfn-guard), on a synthesized App.
 */

/** One resource a control reports, from the plugin's entry in the App's validation report. */
export interface ControlTowerFinding {
  /** e.g. `CT.KMS.PR.3`. */
  readonly control: string;
  /** The guard rule, e.g. `kms_create_grant_aws_service_check`. */
  readonly rule: string;
  readonly stack: string;
  readonly logicalId: string;
  readonly constructPath: string;
  /**
   * Every property the rule failed on holds a value imported from another stack. In template mode
   * the rules accept only literals and references to resources of the same template, so an
   * `Fn::ImportValue` (PlatformStack's logs key, subnets, cluster security group) reads as missing;
   * the CloudFormation hooks Control Tower deploys evaluate the resolved value instead.
   */
  readonly importedOnly: boolean;
}

const PLUGIN_ROOT = dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json'));
const RULES_DIR = join(PLUGIN_ROOT, 'rules', 'control-tower', 'cfn-guard');

interface BundledRule {
  /** The file name without `.guard`: what the plugin's `disabledRules` takes. */
  readonly name: string;
  /** The resource types of its "Reports on:" header; empty when the header cannot be read. */
  readonly reportsOn: readonly string[];
}

/** Every bundled rule with the resource types its specification header says it reports on. */
export function bundledRules(): BundledRule[] {
  return readdirSync(RULES_DIR, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.guard'))
    .map((file) => {
      const text = readFileSync(join(RULES_DIR, file), 'utf8');
      const header = /# Reports on:\n((?:#[^\n]*\S[^\n]*\n)+?)#\s*\n/.exec(text);
      return {
        name: file.replace(/^.*\//, '').replace(/\.guard$/, ''),
        reportsOn: header ? (header[1].match(/AWS::[A-Za-z0-9]+::[A-Za-z0-9]+/g) ?? []) : [],
      };
    });
}

/**
 * The bundled rules that cannot apply to `app`: none of their resource types is in it. cfn-guard
 * evaluates every rule against every template, so running only the applicable ones cuts its CPU
 * time about sevenfold on the full platform. A rule whose header names no type is always run.
 */
export function inapplicableRules(app: App): string[] {
  const types = new Set(
    app.node
      .findAll()
      .filter(CfnResource.isCfnResource)
      .map((r) => r.cfnResourceType),
  );
  return bundledRules()
    .filter((rule) => rule.reportsOn.length > 0 && !rule.reportsOn.some((type) => types.has(type)))
    .map((rule) => rule.name);
}

interface ReportConstruct {
  readonly constructPath: string;
  readonly cloudFormationResource: {
    readonly templatePath: string;
    readonly logicalId: string;
    readonly propertyPaths?: readonly string[];
  };
}

interface ValidationReport {
  readonly pluginReports: readonly {
    readonly pluginName: string;
    readonly violations: readonly {
      readonly ruleName: string;
      readonly description: string;
      readonly violatingConstructs: readonly ReportConstruct[];
    }[];
  }[];
}

/**
 * Registers the plugin on `app` (built, not yet synthesized), synthesizes it and returns what the
 * Control Tower rules report. Synth does not fail on findings here: the caller judges them.
 * `app` must have been created with `@aws-cdk/core:failSynthOnValidationErrors` false.
 */
export function controlTowerFindings(app: App): ControlTowerFinding[] {
  const plugin = new CfnGuardValidator({ disabledRules: inapplicableRules(app) });
  Validations.of(app).addPlugins(plugin);
  const assembly = app.synth();
  const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as ValidationReport;
  const templates = new Map<string, unknown>();
  const template = (path: string): unknown => {
    if (!templates.has(path)) templates.set(path, JSON.parse(readFileSync(join(assembly.directory, path), 'utf8')));
    return templates.get(path);
  };
  return report.pluginReports
    .filter((r) => r.pluginName === plugin.name)
    .flatMap((r) => r.violations)
    .flatMap((violation) =>
      violation.violatingConstructs.map(({ constructPath, cloudFormationResource: resource }) => ({
        control: /^\[(CT\.[A-Z0-9]+\.PR\.\d+)\]/.exec(violation.description)?.[1] ?? violation.ruleName,
        rule: violation.ruleName,
        stack: resource.templatePath.replace(/\.template\.json$/, ''),
        logicalId: resource.logicalId,
        constructPath,
        importedOnly:
          (resource.propertyPaths ?? []).length > 0 &&
          (resource.propertyPaths ?? []).every((path) => containsImport(valueAt(template(resource.templatePath), path))),
      })),
    );
}

/** The value at a JSON pointer (`/Resources/Id/Properties/...`), undefined when absent. */
function valueAt(document: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .reduce<unknown>(
      (node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined),
      document,
    );
}

function containsImport(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return 'Fn::ImportValue' in value || Object.values(value).some(containsImport);
}
