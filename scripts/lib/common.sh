# shellcheck shell=bash
# Shared helpers for the workshop scripts: logging, dry-run, option parsing,
# timing, waiting, per-environment state and stack outputs.
# Sourced by scripts/*.sh; expects `set -euo pipefail` in the caller.
# Variables set here are read by the scripts that source this file.
# shellcheck disable=SC2034

# 4.4: empty "${array[@]}" under set -u, local -n, printf %(...)T.
if ((BASH_VERSINFO[0] * 100 + BASH_VERSINFO[1] < 404)); then
  echo "These scripts need bash >= 4.4 (macOS: brew install bash)." >&2
  exit 1
fi

# The repository, absolute. Found without $(...) or dirname, like the other helpers marked
# "no process" below: the tests run these scripts hundreds of times on VMs where every fork and
# exec costs milliseconds, and they added up to most of the suite's time.
_here=$PWD
CDPATH='' cd -- "${BASH_SOURCE[0]%/*}/../.." || exit 1
ROOT=$PWD
cd -- "$_here" || exit 1
unset _here
SCRIPT_NAME=${0##*/}
SCRIPT_NAME=${SCRIPT_NAME%.sh}

# Defaults; the scripts' options override them.
ENV_NAME=dev
REGION=''
REGION_SOURCE=''
ACCOUNT=''
DRY_RUN=0
VERBOSE=${VERBOSE:-0}
POLL_INTERVAL=${POLL_INTERVAL:-10}
EXTRA_CONTEXT=()
DEFAULT_REGION=us-west-2

# Plan lines go to the original stdout even from inside $(...).
exec {PLAN_FD}>&1

# ---------------------------------------------------------------- logging

log() { printf '[%s %s %(%H:%M:%S)T] %s\n' "$SCRIPT_NAME" "$ENV_NAME" -1 "$*" >&2; }
warn() { log "WARNING: $*"; }
err() { log "ERROR: $*"; }
die() {
  err "$*"
  exit 1
}
usage_error() {
  printf '%s: %s (see --help)\n' "$SCRIPT_NAME" "$*" >&2
  exit 2
}

# quote_into VAR CMD...: VAR gets CMD as it can be pasted back into a shell (no process).
quote_into() {
  local __qvar=$1 __qout='' __a __safe='^[A-Za-z0-9_./:=,@%+^-]+$'
  shift
  for __a in "$@"; do
    if [[ $__a =~ $__safe ]]; then
      __qout+="$__a "
    else
      __qout+="'${__a//\'/\'\\\'\'}' "
    fi
  done
  printf -v "$__qvar" '%s' "${__qout% }"
}
quote_cmd() {
  local q
  quote_into q "$@"
  printf '%s' "$q"
}

# first_line TEXT: its first non-blank line. AWS CLI v2 prints an empty line before every error
# ("\nAn error occurred (Code) when calling ..."), so the first line as such is always empty.
first_line() {
  local line
  while IFS= read -r line; do
    if [[ $line == *[![:space:]]* ]]; then
      printf '%s' "$line"
      return 0
    fi
  done <<<"$1"
}

plan() {
  local q
  quote_into q "$@"
  printf '+ %s\n' "$q" >&"$PLAN_FD"
}
plan_note() { printf '# %s\n' "$*" >&"$PLAN_FD"; }
is_dry_run() { ((DRY_RUN == 1)); }

# ------------------------------------------------------- running commands

# run_cmd CMD...: a command that changes something. Printed (not run) in
# dry-run, logged then run otherwise.
run_cmd() {
  if is_dry_run; then
    plan "$@"
    return 0
  fi
  local q
  quote_into q "$@"
  log "+ $q"
  # stdout is reserved for plans and reports
  "$@" >&2
}

# Read-only queries are retried while AWS throttles them: a workshop runs many environments against
# one account's request rates, and a single "Rate exceeded" must not read as "cluster unknown" or
# "cannot list leftovers". Up to AWS_RETRY_ATTEMPTS tries; the backoff starts at
# AWS_RETRY_BASE_DELAY seconds and doubles each time, up to AWS_RETRY_MAX_DELAY. Each wait is half
# the backoff plus a random part of the other half ("equal jitter", AWS Architecture Blog,
# "Exponential Backoff And Jitter"), so environments throttled together do not retry in lockstep:
# at most 1+2+4+8 = 15 s by default. Only what is still throttled then fails.
AWS_RETRY_ATTEMPTS=${AWS_RETRY_ATTEMPTS:-5}
AWS_RETRY_BASE_DELAY=${AWS_RETRY_BASE_DELAY:-1}
AWS_RETRY_MAX_DELAY=${AWS_RETRY_MAX_DELAY:-20}
[[ $AWS_RETRY_ATTEMPTS =~ ^[1-9][0-9]*$ ]] || usage_error "AWS_RETRY_ATTEMPTS must be a whole number >= 1, not '$AWS_RETRY_ATTEMPTS'"
[[ $AWS_RETRY_BASE_DELAY =~ ^[0-9]+$ ]] || usage_error "AWS_RETRY_BASE_DELAY must be whole seconds, not '$AWS_RETRY_BASE_DELAY'"
[[ $AWS_RETRY_MAX_DELAY =~ ^[0-9]+$ ]] || usage_error "AWS_RETRY_MAX_DELAY must be whole seconds, not '$AWS_RETRY_MAX_DELAY'"

# jittered_wait SECONDS: RETRY_WAIT gets a wait between SECONDS/2 and SECONDS, as "S.mmm" (a
# global, not printed: no $(...) process per retry).
RETRY_WAIT=''
jittered_wait() {
  local ms=$(($1 * 1000)) wait
  wait=$((ms / 2 + RANDOM % (ms / 2 + 1)))
  printf -v RETRY_WAIT '%d.%03d' $((wait / 1000)) $((wait % 1000))
}

# The error codes AWS services use for throttling (matched as "(Code)", as the CLI prints them, so
# that a resource named after one does not count), and the message API Gateway-style services send.
is_throttled() {
  [[ $1 =~ \((Throttling|ThrottlingException|TooManyRequestsException|RequestLimitExceeded)\) || $1 == *"Rate exceeded"* ]]
}

# refusal_advice TEXT: for an error no retry or wait can fix (credentials expired or not valid,
# a permission missing), prints what to do; returns 1 for any other error. Matched on the error
# code as the CLI prints it, "(Code)"; kubectl passes on the same text from its aws credential plugin.
refusal_advice() {
  if [[ $1 =~ \((ExpiredToken|ExpiredTokenException|InvalidClientTokenId|UnrecognizedClientException)\) ||
    $1 == *"Unable to locate credentials"* || $1 == *"Token has expired and refresh failed"* ]]; then
    echo "the AWS credentials have expired or are not valid: log in again (e.g. aws sso login --profile NAME && export AWS_PROFILE=NAME), then re-run the same command"
  elif [[ $1 =~ \((AccessDenied|AccessDeniedException)\) ]]; then
    echo "the AWS identity needs that permission: run as a role that has it, then re-run the same command"
  else
    return 1
  fi
}

# query VAR CMD...: runs a read-only CMD, retrying throttling as above; its stdout goes to VAR,
# its stderr to CAPTURE_ERR, its status is returned. A refusal (see refusal_advice) is also noted
# in REFUSED_FILE, a file because queries often run in a $(...) subshell: wait_for reads it.
CAPTURE_ERR=''
query() {
  local __var=$1 __out __rc __try=1 __delay=$AWS_RETRY_BASE_DELAY
  shift
  while true; do
    __rc=0
    __out=$("$@" 2>"$WORK_TMP/capture.err") || __rc=$?
    CAPTURE_ERR=$(<"$WORK_TMP/capture.err")
    if ((__rc == 0 || __try >= AWS_RETRY_ATTEMPTS)) || ! is_throttled "$CAPTURE_ERR"; then break; fi
    ((__delay <= AWS_RETRY_MAX_DELAY)) || __delay=$AWS_RETRY_MAX_DELAY
    jittered_wait "$__delay"
    log "throttled: $(first_line "$CAPTURE_ERR"); try $((__try + 1)) of $AWS_RETRY_ATTEMPTS in ${RETRY_WAIT}s: $(quote_cmd "$@")"
    if ((__delay > 0)); then sleep "$RETRY_WAIT"; fi
    __try=$((__try + 1)) __delay=$((__delay * 2))
  done
  printf -v "$__var" '%s' "$__out"
  if ((__rc != 0)) && refusal_advice "$CAPTURE_ERR" >/dev/null; then
    first_line "$CAPTURE_ERR" >"$REFUSED_FILE"
  fi
  return "$__rc"
}

# capture VAR DRY_VALUE CMD...: a read-only query (see query). In dry-run the command is printed
# and VAR gets DRY_VALUE, so callers plan as if it had answered.
capture() {
  local __cvar=$1 __dry=$2
  shift 2
  if is_dry_run; then
    plan "$@"
    printf -v "$__cvar" '%s' "$__dry"
    CAPTURE_ERR=''
    return 0
  fi
  if ((VERBOSE)); then
    local q
    quote_into q "$@"
    log "+ $q"
  fi
  query "$__cvar" "$@"
}

# Long-running tools (cdk) are killed by `timeout` so no phase can hang;
# CloudFormation keeps going and a re-run picks the stack up again.
TIMEOUT_BIN=$(command -v timeout || command -v gtimeout || true)
with_timeout() {
  local secs=$1
  shift
  if [[ -z $TIMEOUT_BIN ]]; then
    is_dry_run || die "neither timeout nor gtimeout found (macOS: brew install coreutils)"
    TIMEOUT_BIN=timeout
  fi
  run_cmd "${TIMEOUT_BIN##*/}" "$secs" "$@"
}

# require_tools TOOL...: fails, naming every missing TOOL, before the run changes anything: a tool
# found missing half-way stops it half-done (down used to delete the Ingresses, then find no
# `timeout` for cdk destroy). "timeout" means timeout or gtimeout, "cdk" the project's CDK CLI
# (NPX_CDK, from stacks.sh).
# In dry-run a missing tool is a warning: the plan is still worth seeing.
require_tools() {
  local tool missing=() hints=()
  for tool in "$@"; do
    case $tool in
      timeout)
        if [[ -z $TIMEOUT_BIN ]]; then missing+=(timeout) hints+=("timeout/gtimeout: GNU coreutils (macOS: brew install coreutils)"); fi
        ;;
      cdk)
        # Only once npx is there; this starts node, so not in dry-run (which runs nothing).
        if ! is_dry_run && command -v npx >/dev/null && ! "${NPX_CDK[@]}" --version >/dev/null 2>&1; then
          missing+=("the project's CDK CLI") hints+=("CDK CLI: cd $ROOT && npm ci")
        fi
        ;;
      *) command -v "$tool" >/dev/null || missing+=("$tool") ;;
    esac
  done
  ((${#missing[@]})) || return 0
  local message list
  printf -v list '%s, ' "${missing[@]}"
  message="missing ${list%, }"
  if ((${#hints[@]})); then
    printf -v list '%s; ' "${hints[@]}"
    message+=" (${list%; })"
  fi
  if is_dry_run; then
    warn "$message: a real run would stop here"
    return 0
  fi
  die "$message. Install what is missing (scripts/preflight.sh checks them all), then re-run the same command."
}

# ----------------------------------------------------- exit hooks, tmp dir

WORK_TMP=$(mktemp -d "${TMPDIR:-/tmp}/workshop.XXXXXX")
REFUSED_FILE="$WORK_TMP/aws-refused"
EXIT_HOOKS=()
add_exit_hook() { EXIT_HOOKS+=("$1"); }
_on_exit() {
  local rc=$? hook
  for hook in "${EXIT_HOOKS[@]}"; do "$hook" "$rc" || true; done
  rm -rf "$WORK_TMP"
  exit "$rc"
}
trap _on_exit EXIT

# ------------------------------------------------------------- durations

# Accepts 90, 90s, 15m, 1h.
parse_duration() {
  [[ $1 =~ ^([0-9]+)([smh]?)$ ]] || return 1
  local n=$((10#${BASH_REMATCH[1]}))
  case ${BASH_REMATCH[2]} in
    h) echo $((n * 3600)) ;;
    m) echo $((n * 60)) ;;
    *) echo "$n" ;;
  esac
}

# duration_into VAR SECONDS: VAR gets 45s, 15m, 2m30s or 1h02m03s (no process).
duration_into() {
  local s=$2
  if ((s >= 3600)); then
    printf -v "$1" '%dh%02dm%02ds' $((s / 3600)) $((s % 3600 / 60)) $((s % 60))
  elif ((s >= 60 && s % 60 == 0)); then
    printf -v "$1" '%dm' $((s / 60))
  elif ((s >= 60)); then
    printf -v "$1" '%dm%02ds' $((s / 60)) $((s % 60))
  else
    printf -v "$1" '%ds' "$s"
  fi
}
fmt_duration() {
  local d
  duration_into d "$1"
  printf '%s' "$d"
}

# ------------------------------------------------------- option parsing

# Turns --opt=value into --opt value so every script parses one form.
ARGS=()
normalize_args() {
  ARGS=()
  local a
  for a in "$@"; do
    if [[ $a == --*=* ]]; then ARGS+=("${a%%=*}" "${a#*=}"); else ARGS+=("$a"); fi
  done
}

need_value() { [[ $# -ge 2 && -n $2 ]] || usage_error "$1 needs a value"; }

duration_opt() {
  need_value "$@"
  parse_duration "$2" || usage_error "$1: '$2' is not a duration (e.g. 900, 90s, 15m, 1h)"
}

# Options shared by up/down/verify. Sets SHIFT_BY; returns 1 if $1 is not one.
SHIFT_BY=1
common_opt() {
  SHIFT_BY=2
  case $1 in
    -e | --env) need_value "$@" && ENV_NAME=$2 ;;
    -r | --region) need_value "$@" && REGION=$2 ;;
    --account) need_value "$@" && ACCOUNT=$2 ;;
    -c | --context)
      need_value "$@"
      case $2 in
        environment=* | region=* | account=*) usage_error "use --env/--region/--account instead of -c $2" ;;
        *=*) EXTRA_CONTEXT+=(-c "$2") ;;
        *) usage_error "-c expects key=value, got '$2'" ;;
      esac
      ;;
    -n | --dry-run) DRY_RUN=1 SHIFT_BY=1 ;;
    -v | --verbose) VERBOSE=1 SHIFT_BY=1 ;;
    *) return 1 ;;
  esac
}

