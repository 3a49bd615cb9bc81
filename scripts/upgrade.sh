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

TARGET=''
PLAN_ONLY=0
ASSUME_YES=0
IGNORE_INSIGHT_ERRORS=0

usage() {
  cat <<EOF
Usage: scripts/upgrade.sh [--env NAME] --to VERSION [options]

Upgrades the EKS cluster of one environment to Kubernetes VERSION, one minor
version at a time (EKS upgrades a control plane by one minor per update).
Before anything changes it checks, in this order:
  - VERSION is one the app deploys (SUPPORTED_KUBERNETES_VERSIONS in
    lib/config/kubernetes-versions.ts);
  - the cluster NAME-eks is ACTIVE, and VERSION is exactly one minor above
    its version (a downgrade is refused: see the rollback in README; the
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
  -n, --dry-run         run the read-only checks and print the plan; deploy
                        nothing. Exits 0 when a real run would go ahead,
                        1 when it would refuse
  -y, --yes             do not ask for confirmation (needed when stdin is
                        not a terminal)
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
  AWS_RETRY_ATTEMPTS, AWS_RETRY_BASE_DELAY, AWS_RETRY_MAX_DELAY
                  tries of a throttled read-only AWS call (default: 5),
                  seconds before the first retry, doubled each time (default: 1),
                  and the longest backoff (default: 20); each wait is jittered
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
    # Not common_opt's dry run, which prints queries instead of running them: the plan needs
    # their answers, and every query here is read-only.
    -n | --dry-run) PLAN_ONLY=1; shift ;;
    -y | --yes) ASSUME_YES=1; shift ;;
    --ignore-insight-errors) IGNORE_INSIGHT_ERRORS=1; shift ;;
    --timeout-stack) TIMEOUT_STACK=$(duration_opt "$@"); shift 2 ;;
    -c | --context)
      need_value "$@"
      if [[ $2 == kubernetesVersion=* ]]; then usage_error "use --to instead of -c $2"; fi
      if [[ $2 == forceVersionUpdate=* ]]; then usage_error "use --ignore-insight-errors instead of -c $2"; fi
      common_opt "$@"; shift "$SHIFT_BY"
      ;;
    *) common_opt "$@" || usage_error "unknown option: $1"; shift "$SHIFT_BY" ;;
  esac
