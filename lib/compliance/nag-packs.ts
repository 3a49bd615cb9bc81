import { Validations } from 'aws-cdk-lib';
import type { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import type { NagPack } from 'cdk-nag';

/** The four compliance packs of this project, in one place. */
export function createCompliancePacks(): NagPack[] {
  return [new AwsSolutionsChecks(), new NIST80053R5Checks(), new HIPAASecurityChecks(), new PCIDSS321Checks()];
}

/** Runs every pack on every synth; any unacknowledged finding fails it. */
export function addCompliancePacks(app: App): void {
  Validations.of(app).addPlugins(...createCompliancePacks());
}
