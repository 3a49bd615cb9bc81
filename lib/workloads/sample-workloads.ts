import { Construct } from 'constructs';
import type { AddOnContext } from '../../addons/core/addon';
import type { PlatformConfig } from '../config/types';
import { NO_WORKLOADS } from '../config/workload-rules';
import type { WorkloadsConfig } from '../config/workload-rules';
import { missingControllers } from './controllers';
import type { WorkloadName } from './controllers';
import { Game2048 } from './game-2048';
import { Nginx } from './nginx';
import { Petstore } from './petstore';

/** Props for {@link SampleWorkloads}. */
export interface SampleWorkloadsProps {
  /** Cluster, VPC, configuration and names of the environment. */
  readonly context: AddOnContext;
  /** Scopes of the deployed add-ons by id; a workload depends on the controller serving its load balancer. */
  readonly addons: ReadonlyMap<string, Construct>;
  /**
   * Which workloads to deploy.
   * @default - `context.config.workloads` (the `workloads` key), or none while the configuration has no such field
   */
  readonly workloads?: WorkloadsConfig;
}

/** The configured workloads; tolerates a configuration model that does not carry them (yet). */
function configuredWorkloads(config: PlatformConfig): WorkloadsConfig | undefined {
  return (config as PlatformConfig & { readonly workloads?: WorkloadsConfig }).workloads;
}

/**
 * The workshop's sample applications, each in its own namespace: game-2048 behind an ALB, petstore
 * behind an NLB (with API Gateway through a VPC link), nginx with TLS and a DNS name. Stack outputs
 * `AppUrlGame2048`, `AppUrlPetstore` and `AppUrlNginx` hold their URLs (see docs/sample-workloads.md).
 */
export class SampleWorkloads extends Construct {
  readonly game2048?: Game2048;
  readonly petstore?: Petstore;
  readonly nginx?: Nginx;

  constructor(scope: Construct, id: string, props: SampleWorkloadsProps) {
    super(scope, id);
    const { context, addons } = props;
    const workloads = props.workloads ?? configuredWorkloads(context.config) ?? NO_WORKLOADS;
    const wanted: WorkloadName[] = [
      ...(workloads.game2048 ? ['game-2048' as const] : []),
      ...(workloads.petstore.enabled ? ['petstore' as const] : []),
      ...(workloads.nginx ? ['nginx' as const] : []),
    ];
    // Report every missing controller at once rather than the first one a workload trips over.
    const missing = wanted.flatMap((name) => missingControllers(name, context.config.compute, addons));
    if (missing.length > 0) {
      throw new Error(`Cannot deploy the sample workloads (compute=${context.config.compute}):\n${missing.map((m) => `  - ${m}`).join('\n')}`);
    }
    if (workloads.game2048) {
      this.game2048 = new Game2048(this, 'Game2048', { context, addons });
    }
    if (workloads.petstore.enabled) {
      this.petstore = new Petstore(this, 'Petstore', {
        context,
        addons,
        internal: workloads.petstore.internal,
        apiGateway: workloads.petstore.apiGateway,
      });
    }
    if (workloads.nginx) {
      this.nginx = new Nginx(this, 'Nginx', { context, addons, ...workloads.nginx });
    }
  }
}
