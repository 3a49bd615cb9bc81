#!/usr/bin/env bash
# Rolls one workshop environment's cluster back to the Kubernetes minor version it was upgraded
# from, with EKS version rollback: checks the window and EKS's rollback readiness insights, rolls
# managed node groups and add-ons back where they would be newer than the control plane, then
# redeploys InfraStack and PlatformStack with -c kubernetesVersion=PREVIOUS and verifies.
#
# Source: EKS user guide, "Rollback cluster to previous Kubernetes version" and "Rollback EKS Auto
# Mode clusters" (awsdocs/amazon-eks-user-guide latest/ug/clusters/rollback-cluster.adoc and
# rollback-automode.adoc, read 2026-12-07).
set -euo pipefail
case ${BASH_SOURCE[0]} in */*) LIB=${BASH_SOURCE[0]%/*}/lib ;; *) LIB=lib ;; esac
# shellcheck source=lib/common.sh
source "$LIB/common.sh"
# shellcheck source=lib/stacks.sh
source "$LIB/stacks.sh"
# shellcheck source=lib/versions.sh
source "$LIB/versions.sh"

# EKS: "The rollback must be initiated within 7 days of the upgrade completing."
WINDOW_SECS=$((7 * 24 * 3600))

usage() {
  cat <<EOF
Usage: scripts/rollback.sh [--env NAME] [options]

Rolls the EKS cluster of one environment back one Kubernetes minor version,
to the version it was upgraded from (EKS version rollback). Before anything
changes it checks, in this order:
  - the cluster NAME-eks is ACTIVE, and the previous minor is a version the
    app deploys (lib/core/config/kubernetes-versions.ts);
  - the stacks NAME-infra and NAME-platform are deployed and not busy;
  - EKS's update history: the cluster was upgraded to its version in place
    (a cluster created at its version cannot be rolled back), less than 7
    days ago, and no update is in progress;
  - the previous version is still supported by EKS, and in extended support
    only with the EXTENDED upgrade policy;
  - EKS rollback readiness insights: any ERROR or UNKNOWN stops the rollback
    (unless --ignore-insight-errors), WARNINGs are shown;
  - managed node groups and EKS add-ons newer than the previous version.
Then it prints the plan, in the order things change:
  1. managed node groups back to the previous version (nodes may not be
     newer than the control plane; EKS Auto Mode nodes: EKS does it),
  2. EKS add-ons whose version does not run on the previous version,
  3. InfraStack NAME-infra with -c kubernetesVersion=PREVIOUS: CloudFormation
     has EKS roll the control plane back (RollbackConfig bounds how long),
  4. PlatformStack NAME-platform: kubectl layer of the previous version,
asks for confirmation and runs scripts/verify.sh at the end.

Re-run the same command after a failure: finished phases are skipped.
Pass the same -c options you gave scripts/up.sh. Afterwards give up.sh
-c kubernetesVersion=PREVIOUS too, or set it in your configuration: up.sh
refuses to deploy a version other than the cluster's.

Options:
$ENV_OPTIONS_HELP
$CDK_OPTIONS_HELP
$VERSION_CHANGE_OPTIONS_HELP
      --ignore-insight-errors
                        roll back even though a rollback readiness insight
                        has status ERROR or UNKNOWN (or cannot be read): the
                        InfraStack deploy gets -c forceVersionUpdate=true
                        (Force of the cluster), so EKS skips its insight
                        checks. Not the 7-day window nor its other
                        prerequisites: EKS enforces those
      --timeout-stack D per cdk deploy and per node group (default:
                        $(fmt_duration "$TIMEOUT_STACK")); D is seconds or 90s / 15m / 1h.
                        With EKS Auto Mode the nodes roll back first, as
                        fast as disruption budgets allow: raise it

Environment:
$RETRY_ENV_HELP
  WORKSHOP_DIR    where outputs and state go (default: <repo>/.workshop)

Examples:
  scripts/rollback.sh --env alice --dry-run
  scripts/rollback.sh --env alice -c profile=production
EOF
}

normalize_args "$@"
set -- "${ARGS[@]}"
while (($#)); do
  case $1 in
    -h | --help) usage; exit 0 ;;
    --timeout-stack) TIMEOUT_STACK=$(duration_opt "$@"); shift 2 ;;
    -c | --context)
      if [[ ${2:-} == kubernetesVersion=* ]]; then usage_error "the rollback sets -c kubernetesVersion itself (the previous version); leave out -c $2"; fi
      version_change_opt "$@"; shift "$SHIFT_BY"
      ;;
    *) version_change_opt "$@" || usage_error "unknown option: $1"; shift "$SHIFT_BY" ;;
  esac
done
setup_env
cd "$ROOT"

TARGET='' FROM=''
LEFT_TO_DO=()
summary() { version_change_summary "$1" "Environment $ENV_NAME is back on Kubernetes $TARGET (region $REGION, cluster $CLUSTER)."; }
add_exit_hook summary
log "environment $ENV_NAME, region $REGION ($REGION_SOURCE)"
require_tools aws node

# --------------------------------------------------------------------- the cluster

read_cluster "a rollback" "roll back"

# Phases are named after the version rolled back to. An earlier run whose InfraStack deploy rolled
# the control plane back but which did not finish: the cluster is already on that version, and the
# run picks up where it stopped.
RESUMING=0
if [[ -n $(state_get "rollback-infra-$CURRENT") && $(state_get "rollback-platform-$CURRENT") != 'done' ]]; then
  RESUMING=1 TARGET=$CURRENT FROM=$(state_get "rollback-from-$CURRENT")
  log "cluster $CLUSTER is on $CURRENT; an earlier rollback from $FROM to $CURRENT did not finish: resuming it"
else
  # EKS: "You can only rollback by one minor version (N to N-1)."
  TARGET=1.$((CURRENT_MINOR - 1)) FROM=$CURRENT
fi

read_app_versions "$TARGET"
require_app_version "$TARGET" "cluster $CLUSTER is on $CURRENT, and this app does not deploy $TARGET: its stacks could not follow a rollback to $TARGET, so the next deploy would fail (nothing was changed)"

# ---------------------------------------------------------------------- the stacks

# The InfraStack deploy performs the rollback: both stacks must be deployed and settled first. A
# resumed run may find a deploy of its own still running; deploy_stack waits for that one.
check_stack_ready() {
  local id=$1 name=$2 hint
  stack_status "$name" || die "cannot read stack $name: fix that, then re-run the same command"
  if [[ $STACK_STATUS == NONE ]]; then
    die "stack $name does not exist: a rollback redeploys the environment's stacks (deploy it with scripts/up.sh --env $ENV_NAME)"
  fi
  if is_in_progress "$STACK_STATUS"; then
    ((RESUMING)) && return 0
    die "stack $name is $STACK_STATUS (another deploy is running): wait until it finishes, then re-run the same command. Nothing was changed."
  fi
  hint=$(stack_status_hint "$id" "$name" "$STACK_STATUS")
  if [[ -n $hint ]] || ! is_deployed "$STACK_STATUS"; then
    die "stack $name is $STACK_STATUS and cannot be deployed${hint:+: $hint}. Nothing was changed."
  fi
}
check_stack_ready InfraStack "$INFRA_STACK"
check_stack_ready PlatformStack "$PLATFORM_STACK"

# ------------------------------------------------------------------ the window

# EKS's update history of the cluster (aws eks list-updates / describe-update): the newest
# successful VersionUpdate to CURRENT, and any update still in progress. EKS's Update object has
# only createdAt, no end time, so the window is counted from when the upgrade started: at most the
# upgrade's few minutes stricter than EKS, which counts from its end and enforces it itself.
UPGRADED_AT='' WINDOW_ENDS='' IN_PROGRESS=''
read_window() {
  local ids id line type status created version candidates=() out elapsed now
  eks_text ids "the updates of $CLUSTER" list-updates --name "$CLUSTER" --query updateIds
  for id in $ids; do
    [[ $id != None ]] || continue
    # shellcheck disable=SC2016 # JMESPath, not shell
    eks_text line "update $id of $CLUSTER" describe-update --name "$CLUSTER" --update-id "$id" \
      --query 'update.[type,status,createdAt,params[?type==`Version`].value | [0]]'
    IFS=$'\t' read -r type status created version <<<"$line"
    if [[ $status == InProgress ]]; then IN_PROGRESS="$type $id"; fi
    if [[ $type == VersionUpdate && $status == Successful && $version == "$CURRENT" ]]; then candidates+=("$created"); fi
  done
  if [[ -n $IN_PROGRESS ]]; then
    local advice="wait for it (aws eks describe-update --region $REGION --name $CLUSTER --update-id ${IN_PROGRESS#* })"
    if [[ $IN_PROGRESS == VersionRollback* ]]; then
      advice+="; an Auto Mode rollback still moving nodes can be cancelled: aws eks cancel-update --region $REGION --name $CLUSTER --update-id ${IN_PROGRESS#* }"
    fi
    die "update ${IN_PROGRESS#* } (${IN_PROGRESS% *}) of $CLUSTER is in progress: EKS starts no rollback meanwhile; $advice"
  fi
  if ((${#candidates[@]} == 0)); then
    die "cluster $CLUSTER was not upgraded to $CURRENT in place (no successful version update to $CURRENT in aws eks list-updates):" \
      "EKS rolls back only a cluster upgraded to its version, never one created at it. Nothing was changed."
  fi
  # CLI v2 prints timestamps as ISO 8601, v1 as epoch seconds: one node start-up reads either.
  # shellcheck disable=SC2016 # JavaScript, not shell
  out=$(node -e '
    const ms = process.argv.slice(2).map((t) => (/^\d+(\.\d+)?$/.test(t) ? Number(t) * 1000 : Date.parse(t)));
    const last = Math.max(...ms);
    if (!Number.isFinite(last)) process.exit(1);
    const iso = (t) => new Date(t).toISOString().replace(/\.\d+Z$/, "Z");
    console.log(`${Math.floor(last / 1000)}\t${iso(last)}\t${iso(last + Number(process.argv[1]) * 1000)}`);
  ' "$WINDOW_SECS" "${candidates[@]}") || die "cannot read when $CLUSTER was upgraded to $CURRENT: ${candidates[*]}"
  IFS=$'\t' read -r created UPGRADED_AT WINDOW_ENDS <<<"$out"
  printf -v now '%(%s)T' -1
  elapsed=$((now - created))
  if ((elapsed >= WINDOW_SECS)); then
    die "cluster $CLUSTER was upgraded to $CURRENT at $UPGRADED_AT, $(fmt_duration "$elapsed") ago: EKS rolls back only within 7 days" \
      "of an upgrade (the window closed about $WINDOW_ENDS). The way back now is a new cluster. Nothing was changed."
  fi
}

# EKS rolls back only to a version it still supports, and to one in extended support only with the
# EXTENDED upgrade policy. Unreadable (an older AWS CLI): EKS checks it itself, so a warning.
SUPPORT_NOTE=''
check_target_support() {
  local out status
  if ! capture out '' aws eks describe-cluster-versions --region "$REGION" --cluster-versions "$TARGET" \
    --query 'clusterVersions[].[clusterVersion,versionStatus]' --output text; then
    warn "cannot read the EKS support status of $TARGET ($(first_line "$CAPTURE_ERR")): EKS checks it when the rollback starts"
    return 0
  fi
  [[ $out =~ (^|[[:space:]])"$TARGET"[[:space:]]+([A-Z_]+) ]] && status=${BASH_REMATCH[2]}
  case ${status:-UNSUPPORTED} in
    UNSUPPORTED) die "EKS no longer supports Kubernetes $TARGET: it rolls back only to a supported version. Nothing was changed." ;;
    EXTENDED_SUPPORT)
      if [[ $SUPPORT_TYPE != EXTENDED ]]; then
        die "Kubernetes $TARGET is in extended support, and EKS rolls back to it only with the upgrade policy EXTENDED (the cluster's: $SUPPORT_TYPE):" \
          "deploy with -c supportType=EXTENDED first (scripts/up.sh, same options), then re-run this command. Nothing was changed."
      fi
      SUPPORT_NOTE="Kubernetes $TARGET is in extended support: the control plane costs the extended-support price again"
      ;;
  esac
}


if ((!RESUMING)); then
  read_window
  check_target_support
  # Rollback readiness insights are EKS's own check; the user guide lists them with
  # `--filter '{"categories": ["ROLLBACK_READINESS"]}'`, the same filter in shorthand. ERROR and
  # UNKNOWN both block a rollback unless it is forced ("Insight status behavior").
  read_insights "categories=ROLLBACK_READINESS"
  read_addons 1
  # Managed node groups newer than TARGET: EKS does not roll them back, and nodes may not be
  # newer than the control plane ("Step 2: Prepare worker nodes"), so they go first.
  read_nodegroups "aws eks update-nodegroup-version, before the control plane"
fi

prepare_version_deploy "rollback readiness"
LEFT_TO_DO+=("give scripts/up.sh -c kubernetesVersion=$TARGET from now on (or set \"kubernetesVersion\": \"$TARGET\" in cdk.json): up.sh refuses a version other than the cluster's")

# ---------------------------------------------------------------------------- plan

print_plan() {
  local line
  echo "Rollback plan for $ENV_NAME (cluster $CLUSTER, region $REGION): Kubernetes $FROM -> $TARGET"
  if ((RESUMING)); then
    echo "  (resuming an earlier rollback to $TARGET that did not finish)"
  else
    echo "  upgraded to $FROM at $UPGRADED_AT; the 7-day rollback window closes about $WINDOW_ENDS"
  fi
  if [[ -n $SUPPORT_NOTE ]]; then echo "  note: $SUPPORT_NOTE"; fi
  echo "  1. managed node groups:"
  print_plan_nodegroups "EKS rolls its nodes back first, as disruption budgets allow, then the control plane"
  echo "  2. EKS managed add-ons:"
  print_plan_addons
  echo "  3. control plane: $FROM -> $TARGET (InfraStack $INFRA_STACK with -c kubernetesVersion=$TARGET)"
  if [[ -n $FORCE_PLAN_LINE ]]; then echo "       $FORCE_PLAN_LINE"; fi
  echo "  4. PlatformStack $PLATFORM_STACK: kubectl layer v${TARGET#1.} (kubectl $TARGET), Helm charts and manifests re-applied"
  echo "  then: scripts/verify.sh --env $ENV_NAME --region $REGION"
  for line in "${LEFT_TO_DO[@]}"; do echo "  left to do by hand afterwards: $line"; done
  echo "  cdk deploy context: $(quote_cmd "${CDK_CONTEXT[@]}")"
  if ((RESUMING)); then return 0; fi
  print_insights "Rollback readiness insights" "EKS lists them after an upgrade and refreshes them when the rollback starts"
}
print_plan
for line in "${ADDON_WARNINGS[@]}"; do warn "$line"; done

BLOCKING=$((${#INSIGHT_ERRORS[@]} + ${#INSIGHT_UNKNOWNS[@]}))
proceed_or_stop "$BLOCKING" "$BLOCKING rollback readiness insight(s) have status ERROR or UNKNOWN, which block an EKS rollback" \
  "rollback readiness" "roll back" "Roll $ENV_NAME ($CLUSTER) back from Kubernetes $FROM to $TARGET?"

# -------------------------------------------------------------------------- roll back

check_nodegroup_on_target() {
  local out status version
  capture out '' aws eks describe-nodegroup --region "$REGION" --cluster-name "$CLUSTER" --nodegroup-name "$1" \
    --query '[nodegroup.status,nodegroup.version]' --output text || return 1
  IFS=$'\t' read -r status version <<<"$out"
  CHECK_DETAIL="$status, Kubernetes $version"
  [[ $status == ACTIVE && $version == "$TARGET" ]]
}
if ((${#NODEGROUP_MOVES[@]})); then
  phase_begin "rollback-nodegroups-$TARGET" "roll managed node groups back to $TARGET"
  for name in "${NODEGROUP_MOVES[@]}"; do
    # "Use the UpdateNodegroupVersion API" with the previous version; it honours the group's
    # update settings (maxUnavailable) and PodDisruptionBudgets.
    run_cmd aws eks update-nodegroup-version --region "$REGION" --cluster-name "$CLUSTER" --nodegroup-name "$name" \
      --kubernetes-version "$TARGET" || die "cannot roll node group $name back to $TARGET"
    wait_for "node group $name to be ACTIVE on $TARGET" "$TIMEOUT_STACK" check_nodegroup_on_target "$name" || exit 1
  done
  phase_end "rollback-nodegroups-$TARGET" 'done'
fi

update_addons "rollback-addons-$TARGET"

# A lower Version on AWS::EKS::Cluster has CloudFormation start the EKS rollback, with the
# template's RollbackConfig (rollbackTimeoutMinutes) and, for --ignore-insight-errors, Force; the
# Auto Mode rollback guide's "IaC timeout conflicts" describes rollbacks started this way. The
# same deploy moves node groups (already on TARGET) and pinned add-ons to TARGET's values, so the
# templates and the cluster agree again. A failed update rolls the stack back without touching
# the cluster version (user guide, "CloudFormation stack rollback behavior").
state_set "rollback-from-$TARGET" "$FROM"
# upgrade.sh skips phases its state file calls done: an upgrade to FROM after this rollback must
# deploy again.
forget_upgrade() {
  local phase
  for phase in "addons-$FROM" "infra-$FROM" "platform-$FROM"; do state_set "$phase" ''; done
}
AFTER_INFRA=(forget_upgrade)
deploy_on_target rollback- "the cluster is back on $TARGET"
# A later upgrade and rollback to TARGET starts afresh.
for phase in "rollback-nodegroups-$TARGET" "rollback-addons-$TARGET" "rollback-infra-$TARGET" "rollback-platform-$TARGET" "rollback-from-$TARGET"; do
  state_set "$phase" ''
done
