# shellcheck shell=bash
# Common setup for the workshop script tests: stub aws/kubectl/npx/curl first
# on PATH, every file the scripts or stubs write under BATS_TEST_TMPDIR, no
# waiting between polls or between retries of a throttled AWS call.
bats_require_minimum_version 1.5.0
# BATS_TEST_DIRNAME is absolute: <repo>/test/scripts.
REPO=${BATS_TEST_DIRNAME%/*/*}

# BATS_LIBS: the folder that holds bats-support and bats-assert (the devDependencies in
# node_modules unless run.sh, which checks it, is told otherwise).
# Their load.bash sources each file through "$(dirname ...)": 15 subshells per test, which on
# these VMs (a fork costs about 5 ms) made up a tenth of the suite. Their src/*.bash only define
# functions, so sourcing them directly loads the same thing without a process.
for lib in bats-support bats-assert; do
  for file in "${BATS_LIBS:-$REPO/node_modules}/$lib"/src/*.bash; do
    # shellcheck source=/dev/null
    source "$file"
  done
done
unset lib file
# shellcheck disable=SC2034 # used by the .bats files
SCRIPTS="$REPO/scripts"

setup() {
  export STUB_DIR="$BATS_TEST_TMPDIR/stub"
  mkdir -p "$STUB_DIR"/{stacks,clusters,contexts,fail,aws_errors,addon_versions}
  export PATH="$BATS_TEST_DIRNAME/stubs:$PATH"
  export WORKSHOP_DIR="$BATS_TEST_TMPDIR/workshop"
  export TMPDIR="$BATS_TEST_TMPDIR"
  export HOME="$BATS_TEST_TMPDIR/home"
  export POLL_INTERVAL=0
  export AWS_REGION=us-west-2
  export AWS_RETRY_BASE_DELAY=0
  unset AWS_DEFAULT_REGION AWS_PROFILE VERBOSE AWS_RETRY_ATTEMPTS
}

calls() { if [[ -f $STUB_DIR/calls.log ]]; then printf '%s\n' "$(<"$STUB_DIR/calls.log")"; fi; }

# matching_calls REGEX: MATCHES gets the line numbers of the calls matching REGEX (an ERE, as
# grep -E takes it). In bash, not grep: a fork of the test process costs ~10 ms here, and the
# assertions below run hundreds of times (the fixtures below avoid touch and cat for the same reason).
MATCHES=()
matching_calls() {
  local line n=0 rc=0
  MATCHES=()
  # shellcheck disable=SC2319 # the status of [[ =~ ]]: 2 for a regex that does not compile
  [[ '' =~ $1 ]] || rc=$?
  if ((rc == 2)); then
    fail "not a valid extended regular expression: $1"
    return 1
  fi
  [[ -f $STUB_DIR/calls.log ]] || return 0
  while IFS= read -r line; do
    n=$((n + 1))
    if [[ $line =~ $1 ]]; then MATCHES+=("$n"); fi
  done <"$STUB_DIR/calls.log"
}

# line_of REGEX: line number of the first call matching REGEX, 0 if none.
line_of() {
  matching_calls "$1" || return 1
  echo "${MATCHES[0]:-0}"
}

last_line_of() {
  matching_calls "$1" || return 1
  if ((${#MATCHES[@]})); then echo "${MATCHES[-1]}"; else echo 0; fi
}

# count_calls REGEX: how many calls match REGEX.
count_calls() {
  matching_calls "$1" || return 1
  echo "${#MATCHES[@]}"
}

# refute_call REGEX / assert_call REGEX
assert_call() {
  matching_calls "$1" || return 1
  ((${#MATCHES[@]})) || fail "no call matches: $1"$'\n'"$(calls)"
}
refute_call() {
  matching_calls "$1" || return 1
  if ((${#MATCHES[@]})); then fail "unexpected call matching: $1"$'\n'"$(calls)"; fi
}

# without TOOL...: a machine where TOOL is not installed. PATH becomes one directory of links to
# the stubs and to /usr/bin (all the scripts use, on Debian), minus TOOL.
without() {
  local dir="$BATS_TEST_TMPDIR/path-without" tool
  mkdir -p "$dir"
  cp -s /usr/bin/* "$dir/" 2>/dev/null || true
  cp -sf "$BATS_TEST_DIRNAME"/stubs/* "$dir/"
  for tool; do rm -f "$dir/$tool"; done
  export PATH=$dir
}

fail_times() { echo "$2" >"$STUB_DIR/fail/$1"; }

# aws_fails SERVICE OPERATION TIMES CODE [MESSAGE]: the next TIMES calls of `aws SERVICE OPERATION`
# fail as AWS answers, e.g. aws_fails eks describe-cluster 1 ThrottlingException. TIMES may also be
# "always", "after-N": N calls succeed, then every call fails, or "after-N-K": N succeed, K fail.
aws_fails() {
  echo "$3 $4 ${5:-stub error}" >"$STUB_DIR/aws_errors/$1_$2"
}
given_stack() { echo "${2:-CREATE_COMPLETE}" >"$STUB_DIR/stacks/$1"; }

# given_teardown STACK PROFILE [CLAIMS_JSON [KEPT_JSON]]: the Teardown output PlatformStack STACK publishes.
given_teardown() {
  printf '{"profile":"%s","claims":%s,"kept":%s}\n' "$2" "${3:-[]}" "${4:-[]}" >"$STUB_DIR/stacks/$1.teardown"
}

# A fully deployed environment, as up.sh leaves it (workshop profile, no add-on teardown facet).
given_deployed() {
  given_stack "$1-infra"
  given_stack "$1-platform"
  given_teardown "$1-platform" workshop
  echo ACTIVE >"$STUB_DIR/clusters/$1-eks"
  : >"$STUB_DIR/contexts/$1-eks"
}

# A LoadBalancer Service with an address, and its load balancer in AWS.
given_load_balancer() {
  local arn="arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/net/k8s-default-petstore/0123456789abcdef"
  echo "$arn" >>"$STUB_DIR/lbs"
  printf '%s\n' '{"items": [
  {"metadata": {"namespace": "default", "name": "kubernetes"}, "spec": {"type": "ClusterIP"}},
  {"metadata": {"namespace": "petstore", "name": "petstore"}, "spec": {"type": "LoadBalancer", "ports": [{"port": 80}]},
   "status": {"loadBalancer": {"ingress": [{"hostname": "petstore-lb.elb.example"}]}}}
]}' >"$STUB_DIR/services.json"
}

# The labels every Application of the platform carries (lib/core/kubernetes-object.ts PLATFORM_LABELS).
PLATFORM_LABELS_JSON='{"app.kubernetes.io/part-of": "cdk-eks-platform", "app.kubernetes.io/managed-by": "cdk"}'

# gitops_output [NAMESPACE [KIND NAME]]: the value of PlatformStack's GitOps output (addons/argo-cd.ts),
# with a bootstrap KIND NAME when given.
gitops_output() {
  printf '{"resource":"applications.argoproj.io","namespace":"%s","labels":%s%s}' "${1:-argocd}" "${PLATFORM_LABELS_JSON// /}" \
    "${3:+,\"bootstrap\":{\"kind\":\"$2\",\"name\":\"$3\"\}}"
}

# given_gitops STACK [NAMESPACE [KIND NAME]]: PlatformStack STACK publishes the GitOps output.
given_gitops() { gitops_output "${2:-argocd}" "${@:3}" >"$STUB_DIR/stacks/$1.gitops"; }

# given_application NAMESPACE NAME WAVE SYNC HEALTH [STATUS_FIELDS [LABELS_JSON [SELF_HEAL [METADATA_FIELDS]]]]:
# an Argo CD Application (WAVE empty: no sync-wave annotation); STATUS_FIELDS are more fields of
# its status ("resources": [...], ...), METADATA_FIELDS more of its metadata.
given_application() {
  mkdir -p "$STUB_DIR/applications/$1"
  printf '{"metadata": {"name": "%s", "namespace": "%s", "labels": %s%s%s},
 "spec": {"syncPolicy": {"automated": {"prune": true, "selfHeal": %s}}},
 "status": {"sync": {"status": "%s"}, "health": {"status": "%s"}%s}}\n' \
    "$2" "$1" "${7:-$PLATFORM_LABELS_JSON}" "${3:+, \"annotations\": {\"argocd.argoproj.io/sync-wave\": \"$3\"\}}" "${9:+, $9}" "${8:-true}" "$4" "$5" "${6:+, $6}" >"$STUB_DIR/applications/$1/$2.json"
}

# given_application_set NAMESPACE NAME APPLICATION...: an ApplicationSet (the bootstrap of
# addons/argo-cd-bootstrap.ts) and the Applications it generated: the platform's labels, no sync
# wave, owned by it (deleting the ApplicationSet deletes them).
given_application_set() {
  local ns=$1 set=$2 app
  shift 2
  mkdir -p "$STUB_DIR/applicationsets/$ns"
  printf '{"metadata": {"name": "%s", "namespace": "%s", "labels": %s}}\n' "$set" "$ns" "$PLATFORM_LABELS_JSON" \
    >"$STUB_DIR/applicationsets/$ns/$set.json"
  for app; do
    given_application "$ns" "$app" '' Synced Healthy '' '' '' \
      "\"ownerReferences\": [{\"apiVersion\": \"argoproj.io/v1alpha1\", \"kind\": \"ApplicationSet\", \"name\": \"$set\", \"uid\": \"0\", \"controller\": true, \"blockOwnerDeletion\": true}]"
    echo "$set" >"$STUB_DIR/applications/$ns/$app.owner"
  done
}
