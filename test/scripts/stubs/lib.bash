# shellcheck shell=bash
# Shared by the stub aws, kubectl, npx and curl used by the bats tests.
# Each stub appends its argv to $STUB_DIR/calls.log and plays a small fake
# of AWS and the cluster kept as files under $STUB_DIR, so a test can set
# the world up before a run and look at it after:
#   stacks/NAME               CloudFormation stack NAME exists; holds its status
#   clusters/NAME             EKS cluster NAME exists; holds its status
#   contexts/NAME             kubeconfig context NAME exists
#   fail/KEY                  make call KEY fail: "always" or how many times
#   lbs, tgs                  ARNs of existing load balancers / target groups
#   stale_lbs                 ARNs the tagging API still lists, already deleted
#   lb_queries_left           the load balancers disappear after this many
#                             tagging API queries for them (the controller at work)
#   vpcs                      VPC ids left by the infra stack
#   enis.json, sgs.json       leftover ENIs / security groups, as the scripts query them
#   log_groups                existing log group names
#   nodes_not_ready           nodes report NotReady
#   deployments.json, ingresses.json, services.json   kubectl get ... -o json answers
#   platform_outputs.json     outputs the PlatformStack deploy writes
#   curl_code                 HTTP status every URL answers (default 200)
set -euo pipefail
: "${STUB_DIR:?STUB_DIR must point to the test stub state directory}"

record_call() { printf '%s\n' "$*" >>"$STUB_DIR/calls.log"; }

# fail_now KEY: true when fail/KEY asks this call to fail.
fail_now() {
  local f="$STUB_DIR/fail/$1" n
  [[ -f $f ]] || return 1
  n=$(<"$f")
  [[ $n == always ]] && return 0
  ((n > 0)) || return 1
  echo $((n - 1)) >"$f"
}

# opt NAME ARGS...: the value after option NAME (also NAME=value).
opt() {
  local name=$1
  shift
  while (($#)); do
    case $1 in
      "$name") echo "${2:-}"; return 0 ;;
      "$name="*) echo "${1#*=}"; return 0 ;;
    esac
    shift
  done
  return 1
}

# context_value KEY ARGS...: value of `-c KEY=value` in a cdk command line.
context_value() {
  local key=$1
  shift
  while (($#)); do
    if [[ $1 == -c && ${2:-} == "$key="* ]]; then
      echo "${2#*=}"
      return 0
    fi
    shift
  done
  return 1
}

# Tab-joined lines, like aws --output text prints a list.
text_list() {
  if [[ -f $1 ]]; then paste -s "$1"; fi
}

remove_line() {
  [[ -f $1 ]] || return 0
  grep -vxF -- "$2" "$1" >"$1.tmp" || true
  mv "$1.tmp" "$1"
}
