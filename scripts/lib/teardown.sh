# shellcheck shell=bash
# The add-ons' teardown facets, as PlatformStack publishes them in its Teardown output
# (lib/stacks/platform/teardown-output.ts): claims to delete while their CSI driver still runs, and AWS
# resources kept on purpose. Acted on by kind, never by add-on. Also the environment's profile,
# which decides whether down deletes its log groups (workshop) or keeps and lists them.
# Needs common.sh, cluster.sh, leftovers.sh and setup_env.
# Variables set here are read by the scripts that source this file.
# shellcheck disable=SC2034

TIMEOUT_VOLUMES=300

# TEARDOWN_PROFILE  the profile the environment was deployed with (empty: unknown)
# TEARDOWN_FROM     where that was read
# TEARDOWN_CLAIMS   "csi-driver<TAB>add-on<TAB>reason" per entry
# TEARDOWN_KEPT     "resource-type<TAB>tag key<TAB>tag value<TAB>add-on<TAB>description<TAB>how to delete"
TEARDOWN_PROFILE='' TEARDOWN_FROM='' TEARDOWN_CLAIMS=() TEARDOWN_KEPT=()

# parse_teardown JSON: the fields above from the output's value; 1 when it is not a manifest.
parse_teardown() {
  local kind a b c d e f
  TEARDOWN_PROFILE='' TEARDOWN_CLAIMS=() TEARDOWN_KEPT=()
  # shellcheck disable=SC2016 # JavaScript, not shell
  while IFS=$'\t' read -r kind a b c d e f; do
    case $kind in
      profile) TEARDOWN_PROFILE=$a ;;
      claim) TEARDOWN_CLAIMS+=("$a"$'\t'"$b"$'\t'"$c") ;;
      kept) TEARDOWN_KEPT+=("$a"$'\t'"$b"$'\t'"$c"$'\t'"$d"$'\t'"$e"$'\t'"$f") ;;
    esac
  done < <(node -e '
    let m;
    try { m = JSON.parse(process.argv[1]); } catch { process.exit(0); }
    const clean = (s) => String(s ?? "").replace(/[\t\n]/g, " ");
    if (typeof m?.profile !== "string") process.exit(0);
    console.log(`profile\t${clean(m.profile)}`);
    for (const c of m.claims || []) console.log(["claim", c.csiDriver, c.addon, c.reason].map(clean).join("\t"));
    for (const k of m.kept || []) console.log(["kept", k.resourceType, k.tag?.key, k.tag?.value, k.addon, k.description, k.howToDelete].map(clean).join("\t"));
  ' "$1")
  [[ -n $TEARDOWN_PROFILE ]]
}

# read_teardown: the manifest of the deployed PlatformStack (CloudFormation, else the outputs this
# machine kept from its deploy); without either, the profile the configuration gives (cdk.json
# and -c, what cdk destroy uses). Fails only when the stack exists but cannot be read.
read_teardown() {
  local out
  TEARDOWN_FROM=''
  if capture out '' aws cloudformation describe-stacks --region "$REGION" --stack-name "$PLATFORM_STACK" \
    --query "Stacks[0].Outputs[?OutputKey=='Teardown'].OutputValue" --output text; then
    if parse_teardown "$out"; then TEARDOWN_FROM="the Teardown output of $PLATFORM_STACK"; fi
  elif [[ $CAPTURE_ERR != *"does not exist"* ]]; then
    return 1
  fi
  if [[ -z $TEARDOWN_FROM && -f $OUTPUTS_FILE ]] && ! is_dry_run; then
    out=$(node -e 'try { process.stdout.write(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[process.argv[2]]?.Teardown ?? ""); } catch {}' \
      "$OUTPUTS_FILE" "$PLATFORM_STACK")
    if parse_teardown "$out"; then TEARDOWN_FROM="$OUTPUTS_FILE (the last deploy from this machine)"; fi
  fi
  if [[ -z $TEARDOWN_FROM ]]; then
    TEARDOWN_CLAIMS=() TEARDOWN_KEPT=()
    if configured_value profile; then
      TEARDOWN_PROFILE=$CONFIGURED_VALUE TEARDOWN_FROM="the configuration ($CONFIGURED_FROM): $PLATFORM_STACK publishes none"
    else
      TEARDOWN_PROFILE='' TEARDOWN_FROM="nowhere: $CONFIGURED_FROM"
    fi
  fi
}

# keeps_logs: production keeps what the environment logged; an unknown profile counts as production.
keeps_logs() { [[ $TEARDOWN_PROFILE != workshop ]]; }

# ---------------------------------------------------------------- claims

