# shellcheck shell=bash
# A gitops environment (delivery: gitops, docs/delivery.md): every add-on chart is an Argo CD
# Application. PlatformStack's GitOps output says where they are: the resource, the namespace Argo
# CD watches (as the environment configures it) and the exact labels every one carries; with a
# bootstrap (the argo-cd add-on's bootstrap option), its kind and exact name. Helm environments
# publish no such output, and nothing here runs for them. Names no add-on.
# Needs common.sh, cluster.sh and setup_env; stacks.sh for a dry run's plan (configured_value).
# Variables set here are read by the scripts that source this file.
# shellcheck disable=SC2034

TIMEOUT_APPLICATIONS=900
SYNC_WAVE_ANNOTATION=argocd.argoproj.io/sync-wave
# Fields of one Application line (gitops_json apps): a separator no message holds, and that read
# does not collapse as it does tabs when a field is empty.
US=$'\x1f'

# GITOPS_RESOURCE   applications.argoproj.io
# GITOPS_NAMESPACE  where Argo CD watches for Applications
# GITOPS_SELECTOR   the exact labels, key=value,key=value (kubectl -l)
# GITOPS_BOOTSTRAP_KIND, _RESOURCE, _NAME  the bootstrap Application or ApplicationSet in
#                   GITOPS_NAMESPACE, by its exact name; all empty without a bootstrap
GITOPS_RESOURCE='' GITOPS_NAMESPACE='' GITOPS_SELECTOR=''
GITOPS_BOOTSTRAP_KIND='' GITOPS_BOOTSTRAP_RESOURCE='' GITOPS_BOOTSTRAP_NAME=''

is_gitops() { [[ -n $GITOPS_NAMESPACE ]]; }

# gitops_json spec OUTPUT_VALUE | apps JSON NAMESPACE SELECTOR: see parse_gitops and list_applications.
gitops_json() {
  # shellcheck disable=SC2016 # JavaScript, not shell
  node -e '
    const [mode, ...args] = process.argv.slice(1);
    const parse = (s) => { try { return JSON.parse(s); } catch { return undefined; } };
    const clean = (s) => String(s ?? "").replace(/[\t\n\r\x1f]+/g, " ").trim();
    if (mode === "spec") {
      // Only what kubectl takes as a resource, a namespace and label selectors of exact values, and
      // a bootstrap of a kind the argo-cd add-on deploys, by an exact name.
      const m = parse(args[0]);
      const kinds = { Application: "applications.argoproj.io", ApplicationSet: "applicationsets.argoproj.io" };
      const boot = m?.bootstrap;
      const dns = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
      const key = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
      const value = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
      const labels = Object.entries(m?.labels ?? {});
      if (!/^[a-z0-9]+(\.[a-z0-9-]+)+$/.test(m?.resource ?? "") || !dns.test(m?.namespace ?? "") || labels.length === 0 ||
        !labels.every(([k, v]) => key.test(k) && typeof v === "string" && value.test(v)) ||
        (boot !== undefined && (!Object.hasOwn(kinds, boot?.kind ?? "") || !dns.test(boot?.name ?? "")))) process.exit(1);
      console.log([m.resource, m.namespace, labels.map(([k, v]) => `${k}=${v}`).join(","),
        ...(boot ? [boot.kind, kinds[boot.kind], boot.name] : [])].join("\t"));
    } else if (mode === "apps") {
      // Only what the labels and the namespace prove the environment owns, in sync-wave order; with
      // the objects that own each (an ApplicationSet its Applications), as Kind/name,Kind/name.
      const [json, namespace, selector] = args;
      const want = selector.split(",").map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]);
      const ref = (r) => `${r.kind} ${r.namespace ? `${r.namespace}/` : ""}${r.name}`;
      const apps = (parse(json)?.items ?? []).filter((a) =>
        a?.metadata?.namespace === namespace && want.every(([k, v]) => a.metadata.labels?.[k] === v));
      const wave = (a) => Number.parseInt(a.metadata.annotations?.["argocd.argoproj.io/sync-wave"] ?? "0", 10) || 0;
      apps.sort((a, b) => wave(a) - wave(b) || a.metadata.name.localeCompare(b.metadata.name));
      for (const a of apps) {
        const st = a.status ?? {};
        const failing = [];
        for (const r of st.resources ?? []) {
          if (r.health?.status && r.health.status !== "Healthy") failing.push(`${ref(r)} ${r.health.status}${r.health.message ? `: ${r.health.message}` : ""}`);
        }
        const op = st.operationState;
        for (const r of op?.syncResult?.resources ?? []) {
          if (r.status === "SyncFailed") failing.push(`${ref(r)} SyncFailed${r.message ? `: ${r.message}` : ""}`);
        }
        if (op && ["Failed", "Error"].includes(op.phase)) failing.push(`sync ${op.phase}${op.message ? `: ${op.message}` : ""}`);
        for (const c of st.conditions ?? []) failing.push(`${c.type}${c.message ? `: ${c.message}` : ""}`);
        const drift = (st.resources ?? []).filter((r) => r.status === "OutOfSync").map(ref);
        const selfHeal = a.spec?.syncPolicy?.automated?.selfHeal === true ? "on" : "off";
        const owners = (a.metadata.ownerReferences ?? []).map((r) => `${r.kind}/${r.name}`).join(",");
        console.log([a.metadata.name, wave(a), owners, st.sync?.status || "Unknown", st.health?.status || "Unknown", selfHeal,
          failing.map(clean).join("; "), drift.map(clean).join(", ")].map(clean).join("\x1f"));
      }
    }
  ' "$@"
}

