#!/usr/bin/env bash
# Deletes one workshop environment in the only order that works: load
# balancers made by in-cluster controllers, what the add-ons' teardown facets
# name, PlatformStack, InfraStack, then what is still tagged for it: deleted
# in the workshop profile, kept and listed (logs, retained data) in production.
set -euo pipefail
case ${BASH_SOURCE[0]} in */*) LIB=${BASH_SOURCE[0]%/*}/lib ;; *) LIB=lib ;; esac
# shellcheck source=lib/common.sh
source "$LIB/common.sh"
# shellcheck source=lib/stacks.sh
source "$LIB/stacks.sh"
# shellcheck source=lib/cluster.sh
source "$LIB/cluster.sh"
# shellcheck source=lib/leftovers.sh
source "$LIB/leftovers.sh"
# shellcheck source=lib/teardown.sh
source "$LIB/teardown.sh"
# shellcheck source=lib/gitops.sh
source "$LIB/gitops.sh"

usage() {
  cat <<EOF
Usage: scripts/down.sh [--env NAME] [options]

Deletes one environment (~15-25 min), in this order:
  0. reads whether the cluster has EKS deletion protection on (the
     deletionProtection key, on in the production profile): EKS and
     CloudFormation refuse to delete such a cluster, so down stops before
     it deletes anything and says how to turn it off, unless
     --disable-deletion-protection tells it to turn it off itself;
  1. deletes every Ingress and every Service of type LoadBalancer, then waits
     until AWS has no load balancer tagged elbv2.k8s.aws/cluster=NAME-eks or
     eks:eks-cluster-name=NAME-eks (the controllers must still be running to
     delete them; left behind, they keep the VPC alive); then deletes the
     claims the add-ons' teardown facets name (PlatformStack's Teardown
     output), while their CSI drivers still run, and waits for the volumes;
     in a gitops environment (PlatformStack's GitOps output), then deletes
     the Argo CD bootstrap it names, if any (an app-of-apps Application or an
     ApplicationSet, by exact name), and waits for it and what it deployed
     to be gone, while the add-ons' controllers still run; then the
     environment's Argo CD Applications (its exact labels, in the namespace
     Argo CD watches, none another object owns), highest sync wave first,
     and waits for each wave to be gone: their finalizers delete what they
     deployed;
  2. destroys PlatformStack (NAME-platform);
  3. destroys InfraStack (NAME-infra);
  4. finds what is still tagged for the cluster or the stacks: load
     balancers, target groups, ENIs, security groups, log groups, the VPC
     (matched by exact tag values and exact names, never by a name prefix).
     Workshop profile: once both stacks are gone it deletes all of it.
     Production profile: log groups are kept and listed, never deleted; the
     rest is listed. With --delete-leftovers (any profile) it deletes what
     is not kept and retries InfraStack if it failed. What the add-ons keep
     on purpose (e.g. a retained file system) is listed, never deleted.
The profile is the one PlatformStack's Teardown output names; when the stack
is gone, the one this machine's last deploy recorded, else the configuration
(cdk.json and -c, as for cdk destroy).
Safe to run again, and on a half-deleted environment: a stack that does not
exist counts as destroyed, an unreachable cluster is skipped.

Options:
$ENV_OPTIONS_HELP
$CDK_OPTIONS_HELP
  -n, --dry-run         print every command, in order, without running any
                        (the plan for a fully deployed environment)
      --delete-leftovers  delete what step 4 finds; also deletes load
                        balancers directly when no controller can
      --disable-deletion-protection
                        turn the cluster's deletion protection off first
                        (aws eks update-cluster-config --no-deletion-protection)
                        and wait for it, instead of stopping
      --timeout-stack D   per cdk destroy (default: $(fmt_duration "$TIMEOUT_STACK"))
      --timeout-lb D      load balancers gone (default: $(fmt_duration "$TIMEOUT_LB"))
      --timeout-volumes D claimed volumes released (default: $(fmt_duration "$TIMEOUT_VOLUMES"))
      --timeout-applications D  gitops: the bootstrap, then each sync wave of
                        Applications gone
                        (default: $(fmt_duration "$TIMEOUT_APPLICATIONS"))
                        D is seconds or 90s / 15m / 1h

Environment:
  POLL_INTERVAL   seconds between polls (default: 10)
$RETRY_ENV_HELP
  WORKSHOP_DIR    where outputs and state are kept (default: <repo>/.workshop)

Exit status: 0 when both stacks are gone and the leftovers could be listed
(leftovers are reported as a warning), 1 otherwise.

Examples:
  scripts/down.sh --env alice
  for p in alice bob; do scripts/down.sh --env "\$p"; done
  scripts/down.sh --env alice --delete-leftovers
EOF
}

DISABLE_DELETION_PROTECTION=0
# EKS applies a cluster config update in seconds to minutes; 10 minutes leaves room.
TIMEOUT_PROTECTION=600

normalize_args "$@"
set -- "${ARGS[@]}"
while (($#)); do
  case $1 in
    -h | --help) usage; exit 0 ;;
    --delete-leftovers) DELETE_LEFTOVERS=1; shift ;;
    --disable-deletion-protection) DISABLE_DELETION_PROTECTION=1; shift ;;
    --timeout-stack) TIMEOUT_STACK=$(duration_opt "$@"); shift 2 ;;
    --timeout-lb) TIMEOUT_LB=$(duration_opt "$@"); shift 2 ;;
    --timeout-volumes) TIMEOUT_VOLUMES=$(duration_opt "$@"); shift 2 ;;
    --timeout-applications) TIMEOUT_APPLICATIONS=$(duration_opt "$@"); shift 2 ;;
    *) common_opt "$@" || usage_error "unknown option: $1"; shift "$SHIFT_BY" ;;
  esac
done
setup_env
setup_kubectl
cd "$ROOT"

summary() {
  local rc=$1
  is_dry_run && return 0
  echo
  if ((rc == 0)); then
    echo "Environment $ENV_NAME is deleted (region $REGION)."
  else
    report_failure "re-run the same command (add --delete-leftovers to remove what blocks the VPC)."
  fi
  print_phase_table
}
add_exit_hook summary
log "environment $ENV_NAME, region $REGION ($REGION_SOURCE)"
# node reads kubectl's JSON (which Services to delete), timeout bounds cdk destroy.
require_tools aws kubectl node npx cdk timeout

# read_cluster: one describe-cluster for what down needs to know before it deletes anything:
# CLUSTER_STATUS (NONE when there is no cluster) and CLUSTER_PROTECTED (True when EKS deletion
# protection is on). Returns 1 on any other error, CLUSTER_ERROR saying which.
CLUSTER_PROTECTED=''
read_cluster() {
  local out dry=$'ACTIVE\tFalse'
  # The plan of a dry run shows what turning protection off would run.
  if ((DISABLE_DELETION_PROTECTION)); then dry=$'ACTIVE\tTrue'; fi
  CLUSTER_ERROR='' CLUSTER_PROTECTED=''
  if capture out "$dry" aws eks describe-cluster --region "$REGION" --name "$CLUSTER" \
    --query '[cluster.status,cluster.deletionProtection]' --output text; then
    IFS=$'\t' read -r CLUSTER_STATUS CLUSTER_PROTECTED <<<"$out"
  elif [[ $CAPTURE_ERR == *ResourceNotFound* ]]; then
    CLUSTER_STATUS=NONE
  else
    CLUSTER_STATUS='' CLUSTER_ERROR=$(first_line "$CAPTURE_ERR")
    return 1
  fi
}

check_protection_off() {
  if ! read_cluster; then
    CHECK_DETAIL="cannot describe cluster $CLUSTER: $CLUSTER_ERROR"
    return 1
  fi
  CHECK_DETAIL="cluster $CLUSTER is $CLUSTER_STATUS, deletion protection ${CLUSTER_PROTECTED:-unknown}"
  is_dry_run || [[ $CLUSTER_STATUS == ACTIVE && $CLUSTER_PROTECTED != True ]]
}

# A protected cluster fails only at the very end, in InfraStack's delete, after the apps, their load
# balancers and PlatformStack are gone: so it is checked before any of that.
CLUSTER_KNOWN=0
check_deletion_protection() {
  local advice
  if ! read_cluster; then
    # Nothing further would work either; stop before anything is deleted.
    if advice=$(refusal_advice "$CLUSTER_ERROR"); then die "cannot describe cluster $CLUSTER: $CLUSTER_ERROR. Fix: $advice"; fi
    return 0
  fi
  CLUSTER_KNOWN=1
  # EKS deletes a cluster that is CREATING, FAILED or DELETING whatever its protection says.
  if [[ $CLUSTER_PROTECTED != True || $CLUSTER_STATUS =~ ^(NONE|CREATING|FAILED|DELETING)$ ]]; then return 0; fi
  if ((!DISABLE_DELETION_PROTECTION)); then
    die "cluster $CLUSTER has EKS deletion protection on (deletionProtection; the production profile turns it on), so EKS and CloudFormation would refuse to delete it: nothing was deleted." \
      "Turn it off first: aws eks update-cluster-config --region $REGION --name $CLUSTER --no-deletion-protection" \
      "(or redeploy InfraStack with it off: npx cdk deploy InfraStack $(quote_cmd "${CDK_CONTEXT[@]}") -c deletionProtection=false)," \
      "or re-run with --disable-deletion-protection to have down turn it off."
  fi
  warn "cluster $CLUSTER has deletion protection on: turning it off (--disable-deletion-protection)"
  run_cmd aws eks update-cluster-config --region "$REGION" --name "$CLUSTER" --no-deletion-protection ||
    die "cannot turn off the deletion protection of $CLUSTER (the aws command above says why): nothing was deleted"
  wait_for "deletion protection of $CLUSTER to be off" "$TIMEOUT_PROTECTION" check_protection_off ||
    die "deletion protection of $CLUSTER is not off yet: nothing was deleted; re-run the same command"
}

CLUSTER_REACHABLE=0
remove_load_balancers() {
  local status reachable=0
  if ((CLUSTER_KNOWN)); then
    status=$CLUSTER_STATUS
  else
    status="unknown ($CLUSTER_ERROR)"
  fi
  if [[ $status == ACTIVE ]]; then
    if ! update_kubeconfig; then
      warn "no kubeconfig for cluster $CLUSTER ($KUBECONFIG_ERROR): its Ingresses and Services are not deleted"
    elif ! delete_lb_owners; then
      warn "cannot reach cluster $CLUSTER: its Ingresses and Services are not deleted"
    else
      reachable=1 CLUSTER_REACHABLE=1
      remove_claims
    fi
  elif [[ $status == NONE ]]; then
    log "cluster $CLUSTER does not exist: no Kubernetes objects to delete"
  else
    warn "cluster $CLUSTER is $status: its Ingresses and Services are not deleted"
  fi
  if ((!reachable)); then
    find_load_balancers || die "cannot list the load balancers of $CLUSTER: $CHECK_DETAIL"
    ((${#LB_ARNS[@]})) || return 0
    if ((!DELETE_LEFTOVERS)); then
      die "no controller can delete the ${#LB_ARNS[@]} load balancer(s) tagged for $CLUSTER (${LB_ARNS[*]}); re-run with --delete-leftovers to delete them directly"
    fi
    warn "no controller can delete them: deleting ${#LB_ARNS[@]} load balancer(s) directly"
    delete_load_balancers "${LB_ARNS[@]}" || return 1
  fi
  wait_for "load balancers tagged for $CLUSTER to be deleted" "$TIMEOUT_LB" check_lbs_gone && return 0
  if ((DELETE_LEFTOVERS)); then
    warn "the controller did not delete them: deleting ${#LB_ARNS[@]} load balancer(s) directly"
    delete_load_balancers "${LB_ARNS[@]}" || return 1
    wait_for "load balancers tagged for $CLUSTER to be deleted" "$TIMEOUT_LB" check_lbs_gone && return 0
  fi
  err "Load balancers of $CLUSTER are still there, so the stacks are not destroyed (the VPC could not be deleted)." \
    "Look at the controller (kubectl --context $CONTEXT get events -A), or re-run with --delete-leftovers to delete them directly."
  return 1
}

# Once both stacks are gone, nothing local should point at the environment: state, outputs.json,
# cdk.out are all about resources that no longer exist. Only the record of the stacks' Lambda
# functions stays while log groups named after them (stacks deployed before their functions got
# log groups of their own) may be left for a later run to delete: the scan did not finish, or
# deleting them failed.
forget_environment() {
  local out keep=$1 file
  if capture out "$CONTEXT" kubectl config get-contexts "$CONTEXT" -o name; then
    run_cmd kubectl config delete-context "$CONTEXT" || warn "context $CONTEXT stays in your kubeconfig: kubectl config delete-context $CONTEXT"
  fi
  is_dry_run && return 0
  file=$(functions_file)
  if ((keep)) && [[ -f $file ]]; then
    find "$ENV_DIR" -mindepth 1 -maxdepth 1 ! -name "${file##*/}" -exec rm -rf {} +
  else
    rm -rf "$ENV_DIR"
  fi
}

