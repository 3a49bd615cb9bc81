import { Construct } from 'constructs';
import type { AddOnContext } from '../../addons/core/addon';

/** Props for {@link SampleWorkloads}. */
export interface SampleWorkloadsProps {
  /** Cluster, VPC, configuration and names of the environment. */
  readonly context: AddOnContext;
  /** Scopes of the deployed add-ons by id; a workload depends on the controller serving its load balancer. */
  readonly addons: ReadonlyMap<string, Construct>;
}

/** The workshop's sample applications (see README "Sample workloads"). */
export class SampleWorkloads extends Construct {
  constructor(scope: Construct, id: string, _props: SampleWorkloadsProps) {
    super(scope, id);
  }
}
