# shellcheck shell=bash
# CloudFormation stack status and the `cdk deploy` / `cdk destroy` steps.
# Needs common.sh and setup_env.
# Variables set here are read by the scripts that source this file.
# shellcheck disable=SC2034

# --no-install: fail fast rather than let npx fetch a CDK CLI other than
# the version pinned in package.json. Each environment synthesizes into its
# own --output directory: two CDK CLIs sharing cdk.out refuse to run
# (ConcurrentReadLock), and hosts run several environments at once.
NPX_CDK=(npx --no-install cdk)
# The offline estimate of what the same context deploys (scripts/cost/cost.ts, docs/cost.md).
COST_ESTIMATE=(npm run --silent cost --)
TIMEOUT_STACK=2400

# stack_status NAME [DRY_VALUE]: STACK_STATUS gets the status, NONE when it does not exist
# (a global, not printed: no $(...) process per poll).
STACK_STATUS=''
stack_status() {
  local out
  if capture out "${2:-NONE}" aws cloudformation describe-stacks --region "$REGION" --stack-name "$1" \
    --query 'Stacks[0].StackStatus' --output text; then
    STACK_STATUS=${out:-NONE}
  elif [[ $CAPTURE_ERR == *"does not exist"* ]]; then
    STACK_STATUS=NONE
  else
    err "cannot read CloudFormation stack $1: $(first_line "$CAPTURE_ERR")"
    return 1
  fi
}

# ROLLBACK_COMPLETE is a failed create: the stack must be created again.
is_deployed() { [[ $1 == *_COMPLETE && $1 != ROLLBACK_COMPLETE && $1 != DELETE_COMPLETE ]]; }
# REVIEW_IN_PROGRESS is an unexecuted change set: nothing will move it on.
is_in_progress() { [[ $1 == *_IN_PROGRESS && $1 != REVIEW_IN_PROGRESS ]]; }

check_stack_settled() {
  stack_status "$1" || {
    CHECK_DETAIL='cannot read the stack status'
    return 1
  }
  CHECK_DETAIL=$STACK_STATUS
  ! is_in_progress "$STACK_STATUS"
}

# wait_stack_settled NAME STATUS: an earlier run or another user is deploying.
wait_stack_settled() {
  log "$1 is $2 (an earlier run, or someone else, is working on it)"
  wait_for "CloudFormation stack $1 to finish $2" "$TIMEOUT_STACK" check_stack_settled "$1"
}

# stack_status_hint ID NAME STATUS: how to get out of a state cdk cannot deploy over.
stack_status_hint() {
  case $3 in
    DELETE_FAILED | ROLLBACK_FAILED)
      echo "delete it first: npx cdk destroy $1 $(quote_cmd "${CDK_CONTEXT[@]}") --force" \
        "(or the whole environment: scripts/down.sh --env $ENV_NAME --delete-leftovers)"
      ;;
    UPDATE_ROLLBACK_FAILED) echo "finish the rollback: aws cloudformation continue-update-rollback --region $REGION --stack-name $2" ;;
  esac
}

cdk_failed() {
  local rc=$1 verb=$2 id=$3 name=$4
  if ((rc == 124)); then
    err "Timed out after $(fmt_duration "$TIMEOUT_STACK") waiting for cdk $verb $id (stack $name). CloudFormation may still be working on it; re-run the same command to pick it up."
  else
    err "cdk $verb $id failed (exit $rc). The cause is in the output above or in: aws cloudformation describe-stack-events --region $REGION --stack-name $name --max-items 20"
  fi
}

