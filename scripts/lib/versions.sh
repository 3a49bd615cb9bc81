# shellcheck shell=bash
# What the app and EKS say about Kubernetes versions, shared by upgrade.sh and rollback.sh: the
# versions the app deploys and its add-on pins, the cluster's state, EKS insights, and the EKS
# add-ons that must move before the control plane does.
# Needs common.sh and setup_env.
# Variables set here are read by the scripts that source this file.
# shellcheck disable=SC2034

PLAN_ONLY=0
ASSUME_YES=0
IGNORE_INSIGHT_ERRORS=0

# The help of the options version_change_opt reads (besides --ignore-insight-errors, whose effect
# each script words for itself).
VERSION_CHANGE_OPTIONS_HELP='  -n, --dry-run         run the read-only checks and print the plan; change
                        nothing. Exits 0 when a real run would go ahead,
                        1 when it would refuse
  -y, --yes             do not ask for confirmation (needed when stdin is
                        not a terminal)'

# version_change_opt ARGS...: the options upgrade.sh and rollback.sh share, then common_opt's.
# Sets SHIFT_BY; returns 1 if $1 is none of them.
version_change_opt() {
  SHIFT_BY=1
  case $1 in
    # Not common_opt's dry run, which prints queries instead of running them: the plan needs
    # their answers, and every query here is read-only.
    -n | --dry-run) PLAN_ONLY=1 ;;
    -y | --yes) ASSUME_YES=1 ;;
    --ignore-insight-errors) IGNORE_INSIGHT_ERRORS=1 ;;
    *)
      if [[ $1 == -c || $1 == --context ]] && [[ ${2:-} == forceVersionUpdate=* ]]; then
        usage_error "use --ignore-insight-errors instead of -c $2"
      fi
      common_opt "$@"
      ;;
  esac
}

