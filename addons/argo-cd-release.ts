import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';

import type { ChartApplicationProps } from './argo-cd-application';
import { chartApplication } from './argo-cd-application';
import { HELM_HANDLER_RESERVE, KUBECTL_HANDLER_LIMIT } from './core/helm-release-behaviour';

/**
 * What the wait reads: the revision of the Application's newest history entry. Argo CD records
 * history only when a sync operation ends successfully (argoproj/argo-cd@v3.4.4 controller/sync.go:
 * `persistRevisionHistory` runs when `state.Phase.Successful()`), so the value exists from the first
 * successful sync on: every object of the chart applied, its CRDs among them.
 */
export const SYNCED_JSON_PATH = '.status.history[0].revision';

/**
 * How long the wait polls: the kubectl handler's limit less what it needs besides (the same reserve
 * a Helm release keeps), so the handler answers CloudFormation before it is stopped.
 */
export const SYNC_WAIT_TIMEOUT = KUBECTL_HANDLER_LIMIT.minus(HELM_HANDLER_RESERVE);

/** Props for {@link ArgoCdRelease}. */
export interface ArgoCdReleaseProps {
  readonly cluster: eks.ICluster;
  readonly application: ChartApplicationProps;
}

/**
 * A chart release delivered by Argo CD: its Application, applied into Argo CD's namespace, and a
 * wait for the Application's first successful sync. Objects that need the chart depend on this
 * construct, as they would on a HelmChart; deleting the Application first deletes what it deployed.
 */
export class ArgoCdRelease extends Construct {
  readonly application: eks.KubernetesManifest;
  readonly synced: eks.KubernetesObjectValue;

  constructor(scope: Construct, id: string, props: ArgoCdReleaseProps) {
    super(scope, id);
    const { cluster, application } = props;
    this.application = new eks.KubernetesManifest(this, 'Application', {
      cluster,
      manifest: [chartApplication(application)],
      overwrite: true,
    });
    this.synced = new eks.KubernetesObjectValue(this, 'Synced', {
      cluster,
      objectType: 'applications.argoproj.io',
      objectName: application.name,
      objectNamespace: application.namespace,
      jsonPath: SYNCED_JSON_PATH,
      timeout: SYNC_WAIT_TIMEOUT,
    });
    this.synced.node.addDependency(this.application);
  }
}