# deploy_stack ID NAME PHASE [CDK_ARGS...]: skipped when the state file says
# the phase is done and CloudFormation agrees. Sets DEPLOY_RESULT. The
# outputs land in ENV_DIR/cdk-outputs-PHASE.json until load_outputs.
# DEPLOY_CHECK, when set, is a command run right before a stack is deployed (never for one that
# is skipped): when it fails, nothing is deployed and the state file is left as it was.
DEPLOY_RESULT=''
DEPLOY_CHECK=()
deploy_stack() {
  local id=$1 name=$2 phase=$3 status hint rc=0
  shift 3
  local cdk_out="$ENV_DIR/cdk-outputs-$phase.json"
  stack_status "$name" || return 1
  status=$STACK_STATUS
  if is_in_progress "$status"; then
    wait_stack_settled "$name" "$status" || return 1
    status=$STACK_STATUS
  fi
  if [[ $(state_get "$phase") == 'done' ]] && is_deployed "$status"; then
    log "$name is already deployed ($status): skipping"
    DEPLOY_RESULT=skipped
    return 0
  fi
  hint=$(stack_status_hint "$id" "$name" "$status")
  if [[ -n $hint ]]; then
    err "$name is $status and cannot be deployed: $hint"
    state_set "$phase" failed
    return 1
  fi
  if ((${#DEPLOY_CHECK[@]})) && ! "${DEPLOY_CHECK[@]}"; then return 1; fi
  state_set "$phase" running
  if ! is_dry_run; then
    [[ -d $ENV_DIR ]] || mkdir -p "$ENV_DIR"
    if [[ -e $cdk_out ]]; then rm -f "$cdk_out"; fi
  fi
  with_timeout "$TIMEOUT_STACK" "${NPX_CDK[@]}" deploy "$id" "${CDK_CONTEXT[@]}" "$@" \
    --require-approval never --outputs-file "$cdk_out" --output "$ENV_DIR/cdk.out" || rc=$?
  if ((rc != 0)); then
    state_set "$phase" failed
    cdk_failed "$rc" deploy "$id" "$name"
    return 1
  fi
  state_set "$phase" 'done'
  DEPLOY_RESULT='done'
}

# destroy_stack ID NAME [BEFORE...]: a stack that does not exist counts as destroyed. BEFORE, a
# command, runs once the stack is known to exist, right before it is destroyed.
# Sets DESTROY_RESULT.
DESTROY_RESULT=''
destroy_stack() {
  local id=$1 name=$2 status rc=0
  shift 2
  stack_status "$name" CREATE_COMPLETE || return 1
  status=$STACK_STATUS
  if is_in_progress "$status"; then
    wait_stack_settled "$name" "$status" || return 1
    status=$STACK_STATUS
  fi
  if [[ $status == NONE ]]; then
    log "$name does not exist: nothing to destroy"
    DESTROY_RESULT=skipped
    return 0
  fi
  if (($#)); then "$@" || return 1; fi
  with_timeout "$TIMEOUT_STACK" "${NPX_CDK[@]}" destroy "$id" "${CDK_CONTEXT[@]}" --force --output "$ENV_DIR/cdk.out" || rc=$?
  if ((rc != 0)); then
    cdk_failed "$rc" destroy "$id" "$name"
    return 1
  fi
  # Confirm with CloudFormation: the next step (or the user) relies on it being gone.
  stack_status "$name" || return 1
  status=$STACK_STATUS
  if [[ $status != NONE ]]; then
    err "cdk destroy $id finished but $name is still $status"
    return 1
  fi
  DESTROY_RESULT='done'
}

# The cluster grants no implicit admin, not even to whoever deploys it: unless the command line
# names its own admins, the caller's IAM role (not its sts session) becomes cluster admin. Every
# script that deploys InfraStack passes the same context this way, or a deploy by another script
# would replace the admins up.sh gave the cluster.
ensure_cluster_admin() {
  local arg caller
  for arg in "${CDK_CONTEXT[@]}"; do
    if [[ $arg == clusterAdmins=* || $arg == accessEntries=* ]]; then return 0; fi
  done
  capture caller '<caller-arn>' aws sts get-caller-identity --query Arn --output text ||
    die "cannot read the caller identity: $(first_line "$CAPTURE_ERR") (fix: aws sso login, or pass -c clusterAdmins=ARN)"
  if [[ $caller =~ ^arn:(aws[a-z-]*):sts::([0-9]{12}):assumed-role/([^/]+)/ ]]; then
    caller="arn:${BASH_REMATCH[1]}:iam::${BASH_REMATCH[2]}:role/${BASH_REMATCH[3]}"
  fi
  CDK_CONTEXT+=(-c "clusterAdmins=$caller")
}

# print_cost_estimate: what the environment of CDK_CONTEXT costs, printed before anything is
# deployed so the host sees the bill first. It is offline and never blocks a deploy: an estimate
# that cannot be made (a region without a price table) is a warning.
print_cost_estimate() {
  local out reason
  if is_dry_run; then
    plan "${COST_ESTIMATE[@]}" "${CDK_CONTEXT[@]}"
    return 0
  fi
  if out=$("${COST_ESTIMATE[@]}" "${CDK_CONTEXT[@]}" 2>&1); then
    printf '%s\n' "$out"
    return 0
  fi
  # The estimate's own message: the first listed problem, or its first line.
  reason=$(first_line "$out")
  [[ $out =~ $'\n''  - '([^$'\n']*) ]] && reason=${BASH_REMATCH[1]}
  warn "no cost estimate for $ENV_NAME: $reason"
}

# configured_value KEY: CONFIGURED_VALUE gets the value of configuration KEY a deploy with
# CDK_CONTEXT gets, resolved by the app's own lib/core/config from cdk.json's context under the -c values
# (as the cost estimate resolves its context), and CONFIGURED_FROM where it comes from. Returns 2,
# with CONFIGURED_FROM the first problem, when the configuration is not valid (the deploy's synth
# then stops before anything changes), 1 when it cannot be read. A dry run's placeholders
# (-c clusterAdmins=<caller-arn>) are left out: no configuration accepts them, and they stand for
# values the real run reads.
CONFIGURED_VALUE='' CONFIGURED_FROM=''
configured_value() {
  local out context=() i
  for ((i = 0; i < ${#CDK_CONTEXT[@]}; i++)); do
    if [[ ${CDK_CONTEXT[i]} == -c && ${CDK_CONTEXT[i + 1]:-} == *'=<'*'>' ]]; then
      i=$((i + 1))
    else
      context+=("${CDK_CONTEXT[i]}")
    fi
  done
  # shellcheck disable=SC2016 # JavaScript, not shell
  if ! out=$(node --require sucrase/register/ts -e '
    const { ConfigError, Problems, readConfig } = require("./lib/core/config");
    const { cdkJsonContext } = require("./scripts/cdk-json");
    const [key, ...args] = process.argv.slice(1);
    const given = {};
    for (let i = 0; i + 1 < args.length; i += 2) {
      const at = args[i + 1].indexOf("=");
      given[args[i + 1].slice(0, at)] = args[i + 1].slice(at + 1);
    }
    const file = cdkJsonContext();
    const p = new Problems();
    const config = readConfig(p, { ...file, ...given });
    const from = given[key] !== undefined ? `-c ${key}`
      : file[key] !== undefined ? "cdk.json" : `the default of profile ${config.profile}`;
    try {
      p.throwIfAny();
      console.log(`${config[key]}\t${from}`);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      console.log(`invalid\t${error.problems[0]}`);
    }
  ' -- "$1" "${context[@]}" 2>"$WORK_TMP/node.err"); then
    CONFIGURED_VALUE='' CONFIGURED_FROM=$(first_line "$(<"$WORK_TMP/node.err")")
    return 1
  fi
  IFS=$'\t' read -r CONFIGURED_VALUE CONFIGURED_FROM <<<"$out"
  if [[ $CONFIGURED_VALUE == invalid ]]; then
    CONFIGURED_VALUE=''
    return 2
  fi
}

# configured_kubernetes_version: CONFIGURED_VERSION and CONFIGURED_VERSION_FROM, as configured_value
# gives them for kubernetesVersion, and its status.
CONFIGURED_VERSION='' CONFIGURED_VERSION_FROM=''
configured_kubernetes_version() {
  local rc=0
  configured_value kubernetesVersion || rc=$?
  CONFIGURED_VERSION=$CONFIGURED_VALUE CONFIGURED_VERSION_FROM=$CONFIGURED_FROM
  return "$rc"
}