# clear_gitops: none of the GITOPS_* above (not a gitops environment).
clear_gitops() {
  GITOPS_RESOURCE='' GITOPS_NAMESPACE='' GITOPS_SELECTOR=''
  GITOPS_BOOTSTRAP_KIND='' GITOPS_BOOTSTRAP_RESOURCE='' GITOPS_BOOTSTRAP_NAME=''
}

# parse_gitops OUTPUT_VALUE: the GITOPS_* above from the GitOps output's value; 1 (and none set)
# when it is empty or not what the platform publishes.
parse_gitops() {
  local line
  clear_gitops
  [[ -n $1 ]] || return 1
  line=$(gitops_json spec "$1") || return 1
  IFS=$'\t' read -r GITOPS_RESOURCE GITOPS_NAMESPACE GITOPS_SELECTOR \
    GITOPS_BOOTSTRAP_KIND GITOPS_BOOTSTRAP_RESOURCE GITOPS_BOOTSTRAP_NAME <<<"$line"
}

# list_applications: APPS gets one line per Application of the environment (fields separated by
# US: name, wave, owners (Kind/name,... of metadata.ownerReferences, empty for none), sync status,
# health, self-heal on/off, what fails, resources OutOfSync), lowest wave first. Asks for the exact
# labels in Argo CD's namespace, and keeps only what has both.
APPS=()
list_applications() {
  local json
  APPS=()
  capture json '' "${KCTL[@]}" get "$GITOPS_RESOURCE" -n "$GITOPS_NAMESPACE" -l "$GITOPS_SELECTOR" -o json || return 1
  is_dry_run && return 0
  mapfile -t APPS < <(gitops_json apps "$json" "$GITOPS_NAMESPACE" "$GITOPS_SELECTOR")
}

