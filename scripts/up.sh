#!/usr/bin/env bash
# Bootstraps one workshop environment: InfraStack, PlatformStack, kubeconfig,
# then waits until nodes, add-ons and sample apps are usable.
set -euo pipefail
case ${BASH_SOURCE[0]} in */*) LIB=${BASH_SOURCE[0]%/*}/lib ;; *) LIB=lib ;; esac
# shellcheck source=lib/common.sh
source "$LIB/common.sh"
# shellcheck source=lib/stacks.sh
source "$LIB/stacks.sh"
# shellcheck source=lib/cluster.sh
source "$LIB/cluster.sh"
# shellcheck source=lib/gitops.sh
source "$LIB/gitops.sh"

TIMEOUT_NODES=900
TIMEOUT_DEPLOYMENTS=900
TIMEOUT_APPS=900

usage() {
  cat <<EOF
Usage: scripts/up.sh [--env NAME] [options]

Deploys InfraStack (VPC + EKS, ~15-20 min) then PlatformStack (add-ons,
teams, sample apps, ~5-10 min) for one environment, writes the stack outputs
to .workshop/NAME/outputs.json, adds the kubeconfig context NAME-eks, and
waits until nodes are Ready, every Deployment is Available and every AppUrl
output answers over HTTP. Prints the URLs and the time each phase took.
In a gitops environment (delivery: gitops; PlatformStack's GitOps output),
it also waits, after the nodes, until every Argo CD Application of the
environment is Synced and Healthy, and names the failing resources of those
that are not.

Re-run the same command after a failure: a stack deployed by an earlier run
(.workshop/NAME/state says done and CloudFormation says *_COMPLETE) is not
deployed again; a failed one is. The readiness waits always run.

A stack is deployed into an existing cluster only when the cluster runs the
Kubernetes version the deploy sets (kubernetesVersion): up.sh neither rolls a
cluster back a version (scripts/rollback.sh does) nor upgrades one
(scripts/upgrade.sh does).

Options:
$ENV_OPTIONS_HELP
$CDK_OPTIONS_HELP
  -n, --dry-run         print every command, in order, without running any
                        (the plan for an environment not deployed yet)
      --min-nodes N     nodes that must be Ready (default: $MIN_NODES)
      --timeout-stack D         per cdk deploy (default: $(fmt_duration "$TIMEOUT_STACK"))
      --timeout-nodes D         nodes Ready (default: $(fmt_duration "$TIMEOUT_NODES"))
      --timeout-applications D  gitops: Applications Synced and Healthy (default: $(fmt_duration "$TIMEOUT_APPLICATIONS"))
      --timeout-deployments D   Deployments Available (default: $(fmt_duration "$TIMEOUT_DEPLOYMENTS"))
      --timeout-apps D          app URLs answer (default: $(fmt_duration "$TIMEOUT_APPS"))
                        D is seconds or 90s / 15m / 1h

Environment:
  POLL_INTERVAL   seconds between polls (default: 10)
$RETRY_ENV_HELP
  WORKSHOP_DIR    where outputs and state go (default: <repo>/.workshop)

Examples:
  scripts/up.sh --env alice
  for p in alice bob; do scripts/up.sh --env "\$p" -c profile=workshop; done
EOF
}

normalize_args "$@"
set -- "${ARGS[@]}"
while (($#)); do
  case $1 in
    -h | --help) usage; exit 0 ;;
    --min-nodes) need_value "$@"; MIN_NODES=$2; shift 2 ;;
    --timeout-stack) TIMEOUT_STACK=$(duration_opt "$@"); shift 2 ;;
    --timeout-nodes) TIMEOUT_NODES=$(duration_opt "$@"); shift 2 ;;
    --timeout-applications) TIMEOUT_APPLICATIONS=$(duration_opt "$@"); shift 2 ;;
    --timeout-deployments) TIMEOUT_DEPLOYMENTS=$(duration_opt "$@"); shift 2 ;;
    --timeout-apps) TIMEOUT_APPS=$(duration_opt "$@"); shift 2 ;;
    *) common_opt "$@" || usage_error "unknown option: $1"; shift "$SHIFT_BY" ;;
  esac
done
[[ $MIN_NODES =~ ^[0-9]+$ ]] || usage_error "--min-nodes needs a number"
setup_env
setup_kubectl
cd "$ROOT"

summary() {
  local rc=$1 line
  is_dry_run && return 0
  # A failed run still saves what the stacks deployed so far output.
  if ((rc != 0)); then load_outputs || true; fi
  echo
  if ((rc == 0)); then
    echo "Environment $ENV_NAME is ready (region $REGION, cluster $CLUSTER)."
    if [[ -n $KUBECONFIG_PROBLEM ]]; then
      echo "  kubectl:  $KUBECONFIG_PROBLEM"
      echo "            once fixed: aws eks update-kubeconfig --name $CLUSTER --region $REGION --alias $CONTEXT"
    else
      echo "  kubectl:  kubectl --context $CONTEXT get nodes"
    fi
    for line in "${APP_URLS[@]}"; do printf '  %-9s %s\n' "${line%%$'\t'*}:" "${line#*$'\t'}"; done
    if [[ -n $TEAM_NAMESPACES ]]; then echo "  teams:    $TEAM_NAMESPACES"; fi
    echo "  outputs:  $OUTPUTS_FILE"
  else
    report_failure "re-run the same command: finished phases are skipped."
  fi
  print_phase_table
}
add_exit_hook summary
log "environment $ENV_NAME, region $REGION ($REGION_SOURCE)"
# Before any stack is marked running: node reads outputs and kubectl's JSON, timeout bounds
# cdk deploy, curl asks the apps.
require_tools aws kubectl node npx npm cdk timeout curl

ensure_cluster_admin

print_cost_estimate

# A deploy must give an existing cluster the Kubernetes version it runs. A lower version would start
# an EKS version rollback without what rollback.sh does first (node groups and add-ons back, the
# 7-day window, readiness insights), or fail after minutes and roll back. A newer
# version is an upgrade, which is upgrade.sh's job (insights and add-ons first, one minor at a
# time). Run by deploy_stack right before a deploy, so a re-run that deploys nothing is not
# stopped; the first deploy finds no cluster.
VERSION_CHECKED=0
check_cluster_version() {
  local deployed have want advice rc=0 region_opt=''
  ((VERSION_CHECKED)) && return 0
  if ! capture deployed '' aws eks describe-cluster --region "$REGION" --name "$CLUSTER" \
    --query cluster.version --output text; then
    if [[ $CAPTURE_ERR != *ResourceNotFound* ]]; then
      advice=$(refusal_advice "$CAPTURE_ERR") || advice='re-run the same command'
      err "cannot read the Kubernetes version of cluster $CLUSTER: $(first_line "$CAPTURE_ERR"). Fix: $advice"
      return 1
    fi
    deployed=''
  fi
  if is_dry_run; then
    plan_note "stop here if $CLUSTER exists and runs a Kubernetes version other than the one this deploy sets (kubernetesVersion)"
  fi
  if [[ -z $deployed ]]; then
    VERSION_CHECKED=1
    return 0
  fi
  configured_kubernetes_version || rc=$?
  if ((rc == 2)); then
    log "not comparing Kubernetes versions: the configuration is not valid ($CONFIGURED_VERSION_FROM); the deploy stops on it"
    VERSION_CHECKED=1
    return 0
  elif ((rc != 0)); then
    err "cannot read the Kubernetes version this deploy sets from lib/core/config: $CONFIGURED_VERSION_FROM"
    return 1
  fi
  [[ $deployed =~ ^1\.([0-9]+)$ ]] || {
    err "cluster $CLUSTER reports Kubernetes version '$deployed', not a 1.N version"
    return 1
  }
  have=$((10#${BASH_REMATCH[1]}))
  [[ $CONFIGURED_VERSION =~ ^1\.([0-9]+)$ ]] || {
    err "the configuration gives Kubernetes version '$CONFIGURED_VERSION', not a 1.N version"
    return 1
  }
  want=$((10#${BASH_REMATCH[1]}))
  if ((want == have)); then
    log "cluster $CLUSTER runs Kubernetes $deployed, the version this deploy sets ($CONFIGURED_VERSION_FROM)"
    VERSION_CHECKED=1
    return 0
  fi
  if [[ $REGION_SOURCE == --region ]]; then region_opt=" --region $REGION"; fi
  if ((want < have)); then
    err "cluster $CLUSTER runs Kubernetes $deployed, but this deploy would set $CONFIGURED_VERSION ($CONFIGURED_VERSION_FROM):" \
      "a lower version makes the $INFRA_STACK update start an EKS version rollback, which up.sh does not prepare. Nothing was deployed."
    err "Fix: keep $deployed: re-run the same command with -c kubernetesVersion=$deployed, or set \"kubernetesVersion\": \"$deployed\"" \
      "in the context of cdk.json. To go back to $CONFIGURED_VERSION (EKS rolls back one minor, within 7 days of the upgrade to $deployed):" \
      "scripts/rollback.sh --env $ENV_NAME$region_opt and the other -c options (docs/workshop.md, 'Roll back an upgrade')."
    return 1
  fi
  err "cluster $CLUSTER runs Kubernetes $deployed, but this deploy would set $CONFIGURED_VERSION ($CONFIGURED_VERSION_FROM):" \
    "that is an upgrade, and up.sh does not upgrade a cluster. Nothing was deployed."
  if ((want == have + 1)); then
    err "Fix: upgrade with scripts/upgrade.sh --env $ENV_NAME$region_opt --to $CONFIGURED_VERSION and the other -c options" \
      "(it checks upgrade insights and add-ons first), then re-run this command; or keep $deployed: re-run with -c kubernetesVersion=$deployed"
  else
    err "Fix: EKS upgrades one minor version at a time: scripts/upgrade.sh --env $ENV_NAME$region_opt --to 1.$((have + 1))," \
      "and so on up to $CONFIGURED_VERSION, each with the other -c options, then re-run this command;" \
      "or keep $deployed: re-run with -c kubernetesVersion=$deployed"
  fi
  return 1
}
DEPLOY_CHECK=(check_cluster_version)

phase_begin infra "deploy InfraStack ($INFRA_STACK)"
deploy_stack InfraStack "$INFRA_STACK" infra || exit 1
phase_end infra "$DEPLOY_RESULT"

phase_begin platform "deploy PlatformStack ($PLATFORM_STACK)"
# --exclusively: InfraStack was handled above; do not let cdk redeploy it.
deploy_stack PlatformStack "$PLATFORM_STACK" platform --exclusively || exit 1
phase_end platform "$DEPLOY_RESULT"
load_outputs
ensure_stack_outputs "$INFRA_STACK" || warn "no outputs for $INFRA_STACK"
ensure_stack_outputs "$PLATFORM_STACK" || warn "no outputs for $PLATFORM_STACK"

phase_begin kubeconfig "kubeconfig context $CONTEXT"
update_kubeconfig || exit 1
if [[ -n $KUBECONFIG_PROBLEM ]]; then phase_end kubeconfig temporary; else phase_end kubeconfig 'done'; fi

phase_begin nodes "wait for nodes"
wait_for "at least $MIN_NODES node(s) of $CLUSTER to be Ready" "$TIMEOUT_NODES" check_nodes_ready || exit 1
phase_end nodes 'done'

# gitops: the Applications PlatformStack applied, as its GitOps output names them (in a dry run,
# before any output exists, when the configuration says gitops).
if is_dry_run; then
  plan_gitops_if_configured || true
elif [[ -n $GITOPS_OUTPUT ]] && ! parse_gitops "$GITOPS_OUTPUT"; then
  die "the GitOps output of $PLATFORM_STACK is not a resource, namespace and labels: $GITOPS_OUTPUT"
fi
if is_gitops; then
  phase_begin applications "wait for Argo CD Applications"
  wait_for "every Argo CD Application of $ENV_NAME to be Synced and Healthy" "$TIMEOUT_APPLICATIONS" check_applications_healthy || exit 1
  phase_end applications 'done'
fi

phase_begin deployments "wait for add-ons"
wait_for "all Deployments in $CLUSTER to be Available" "$TIMEOUT_DEPLOYMENTS" check_deployments_available || exit 1
phase_end deployments 'done'

phase_begin apps "wait for sample apps"
if ! is_dry_run && ((${#APP_OUTPUTS[@]} == 0)); then
  log "no AppUrl outputs in $PLATFORM_STACK (sample apps off?): nothing to check"
  phase_end apps skipped
else
  wait_for "the app URLs of $ENV_NAME to answer" "$TIMEOUT_APPS" check_apps_answer || exit 1
  phase_end apps 'done'
fi