check_deletion_protection
read_teardown || die "cannot read the Teardown output of $PLATFORM_STACK: $(first_line "$CAPTURE_ERR")"
log "profile ${TEARDOWN_PROFILE:-unknown}, from $TEARDOWN_FROM"
read_gitops_output || die "cannot read the GitOps output of $PLATFORM_STACK: $CHECK_DETAIL. Nothing was deleted."

phase_begin load-balancers "delete Ingresses and LoadBalancer Services, wait for their load balancers"
remove_load_balancers || exit 1
phase_end load-balancers 'done'

# gitops: the bootstrap, then the Applications go before the stack, highest wave first (see
# delete_bootstrap and delete_applications); CloudFormation would delete them in no such order, and
# not wait for what they deployed.
if is_gitops; then
  phase_begin applications "delete ${GITOPS_BOOTSTRAP_NAME:+the Argo CD bootstrap $GITOPS_BOOTSTRAP_KIND $GITOPS_BOOTSTRAP_NAME, then }Argo CD Applications in $GITOPS_NAMESPACE, highest sync wave first"
  if ((CLUSTER_REACHABLE)); then
    delete_bootstrap || exit 1
    delete_applications || exit 1
    phase_end applications 'done'
  else
    warn "cluster $CLUSTER is not reachable: its Argo CD Applications are not deleted before $PLATFORM_STACK"
    phase_end applications skipped
  fi