# check_applications_healthy: every Application Synced and Healthy. APP_LINES gets
# "PASS|FAIL<TAB>text" per Application, DRIFT_LINES one line per Application OutOfSync: what
# changed and whether self-heal puts it back. No Application at all is a failure: a gitops
# PlatformStack applies one per chart.
APP_LINES=() DRIFT_LINES=()
check_applications_healthy() {
  local line name wave sync health heal failing drift ok=0 text bad=()
  APP_LINES=() DRIFT_LINES=()
  if ! list_applications; then
    CHECK_DETAIL="cannot list $GITOPS_RESOURCE in namespace $GITOPS_NAMESPACE: $(first_line "$CAPTURE_ERR")"
    return 1
  fi
  is_dry_run && return 0
  if ((${#APPS[@]} == 0)); then
    CHECK_DETAIL="no $GITOPS_RESOURCE labelled $GITOPS_SELECTOR in namespace $GITOPS_NAMESPACE"
    return 1
  fi
  for line in "${APPS[@]}"; do
    IFS=$US read -r name wave _ sync health heal failing drift <<<"$line"
    if [[ $sync == Synced && $health == Healthy ]]; then
      ok=$((ok + 1))
      APP_LINES+=("PASS"$'\t'"$name: Synced, Healthy")
    else
      text="$name: $sync, $health${failing:+; failing: $failing}"
      APP_LINES+=("FAIL"$'\t'"$text")
      bad+=("$text")
    fi
    if [[ $sync == OutOfSync ]]; then
      text="$name is OutOfSync; changed: ${drift:-no resource listed yet}; "
      if [[ $heal == on ]]; then
        text+="self-heal is on (automated selfHeal): Argo CD puts them back"
      else
        text+="self-heal is off: Argo CD does not put them back until synced"
      fi
      DRIFT_LINES+=("$text")
    fi
  done
  CHECK_DETAIL="$ok/${#APPS[@]} Applications Synced and Healthy"
  if ((${#bad[@]})); then
    printf -v text '%s; ' "${bad[@]}"
    CHECK_DETAIL+="; not yet: ${text%; }"
  fi
  ((ok == ${#APPS[@]}))
}

# plan_gitops_if_configured: in a dry run, where there are no outputs yet, whether the
# configuration (cdk.json and -c) deploys gitops; sets the GITOPS_* placeholders for the plan.
plan_gitops_if_configured() {
  local rc=0
  is_dry_run || return 1
  configured_value delivery 2>/dev/null || rc=$?
  ((rc == 0)) && [[ $CONFIGURED_VALUE == gitops ]] || return 1
  GITOPS_RESOURCE=applications.argoproj.io GITOPS_NAMESPACE='<namespace of the GitOps output>'
  GITOPS_SELECTOR='<labels of the GitOps output>'
  GITOPS_BOOTSTRAP_KIND='<bootstrap kind of the GitOps output>'
  GITOPS_BOOTSTRAP_RESOURCE='<applications or applicationsets>.argoproj.io'
  GITOPS_BOOTSTRAP_NAME='<bootstrap name of the GitOps output>'
}

# ----------------------------------------------------------------- down

# read_gitops_output: the GitOps output of the deployed PlatformStack (none: helm, or the stack is
# gone and CloudFormation deleted its Applications with it). Fails only when the stack exists but
# its outputs cannot be read, or the output is not what the platform publishes.
read_gitops_output() {
  local out
  clear_gitops
  if is_dry_run; then
    plan_gitops_if_configured || true
    return 0
  fi
  if ! capture out '' aws cloudformation describe-stacks --region "$REGION" --stack-name "$PLATFORM_STACK" \
    --query "Stacks[0].Outputs[?OutputKey=='GitOps'].OutputValue" --output text; then
    [[ $CAPTURE_ERR == *"does not exist"* ]] && return 0
    CHECK_DETAIL=$(first_line "$CAPTURE_ERR")
    return 1
  fi
  [[ -z $out || $out == None ]] && return 0
  parse_gitops "$out" || {
    CHECK_DETAIL="the GitOps output is not a resource, namespace and labels: $out"
    return 1
  }
}

# check_applications_gone NAME...: none of the Applications NAME is left in Argo CD's namespace.
check_applications_gone() {
  local line left=()
  list_applications || {
    CHECK_DETAIL="cannot list $GITOPS_RESOURCE: $(first_line "$CAPTURE_ERR")"
    return 1
  }
  is_dry_run && return 0
  local -A wanted=()
  for line; do wanted[$line]=1; done
  for line in "${APPS[@]}"; do
    if [[ -n ${wanted[${line%%"$US"*}]:-} ]]; then left+=("${line%%"$US"*}"); fi
  done
  CHECK_DETAIL="${#left[@]} left: ${left[*]}"
  ((${#left[@]} == 0))
}

# check_bootstrap_gone: the bootstrap object is gone from Argo CD's namespace. CHECK_DETAIL says
# what is left: the object, and for an ApplicationSet the Applications it owns still there.
check_bootstrap_gone() {
  local out line name owners owned=()
  if ! capture out '' "${KCTL[@]}" get "$GITOPS_BOOTSTRAP_RESOURCE" -n "$GITOPS_NAMESPACE" "$GITOPS_BOOTSTRAP_NAME" \
    --ignore-not-found -o name; then
    CHECK_DETAIL="cannot get $GITOPS_BOOTSTRAP_KIND $GITOPS_BOOTSTRAP_NAME: $(first_line "$CAPTURE_ERR")"
    return 1
  fi
  [[ -z $out ]] && return 0
  CHECK_DETAIL="$GITOPS_BOOTSTRAP_KIND $GITOPS_BOOTSTRAP_NAME is still there"
  if list_applications; then
    for line in "${APPS[@]}"; do
      IFS=$US read -r name _ owners _ <<<"$line"
      if [[ ,$owners, == *",$GITOPS_BOOTSTRAP_KIND/$GITOPS_BOOTSTRAP_NAME,"* ]]; then owned+=("$name"); fi
    done
  fi
  if ((${#owned[@]})); then CHECK_DETAIL+=", with its Applications ${owned[*]}"; fi
  return 1
}

# delete_bootstrap: the bootstrap object the GitOps output names (the argo-cd bootstrap option),
# by its exact kind and name, and waits until it is gone: it goes before every add-on Application,
# as what it deployed (workloads, their load balancers and volumes) needs the controllers the
# add-ons run to be deleted. An ApplicationSet's foreground deletion removes the Applications it
# generated first (while it exists it would recreate them), an app-of-apps Application's cascade
# finalizer what it deployed. Nothing to do without a bootstrap. Returns 1, saying what is left,
# when it is not gone within TIMEOUT_APPLICATIONS.
delete_bootstrap() {
  local what="$GITOPS_BOOTSTRAP_KIND $GITOPS_BOOTSTRAP_NAME"
  [[ -n $GITOPS_BOOTSTRAP_NAME ]] || return 0
  if is_dry_run; then plan_note "if the GitOps output names a bootstrap, it first, by its exact kind and name:"; fi
  run_cmd "${KCTL[@]}" delete "$GITOPS_BOOTSTRAP_RESOURCE" -n "$GITOPS_NAMESPACE" "$GITOPS_BOOTSTRAP_NAME" \
    --wait=false --ignore-not-found || return 1
  if ! wait_for "the bootstrap $what (and what it deployed) to be deleted" "$TIMEOUT_APPLICATIONS" check_bootstrap_gone; then
    err "The bootstrap $what of $ENV_NAME is still there: deleting it deletes what it deployed (load balancers, volumes) and has not finished," \
      "so no add-on Application (their controllers are needed to finish) and no stack is deleted. Look at why: kubectl --context $CONTEXT -n $GITOPS_NAMESPACE get $GITOPS_BOOTSTRAP_RESOURCE $GITOPS_BOOTSTRAP_NAME -o yaml" \
      "(status.conditions), then re-run the same command."
    return 1
  fi
}

# delete_applications: the environment's Applications, highest sync wave first (what a wave needs
# is in a lower one), each wave gone before the next: the finalizer of each deletes what it
# deployed (load balancers, volumes) while the controllers of lower waves still run. Only what
# list_applications proves is the environment's, each by its exact name; never one another object
# owns (an ApplicationSet's): its owner deletes it, and would recreate it until then. Returns 1,
# saying which is left, when a wave is not gone within TIMEOUT_APPLICATIONS.
delete_applications() {
  local line name wave owners waves=() names joined
  if ! list_applications; then
    err "cannot list $GITOPS_RESOURCE in namespace $GITOPS_NAMESPACE of $CLUSTER: $(first_line "$CAPTURE_ERR"). Nothing was deleted from here on; re-run the same command."
    return 1
  fi
  if is_dry_run; then
    plan_note "for each Application listed that no object owns, highest $SYNC_WAVE_ANNOTATION first, a wave at a time:"
    plan "${KCTL[@]}" delete "$GITOPS_RESOURCE" -n "$GITOPS_NAMESPACE" '<name>' --wait=false --ignore-not-found
    wait_for "the Applications of the wave to be gone" "$TIMEOUT_APPLICATIONS" check_applications_gone '<name>'
    return 0
  fi
  if ((${#APPS[@]} == 0)); then
    log "no $GITOPS_RESOURCE labelled $GITOPS_SELECTOR in namespace $GITOPS_NAMESPACE: nothing to delete"
    return 0
  fi
  local -A by_wave=()
  for line in "${APPS[@]}"; do
    IFS=$US read -r name wave owners _ <<<"$line"
    if [[ -n $owners ]]; then
      log "$name is owned by $owners: its owner deletes it, not down"
      continue
    fi
    by_wave[$wave]+="$name "
  done
  if ((${#by_wave[@]} == 0)); then
    log "every $GITOPS_RESOURCE labelled $GITOPS_SELECTOR in namespace $GITOPS_NAMESPACE is owned by another object: nothing to delete"
    return 0
  fi
  mapfile -t waves < <(printf '%s\n' "${!by_wave[@]}" | sort -rn)
  for wave in "${waves[@]}"; do
    read -r -a names <<<"${by_wave[$wave]}"
    for name in "${names[@]}"; do
      run_cmd "${KCTL[@]}" delete "$GITOPS_RESOURCE" -n "$GITOPS_NAMESPACE" "$name" --wait=false --ignore-not-found || return 1
    done
    printf -v joined '%s, ' "${names[@]}"
    if ! wait_for "the Applications of sync wave $wave (${joined%, }) to be deleted" "$TIMEOUT_APPLICATIONS" \
      check_applications_gone "${names[@]}"; then
      err "An Application of $ENV_NAME is still there: its finalizer deletes what it deployed (load balancers, volumes) and has not finished," \
        "so the stacks are not destroyed. Look at why: kubectl --context $CONTEXT -n $GITOPS_NAMESPACE get $GITOPS_RESOURCE NAME -o yaml" \
        "(status.conditions, status.operationState), then re-run the same command."
      return 1
    fi
  done
}