# read_app_versions VERSION: SUPPORTED gets the versions the app deploys and APP_PIN the add-on
# versions it pins for VERSION, read in one node start-up from the TypeScript source itself, so no
# script carries a copy that could drift.
SUPPORTED=()
declare -A APP_PIN=()
# version_change_summary RC DONE_LINE: the exit summary of upgrade.sh and rollback.sh (DONE_LINE
# when RC is 0), the steps left to the user (LEFT_TO_DO) and the phase table. Nothing when no phase ran.
version_change_summary() {
  local rc=$1 done_line=$2 line
  ((${#PHASES[@]})) || return 0
  echo
  if ((rc == 0)); then
    echo "$done_line"
  else
    report_failure "re-run the same command: finished phases are skipped."
  fi
  for line in "${LEFT_TO_DO[@]}"; do echo "  left to do: $line"; done
  print_phase_table
}

# require_app_version TARGET WHY: dies unless the app deploys TARGET (read_app_versions first),
# with WHY as the start of the message.
require_app_version() {
  [[ " ${SUPPORTED[*]} " == *" $1 "* ]] ||
    die "$2; supported: ${SUPPORTED[*]} (lib/core/config/kubernetes-versions.ts)"
}

read_app_versions() {
  local out kind a b
  # shellcheck disable=SC2016 # JavaScript, not shell
  if ! out=$(node --require sucrase/register/ts -e '
    const { SUPPORTED_KUBERNETES_VERSIONS, KUBERNETES_VERSIONS } = require("./lib/core/config/kubernetes-versions");
    const target = process.argv[1];
    console.log(`supported\t${SUPPORTED_KUBERNETES_VERSIONS.join(" ")}`);
    if (SUPPORTED_KUBERNETES_VERSIONS.includes(target)) {
      for (const [name, version] of Object.entries(KUBERNETES_VERSIONS[target].managedAddons)) console.log(`pin\t${name}\t${version}`);
    }
  ' "$1" 2>"$WORK_TMP/node.err"); then
    die "cannot read the supported versions from lib/core/config/kubernetes-versions.ts: $(first_line "$(<"$WORK_TMP/node.err")")"
  fi
  while IFS=$'\t' read -r kind a b; do
    case $kind in
      supported) read -ra SUPPORTED <<<"$a" ;;
      pin) APP_PIN[$a]=$b ;;
    esac
  done <<<"$out"
}

# read_cluster NOUN VERB: CURRENT, CURRENT_MINOR, AUTO_MODE (True/False) and SUPPORT_TYPE (the
# upgrade policy) of an ACTIVE cluster; stops the run, saying why NOUN (e.g. "an upgrade") cannot
# go on, when the cluster is missing, not ACTIVE or unreadable.
CURRENT='' CURRENT_MINOR='' AUTO_MODE='' SUPPORT_TYPE=''
read_cluster() {
  local out status advice
  if ! capture out '' aws eks describe-cluster --region "$REGION" --name "$CLUSTER" \
    --query '[cluster.status,cluster.version,cluster.computeConfig.enabled,cluster.upgradePolicy.supportType]' --output text; then
    if [[ $CAPTURE_ERR == *ResourceNotFound* ]]; then
      die "cluster $CLUSTER does not exist in $REGION: nothing to $2 (deploy it with scripts/up.sh --env $ENV_NAME)"
    fi
    advice=$(refusal_advice "$CAPTURE_ERR") || advice='re-run the same command'
    die "cannot describe cluster $CLUSTER: $(first_line "$CAPTURE_ERR"). Fix: $advice"
  fi
  IFS=$'\t' read -r status CURRENT AUTO_MODE SUPPORT_TYPE <<<"$out"
  [[ $status == ACTIVE ]] || die "cluster $CLUSTER is $status: $1 needs it ACTIVE; wait, then re-run the same command"
  [[ $CURRENT =~ ^1\.([0-9]+)$ ]] || die "cluster $CLUSTER reports version '$CURRENT', not a 1.N version"
  CURRENT_MINOR=$((10#${BASH_REMATCH[1]}))
}

# read_insights FILTER: the cluster's insights that match `--filter FILTER`, counted per status;
# "NAME: REASON" for each ERROR, WARNING and UNKNOWN one. INSIGHTS_UNREADABLE says why they could
# not be read (the run decides what that means).
INSIGHT_ERRORS=() INSIGHT_WARNINGS=() INSIGHT_UNKNOWNS=() INSIGHTS_UNREADABLE='' INSIGHT_COUNT=0
read_insights() {
  local out status name reason
  if ! capture out '' aws eks list-insights --region "$REGION" --cluster-name "$CLUSTER" --filter "$1" \
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
      UNKNOWN) INSIGHT_UNKNOWNS+=("$name: $reason") ;;
    esac
  done <<<"$out"
}

# print_insights WHAT HOW_TO_REFRESH: the plan's summary of what read_insights found.
print_insights() {
  local line
  if [[ -n $INSIGHTS_UNREADABLE ]]; then
    echo "$1: cannot be read ($INSIGHTS_UNREADABLE)"
  elif ((INSIGHT_COUNT == 0)); then
    echo "$1: none yet ($2)"
  else
    echo "$1: $INSIGHT_COUNT checked, ${#INSIGHT_ERRORS[@]} ERROR, ${#INSIGHT_WARNINGS[@]} WARNING"
  fi
  for line in "${INSIGHT_ERRORS[@]}"; do echo "  [ERROR]   $line"; done
  for line in "${INSIGHT_UNKNOWNS[@]}"; do echo "  [UNKNOWN] $line"; done
  for line in "${INSIGHT_WARNINGS[@]}"; do echo "  [WARNING] $line"; done
}

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

# read_addons BRIDGE_PINNED: ADDON_LINES, one line of the plan per installed EKS managed add-on on
# the way from CURRENT to TARGET; ADDON_UPDATES, "NAME VERSION" for each add-on to update before
# the control plane because its version does not run on TARGET. The InfraStack deploy moves a
# pinned add-on to its pin only after the control plane, which is in time when TARGET is newer
# (an older add-on keeps working) but not when it is older: BRIDGE_PINNED=1 bridges those too.
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
    if [[ -n $pin ]] && { ((compatible)) || (($1 == 0)); }; then
      line+="the app pins $pin for $TARGET"
      if [[ $pin != "$version" ]]; then line+=" (updated by the deploy)"; fi
    elif [[ -z $pin ]] && ((compatible)); then
      # An AWS::EKS::Addon without AddonVersion does not change when the cluster version does.
      line+="no pin in the app: stays on $version"
    else
      if [[ -n $pin ]]; then line+="the app pins $pin for $TARGET, set by the deploy after the control plane; "; else line+="no pin in the app"; fi
      bridge_version bridge "$name"
      if [[ -n $bridge ]]; then
        if [[ -z $pin ]]; then line+=": "; fi
        line+="updated to $bridge before the control plane (it runs on $CURRENT and $TARGET)"
        ADDON_UPDATES+=("$name $bridge")
      else
        if [[ -z $pin ]]; then line+=", and "; fi
        line+="no version runs on both $CURRENT and $TARGET"
        ADDON_WARNINGS+=("EKS add-on $name $version does not run on $TARGET, and no version of it runs on both $CURRENT and $TARGET: right after the control plane, run aws eks update-addon --region $REGION --cluster-name $CLUSTER --addon-name $name --addon-version ${pin:-${target_default:-<version>}}")
      fi
    fi
    ADDON_LINES+=("$line")
  done
}

# read_nodegroups HOW: NODEGROUP_LINES, one line of the plan per managed node group, and
# NODEGROUP_MOVES, the groups not on TARGET, which move to it as HOW says.
NODEGROUP_LINES=() NODEGROUP_MOVES=()
read_nodegroups() {
  local names name version
  eks_text names "the node groups of $CLUSTER" list-nodegroups --cluster-name "$CLUSTER" --query nodegroups
  for name in $names; do
    [[ $name != None ]] || continue
    eks_text version "node group $name" describe-nodegroup --cluster-name "$CLUSTER" --nodegroup-name "$name" --query nodegroup.version
    if [[ $version == "$TARGET" ]]; then
      NODEGROUP_LINES+=("$name: already on $TARGET")
    else
      NODEGROUP_LINES+=("$name: $version -> $TARGET ($1)")
      NODEGROUP_MOVES+=("$name")
    fi
  done
}

check_addon_active() {
  local status
  capture status '' aws eks describe-addon --region "$REGION" --cluster-name "$CLUSTER" --addon-name "$1" --query addon.status --output text || return 1
  CHECK_DETAIL=$status
  [[ $status == ACTIVE ]]
}

# update_addons PHASE: the ADDON_UPDATES, one after the other, each waited for until ACTIVE. A
# re-run finds these add-ons on a version that runs on TARGET, so it does not update them again.
update_addons() {
  local update
  ((${#ADDON_UPDATES[@]})) || return 0
  phase_begin "$1" "update EKS add-ons to versions that run on $CURRENT and $TARGET"
  for update in "${ADDON_UPDATES[@]}"; do
    # PRESERVE: settings changed on the cluster stay; the update fails rather than overwrite them.
    run_cmd aws eks update-addon --region "$REGION" --cluster-name "$CLUSTER" --addon-name "${update% *}" \
      --addon-version "${update#* }" --resolve-conflicts PRESERVE || die "cannot update EKS add-on ${update% *}"
    wait_for "EKS add-on ${update% *} to be ACTIVE on ${update#* }" "$TIMEOUT_STACK" check_addon_active "${update% *}" || exit 1
  done
  phase_end "$1" 'done'
}

# proceed_or_stop BLOCKING WHY KIND VERB QUESTION: the end of the checks. Stops when BLOCKING (a
# count) insights stand, WHY saying which, or when the KIND insights could not be read, unless
# IGNORE_INSIGHT_ERRORS; a PLAN_ONLY run ends here; otherwise the tools a change needs must be
# there, and the user confirms QUESTION (ASSUME_YES does for them).
# prepare_version_deploy WHAT: the context of the deploys that move the cluster to TARGET, after
# the admin access they need. EKS refuses a version change while a readiness insight blocks it
# unless the change is forced (AWS::EKS::Cluster Force, which "bypasses all insight checks"):
# --ignore-insight-errors gives it to this run's InfraStack deploy only (FORCE_CONTEXT, read by
# deploy_on_target). It is not in CDK_CONTEXT, the state file or cdk.json, so the next up.sh deploys
# without it. WHAT names the checks for the plan (upgrade readiness, rollback readiness).
prepare_version_deploy() {
  ensure_cluster_admin
  CDK_CONTEXT+=(-c "kubernetesVersion=$TARGET")
  FORCE_CONTEXT=()
  FORCE_PLAN_LINE=''
  if ((IGNORE_INSIGHT_ERRORS)); then
    FORCE_CONTEXT=(-c forceVersionUpdate=true)
    FORCE_PLAN_LINE="--ignore-insight-errors: EKS skips its $1 checks for this InfraStack deploy (-c forceVersionUpdate=true)"
  fi
}

# print_plan_addons / print_plan_nodegroups AUTO_MODE_LINE: the plan's lists from read_addons and
# read_nodegroups, indented under their step.
print_plan_addons() {
  local line
  if ((${#ADDON_LINES[@]} == 0)); then echo "       none installed"; fi
  for line in "${ADDON_LINES[@]}"; do echo "       $line"; done
}
print_plan_nodegroups() {
  local line
  if [[ $AUTO_MODE == True ]]; then echo "       EKS Auto Mode: $1"; fi
  if ((${#NODEGROUP_LINES[@]} == 0)) && [[ $AUTO_MODE != True ]]; then echo "       none"; fi
  for line in "${NODEGROUP_LINES[@]}"; do echo "       $line"; done
}

proceed_or_stop() {
  local answer
  if (($1)) && ((!IGNORE_INSIGHT_ERRORS)); then
    die "$2 (above): fix what they name, or re-run with --ignore-insight-errors to $4 anyway"
  fi
  if [[ -n $INSIGHTS_UNREADABLE ]] && ((!IGNORE_INSIGHT_ERRORS)); then
    die "cannot read the $3 insights of $CLUSTER: $INSIGHTS_UNREADABLE; fix that, or re-run with --ignore-insight-errors to $4 without them"
  fi
  if ((PLAN_ONLY)); then
    log "dry run: nothing changed"
    exit 0
  fi
  # Before anything changes: timeout bounds cdk deploy; verify.sh needs kubectl and curl.
  require_tools npx cdk timeout kubectl curl
  if ((!ASSUME_YES)); then
    [[ -t 0 ]] || die "stdin is not a terminal, so there is no one to confirm: re-run with --yes to $4 without asking"
    read -r -p "$5 [y/N] " answer
    [[ $answer == [yY] || $answer == [yY][eE][sS] ]] || die "not confirmed: nothing changed"
  fi
}

# deploy_on_target PREFIX WHAT: deploys InfraStack (with FORCE_CONTEXT), checks that the cluster
# reports TARGET, runs AFTER_INFRA (a command, when set), deploys PlatformStack, then verifies;
# CDK_CONTEXT sets kubernetesVersion=TARGET. The phases PREFIXinfra-TARGET and
# PREFIXplatform-TARGET name the version, so a re-run skips what this change already did, never
# what a change to another version did. WHAT says where the stacks are now, for verify's failure.
AFTER_INFRA=()
deploy_on_target() {
  local infra="$1infra-$TARGET" platform="$1platform-$TARGET" now=''
  phase_begin "$infra" "deploy InfraStack ($INFRA_STACK) with Kubernetes $TARGET"
  deploy_stack InfraStack "$INFRA_STACK" "$infra" "${FORCE_CONTEXT[@]}" || exit 1
  eks_text now "the version of $CLUSTER after the InfraStack deploy" describe-cluster --name "$CLUSTER" --query cluster.version
  [[ $now == "$TARGET" ]] || die "$INFRA_STACK is deployed but cluster $CLUSTER reports version $now, not $TARGET"
  if ((${#AFTER_INFRA[@]})); then "${AFTER_INFRA[@]}"; fi
  phase_end "$infra" "$DEPLOY_RESULT"

  phase_begin "$platform" "deploy PlatformStack ($PLATFORM_STACK) with Kubernetes $TARGET"
  # --exclusively: InfraStack was handled above; do not let cdk redeploy it.
  deploy_stack PlatformStack "$PLATFORM_STACK" "$platform" --exclusively || exit 1
  phase_end "$platform" "$DEPLOY_RESULT"
  load_outputs

  phase_begin verify "scripts/verify.sh --env $ENV_NAME"
  "$ROOT/scripts/verify.sh" --env "$ENV_NAME" --region "$REGION" || die "$2, but scripts/verify.sh found problems (above)"
  phase_end verify 'done'
}