done
[[ -n $TARGET ]] || usage_error "--to VERSION is required (e.g. --to 1.36)"
[[ $TARGET =~ ^1\.([0-9]+)$ ]] || usage_error "--to: '$TARGET' is not a Kubernetes minor version (e.g. 1.36)"
TARGET_MINOR=$((10#${BASH_REMATCH[1]}))
setup_env
cd "$ROOT"

summary() {
  local rc=$1
  ((${#PHASES[@]})) || return 0
  echo
  if ((rc == 0)); then
    echo "Environment $ENV_NAME is on Kubernetes $TARGET (region $REGION, cluster $CLUSTER)."
  else
    report_failure "re-run the same command: finished phases are skipped."
  fi
  local line
  for line in "${LEFT_TO_DO[@]}"; do echo "  left to do: $line"; done
  print_phase_table
}
LEFT_TO_DO=()
add_exit_hook summary
log "environment $ENV_NAME, region $REGION ($REGION_SOURCE)"
require_tools aws node

# ------------------------------------------------------------- what the app supports

# One node start-up reads the versions the app deploys and its add-on pins for TARGET from the
# TypeScript source itself, so this script never carries a copy that could drift.
SUPPORTED=()
declare -A APP_PIN=()
read_app_versions() {
  local out kind a b
  # shellcheck disable=SC2016 # JavaScript, not shell
  if ! out=$(node --require sucrase/register/ts -e '
    const { SUPPORTED_KUBERNETES_VERSIONS, KUBERNETES_VERSIONS } = require("./lib/config/kubernetes-versions");
    const target = process.argv[1];
    console.log(`supported\t${SUPPORTED_KUBERNETES_VERSIONS.join(" ")}`);
    if (SUPPORTED_KUBERNETES_VERSIONS.includes(target)) {
      for (const [name, version] of Object.entries(KUBERNETES_VERSIONS[target].managedAddons)) console.log(`pin\t${name}\t${version}`);
    }
  ' "$TARGET" 2>"$WORK_TMP/node.err"); then
    die "cannot read the supported versions from lib/config/kubernetes-versions.ts: $(first_line "$(<"$WORK_TMP/node.err")")"
  fi
  while IFS=$'\t' read -r kind a b; do
    case $kind in
      supported) read -ra SUPPORTED <<<"$a" ;;
      pin) APP_PIN[$a]=$b ;;
    esac
  done <<<"$out"
}
read_app_versions
if [[ " ${SUPPORTED[*]} " != *" $TARGET "* ]]; then
  die "Kubernetes $TARGET is not a version this app deploys; supported: ${SUPPORTED[*]} (lib/config/kubernetes-versions.ts)"
fi

# --------------------------------------------------------------------- the cluster

CURRENT='' AUTO_MODE=''
read_cluster() {
  local out status
  if ! capture out '' aws eks describe-cluster --region "$REGION" --name "$CLUSTER" \
    --query '[cluster.status,cluster.version,cluster.computeConfig.enabled]' --output text; then
    if [[ $CAPTURE_ERR == *ResourceNotFound* ]]; then
      die "cluster $CLUSTER does not exist in $REGION: nothing to upgrade (deploy it with scripts/up.sh --env $ENV_NAME)"
    fi
    local advice
    advice=$(refusal_advice "$CAPTURE_ERR") || advice='re-run the same command'
    die "cannot describe cluster $CLUSTER: $(first_line "$CAPTURE_ERR"). Fix: $advice"
  fi
  IFS=$'\t' read -r status CURRENT AUTO_MODE <<<"$out"
  [[ $status == ACTIVE ]] || die "cluster $CLUSTER is $status: an upgrade needs it ACTIVE; wait, then re-run the same command"
  [[ $CURRENT =~ ^1\.([0-9]+)$ ]] || die "cluster $CLUSTER reports version '$CURRENT', not a 1.N version"
  CURRENT_MINOR=$((10#${BASH_REMATCH[1]}))
}
read_cluster

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
      "EKS can roll the control plane back one minor: aws eks update-cluster-version --name $CLUSTER --region $REGION --kubernetes-version $TARGET" \
      "(roll managed node groups back first; add-ons are not rolled back; see README, 'Upgrade a cluster')"
  fi
  die "$TARGET is older than the cluster's $CURRENT: EKS cannot downgrade a cluster (a rollback goes back one minor only, within 7 days of an upgrade)"
elif ((TARGET_MINOR > CURRENT_MINOR + 1)); then
  die "cluster $CLUSTER is on $CURRENT: EKS upgrades one minor version at a time; upgrade to 1.$((CURRENT_MINOR + 1)) first, then to $TARGET"
fi

# ---------------------------------------------------------------------- insights

# EKS upgrade insights for TARGET: "STATUS<TAB>NAME<TAB>REASON" per insight.
INSIGHT_ERRORS=() INSIGHT_WARNINGS=() INSIGHTS_UNREADABLE='' INSIGHT_COUNT=0
read_insights() {
  local out status name reason
  if ! capture out '' aws eks list-insights --region "$REGION" --cluster-name "$CLUSTER" \
    --filter "categories=UPGRADE_READINESS,kubernetesVersions=$TARGET" \
    --query 'insights[].[insightStatus.status,name,insightStatus.reason]' --output text; then
    INSIGHTS_UNREADABLE=$(first_line "$CAPTURE_ERR")
    return 0
  fi
  while IFS=$'\t' read -r status name reason; do
    [[ -n $status ]] || continue
    INSIGHT_COUNT=$((INSIGHT_COUNT + 1))
    case $status in
      ERROR) INSIGHT_ERRORS+=("$name: $reason") ;;
      WARNING) INSIGHT_WARNINGS+=("$name: $reason") ;;
    esac
  done <<<"$out"
}
((RESUMING)) || read_insights

# ------------------------------------------------------------------------ add-ons

# eks_text VAR WHAT OPERATION ARGS...: VAR gets `aws eks OPERATION --region REGION ARGS... --output
# text` (a read-only query), or the run stops saying it cannot read WHAT.
eks_text() {
  local __var=$1 __what=$2 __op=$3
  shift 3
  capture "$__var" '' aws eks "$__op" --region "$REGION" "$@" --output text ||
    die "cannot read $__what: $(first_line "$CAPTURE_ERR")"
}

# addon_versions VAR NAME K8S: VAR gets the versions of EKS add-on NAME that run on Kubernetes K8S,
# newest first as EKS lists them, "VERSION<TAB>True|False" (EKS's default there) a line.
addon_versions() {
  eks_text "$1" "the versions of EKS add-on $2 for $3" describe-addon-versions --kubernetes-version "$3" \
    --addon-name "$2" --query "addons[0].addonVersions[].[addonVersion,compatibilities[?clusterVersion=='$3'] | [0].defaultVersion]"
}

# bridge_version VAR NAME: VAR gets the newest version of add-on NAME that runs on both CURRENT and
# TARGET (empty when none does), so it can be updated before the control plane and keep working
# across it. TARGET_VERSIONS holds the add-on's versions for TARGET.
bridge_version() {
  local __bvar=$1 current_versions v _ found=''
  addon_versions current_versions "$2" "$CURRENT"
  while IFS=$'\t' read -r v _; do
    if [[ -n $v && $'\n'$current_versions$'\n' == *$'\n'"$v"$'\t'* ]]; then found=$v; break; fi
  done <<<"$TARGET_VERSIONS"
  printf -v "$__bvar" '%s' "$found"
}

# ADDON_LINES: one line of the plan per installed EKS managed add-on. ADDON_UPDATES: "NAME VERSION"
# for each add-on this script updates before the control plane (no pin in the app, and its version
# does not run on TARGET: the stacks would leave it where it is).
ADDON_LINES=() ADDON_WARNINGS=() ADDON_UPDATES=()
TARGET_VERSIONS=''
read_addons() {
  local names name version v default compatible target_default pin line bridge
  eks_text names "the EKS add-ons of $CLUSTER" list-addons --cluster-name "$CLUSTER" --query addons
  for name in $names; do
    [[ $name != None ]] || continue
    eks_text version "EKS add-on $name" describe-addon --cluster-name "$CLUSTER" --addon-name "$name" --query addon.addonVersion
    # Every version listed for --kubernetes-version is compatible with it; the second column says
    # whether it is EKS's default there.
    addon_versions TARGET_VERSIONS "$name" "$TARGET"
    compatible=0 target_default=''
    while IFS=$'\t' read -r v default; do
      if [[ $v == "$version" ]]; then compatible=1; fi
      if [[ $default == True ]]; then target_default=$v; fi
    done <<<"$TARGET_VERSIONS"
    pin=${APP_PIN[$name]:-}
    line="$name $version: "
    if ((compatible)); then line+="compatible with $TARGET"; else line+="NOT compatible with $TARGET"; fi
    line+="; EKS default for $TARGET: ${target_default:-unknown}; "
    if [[ -n $pin ]]; then
      line+="the app pins $pin for $TARGET"
      if [[ $pin != "$version" ]]; then line+=" (updated by the deploy)"; fi
    elif ((compatible)); then
      # An AWS::EKS::Addon without AddonVersion does not change when the cluster version does.
      line+="no pin in the app: stays on $version"
    else
      bridge_version bridge "$name"
      if [[ -n $bridge ]]; then
        line+="no pin in the app: updated to $bridge before the control plane (it runs on $CURRENT and $TARGET)"
        ADDON_UPDATES+=("$name $bridge")
      else
        line+="no pin in the app, and no version runs on both $CURRENT and $TARGET"
        ADDON_WARNINGS+=("EKS add-on $name $version does not run on $TARGET, and no version of it runs on both $CURRENT and $TARGET: right after the control plane, run aws eks update-addon --region $REGION --cluster-name $CLUSTER --addon-name $name --addon-version ${target_default:-<version>}")
      fi
    fi
    ADDON_LINES+=("$line")
  done
}
read_addons

# -------------------------------------------------------------------- node groups

NODEGROUP_LINES=()
read_nodegroups() {
  local names name version
  eks_text names "the node groups of $CLUSTER" list-nodegroups --cluster-name "$CLUSTER" --query nodegroups
  for name in $names; do
    [[ $name != None ]] || continue
    eks_text version "node group $name" describe-nodegroup --cluster-name "$CLUSTER" --nodegroup-name "$name" --query nodegroup.version
    if [[ $version == "$TARGET" ]]; then
      NODEGROUP_LINES+=("$name: already on $TARGET")
    else
      # The template sets each AWS::EKS::Nodegroup's Version to the cluster's: CloudFormation rolls
      # the nodes to TARGET after the control plane, in the same InfraStack deploy.
      NODEGROUP_LINES+=("$name: $version -> $TARGET (InfraStack rolls its nodes after the control plane)")
    fi
  done
}
read_nodegroups

ensure_cluster_admin
CDK_CONTEXT+=(-c "kubernetesVersion=$TARGET")
# EKS itself refuses a version update while an upgrade insight has status ERROR unless the update
# is forced (AWS::EKS::Cluster Force). Only InfraStack's deploy of this run gets it: it is not in
# CDK_CONTEXT, the state file or cdk.json, so the next up.sh deploys without it.
FORCE_CONTEXT=()
if ((IGNORE_INSIGHT_ERRORS)); then FORCE_CONTEXT=(-c forceVersionUpdate=true); fi

# ---------------------------------------------------------------------------- plan

print_plan() {
  local line
  echo "Upgrade plan for $ENV_NAME (cluster $CLUSTER, region $REGION): Kubernetes $CURRENT -> $TARGET"
  if ((RESUMING)); then echo "  (resuming an earlier upgrade to $TARGET that did not finish)"; fi
  echo "  1. control plane: $CURRENT -> $TARGET (InfraStack $INFRA_STACK)"
  if ((${#FORCE_CONTEXT[@]})); then
    echo "       --ignore-insight-errors: EKS skips its upgrade-readiness checks for this InfraStack deploy (-c forceVersionUpdate=true)"
  fi
  echo "  2. EKS managed add-ons (InfraStack or PlatformStack, whichever declares them):"
  if ((${#ADDON_LINES[@]} == 0)); then echo "       none installed"; fi
  for line in "${ADDON_LINES[@]}"; do echo "       $line"; done
  echo "  3. managed node groups:"
  if [[ $AUTO_MODE == True ]]; then
    echo "       EKS Auto Mode: its nodes follow the control plane on their own (EKS replaces them)"
  fi
  if ((${#NODEGROUP_LINES[@]} == 0)) && [[ $AUTO_MODE != True ]]; then echo "       none"; fi
  for line in "${NODEGROUP_LINES[@]}"; do echo "       $line"; done
  echo "  4. PlatformStack $PLATFORM_STACK: kubectl layer v$TARGET_MINOR (kubectl $TARGET), Helm charts and manifests re-applied"
  echo "  then: scripts/verify.sh --env $ENV_NAME --region $REGION"
  for line in "${LEFT_TO_DO[@]}"; do echo "  left to do by hand after the deploy: $line"; done
  echo "  cdk deploy context: $(quote_cmd "${CDK_CONTEXT[@]}")"
  if ((RESUMING)); then return 0; fi
  if [[ -n $INSIGHTS_UNREADABLE ]]; then
    echo "Upgrade insights for $TARGET: cannot be read ($INSIGHTS_UNREADABLE)"
  elif ((INSIGHT_COUNT == 0)); then
    echo "Upgrade insights for $TARGET: none yet (EKS refreshes them daily; aws eks start-insights-refresh --region $REGION --cluster-name $CLUSTER)"
  else
    echo "Upgrade insights for $TARGET: $INSIGHT_COUNT checked, ${#INSIGHT_ERRORS[@]} ERROR, ${#INSIGHT_WARNINGS[@]} WARNING"
  fi
  for line in "${INSIGHT_ERRORS[@]}"; do echo "  [ERROR]   $line"; done
  for line in "${INSIGHT_WARNINGS[@]}"; do echo "  [WARNING] $line"; done
}
print_plan
for line in "${ADDON_WARNINGS[@]}"; do warn "$line"; done

if ((${#INSIGHT_ERRORS[@]})) && ((!IGNORE_INSIGHT_ERRORS)); then
  die "${#INSIGHT_ERRORS[@]} upgrade insight(s) for $TARGET have status ERROR (above): fix what they name, or re-run with --ignore-insight-errors to upgrade anyway"
fi
if [[ -n $INSIGHTS_UNREADABLE ]] && ((!IGNORE_INSIGHT_ERRORS)); then
  die "cannot read the upgrade insights of $CLUSTER: $INSIGHTS_UNREADABLE; fix that, or re-run with --ignore-insight-errors to upgrade without them"
fi
if ((PLAN_ONLY)); then
  log "dry run: nothing deployed"
  exit 0
fi

# Before anything changes: timeout bounds cdk deploy; verify.sh needs kubectl and curl.
require_tools npx cdk timeout kubectl curl
if ((!ASSUME_YES)); then
  [[ -t 0 ]] || die "stdin is not a terminal, so there is no one to confirm: re-run with --yes to upgrade without asking"
  read -r -p "Upgrade $ENV_NAME ($CLUSTER) from Kubernetes $CURRENT to $TARGET? [y/N] " answer
  [[ $answer == [yY] || $answer == [yY][eE][sS] ]] || die "not confirmed: nothing changed"
fi

# --------------------------------------------------------------------------- deploy

# Phases are named after TARGET in the state file: a re-run skips what this upgrade already did,
# never what an upgrade to another version did.
check_addon_active() {
  local status
  capture status '' aws eks describe-addon --region "$REGION" --cluster-name "$CLUSTER" --addon-name "$1" --query addon.status --output text || return 1
  CHECK_DETAIL=$status
  [[ $status == ACTIVE ]]
}
# A re-run finds these add-ons on a version that runs on TARGET, so it does not update them again.
if ((${#ADDON_UPDATES[@]})); then
  phase_begin "addons-$TARGET" "update EKS add-ons without a pin to versions that run on $CURRENT and $TARGET"
  for update in "${ADDON_UPDATES[@]}"; do
    # PRESERVE: settings changed on the cluster stay; the update fails rather than overwrite them.
    run_cmd aws eks update-addon --region "$REGION" --cluster-name "$CLUSTER" --addon-name "${update% *}" \
      --addon-version "${update#* }" --resolve-conflicts PRESERVE || die "cannot update EKS add-on ${update% *}"
    wait_for "EKS add-on ${update% *} to be ACTIVE on ${update#* }" "$TIMEOUT_STACK" check_addon_active "${update% *}" || exit 1
  done
  phase_end "addons-$TARGET" 'done'
fi

phase_begin "infra-$TARGET" "deploy InfraStack ($INFRA_STACK) with Kubernetes $TARGET"
deploy_stack InfraStack "$INFRA_STACK" "infra-$TARGET" "${FORCE_CONTEXT[@]}" || exit 1
now=''
eks_text now "the version of $CLUSTER after the InfraStack deploy" describe-cluster --name "$CLUSTER" --query cluster.version
[[ $now == "$TARGET" ]] || die "$INFRA_STACK is deployed but cluster $CLUSTER reports version $now, not $TARGET"
phase_end "infra-$TARGET" "$DEPLOY_RESULT"

phase_begin "platform-$TARGET" "deploy PlatformStack ($PLATFORM_STACK) with Kubernetes $TARGET"
# --exclusively: InfraStack was handled above; do not let cdk redeploy it.
deploy_stack PlatformStack "$PLATFORM_STACK" "platform-$TARGET" --exclusively || exit 1
phase_end "platform-$TARGET" "$DEPLOY_RESULT"
load_outputs

phase_begin verify "scripts/verify.sh --env $ENV_NAME"
"$ROOT/scripts/verify.sh" --env "$ENV_NAME" --region "$REGION" || die "the stacks are upgraded, but scripts/verify.sh found problems (above)"
phase_end verify 'done'