# shellcheck disable=SC2016 # backquotes are help text
ENV_OPTIONS_HELP='  -e, --env NAME        environment name (default: dev); lowercase letters,
                        digits, hyphens; stacks NAME-infra / NAME-platform,
                        cluster NAME-eks
  -r, --region REGION   AWS region (default: AWS_REGION, AWS_DEFAULT_REGION,
                        `aws configure get region`, then us-west-2)
  -v, --verbose         also log read-only queries
  -h, --help            this help'
CDK_OPTIONS_HELP='      --account ID      passed to the app as -c account=ID
  -c, --context K=V     extra CDK context, repeatable
                        (e.g. -c profile=production -c compute=nodegroups)'
# The environment variables of the retry of read-only AWS calls, for the scripts' help.
RETRY_ENV_HELP='  AWS_RETRY_ATTEMPTS, AWS_RETRY_BASE_DELAY, AWS_RETRY_MAX_DELAY
                  tries of a throttled read-only AWS call (default: 5),
                  seconds before the first retry, doubled each time (default: 1),
                  and the longest backoff (default: 20); each wait is jittered'

# --------------------------------------------------- environment & region

# Call after option parsing: validates names and derives every resource name.
setup_env() {
  [[ $ENV_NAME =~ ^[a-z][a-z0-9-]*$ ]] ||
    usage_error "environment '$ENV_NAME': use lowercase letters, digits and hyphens, starting with a letter"
  resolve_region
  CLUSTER="$ENV_NAME-eks"
  CONTEXT="$CLUSTER"
  INFRA_STACK="$ENV_NAME-infra"
  PLATFORM_STACK="$ENV_NAME-platform"
  WORKSHOP_DIR=${WORKSHOP_DIR:-$ROOT/.workshop}
  ENV_DIR="$WORKSHOP_DIR/$ENV_NAME"
  OUTPUTS_FILE="$ENV_DIR/outputs.json"
  STATE_FILE="$ENV_DIR/state"
  CDK_CONTEXT=(-c "environment=$ENV_NAME" -c "region=$REGION")
  if [[ -n $ACCOUNT ]]; then CDK_CONTEXT+=(-c "account=$ACCOUNT"); fi
  CDK_CONTEXT+=("${EXTRA_CONTEXT[@]}")
}

