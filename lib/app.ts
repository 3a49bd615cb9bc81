import { App } from 'aws-cdk-lib';
import type { PlatformAddOn } from '../addons/core/addon';
import type { AppProps } from 'aws-cdk-lib';
import { addCompliancePacks } from './compliance/nag-packs';
import { loadConfig } from './config';
import type { PlatformConfig, TeamInput } from './config';
import { InfraStack } from './infra/infra-stack';
import { PlatformStack } from './platform/platform-stack';

/** The assembled app; tests build it the same way `bin/app.ts` does. */
export interface PlatformApp {
  readonly app: App;
  readonly config: PlatformConfig;
  readonly infra: InfraStack;
  readonly platform: PlatformStack;
}

/** Options for {@link buildPlatformApp}. */
export interface BuildOptions {
  /**
   * Register the cdk-nag packs as synth-time validation plugins. Tests that inspect templates turn
   * this off and run the packs explicitly where compliance is what they check.
   * @default true
   */
  readonly compliancePacks?: boolean;
  /**
   * Add-ons passed in code, in addition to those selected in configuration.
   * @default []
   */
  readonly addons?: readonly PlatformAddOn[];
  /**
   * Application teams passed in code, in addition to those in configuration.
   * @default []
   */
  readonly teams?: readonly TeamInput[];
}

/**
 * Builds both stacks from the app's context. Configuration is validated before any construct
 * exists, so bad input never produces a partial template.
 */
export function buildPlatformApp(props: AppProps = {}, options: BuildOptions = {}): PlatformApp {
  const app = new App(props);
  const config = loadConfig(app.node.getAllContext());
  const env = { account: config.account, region: config.region };
  // The CLI names stay InfraStack / PlatformStack; the CloudFormation names carry the environment.
  const infra = new InfraStack(app, 'InfraStack', { config, env });
  const platform = new PlatformStack(app, 'PlatformStack', { config, env, addons: options.addons, teams: options.teams });
  platform.addDependency(infra, 'PlatformStack imports InfraStack named exports');
  if (options.compliancePacks ?? true) {
    addCompliancePacks(app);
  }
  return { app, config, infra, platform };
}
