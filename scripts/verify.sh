#!/usr/bin/env bash
# Says whether one workshop environment is usable right now: one probe per
# check, a PASS/FAIL line each, exit 0 only if all pass.
set -euo pipefail
case ${BASH_SOURCE[0]} in */*) LIB=${BASH_SOURCE[0]%/*}/lib ;; *) LIB=lib ;; esac
# shellcheck source=lib/common.sh
source "$LIB/common.sh"
# shellcheck source=lib/cluster.sh
source "$LIB/cluster.sh"
# shellcheck source=lib/gitops.sh
source "$LIB/gitops.sh"

usage() {
  cat <<EOF
Usage: scripts/verify.sh [--env NAME] [options]

Checks one environment once, without changing it (it only adds the
kubeconfig context NAME-eks when it is missing; when the kubeconfig cannot
be written it says so and checks through a temporary one):
  cluster      EKS cluster NAME-eks is ACTIVE
  nodes        at least --min-nodes nodes, all Ready
  deployments  every Deployment in every namespace is Available
  app ...      each AppUrl* output of NAME-platform answers over HTTP (any
               status below 500); a "pending" one is replaced by the
               address of that app's own Ingress or LoadBalancer Service:
               NAMESPACE/NAME from a "pending:NAMESPACE/NAME" value, else
               the key in kebab case (AppUrlGame2048: game-2048/game-2048)
  application  gitops environments (NAME-platform has a GitOps output): each
               Argo CD Application of the environment is Synced and Healthy;
               for one that is not, its failing resources and conditions
  drift        gitops: which Applications are OutOfSync, which of their
               resources changed, and whether self-heal puts them back (WARN)
Prints PASS/FAIL per check and exits 0 when all pass, 1 otherwise.

Options:
$ENV_OPTIONS_HELP
      --min-nodes N     nodes that must be Ready (default: $MIN_NODES)

Examples:
  scripts/verify.sh --env alice
  for p in alice bob carol; do scripts/verify.sh --env "\$p" || echo "\$p NOT READY"; done
EOF
}

normalize_args "$@"
set -- "${ARGS[@]}"
while (($#)); do
  case $1 in
    -h | --help) usage; exit 0 ;;
    --min-nodes) need_value "$@"; MIN_NODES=$2; shift 2 ;;
    -n | --dry-run) usage_error "verify changes nothing; it has no --dry-run" ;;
    -c | --context | --account) usage_error "$1 is for up/down; verify does not run cdk" ;;
    *) common_opt "$@" || usage_error "unknown option: $1"; shift "$SHIFT_BY" ;;
  esac
done
[[ $MIN_NODES =~ ^[0-9]+$ ]] || usage_error "--min-nodes needs a number"
setup_env
setup_kubectl

PASSED=0
FAILED=0
report() {
  local result=$1 name=$2 detail=$3
  printf '[%s] %-12s %s\n' "$result" "$name" "$detail"
  case $result in
    PASS) PASSED=$((PASSED + 1)) ;;
    FAIL) FAILED=$((FAILED + 1)) ;;
  esac
}

# run_check NAME CHECK: one probe, one line.
run_check() {
  CHECK_DETAIL=''
  if "$2"; then report PASS "$1" "$CHECK_DETAIL"; else report FAIL "$1" "$CHECK_DETAIL"; fi
}

echo "verify $ENV_NAME (region $REGION, cluster $CLUSTER)"
run_check cluster check_cluster_active
if ((FAILED)); then
  report FAIL nodes "not checked: the cluster is not ACTIVE"
  report FAIL deployments "not checked: the cluster is not ACTIVE"
elif ! ensure_kube_context >/dev/null 2>"$WORK_TMP/kubeconfig.err"; then
  report FAIL kubeconfig "aws eks update-kubeconfig failed: $KUBECONFIG_ERROR"
else
  if [[ -n $KUBECONFIG_PROBLEM ]]; then report WARN kubeconfig "$KUBECONFIG_PROBLEM; checked through a kubeconfig of its own"; fi
  run_check nodes check_nodes_ready
  run_check deployments check_deployments_available
  load_outputs
  if ! ensure_stack_outputs "$PLATFORM_STACK" 2>/dev/null; then
    report FAIL apps "cannot read the outputs of $PLATFORM_STACK: $(first_line "$CAPTURE_ERR")"
  elif ((${#APP_OUTPUTS[@]} == 0)); then
    report SKIP apps "no AppUrl outputs in $PLATFORM_STACK (sample apps off?)"
  else
    check_apps_answer || true
    for line in "${APP_REPORT[@]}"; do
      if [[ $line == *" answers ("* ]]; then report PASS app "$line"; else report FAIL app "$line"; fi
    done
    if ((${#APP_REPORT[@]} == 0)); then report FAIL apps "$CHECK_DETAIL"; fi
  fi
  if [[ -n $GITOPS_OUTPUT ]] && ! parse_gitops "$GITOPS_OUTPUT"; then
    report FAIL applications "the GitOps output of $PLATFORM_STACK is not a resource, namespace and labels: $GITOPS_OUTPUT"
  elif is_gitops; then
    check_applications_healthy || true
    if ((${#APP_LINES[@]} == 0)); then report FAIL applications "$CHECK_DETAIL"; fi
    for line in "${APP_LINES[@]}"; do report "${line%%$'\t'*}" application "${line#*$'\t'}"; done
    if ((${#APP_LINES[@]})) && ((${#DRIFT_LINES[@]} == 0)); then report PASS drift "no Application OutOfSync"; fi
    for line in "${DRIFT_LINES[@]}"; do report WARN drift "$line"; done
  fi
fi

if ((FAILED)); then
  echo "RESULT $ENV_NAME: FAIL ($FAILED of $((PASSED + FAILED)) checks failed)"
  exit 1
fi
echo "RESULT $ENV_NAME: PASS ($PASSED checks)"
