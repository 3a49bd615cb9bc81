import { Duration } from 'aws-cdk-lib';
import type * as eks from 'aws-cdk-lib/aws-eks-v2';

/**
 * How long the kubectl handler can run a Helm command: 15 minutes. aws-cdk-lib 2.278's
 * `KubectlProvider` gives its handler Lambda `timeout: Duration.minutes(15)`
 * (aws-eks-v2/lib/kubectl-provider.js) and wraps it in a `custom-resources` Provider without an
 * isComplete handler, whose onEvent Lambda (`FRAMEWORK_HANDLER_TIMEOUT`, also 15 minutes) invokes the
 * handler synchronously and answers CloudFormation (the Provider's `totalTimeout`, 30 minutes by
 * default, applies only with isComplete). The framework function starts first, so it dies first: a
 * Helm command still running at 15 minutes gets no answer to CloudFormation at all and leaves its
 * release `pending-install`/`pending-upgrade` (aws/aws-cdk#22257).
 */
export const KUBECTL_HANDLER_LIMIT = Duration.minutes(15);

/**
 * What the handler does besides Helm's waits, within {@link KUBECTL_HANDLER_LIMIT}: both Lambdas'
 * cold starts (the handler carries the kubectl and AWS CLI layers), `aws eks update-kubeconfig`, for
 * `oci://` charts an ECR login and `helm pull` (retried up to 3 times on a broken pipe), rendering
 * and applying the chart, and the framework's answer to CloudFormation
 * (custom-resource-handlers/dist/aws-eks-v2/kubectl-handler/helm/__init__.py).
 */
export const HELM_HANDLER_RESERVE = Duration.minutes(3);

/**
 * Helm's `--timeout` for every release: (15 - 3) / 2 = 6 minutes. The handler runs
 * `helm upgrade --install --wait --timeout T --atomic`. Helm 4.1.4 (kubectl layers v34 and v35
 * 2.2.2) and 4.2.3 (v36 2.0.1) keep `--atomic` as a deprecated alias of `--rollback-on-failure`
 * (pkg/cmd/upgrade.go), and on failure roll back with the same timeout: a failed install is
 * uninstalled, a failed upgrade rolled back to the last deployed revision, each waiting up to T again
 * (pkg/action/install.go and upgrade.go, `failRelease`). So a failure takes two waits of T; both end
 * before the handler does. Hooks (pre/post-install, pre/post-upgrade) get T each on top: a chart
 * whose hooks are slow needs a smaller T, not a larger one.
 */
export const HELM_RELEASE_TIMEOUT = Duration.seconds((KUBECTL_HANDLER_LIMIT.toSeconds() - HELM_HANDLER_RESERVE.toSeconds()) / 2);

/**
 * How every release of the platform runs: waits until its workloads are ready (dependent objects,
 * CRD instances and load balancers need the controller running, not just installed), rolls itself
 * back when it fails, and gives up after {@link HELM_RELEASE_TIMEOUT}, so that the rollback ends
 * within the handler's limit too.
 */
export const HELM_RELEASE_BEHAVIOUR = {
  wait: true,
  atomic: true,
  timeout: HELM_RELEASE_TIMEOUT,
} as const satisfies Pick<eks.HelmChartProps, 'wait' | 'atomic' | 'timeout'>;

/**
 * How long a pending revision may still belong to a running Helm command: Helm stamps the revision
 * when its command starts, inside a handler that ends within {@link KUBECTL_HANDLER_LIMIT}; the
 * minute more covers the clocks of two Lambda functions.
 */
export const HELM_PENDING_QUIET = KUBECTL_HANDLER_LIMIT.plus(Duration.minutes(1));

/**
 * Helm's `--timeout` for the recovery's rollback (its hooks) or uninstall (until the objects are
 * gone): Helm's own default. What is left of the recovery function's 15 minutes (about 9.5) is
 * how long it can wait for {@link HELM_PENDING_QUIET} to pass.
 */
export const HELM_RECOVERY_TIMEOUT = Duration.minutes(5);