resolve_region() {
  local r=''
  if [[ -n $REGION ]]; then
    REGION_SOURCE=--region
  elif [[ -n ${AWS_REGION:-} ]]; then
    REGION=$AWS_REGION REGION_SOURCE=AWS_REGION
  elif [[ -n ${AWS_DEFAULT_REGION:-} ]]; then
    REGION=$AWS_DEFAULT_REGION REGION_SOURCE=AWS_DEFAULT_REGION
  elif ! is_dry_run && r=$(aws configure get region 2>/dev/null) && [[ -n $r ]]; then
    REGION=$r REGION_SOURCE='aws configure'
  else
    REGION=$DEFAULT_REGION REGION_SOURCE=default
  fi
  [[ $REGION =~ ^[a-z]{2}(-[a-z]+)+-[0-9]+$ ]] || usage_error "'$REGION' does not look like an AWS region"
}

# ------------------------------------------------------------ state file

# One key=value per line, e.g. infra=done, platform=failed. Read without sed (no process).
state_get() {
  local line value=''
  [[ -f $STATE_FILE ]] || return 0
  while IFS= read -r line; do
    if [[ $line == "$1="* ]]; then value=${line#*=}; fi
  done <"$STATE_FILE"
  printf '%s\n' "$value"
}

# Written to a temporary file of this run's own, in the same directory (so the rename is atomic),
# then renamed over the state file: a reader never sees half a file, and two runs never write or
# rename each other's temporary file.
state_set() {
  is_dry_run && return 0
  [[ -d $ENV_DIR ]] || mkdir -p "$ENV_DIR"
  local tmp line
  tmp=$(mktemp "$STATE_FILE.XXXXXX")
  if ! {
    if [[ -f $STATE_FILE ]]; then
      while IFS= read -r line; do
        if [[ $line != "$1="* ]]; then printf '%s\n' "$line"; fi
      done <"$STATE_FILE"
    fi
    printf '%s=%s\n' "$1" "$2"
  } >"$tmp" || ! mv -f "$tmp" "$STATE_FILE"; then
    rm -f "$tmp"
    die "cannot write $STATE_FILE"
  fi
}

# ---------------------------------------------------------------- timing

PHASES=()
declare -A PHASE_RESULT=() PHASE_SECS=() PHASE_START=()
phase_begin() {
  PHASES+=("$1")
  PHASE_START[$1]=$SECONDS
  PHASE_RESULT[$1]=running
  log "== $1: $2"
}
phase_end() {
  PHASE_RESULT[$1]=$2
  PHASE_SECS[$1]=$((SECONDS - PHASE_START[$1]))
}

# A phase still running when the script exits is the one that failed.
print_phase_table() {
  local p d
  printf '  %-15s %-9s %s\n' PHASE RESULT TIME
  for p in "${PHASES[@]}"; do
    if [[ ${PHASE_RESULT[$p]} == running ]]; then phase_end "$p" failed; fi
    duration_into d "${PHASE_SECS[$p]}"
    printf '  %-15s %-9s %s\n' "$p" "${PHASE_RESULT[$p]}" "$d"
  done
  duration_into d "$SECONDS"
  printf '  %-15s %-9s %s\n' total '' "$d"
}

# report_failure NEXT_STEP: after a failed run, which phase failed and what to do next.
report_failure() {
  local phase
  phase=$(failed_phase)
  if [[ -n $phase ]]; then phase=" in phase '$phase'"; fi
  echo "$SCRIPT_NAME failed$phase for $ENV_NAME. Fix the cause reported above, then"
  echo "$1"
}

failed_phase() {
  local p
  for p in "${PHASES[@]}"; do
    if [[ ${PHASE_RESULT[$p]} == running || ${PHASE_RESULT[$p]} == failed ]]; then
      echo "$p"
      return 0
    fi
  done
}

# ---------------------------------------------------------------- waiting

# wait_for DESCRIPTION TIMEOUT_SECS CHECK [ARGS...]
# CHECK returns 0 when done and sets CHECK_DETAIL to what it saw. Checks at
# least once, even with a 0 timeout. In dry-run CHECK runs once (its queries
# are printed) and the wait counts as done. A check that failed because AWS
# refused a query (expired credentials, a missing permission) ends the wait
# at once: polling would only wait out the timeout, up to 40 minutes.
CHECK_DETAIL=''
wait_for() {
  local what=$1 timeout=$2 last='' deadline limit
  shift 2
  deadline=$((SECONDS + timeout))
  duration_into limit "$timeout"
  if is_dry_run; then
    plan_note "wait up to $limit (poll every ${POLL_INTERVAL}s) for: $what"
    "$@" || true
    return 0
  fi
  log "waiting up to $limit for $what"
  while true; do
    CHECK_DETAIL=''
    : >"$REFUSED_FILE"
    if "$@"; then
      log "ok: $what${CHECK_DETAIL:+ ($CHECK_DETAIL)}"
      return 0
    fi
    if [[ -s $REFUSED_FILE ]]; then
      err "Stopped waiting for $what: AWS refused the request: $(<"$REFUSED_FILE")"
      err "Fix: $(refusal_advice "$(<"$REFUSED_FILE")")"
      return 1
    fi
    if ((SECONDS >= deadline)); then
      err "Timed out after $limit waiting for $what${CHECK_DETAIL:+ (last seen: $CHECK_DETAIL)}"
      return 1
    fi
    if [[ $CHECK_DETAIL != "$last" ]]; then
      log "still waiting for $what: $CHECK_DETAIL"
      last=$CHECK_DETAIL
    fi
    sleep "$POLL_INTERVAL"
  done
}

# ---------------------------------------------------------------- outputs

# outputs.json is keyed by stack name, as `cdk deploy --outputs-file` writes it.
# load_outputs first folds into it any cdk-outputs-*.json a deploy left in
# ENV_DIR (removing them), and CFN_OUTPUTS_FILE if set (a `describe-stacks`
# Outputs list for stack CFN_OUTPUTS_STACK), then reads it, in one node
# start-up, into:
#   OUTPUT_STACKS    " stack stack "
#   APP_OUTPUTS      "Label<TAB>value" per AppUrl* output of the platform stack
#   TEAM_NAMESPACES  the TeamNamespaces output
#   GITOPS_OUTPUT    the GitOps output (a gitops environment; see gitops.sh), else empty
OUTPUT_STACKS=' '
APP_OUTPUTS=()
TEAM_NAMESPACES=''
GITOPS_OUTPUT=''
CFN_OUTPUTS_FILE=''
CFN_OUTPUTS_STACK=''
load_outputs() {
  local kind a b
  OUTPUT_STACKS=' ' APP_OUTPUTS=() TEAM_NAMESPACES='' GITOPS_OUTPUT=''
  is_dry_run && return 0
  [[ -d $ENV_DIR ]] || return 0
  # Nothing to read or fold in (a run that failed before any deploy): spare the node start-up.
  if [[ ! -f $OUTPUTS_FILE && -z $CFN_OUTPUTS_FILE ]] && ! compgen -G "$ENV_DIR/cdk-outputs-*.json" >/dev/null; then
    return 0
  fi
  # shellcheck disable=SC2016 # JavaScript, not shell
  while IFS=$'\t' read -r kind a b; do
    case $kind in
      stack) OUTPUT_STACKS+="$a " ;;
      app) APP_OUTPUTS+=("$a"$'\t'"$b") ;;
      teams) TEAM_NAMESPACES=$a ;;
      gitops) GITOPS_OUTPUT=$a ;;
    esac
  done < <(node -e '
    const fs = require("fs");
    const path = require("path");
    const [dir, target, platform, cfnFile, cfnStack] = process.argv.slice(1);
    const read = (f) => { try { return JSON.parse(fs.readFileSync(f, "utf8")); } catch { return undefined; } };
    const all = read(target) || {};
    const fresh = fs.readdirSync(dir).filter((f) => /^cdk-outputs-.*\.json$/.test(f)).map((f) => path.join(dir, f));
    for (const f of fresh) Object.assign(all, read(f) || {});
    if (cfnFile) all[cfnStack] = Object.fromEntries((read(cfnFile) || []).map((o) => [o.OutputKey, o.OutputValue]));
    if (fresh.length || cfnFile) {
      // A name only this process uses, renamed over the target (see state_set).
      const tmp = `${target}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(all, null, 2) + "\n");
      fs.renameSync(tmp, target);
      for (const f of fresh) fs.unlinkSync(f);
    }
    for (const stack of Object.keys(all)) console.log(`stack\t${stack}`);
    for (const [k, v] of Object.entries(all[platform] || {})) {
      if (k.startsWith("AppUrl")) console.log(`app\t${k.slice(6) || k}\t${v}`);
      if (k === "TeamNamespaces") console.log(`teams\t${v}`);
      if (k === "GitOps") console.log(`gitops\t${String(v).replace(/[\t\n]/g, " ")}`);
    }
  ' "$ENV_DIR" "$OUTPUTS_FILE" "$PLATFORM_STACK" "$CFN_OUTPUTS_FILE" "$CFN_OUTPUTS_STACK")
}

# When outputs.json lacks a stack (another machine ran up, the file was
# deleted), its outputs are read from CloudFormation instead.
ensure_stack_outputs() {
  local stack=$1 json
  if is_dry_run || [[ $OUTPUT_STACKS == *" $stack "* ]]; then return 0; fi
  capture json '[]' aws cloudformation describe-stacks --region "$REGION" --stack-name "$stack" \
    --query 'Stacks[0].Outputs' --output json || return 1
  mkdir -p "$ENV_DIR"
  printf '%s\n' "$json" >"$WORK_TMP/cfn-outputs.json"
  CFN_OUTPUTS_FILE="$WORK_TMP/cfn-outputs.json" CFN_OUTPUTS_STACK=$stack load_outputs
}
