import { Construct } from 'constructs';

import type { AddOnContext } from '../../../addons/core/addon';
import type { WorkloadsConfig } from '../../core/config';
import type { DeployedAddOns } from './controllers';
import { Game2048 } from './game-2048';
import { Nginx } from './nginx';
import { Petstore } from './petstore';

/** Props for {@link SampleWorkloads}. */
export interface SampleWorkloadsProps {
  /** Cluster, VPC, configuration and names of the environment. */
  readonly context: AddOnContext;
  /** The plan's add-ons and their scopes; a workload depends on the add-ons serving its load balancer. */
  readonly addons: DeployedAddOns;
  /**
   * Which workloads to deploy.
   * @default - `context.config.workloads` (the `workloads` key)
   */
  readonly workloads?: WorkloadsConfig;
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
    const workloads = props.workloads ?? context.config.workloads;
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
