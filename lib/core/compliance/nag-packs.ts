import type { App, IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { Validations } from 'aws-cdk-lib';
import type { NagPack } from 'cdk-nag';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';

/** The four compliance packs of this project, in one place. */
export function createCompliancePacks(): NagPack[] {
  return [new AwsSolutionsChecks(), new NIST80053R5Checks(), new HIPAASecurityChecks(), new PCIDSS321Checks()];
}

/**
 * The four packs as ONE validation plugin. The CDK hashes every file of the cloud assembly before
 * the plugins run and again after each plugin (to catch a plugin that writes to it); with the
 * 58 MB of kubectl and AWS CLI layers staged there, four plugins meant four extra passes over them
 * on every synth. The findings, and the acknowledgements that silence them, are the same.
 */
export class CompliancePacks implements IPolicyValidationPlugin {
  readonly name = 'cdk-nag';
  readonly ruleIds: string[];
  private readonly packs: readonly NagPack[];

  constructor(packs: readonly NagPack[] = createCompliancePacks()) {
    this.packs = packs;
    this.ruleIds = packs.flatMap((pack) => pack.ruleIds ?? []);
  }

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const reports = this.packs.map((pack) => pack.validate(context));
    return {
      success: reports.every((report) => report.success),
      violations: reports.flatMap((report) => report.violations),
    };
  }
}

/** Runs every pack on every synth; any unacknowledged finding fails it. */
export function addCompliancePacks(app: App): void {
  Validations.of(app).addPlugins(new CompliancePacks());
}
