#!/usr/bin/env bash
# Upgrades one workshop environment's cluster by one Kubernetes minor version: checks what EKS and
# the app say about the target, prints the plan, then redeploys InfraStack and PlatformStack with
# -c kubernetesVersion=VERSION and verifies the environment.
set -euo pipefail
case ${BASH_SOURCE[0]} in */*) LIB=${BASH_SOURCE[0]%/*}/lib ;; *) LIB=lib ;; esac
# shellcheck source=lib/common.sh
source "$LIB/common.sh"
# shellcheck source=lib/stacks.sh
source "$LIB/stacks.sh"
# shellcheck source=lib/versions.sh
source "$LIB/versions.sh"

TARGET=''

usage() {
  cat <<EOF
Usage: scripts/upgrade.sh [--env NAME] --to VERSION [options]

Upgrades the EKS cluster of one environment to Kubernetes VERSION, one minor
version at a time (EKS upgrades a control plane by one minor per update).
Before anything changes it checks, in this order:
  - VERSION is one the app deploys (SUPPORTED_KUBERNETES_VERSIONS in
    lib/core/config/kubernetes-versions.ts);
  - the cluster NAME-eks is ACTIVE, and VERSION is exactly one minor above
    its version (a downgrade is refused: see scripts/rollback.sh; the
    cluster already on VERSION: nothing to upgrade, the environment is only
    verified, unless an earlier upgrade to VERSION did not finish);
  - EKS upgrade insights for VERSION: any ERROR stops the upgrade (unless
    --ignore-insight-errors), WARNINGs are shown;
  - each installed EKS managed add-on: whether its version is compatible
    with VERSION, the default EKS installs for VERSION, the app's pin.
Then it prints the plan, in the order things change:
  1. the control plane (InfraStack NAME-infra),
  2. EKS managed add-ons (InfraStack or PlatformStack, whichever has them),
  3. managed node groups (EKS Auto Mode: nodes follow on their own),
  4. PlatformStack NAME-platform: kubectl layer of VERSION, Helm charts
     and manifests re-applied,
asks for confirmation, deploys InfraStack then PlatformStack with
-c kubernetesVersion=VERSION, and runs scripts/verify.sh.

Re-run the same command after a failure: a stack an earlier run upgraded
(.workshop/NAME/state and CloudFormation agree) is not deployed again.

Pass the same -c options you gave scripts/up.sh (profile, compute,
clusterAdmins, ...): the stacks are redeployed with this command's context
only. Afterwards give up.sh -c kubernetesVersion=VERSION too, or set it in
your configuration, or a later up.sh would deploy the profile's version.

Options:
      --to VERSION      the Kubernetes version to upgrade to, e.g. 1.36
$ENV_OPTIONS_HELP
$CDK_OPTIONS_HELP
$VERSION_CHANGE_OPTIONS_HELP
      --ignore-insight-errors
                        upgrade even though an EKS upgrade insight for
                        VERSION has status ERROR (or cannot be read):
                        skips this script's check, and the InfraStack
                        deploy gets -c forceVersionUpdate=true, so EKS
                        skips its own readiness checks (Force of the
                        cluster) instead of refusing the update. What
                        an ERROR insight names (e.g. removed APIs still
                        in use) can break workloads on VERSION
      --timeout-stack D per cdk deploy (default: $(fmt_duration "$TIMEOUT_STACK"))
                        D is seconds or 90s / 15m / 1h

Environment:
$RETRY_ENV_HELP
  WORKSHOP_DIR    where outputs and state go (default: <repo>/.workshop)

Examples:
  scripts/upgrade.sh --env alice --to 1.36 --dry-run
  scripts/upgrade.sh --env alice --to 1.36 -c profile=production
EOF
}

normalize_args "$@"
set -- "${ARGS[@]}"
while (($#)); do
  case $1 in
    -h | --help) usage; exit 0 ;;
    --to) need_value "$@"; TARGET=$2; shift 2 ;;
    --timeout-stack) TIMEOUT_STACK=$(duration_opt "$@"); shift 2 ;;
    -c | --context)
      if [[ ${2:-} == kubernetesVersion=* ]]; then usage_error "use --to instead of -c $2"; fi
      version_change_opt "$@"; shift "$SHIFT_BY"
      ;;
    *) version_change_opt "$@" || usage_error "unknown option: $1"; shift "$SHIFT_BY" ;;
  esac
done
[[ -n $TARGET ]] || usage_error "--to VERSION is required (e.g. --to 1.36)"
[[ $TARGET =~ ^1\.([0-9]+)$ ]] || usage_error "--to: '$TARGET' is not a Kubernetes minor version (e.g. 1.36)"
TARGET_MINOR=$((10#${BASH_REMATCH[1]}))
setup_env
cd "$ROOT"

summary() { version_change_summary "$1" "Environment $ENV_NAME is on Kubernetes $TARGET (region $REGION, cluster $CLUSTER)."; }
LEFT_TO_DO=()
add_exit_hook summary
log "environment $ENV_NAME, region $REGION ($REGION_SOURCE)"
require_tools aws node

# ------------------------------------------------------------- what the app supports

read_app_versions "$TARGET"
require_app_version "$TARGET" "Kubernetes $TARGET is not a version this app deploys"

# --------------------------------------------------------------------- the cluster

read_cluster "an upgrade" upgrade

# An earlier run that deployed InfraStack to TARGET but did not finish: the cluster is already on
# TARGET, and the run picks up where it stopped.
unfinished() { [[ -n $(state_get "infra-$TARGET") && $(state_get "platform-$TARGET") != 'done' ]]; }

RESUMING=0
if ((TARGET_MINOR == CURRENT_MINOR)); then
  if unfinished; then
    RESUMING=1
    log "cluster $CLUSTER is already on $TARGET; an earlier upgrade to $TARGET did not finish: resuming it"
  else
    log "cluster $CLUSTER is already on Kubernetes $TARGET: nothing to upgrade"
    ((PLAN_ONLY)) && exit 0
    log "verifying the environment"
    "$ROOT/scripts/verify.sh" --env "$ENV_NAME" --region "$REGION" && exit 0
    exit 1
  fi
elif ((TARGET_MINOR < CURRENT_MINOR)); then
  if ((TARGET_MINOR == CURRENT_MINOR - 1)); then
    die "$TARGET is older than the cluster's $CURRENT: upgrade.sh only goes forward. Within 7 days of the upgrade to $CURRENT," \
      "EKS can roll the cluster back one minor: scripts/rollback.sh --env $ENV_NAME --region $REGION (docs/workshop.md, 'Roll back an upgrade')"
  fi
  die "$TARGET is older than the cluster's $CURRENT: EKS cannot downgrade a cluster (a rollback goes back one minor only, within 7 days of an upgrade)"
elif ((TARGET_MINOR > CURRENT_MINOR + 1)); then
  die "cluster $CLUSTER is on $CURRENT: EKS upgrades one minor version at a time; upgrade to 1.$((CURRENT_MINOR + 1)) first, then to $TARGET"
fi

# ---------------------------------------------------------------------- insights

# EKS upgrade insights for TARGET.
((RESUMING)) || read_insights "categories=UPGRADE_READINESS,kubernetesVersions=$TARGET"

# ------------------------------------------------------------------------ add-ons

read_addons 0

# -------------------------------------------------------------------- node groups

# The template sets each AWS::EKS::Nodegroup's Version to the cluster's: CloudFormation rolls the
# nodes to TARGET after the control plane, in the same InfraStack deploy.
read_nodegroups "InfraStack rolls its nodes after the control plane"

prepare_version_deploy upgrade-readiness

# ---------------------------------------------------------------------------- plan

print_plan() {
  local line
  echo "Upgrade plan for $ENV_NAME (cluster $CLUSTER, region $REGION): Kubernetes $CURRENT -> $TARGET"
  if ((RESUMING)); then echo "  (resuming an earlier upgrade to $TARGET that did not finish)"; fi
  echo "  1. control plane: $CURRENT -> $TARGET (InfraStack $INFRA_STACK)"
  if [[ -n $FORCE_PLAN_LINE ]]; then echo "       $FORCE_PLAN_LINE"; fi
  echo "  2. EKS managed add-ons (InfraStack or PlatformStack, whichever declares them):"
  print_plan_addons
  echo "  3. managed node groups:"
  print_plan_nodegroups "its nodes follow the control plane on their own (EKS replaces them)"
  echo "  4. PlatformStack $PLATFORM_STACK: kubectl layer v$TARGET_MINOR (kubectl $TARGET), Helm charts and manifests re-applied"
  echo "  then: scripts/verify.sh --env $ENV_NAME --region $REGION"
  for line in "${LEFT_TO_DO[@]}"; do echo "  left to do by hand after the deploy: $line"; done
  echo "  cdk deploy context: $(quote_cmd "${CDK_CONTEXT[@]}")"
  if ((RESUMING)); then return 0; fi
  print_insights "Upgrade insights for $TARGET" "EKS refreshes them daily; aws eks start-insights-refresh --region $REGION --cluster-name $CLUSTER"
}
print_plan
for line in "${ADDON_WARNINGS[@]}"; do warn "$line"; done

proceed_or_stop "${#INSIGHT_ERRORS[@]}" "${#INSIGHT_ERRORS[@]} upgrade insight(s) for $TARGET have status ERROR" upgrade upgrade \
  "Upgrade $ENV_NAME ($CLUSTER) from Kubernetes $CURRENT to $TARGET?"

# --------------------------------------------------------------------------- deploy

# Phases are named after TARGET in the state file: a re-run skips what this upgrade already did,
# never what an upgrade to another version did.
update_addons "addons-$TARGET"

deploy_on_target "" "the stacks are upgraded"
