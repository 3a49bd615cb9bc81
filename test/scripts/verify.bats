#!/usr/bin/env bats
# scripts/verify.sh against the stubs.

load helper

# What up.sh leaves behind: stacks, cluster, context and outputs.json.
given_up() {
  given_deployed "$1"
  mkdir -p "$WORKSHOP_DIR/$1"
  echo "{\"$1-platform\": {\"AppUrlGame2048\": \"http://game.$1.example\", \"TeamNamespaces\": \"team-a\"}}" \
    >"$WORKSHOP_DIR/$1/outputs.json"
}

@test "verify passes and exits 0 when everything is ready" {
  given_up alice
  run "$SCRIPTS/verify.sh" --env alice
  assert_success
  assert_line "[PASS] cluster      cluster alice-eks is ACTIVE"
  assert_line "[PASS] nodes        1/1 nodes Ready"
  assert_line "[PASS] deployments  1/1 deployments Available"
  assert_line "[PASS] app          Game2048: http://game.alice.example answers (200)"
  assert_line "RESULT alice: PASS (4 checks)"
  refute_call 'update-kubeconfig'
}

@test "verify reports each failing check and exits 1" {
  given_up alice
  touch "$STUB_DIR/nodes_not_ready"
  echo 502 >"$STUB_DIR/curl_code"
  run "$SCRIPTS/verify.sh" --env alice
  assert_failure 1
  assert_line "[PASS] cluster      cluster alice-eks is ACTIVE"
  assert_line "[FAIL] nodes        0/1 nodes Ready; not Ready: i-0abc"
  assert_line "[PASS] deployments  1/1 deployments Available"
  assert_line "[FAIL] app          Game2048: http://game.alice.example does not answer (HTTP 502)"
  assert_line "RESULT alice: FAIL (2 of 4 checks failed)"
}

@test "verify fails cleanly when the cluster does not exist" {
  run "$SCRIPTS/verify.sh" --env carol
  assert_failure 1
  assert_line "[FAIL] cluster      cluster carol-eks does not exist"
  assert_line "[FAIL] nodes        not checked: the cluster is not ACTIVE"
  assert_line "RESULT carol: FAIL (3 of 3 checks failed)"
  refute_call '^kubectl'
}

@test "verify adds a missing kubeconfig context and reads outputs from CloudFormation when the file is missing" {
  given_deployed alice
  rm "$STUB_DIR/contexts/alice-eks"
  echo '[{"OutputKey": "AppUrlGame2048", "OutputValue": "http://game.alice.example"}]' >"$STUB_DIR/stacks/alice-platform.outputs.json"
  run "$SCRIPTS/verify.sh" --env alice
  assert_success
  assert_call '^aws eks update-kubeconfig --name alice-eks --region us-west-2 --alias alice-eks$'
  assert_call "^aws cloudformation describe-stacks --region us-west-2 --stack-name alice-platform --query Stacks\[0\].Outputs"
  assert_line "[PASS] app          Game2048: http://game.alice.example answers (200)"
}

@test "verify works in a loop over participants" {
  given_up alice
  given_up bob
  rm "$STUB_DIR/clusters/bob-eks"
  run bash -c 'for p in alice bob; do "$0" --env "$p" >/dev/null && echo "$p ok" || echo "$p FAILED"; done' "$SCRIPTS/verify.sh"
  assert_output "alice ok
bob FAILED"
}

@test "verify prints the AWS message, not the empty line the AWS CLI prints before it" {
  given_up alice
  aws_fails eks describe-cluster always ResourceInUseException "Cluster is being updated"
  run "$SCRIPTS/verify.sh" --env alice
  assert_failure 1
  assert_line "[FAIL] cluster      cannot describe cluster alice-eks: An error occurred (ResourceInUseException) when calling the DescribeCluster operation: Cluster is being updated"
}

