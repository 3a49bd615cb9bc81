# shellcheck shell=bash
# Cluster access and the readiness checks shared by up.sh and verify.sh.
# Each check_* probes once, sets CHECK_DETAIL and returns 0 when ready.
# Needs common.sh and setup_env.
# Variables set here are read by the scripts that source this file.
# shellcheck disable=SC2034

MIN_NODES=1
CURL_MAX_TIME=${CURL_MAX_TIME:-10}

# Every kubectl call names the context, so participants sharing a machine
# never act on each other's cluster, and gives up instead of hanging.
# KUBECONFIG_ARGS: --kubeconfig FILE when this run uses a kubeconfig of its own.
KUBECONFIG_ARGS=()
setup_kubectl() {
  KCTL=(kubectl "${KUBECONFIG_ARGS[@]}" --context "$CONTEXT" --request-timeout=30s)
}

# cluster_status [DRY_VALUE]: CLUSTER_STATUS gets ACTIVE, CREATING, ... or NONE. Returns 1 on
# other errors, CLUSTER_ERROR saying which. Sets globals rather than printing, so that its callers
# need no $(...), whose stderr would mix retry messages into the error.
CLUSTER_STATUS='' CLUSTER_ERROR=''
cluster_status() {
  CLUSTER_ERROR=''
  if capture CLUSTER_STATUS "${1:-ACTIVE}" aws eks describe-cluster --region "$REGION" --name "$CLUSTER" \
    --query cluster.status --output text; then
    return 0
  elif [[ $CAPTURE_ERR == *ResourceNotFound* ]]; then
    CLUSTER_STATUS=NONE
  else
    CLUSTER_STATUS='' CLUSTER_ERROR=$(first_line "$CAPTURE_ERR")
    return 1
  fi
}

# update_kubeconfig: adds the context to the user's kubeconfig (up leaves it there for them).
# When that fails but the same command into a file of this run's own works, the user's kubeconfig
# is the problem (read-only, someone else's, a broken file), not the cluster: the run goes on
# through its own file, and KUBECONFIG_PROBLEM says what is wrong. Otherwise KUBECONFIG_ERROR
# says why there is no kubeconfig at all.
KUBECONFIG_PROBLEM='' KUBECONFIG_ERROR=''
update_kubeconfig() {
  local cmd=(aws eks update-kubeconfig --name "$CLUSTER" --region "$REGION" --alias "$CONTEXT") out problem q
  local own="$WORK_TMP/kubeconfig"
  if is_dry_run; then
    plan "${cmd[@]}"
    return 0
  fi
  quote_into q "${cmd[@]}"
  log "+ $q"
  if query out "${cmd[@]}"; then
    log "$out"
    return 0
  fi
  problem=$(first_line "$CAPTURE_ERR")
  if query out "${cmd[@]}" --kubeconfig "$own"; then
    KUBECONFIG_PROBLEM="cannot add context $CONTEXT to your kubeconfig (${KUBECONFIG:-~/.kube/config}): $problem"
    warn "$KUBECONFIG_PROBLEM; this run uses a kubeconfig of its own"
    KUBECONFIG_ARGS=(--kubeconfig "$own")
    setup_kubectl
    return 0
  fi
  KUBECONFIG_ERROR=$(first_line "$CAPTURE_ERR")
  err "aws eks update-kubeconfig failed: $KUBECONFIG_ERROR"
  return 1
}

# verify.sh must not move the user's current-context when it is not needed.
ensure_kube_context() {
  local out
  capture out "$CONTEXT" kubectl config get-contexts "$CONTEXT" -o name && return 0
  update_kubeconfig
}