# delete_claims DRIVER: deletes the claims of the PersistentVolumes of DRIVER; CLAIMS_DELETED gets
# how many. Returns 1 when the volumes cannot be listed.
CLAIMS_DELETED=0
delete_claims() {
  local driver=$1 json line claims=()
  CLAIMS_DELETED=0
  capture json '' "${KCTL[@]}" get persistentvolumes -o json || return 1
  if is_dry_run; then
    plan_note "for each PersistentVolume of the CSI driver $driver, its claim:"
    plan "${KCTL[@]}" delete persistentvolumeclaim -n '<namespace>' '<claim>' --wait=false --ignore-not-found
    return 0
  fi
  [[ $json == *"\"$driver\""* ]] || return 0
  mapfile -t claims < <(kube_json csi-claims "$json" "$driver")
  for line in "${claims[@]}"; do
    run_cmd "${KCTL[@]}" delete persistentvolumeclaim -n "${line%%$'\t'*}" "${line#*$'\t'}" --wait=false --ignore-not-found || return 1
  done
  CLAIMS_DELETED=${#claims[@]}
}

# check_volumes_gone DRIVER: no PersistentVolume of DRIVER is left.
check_volumes_gone() {
  local json
  capture json '' "${KCTL[@]}" get persistentvolumes -o json || return 1
  is_dry_run && return 0
  [[ $json != *"\"$1\""* ]] && return 0
  CHECK_DETAIL="$(kube_json csi-claims "$json" "$1" | tr '\t\n' '/ ')still bound (a pod still mounts it?)"
  return 1
}

# remove_claims: for every claim entry, the claims go while the driver still runs (it deletes what
# it provisioned). A volume a pod keeps mounted only warns: the stacks are still destroyed, and
# what then fails to delete is reported by CloudFormation and the leftover scan.
remove_claims() {
  local line driver addon reason
  if is_dry_run && ((${#TEARDOWN_CLAIMS[@]} == 0)); then
    plan_note "for each claim entry of the Teardown output (CSI driver DRIVER): delete the claims of DRIVER's volumes, wait for the volumes to go"
    return 0
  fi
  for line in "${TEARDOWN_CLAIMS[@]}"; do
    IFS=$'\t' read -r driver addon reason <<<"$line"
    log "add-on $addon: deleting the claims of $driver volumes ($reason)"
    if ! delete_claims "$driver"; then
      warn "cannot list the PersistentVolumes of $CLUSTER: claims of $driver (if any) are not deleted"
      continue
    fi
    ((CLAIMS_DELETED)) || is_dry_run || continue
    wait_for "the $driver volumes of $CLUSTER to be released" "$TIMEOUT_VOLUMES" check_volumes_gone "$driver" ||
      warn "$driver volumes of $CLUSTER are still bound: delete the pods that mount them, or what they hold may not delete"
  done
}

# ------------------------------------------------------------------ kept

# KEPT_LISTED  1 once find_kept ran: what is kept is listed once, deleting leftovers never deletes it
# KEPT_FOUND   per TEARDOWN_KEPT entry (same index): the ARNs its exact tag finds, as aws prints them
# KEPT_FAILED  per entry whose resources could not be listed: why
KEPT_LISTED=0 KEPT_FOUND=() KEPT_FAILED=()

# find_kept: lists what each kept entry finds by its exact tag. The tagging API may list a resource
# for a few minutes after it was deleted: what it finds is what may be there.
find_kept() {
  local i type key value description out
  KEPT_LISTED=1 KEPT_FOUND=() KEPT_FAILED=()
  if is_dry_run && ((${#TEARDOWN_KEPT[@]} == 0)); then
    plan_note "for each kept entry of the Teardown output: list it by its tag (aws resourcegroupstaggingapi get-resources); never delete it, even as a leftover"
    return 0
  fi
  for i in "${!TEARDOWN_KEPT[@]}"; do
    IFS=$'\t' read -r type key value _ description _ <<<"${TEARDOWN_KEPT[i]}"
    if capture out '' aws resourcegroupstaggingapi get-resources --region "$REGION" --resource-type-filters "$type" \
      --tag-filters "Key=$key,Values=$value" --query 'ResourceTagMappingList[].ResourceARN' --output text; then
      KEPT_FOUND[i]=$out
    else
      KEPT_FAILED[i]=$(first_line "$CAPTURE_ERR")
      warn "cannot list the $description kept for $ENV_NAME (${KEPT_FAILED[i]}); look for the tag $key=$value"
    fi
  done
}

# set_aside_kept: what a kept entry found leaves the LEFTOVERS (a resource kept on purpose may also
# carry the stacks' tags). When an entry could not be listed, every leftover of its type stays
# listed but held (hold_leftover): any of them may be the kept one.
set_aside_kept() {
  local i line kind id arn arns=() rest=()
  local -A kept_ids=() kept_kinds=()
  ((KEPT_LISTED)) || find_kept
  for i in "${!KEPT_FOUND[@]}"; do
    words arns "${KEPT_FOUND[i]}"
    for arn in "${arns[@]}"; do kept_ids[$(leftover_id "$arn")]=1; done
  done
  for i in "${!KEPT_FAILED[@]}"; do
    for kind in $(leftover_kinds "$(cut -f1 <<<"${TEARDOWN_KEPT[i]}")"); do kept_kinds[$kind]=1; done
  done
  for line in "${LEFTOVERS[@]}"; do
    IFS=$'\t' read -r kind id _ <<<"$line"
    if [[ -n $id && -n ${kept_ids[$id]:-} ]]; then continue; fi
    if [[ -n ${kept_kinds[$kind]:-} ]]; then hold_leftover "$id"; fi
    rest+=("$line")
  done
  LEFTOVERS=("${rest[@]}")
}

# report_kept: lists what each kept entry found (find_kept, which warned about what it could not
# list), with how to delete it; down deletes none of it, not even with --delete-leftovers.
report_kept() {
  local i type key value addon description how arns=() arn
  ((KEPT_LISTED)) || find_kept
  for i in "${!TEARDOWN_KEPT[@]}"; do
    IFS=$'\t' read -r type key value addon description how <<<"${TEARDOWN_KEPT[i]}"
    words arns "${KEPT_FOUND[i]:-}"
    ((${#arns[@]})) || continue
    echo "Kept for $ENV_NAME by add-on $addon: $description (tag $key=$value; NOT deleted):"
    for arn in "${arns[@]}"; do printf '  %s\n' "$arn"; done
    echo "  To delete one for good: $how"
  done
}
