# shellcheck shell=bash
# Shared by the stub aws, kubectl, npx and curl used by the bats tests.
# Each stub appends its argv to $STUB_DIR/calls.log and plays a small fake
# of AWS and the cluster kept as files under $STUB_DIR, so a test can set
# the world up before a run and look at it after:
#   stacks/NAME               CloudFormation stack NAME exists; holds its status
#   stacks/NAME.functions     physical names of its Lambda functions, one a line
#   stacks/NAME.outputs.json  its Outputs, as describe-stacks prints them
#   clusters/NAME             EKS cluster NAME exists; holds its status
#   clusters/NAME.version     its Kubernetes version (default 1.35)
#   clusters/NAME.auto_mode   True/False: EKS Auto Mode on (default True)
#   clusters/NAME.deletion_protection  True/False (default False)
#   clusters/NAME.insights    its upgrade insights, "STATUS<TAB>NAME<TAB>REASON" a line
#   clusters/NAME.addons      its EKS add-ons, "ADDON<TAB>VERSION" a line
#   clusters/NAME.nodegroups  its managed node groups, "NODEGROUP<TAB>VERSION" a line
#   clusters/NAME.rollback_insights  its rollback readiness insights, as .insights
#   clusters/NAME.updates     its update history, "ID<TAB>TYPE<TAB>STATUS<TAB>CREATED_AT<TAB>VERSION"
#   clusters/NAME.support_type  its upgrade policy, STANDARD/EXTENDED (default STANDARD)
#   addon_versions/ADDON      versions of ADDON for the asked Kubernetes version,
#                             "VERSION<TAB>True|False" (EKS default there) a line;
#                             addon_versions/ADDON.K8S for Kubernetes K8S only
#   contexts/NAME             kubeconfig context NAME exists
#   stacks/NAME.gitops        the GitOps output of PlatformStack NAME (a gitops environment)
#   applications/NS/NAME.json Argo CD Application NAME in namespace NS, as kubectl prints one
#   applications/NS/NAME.stuck  deleting it never finishes (its finalizer hangs)
#   applications/NS/NAME.owner  the ApplicationSet that owns it: deleting that deletes it
#   applicationsets/NS/NAME.json, .stuck  Argo CD ApplicationSet NAME, as for applications
#   fail/KEY                  make call KEY fail: "always" or how many times
#   aws_errors/SERVICE_OP     make `aws SERVICE OP` fail with an AWS error (see aws_fails)
#   lbs, tgs                  ARNs of existing load balancers / target groups
#   stale_lbs                 ARNs the tagging API still lists, already deleted
#   lb_queries_left           the load balancers disappear after this many
#                             tagging API queries for them (the controller at work)
#   vpcs                      VPC ids left by the infra stack
#   enis.json, sgs.json       leftover ENIs / security groups, as the scripts query them
#   log_groups                existing log group names
#   tagged_log_groups         what the tagging API knows of them: "ARN<TAB>KEY=VALUE..."
#   nodes_not_ready           nodes report NotReady
#   kubeconfig_readonly       aws eks update-kubeconfig cannot write the user's kubeconfig
#   deployments.json, ingresses.json, services.json   kubectl get ... -o json answers
#   platform_outputs.json     outputs the PlatformStack deploy writes
#   curl_code                 HTTP status every URL answers (default 200)
# OPT and CTX are read by the stubs that source this file.
# shellcheck disable=SC2034
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

# parse_opts ARGS...: OPT[--name] is the value after option --name (also --name=value), for
# every option of the command line; parsed once, without a subshell per lookup (each stub call
# used to fork a few, and the suite makes hundreds of stub calls).
declare -A OPT=()
parse_opts() {
  OPT=()
  while (($#)); do
    case $1 in
      --*=*) OPT[${1%%=*}]=${1#*=} ;;
      --*) OPT[$1]=${2:-} ;;
    esac
    shift
  done
}

# show FILE [DEFAULT]: prints FILE, or DEFAULT when FILE does not exist (cat without a process).
show() {
  if [[ -f $1 ]]; then
    printf '%s\n' "$(<"$1")"
  elif (($# > 1)); then
    printf '%s\n' "$2"
  else
    return 1
  fi
}

# parse_context ARGS...: CTX[key] is the value of each `-c key=value` of a cdk command line.
declare -A CTX=()
parse_context() {
  CTX=()
  while (($#)); do
    if [[ $1 == -c && ${2:-} == *=* ]]; then
      CTX[${2%%=*}]=${2#*=}
      shift
    fi
    shift
  done
}

# tab_join WORD...: one line, tab-separated, like aws --output text prints a list.
tab_join() {
  local joined
  printf -v joined '%s\t' "$@"
  printf '%s\n' "${joined%$'\t'}"
}

# text_list FILE: its lines as one tab-separated line.
text_list() {
  [[ -f $1 ]] || return 0
  local lines
  mapfile -t lines <"$1"
  if ((${#lines[@]})); then tab_join "${lines[@]}"; fi
}

# has_line FILE LINE: FILE has LINE as a whole line (grep -qxF without a process).
has_line() {
  local line
  [[ -f $1 ]] || return 1
  while IFS= read -r line; do
    if [[ $line == "$2" ]]; then return 0; fi
  done <"$1"
  return 1
}

remove_line() {
  [[ -f $1 ]] || return 0
  grep -vxF -- "$2" "$1" >"$1.tmp" || true
  mv "$1.tmp" "$1"
}