# kube_json MODE JSON...: the few facts the scripts need from kubectl -o json
# output, one per line, in a single node start-up.
kube_json() {
  # shellcheck disable=SC2016 # JavaScript, not shell
  node -e '
    const [mode, ...docs] = process.argv.slice(1);
    const items = (i) => { try { return JSON.parse(docs[i]).items || []; } catch { return []; } };
    const id = (o) => `${o.metadata.namespace}/${o.metadata.name}`;
    if (mode === "nodes") {
      const ready = (n) => (n.status?.conditions || []).some((c) => c.type === "Ready" && c.status === "True");
      const bad = items(0).filter((n) => !ready(n)).map((n) => n.metadata.name);
      console.log(`${items(0).length - bad.length} ${items(0).length} ${bad.join(",")}`);
    } else if (mode === "deployments") {
      const want = (x) => x.spec?.replicas ?? 1;
      const have = (x) => x.status?.availableReplicas || 0;
      const bad = items(0).filter((x) => have(x) < want(x)).map((x) => `${id(x)}(${have(x)}/${want(x)})`);
      console.log(`${items(0).length - bad.length} ${items(0).length} ${bad.join(",")}`);
    } else if (mode === "csi-claims") {
      // docs: persistent volumes, then the CSI driver whose claims are wanted.
      for (const v of items(0)) if (v.spec?.csi?.driver === docs[1] && v.spec.claimRef) console.log(`${v.spec.claimRef.namespace}\t${v.spec.claimRef.name}`);
    } else if (mode === "lb-services") {
      for (const s of items(0)) if (s.spec?.type === "LoadBalancer") console.log(`${s.metadata.namespace}\t${s.metadata.name}`);
    } else if (mode === "app-urls") {
      // docs: ingresses, services, then "Label<TAB>value" per pending AppUrl<Label> output. The
      // app is the Ingress, else the LoadBalancer Service, named by a "pending:NAMESPACE/NAME"
      // value, else by convention the label in kebab case as namespace and name (AppUrlGame2048:
      // game-2048/game-2048, as the sample apps are). Prints "NAMESPACE/NAME<TAB>url", or
      // "NAMESPACE/NAME<TAB>pending" while it has no address.
      const kebab = (s) => s.replace(/([a-z0-9])([A-Z])/g, "$1-$2").replace(/([A-Za-z])([0-9])/g, "$1-$2").toLowerCase();
      const services = items(1).filter((s) => s.spec?.type === "LoadBalancer");
      for (const output of docs.slice(2)) {
        const [label, value] = output.split("\t");
        const named = /^pending:([^/\s]+)\/(\S+)$/.exec(value || "");
        const [ns, name] = named ? [named[1], named[2]] : [kebab(label), kebab(label)];
        const mine = (o) => o.metadata.namespace === ns && o.metadata.name === name;
        const o = items(0).find(mine) || services.find(mine);
        const lb = o?.status?.loadBalancer?.ingress?.[0] || {};
        const host = lb.hostname || lb.ip;
        const port = o?.spec?.type === "LoadBalancer" ? o.spec?.ports?.[0]?.port ?? 80 : 80;
        console.log(`${ns}/${name}\t${host ? `http://${host}${port === 80 ? "" : `:${port}`}` : "pending"}`);
      }
    }
  ' "$@"
}

check_cluster_active() {
  if ! cluster_status ACTIVE; then
    CHECK_DETAIL="cannot describe cluster $CLUSTER: $CLUSTER_ERROR"
    return 1
  fi
  if [[ $CLUSTER_STATUS == NONE ]]; then CHECK_DETAIL="cluster $CLUSTER does not exist"; else CHECK_DETAIL="cluster $CLUSTER is $CLUSTER_STATUS"; fi
  [[ $CLUSTER_STATUS == ACTIVE ]]
}

check_nodes_ready() {
  local json ready total bad
  if ! capture json '' "${KCTL[@]}" get nodes -o json; then
    CHECK_DETAIL="kubectl get nodes failed: $(first_line "$CAPTURE_ERR")"
    return 1
  fi
  read -r ready total bad <<<"$(kube_json nodes "$json")"
  CHECK_DETAIL="$ready/$total nodes Ready${bad:+; not Ready: $bad}"
  ((total >= MIN_NODES && ready == total))
}

check_deployments_available() {
  local json ok total bad
  if ! capture json '' "${KCTL[@]}" get deployments -A -o json; then
    CHECK_DETAIL="kubectl get deployments failed: $(first_line "$CAPTURE_ERR")"
    return 1
  fi
  read -r ok total bad <<<"$(kube_json deployments "$json")"
  CHECK_DETAIL="$ok/$total deployments Available${bad:+; not yet: $bad}"
  ((ok == total))
}

# resolve_app_urls: APP_URLS gets "label<TAB>url" (url may be "pending").
# An AppUrl output is "pending" when its load balancer had no address at
# deploy time; then the address of that app's own Ingress or Service is taken
# (see kube_json app-urls): another app's load balancer proves nothing.
APP_URLS=()
resolve_app_urls() {
  local line pending=() ingresses services
  APP_URLS=()
  for line in "${APP_OUTPUTS[@]}"; do
    if [[ ${line#*$'\t'} == http* ]]; then APP_URLS+=("$line"); else pending+=("$line"); fi
  done
  ((${#pending[@]})) || return 0
  if ! capture ingresses '' "${KCTL[@]}" get ingress -A -o json ||
    ! capture services '' "${KCTL[@]}" get services -A -o json; then
    CHECK_DETAIL="cannot list Ingresses/Services: $(first_line "$CAPTURE_ERR")"
    return 1
  fi
  local known=${#APP_URLS[@]}
  mapfile -t -O "$known" APP_URLS < <(kube_json app-urls "$ingresses" "$services" "${pending[@]}")
  # One line per pending output, or an app would silently drop out of the count.
  if ((${#APP_URLS[@]} != known + ${#pending[@]})); then
    CHECK_DETAIL="cannot read the Ingresses/Services of the pending apps"
    return 1
  fi
}

# Any HTTP answer below 500 means the load balancer routes to the app
# (an app without a / page may say 404); 5xx means no healthy target yet.
url_answers() {
  local code
  capture code 200 curl -s -o /dev/null -w '%{http_code}' --max-time "$CURL_MAX_TIME" "$1" || true
  URL_CODE=${code:-000}
  [[ $URL_CODE =~ ^[234][0-9][0-9]$ ]]
}

APP_REPORT=()
check_apps_answer() {
  local line label url ok=0
  APP_REPORT=()
  resolve_app_urls || return 1
  if is_dry_run && ((${#APP_URLS[@]} == 0)); then
    plan_note "for each AppUrl* output of $PLATFORM_STACK (or Ingress/Service address when it says pending):"
    url_answers '<AppUrl>' || true
    return 0
  fi
  for line in "${APP_URLS[@]}"; do
    label=${line%%$'\t'*} url=${line#*$'\t'}
    if [[ $url == pending ]]; then
      APP_REPORT+=("$label: no load balancer address yet")
    elif url_answers "$url"; then
      ok=$((ok + 1))
      APP_REPORT+=("$label: $url answers ($URL_CODE)")
    else
      APP_REPORT+=("$label: $url does not answer (HTTP $URL_CODE)")
    fi
  done
  CHECK_DETAIL="$ok/${#APP_URLS[@]} app URLs answer"
  if ((ok < ${#APP_URLS[@]})); then CHECK_DETAIL+="; $(printf '%s; ' "${APP_REPORT[@]}")"; fi
  ((ok == ${#APP_URLS[@]}))
}