fi

phase_begin platform "destroy PlatformStack ($PLATFORM_STACK)"
if ! destroy_stack PlatformStack "$PLATFORM_STACK" record_stack_functions "$PLATFORM_STACK"; then
  die "$PLATFORM_STACK is not destroyed, so $INFRA_STACK is kept (its exports are still in use)."
fi
phase_end platform "$DESTROY_RESULT"
state_set platform destroyed

phase_begin infra "destroy InfraStack ($INFRA_STACK)"
infra_gone=1
if destroy_stack InfraStack "$INFRA_STACK" record_stack_functions "$INFRA_STACK"; then
  phase_end infra "$DESTROY_RESULT"
  state_set infra destroyed
else
  infra_gone=0
  phase_end infra failed
fi

# scan: scan_leftovers, or SCAN_ERROR says why it could not finish (the failed query's own error:
# CHECK_DETAIL may still hold what an earlier wait last saw).
SCAN_ERROR=''
scan() {
  CHECK_DETAIL=''
  scan_leftovers && return 0
  SCAN_ERROR=${CHECK_DETAIL:-$(first_line "$CAPTURE_ERR")}
  return 1
}

phase_begin leftovers "find what is still tagged for $CLUSTER"
# scan_owned: scan, with what the add-ons and the profile keep set aside.
scan_owned() {
  scan || return 1
  set_aside_kept
  if keeps_logs; then set_aside_log_groups; fi
}
leftovers_ok=1 scanned=1
if scan_owned && { ((${#LEFTOVERS[@]})) || is_dry_run; }; then
  # Everything found is the environment's by exact tag value or exact name: a workshop leaves
  # nothing once both stacks are gone; otherwise only --delete-leftovers deletes.
  if ((!DELETE_LEFTOVERS && infra_gone)) && ! keeps_logs; then
    log "profile workshop: deleting what is left of $ENV_NAME"
    DELETE_LEFTOVERS=1
  fi
  if ((DELETE_LEFTOVERS)); then
    report_leftovers
    delete_leftovers || leftovers_ok=0
    if ((!infra_gone)) && destroy_stack InfraStack "$INFRA_STACK" record_stack_functions "$INFRA_STACK"; then infra_gone=1; fi
    is_dry_run || scan_owned || true
  fi
fi
if [[ -n $SCAN_ERROR ]]; then
  scanned=0
  err "cannot list leftovers: $SCAN_ERROR"
elif ((${#LEFTOVERS[@]})); then
  report_leftovers
  phase_end leftovers found
  if ((!DELETE_LEFTOVERS)); then warn "delete them with: scripts/down.sh --env $ENV_NAME --delete-leftovers"; fi
else
  report_leftovers
  phase_end leftovers none
fi
report_kept_log_groups

if ((!infra_gone)); then
  die "$INFRA_STACK is not destroyed. The leftovers listed above usually are the cause (ENIs or security groups still in the VPC); re-run with --delete-leftovers."
fi
report_kept
# The stacks are gone whatever the scan said.
if ((!scanned)) || { ! keeps_logs && lambda_log_groups_left; }; then forget_environment 1; else forget_environment 0; fi
((scanned)) || die "both stacks are gone, but what they left behind could not be listed (see above); re-run scripts/down.sh --env $ENV_NAME to list it again"
((leftovers_ok)) || die "some leftovers could not be deleted (see above); re-run later"