@test "verify retries a throttled call, and a call that stays throttled fails after a bounded number of tries" {
  given_up alice
  aws_fails eks describe-cluster 1 TooManyRequestsException "Too many requests"
  run "$SCRIPTS/verify.sh" --env alice
  assert_success

  rm "$STUB_DIR/calls.log"
  aws_fails eks describe-cluster always TooManyRequestsException "Too many requests"
  AWS_RETRY_ATTEMPTS=3 run "$SCRIPTS/verify.sh" --env alice
  assert_failure 1
  assert_equal "$(count_calls '^aws eks describe-cluster ')" 3
  assert_line "[FAIL] cluster      cannot describe cluster alice-eks: An error occurred (TooManyRequestsException) when calling the DescribeCluster operation: Too many requests"
}

@test "verify with a read-only kubeconfig checks the cluster through a kubeconfig of its own and warns" {
  given_up alice
  rm "$STUB_DIR/contexts/alice-eks"
  touch "$STUB_DIR/kubeconfig_readonly"
  run "$SCRIPTS/verify.sh" --env alice
  assert_success
  assert_line --partial "[WARN] kubeconfig   cannot add context alice-eks to your kubeconfig"
  assert_line "[PASS] nodes        1/1 nodes Ready"
  assert_line "RESULT alice: PASS (4 checks)"
}

@test "verify waits between throttled tries with jitter: between half the backoff and all of it, doubling up to the cap" {
  given_up alice
  # A sleep that records how long it was asked to wait, and returns at once.
  mkdir -p "$BATS_TEST_TMPDIR/bin"
  # shellcheck disable=SC2016 # $1 belongs to the stub script, not to this shell
  printf '#!/usr/bin/env bash\necho "$1" >>"%s"\n' "$STUB_DIR/sleeps" >"$BATS_TEST_TMPDIR/bin/sleep"
  chmod +x "$BATS_TEST_TMPDIR/bin/sleep"
  aws_fails eks describe-cluster 4 Throttling "Rate exceeded"
  PATH="$BATS_TEST_TMPDIR/bin:$PATH" AWS_RETRY_BASE_DELAY=2 AWS_RETRY_MAX_DELAY=5 run "$SCRIPTS/verify.sh" --env alice
  assert_success
  mapfile -t waits <"$STUB_DIR/sleeps"
  assert_equal "${#waits[@]}" 4
  # Backoffs 2, 4, then 8 and 16 capped at 5: each wait lies in [backoff/2, backoff].
  local i backoff=(2 4 5 5) ms
  for i in 0 1 2 3; do
    [[ ${waits[i]} =~ ^[0-9]+\.[0-9]{3}$ ]]
    ms=$((10#${waits[i]/./}))
    ((ms >= backoff[i] * 500 && ms <= backoff[i] * 1000))
  done
}

# A gitops environment as up.sh leaves it: the GitOps output in outputs.json.
given_up_gitops() {
  given_up "$1"
  echo "{\"$1-platform\": {\"AppUrlGame2048\": \"http://game.$1.example\", \"GitOps\": $(gitops_output "${2:-argocd}" | sed 's/"/\\"/g; s/.*/"&"/')}}" \
    >"$WORKSHOP_DIR/$1/outputs.json"
}

@test "verify in a gitops environment reports every Application Synced and Healthy, asked for by its exact labels in Argo CD's namespace" {
  given_up_gitops alice gitops-system
  given_application gitops-system metrics-server 0 Synced Healthy
  given_application gitops-system storage 3 Synced Healthy
  run "$SCRIPTS/verify.sh" --env alice
  assert_success
  assert_line "[PASS] application  metrics-server: Synced, Healthy"
  assert_line "[PASS] application  storage: Synced, Healthy"
  assert_line "[PASS] drift        no Application OutOfSync"
  assert_line "RESULT alice: PASS (7 checks)"
  assert_call '^kubectl --context alice-eks --request-timeout=30s get applications\.argoproj\.io -n gitops-system -l app\.kubernetes\.io/part-of=cdk-eks-platform,app\.kubernetes\.io/managed-by=cdk -o json$'
}

@test "verify names the failing resources and conditions of an Application that is not Healthy, and fails" {
  given_up_gitops alice
  given_application argocd metrics-server 0 Synced Healthy
  given_application argocd karpenter 3 Synced Degraded '"resources": [
    {"kind": "Deployment", "namespace": "karpenter", "name": "karpenter", "status": "Synced", "health": {"status": "Degraded", "message": "Deployment \"karpenter\" exceeded its progress deadline"}},
    {"kind": "ServiceAccount", "namespace": "karpenter", "name": "karpenter", "status": "Synced"}],
   "operationState": {"phase": "Failed", "message": "one or more objects failed to apply"},
   "conditions": [{"type": "SyncError", "message": "Failed sync attempt: retried 5 times"}]'
  run "$SCRIPTS/verify.sh" --env alice
  assert_failure 1
  assert_line "[PASS] application  metrics-server: Synced, Healthy"
  assert_line '[FAIL] application  karpenter: Synced, Degraded; failing: Deployment karpenter/karpenter Degraded: Deployment "karpenter" exceeded its progress deadline; sync Failed: one or more objects failed to apply; SyncError: Failed sync attempt: retried 5 times'
  assert_line "RESULT alice: FAIL (1 of 7 checks failed)"
}

@test "verify says which Applications drifted, which resources changed, and whether self-heal puts them back" {
  given_up_gitops alice
  given_application argocd metrics-server 0 OutOfSync Healthy '"resources": [
    {"kind": "Deployment", "namespace": "kube-system", "name": "metrics-server", "status": "OutOfSync", "health": {"status": "Healthy"}},
    {"kind": "ClusterRole", "name": "system:metrics-server", "status": "OutOfSync"},
    {"kind": "Service", "namespace": "kube-system", "name": "metrics-server", "status": "Synced", "health": {"status": "Healthy"}}]'
  given_application argocd storage 3 OutOfSync Healthy '"resources": [{"kind": "StorageClass", "name": "gp3", "status": "OutOfSync"}]' '' false
  given_application argocd external-dns 3 Synced Healthy
  run "$SCRIPTS/verify.sh" --env alice
  assert_failure 1
  assert_line "[FAIL] application  metrics-server: OutOfSync, Healthy"
  assert_line "[WARN] drift        metrics-server is OutOfSync; changed: Deployment kube-system/metrics-server, ClusterRole system:metrics-server; self-heal is on (automated selfHeal): Argo CD puts them back"
  assert_line "[WARN] drift        storage is OutOfSync; changed: StorageClass gp3; self-heal is off: Argo CD does not put them back until synced"
  assert_line "[PASS] application  external-dns: Synced, Healthy"
  refute_line --partial "drift        external-dns"
  refute_line --partial "no Application OutOfSync"
}

@test "verify keeps only the environment's Applications: exact label values, Argo CD's namespace" {
  given_up_gitops alice
  given_application argocd metrics-server 0 Synced Healthy
  given_application argocd someone-elses 0 Synced Degraded '' '{"app.kubernetes.io/part-of": "cdk-eks-platform-copy", "app.kubernetes.io/managed-by": "cdk"}'
  given_application other metrics-server 0 Synced Degraded
  run "$SCRIPTS/verify.sh" --env alice
  assert_success
  assert_line "[PASS] application  metrics-server: Synced, Healthy"
  refute_line --partial "someone-elses"
}

@test "verify in a gitops environment without any Application of it fails, naming where it looked" {
  given_up_gitops alice
  run "$SCRIPTS/verify.sh" --env alice
  assert_failure 1
  assert_line "[FAIL] applications no applications.argoproj.io labelled app.kubernetes.io/part-of=cdk-eks-platform,app.kubernetes.io/managed-by=cdk in namespace argocd"
}

@test "verify in a helm environment (no GitOps output) asks for no Application" {
  given_up alice
  given_application argocd metrics-server 0 Synced Degraded
  run "$SCRIPTS/verify.sh" --env alice
  assert_success
  refute_call 'applications'
  refute_line --partial "application"
}
