# shellcheck shell=bash
# What in-cluster controllers create in AWS outside CloudFormation: how to
# make them delete it, how to find what is left by tag, how to delete that.
# Needs common.sh, cluster.sh and setup_env.
# Variables set here are read by the scripts that source this file.
# shellcheck disable=SC2034

TIMEOUT_LB=900
DELETE_LEFTOVERS=0

# Tags the AWS Load Balancer Controller (elbv2.k8s.aws/cluster) and EKS Auto
# Mode (eks:eks-cluster-name) put on the load balancers they create.
elb_tag_filters() {
  ELB_TAG_FILTERS=("Key=elbv2.k8s.aws/cluster,Values=$CLUSTER" "Key=eks:eks-cluster-name,Values=$CLUSTER")
}

# Every tag key that marks an EC2 resource as belonging to this environment.
cluster_tag_keys() {
  local IFS=,
  local keys=(elbv2.k8s.aws/cluster eks:eks-cluster-name aws:eks:cluster-name
    cluster.k8s.amazonaws.com/name "kubernetes.io/cluster/$CLUSTER" aws:cloudformation:stack-name)
  echo "${keys[*]}"
}

# words VAR STRING: splits aws --output text (tabs, newlines) into an array.
words() {
  local -n __into=$1
  read -ra __into -d '' <<<"$2" || true
}

# tagged_elb_arns TYPE...: TAGGED_ARNS gets the ARNs tagged for the cluster.
TAGGED_ARNS=()
tagged_elb_arns() {
  local filter out arn arns seen=' '
  TAGGED_ARNS=()
  elb_tag_filters
  for filter in "${ELB_TAG_FILTERS[@]}"; do
    if ! capture out '' aws resourcegroupstaggingapi get-resources --region "$REGION" \
      --resource-type-filters "$@" --tag-filters "$filter" \
      --query 'ResourceTagMappingList[].ResourceARN' --output text; then
      CHECK_DETAIL="tag query failed: $(first_line "$CAPTURE_ERR")"
      return 1
    fi
    words arns "$out"
    for arn in "${arns[@]}"; do
      [[ $seen == *" $arn "* ]] && continue
      seen+="$arn "
      TAGGED_ARNS+=("$arn")
    done
  done
}

# The tagging API keeps listing resources for a while after they are deleted
# (aws/aws-cli#8197), so each ARN is confirmed with elbv2. Errors other than
# "not found" count as "exists": better a reported leftover than a hidden one.
elb_exists() {
  local out
  case $1 in
    lb) capture out active aws elbv2 describe-load-balancers --region "$REGION" --load-balancer-arns "$2" \
      --query 'LoadBalancers[0].State.Code' --output text ;;
    tg) capture out tg aws elbv2 describe-target-groups --region "$REGION" --target-group-arns "$2" \
      --query 'TargetGroups[0].TargetGroupName' --output text ;;
  esac && return 0
  [[ $CAPTURE_ERR != *NotFound* ]]
}

LB_ARNS=()
find_load_balancers() {
  local arn
  LB_ARNS=()
  tagged_elb_arns elasticloadbalancing:loadbalancer || return 1
  for arn in "${TAGGED_ARNS[@]}"; do
    if elb_exists lb "$arn"; then LB_ARNS+=("$arn"); fi
  done
}

check_lbs_gone() {
  find_load_balancers || return 1
  CHECK_DETAIL="${#LB_ARNS[@]} load balancer(s) left${LB_ARNS[*]:+: ${LB_ARNS[*]}}"
  ((${#LB_ARNS[@]} == 0))
}

delete_load_balancers() {
  local arn rc=0
  for arn in "$@"; do
    run_cmd aws elbv2 delete-load-balancer --region "$REGION" --load-balancer-arn "$arn" || rc=1
  done
  return "$rc"
}

# The controllers delete a load balancer when the Kubernetes object that
# asked for it goes away, and only while they still run: this must happen
# before any stack is destroyed (aws/aws-cdk#9970). --wait=false: with the
# controller gone, finalizers would block forever; AWS is polled instead.
delete_lb_owners() {
  local json line services=()
  run_cmd "${KCTL[@]}" delete ingress --all --all-namespaces --wait=false || return 1
  capture json '' "${KCTL[@]}" get services --all-namespaces -o json || return 1
  if is_dry_run; then
    plan_note "for each Service of type LoadBalancer:"
    plan "${KCTL[@]}" delete service -n '<namespace>' '<name>' --wait=false --ignore-not-found
    return 0
  fi
  [[ $json == *LoadBalancer* ]] || return 0
  mapfile -t services < <(kube_json lb-services "$json")
  for line in "${services[@]}"; do
    run_cmd "${KCTL[@]}" delete service -n "${line%%$'\t'*}" "${line#*$'\t'}" --wait=false --ignore-not-found || return 1
  done
}

# ------------------------------------------------------------- leftovers

# LEFTOVERS: one "kind<TAB>id<TAB>note" per resource.
LEFTOVERS=()
add_leftover() { LEFTOVERS+=("$1"$'\t'"$2"$'\t'"${3:-}"); }

# LEFTOVERS_HELD: the ids of leftovers listed but never deleted (they may be kept on purpose).
LEFTOVERS_HELD=' '
hold_leftover() { LEFTOVERS_HELD+="$1 "; }
is_held() { [[ $LEFTOVERS_HELD == *" $1 "* ]]; }

# leftover_id ARN: the id a LEFTOVERS entry gives the resource of ARN (log groups by name, EC2
# resources by id, load balancers and target groups by ARN).
leftover_id() {
  local id
  case $1 in
    arn:*:logs:*:log-group:*) id=${1#*:log-group:}; printf '%s' "${id%:\*}" ;;
    arn:*:ec2:*/*) printf '%s' "${1##*/}" ;;
    *) printf '%s' "$1" ;;
  esac
}

# leftover_kinds TYPE: the LEFTOVERS kinds of a tagging API resource type (`service[:type]`).
leftover_kinds() {
  case $1 in
    logs | logs:log-group) echo log-group ;;
    ec2) echo eni security-group vpc ;;
    ec2:network-interface) echo eni ;;
    ec2:security-group) echo security-group ;;
    ec2:vpc) echo vpc ;;
    elasticloadbalancing) echo load-balancer target-group ;;
    elasticloadbalancing:loadbalancer) echo load-balancer ;;
    elasticloadbalancing:targetgroup) echo target-group ;;
  esac
}

scan_leftovers() {
  local arn out vpc vpcs=()
  LEFTOVERS=() LEFTOVERS_HELD=' '
  tagged_elb_arns elasticloadbalancing:loadbalancer elasticloadbalancing:targetgroup || return 1
  for arn in "${TAGGED_ARNS[@]}"; do
    case $arn in
      *:loadbalancer/*) if elb_exists lb "$arn"; then add_leftover load-balancer "$arn"; fi ;;
      *:targetgroup/*) if elb_exists tg "$arn"; then add_leftover target-group "$arn"; fi ;;
    esac
  done
  capture out '' aws ec2 describe-vpcs --region "$REGION" \
    --filters "Name=tag:aws:cloudformation:stack-name,Values=$INFRA_STACK" --query 'Vpcs[].VpcId' --output text || return 1
  words vpcs "$out"
  for vpc in "${vpcs[@]}"; do
    add_leftover vpc "$vpc" "CloudFormation deletes it with $INFRA_STACK; what is listed here keeps it alive"
  done
  ec2_leftovers network-interfaces "${vpcs[@]}" || return 1
  ec2_leftovers security-groups "${vpcs[@]}" || return 1
  log_group_leftovers
}

# ec2_leftovers KIND [VPC...]: ENIs or security groups tagged for the
# environment, and, while the VPC survives, everything else inside it
# (Lambda and load balancer ENIs carry no cluster tag).
ec2_leftovers() {
  local kind=$1 query by_tag by_vpc='[]' line found=()
  shift
  case $kind in
    network-interfaces) query='NetworkInterfaces[].{id:NetworkInterfaceId,vpc:VpcId,status:Status,note:Description,tags:TagSet}' ;;
    security-groups) query='SecurityGroups[].{id:GroupId,vpc:VpcId,name:GroupName,note:GroupName,tags:Tags}' ;;
  esac
  capture by_tag '[]' aws ec2 "describe-$kind" --region "$REGION" \
    --filters "Name=tag-key,Values=$(cluster_tag_keys)" --query "$query" --output json || return 1
  if (($#)); then
    capture by_vpc '[]' aws ec2 "describe-$kind" --region "$REGION" \
      --filters "Name=vpc-id,Values=$(IFS=,; echo "$*")" --query "$query" --output json || return 1
  fi
  # Most of the time both lists are empty: spare the node start-up.
  [[ $by_tag$by_vpc == *'"id"'* ]] || return 0
  # shellcheck disable=SC2016 # JavaScript, not shell
  mapfile -t found < <(node -e '
    const [kind, cluster, stacks, vpcs, ...lists] = process.argv.slice(1);
    const clusterKeys = ["elbv2.k8s.aws/cluster", "eks:eks-cluster-name", "aws:eks:cluster-name", "cluster.k8s.amazonaws.com/name"];
    const ours = (t) => (clusterKeys.includes(t.Key) && t.Value === cluster) ||
      (t.Key === `kubernetes.io/cluster/${cluster}` && t.Value === "owned") ||
      (t.Key === "aws:cloudformation:stack-name" && stacks.split(",").includes(t.Value));
    const seen = new Set();
    for (const list of lists) for (const r of JSON.parse(list || "[]") || []) {
      if (seen.has(r.id) || r.name === "default") continue;
      seen.add(r.id);
      if (!(r.tags || []).some(ours) && !vpcs.split(",").includes(r.vpc)) continue;
      const eni = kind === "network-interfaces";
      console.log(`${eni ? "eni" : "security-group"}\t${r.id}\t${eni ? `${r.status}: ${r.note || ""}` : r.note}`);
    }
  ' "$kind" "$CLUSTER" "$INFRA_STACK,$PLATFORM_STACK" "$(IFS=,; echo "$*")" "$by_tag" "$by_vpc")
  for line in "${found[@]}"; do LEFTOVERS+=("$line"); done
}

# ------------------------------------------------------------ log groups
# Ownership is decided by exact names or exact tag values, never by a name prefix:
# /aws/lambda/dev-infra-* also matches environment dev-infra's stacks (dev-infra-infra, ...).
# A --log-group-name-prefix below only narrows what AWS lists; what counts is the exact name.

# Lambda creates /aws/lambda/<function> itself on first write, untagged and outside CloudFormation,
# so the log group outlives the stack. Its only tie to the environment is the function's physical
# name, which CloudFormation gives only while the stack exists: down records the names before it
# destroys a stack (record_stack_functions), and the scan looks for exactly those log groups. The
# record stays in ENV_DIR while such log groups may be left (see forget_environment).
functions_file() { echo "$ENV_DIR/lambda-functions"; }

# record_stack_functions STACK: adds the physical names of STACK's Lambda functions, and those of
# its nested stacks, to the record. A failure is a warning: it only means leftovers may be missed.
record_stack_functions() {
  local -a names=()
  if ! stack_functions "$1" names; then
    warn "cannot list the Lambda functions of $1 ($(first_line "$CAPTURE_ERR")): their log groups will not be found as leftovers"
    return 0
  fi
  is_dry_run && return 0
  ((${#names[@]})) || return 0
  local file tmp
  file=$(functions_file)
  mkdir -p "$ENV_DIR"
  tmp=$(mktemp "$file.XXXXXX")
  { if [[ -f $file ]]; then cat "$file"; fi; printf '%s\n' "${names[@]}"; } | sort -u >"$tmp"
  mv "$tmp" "$file"
}

# stack_functions STACK ARRAY: appends to ARRAY the function names of STACK and its nested stacks.
stack_functions() {
  local stack=$1 out type id
  local -n __into=$2
  capture out '' aws cloudformation list-stack-resources --region "$REGION" --stack-name "$stack" \
    --query "StackResourceSummaries[?ResourceType=='AWS::Lambda::Function' || ResourceType=='AWS::CloudFormation::Stack'].[ResourceType,PhysicalResourceId]" \
    --output text || return 1
  while IFS=$'\t' read -r type id; do
    case $type in
      AWS::Lambda::Function) __into+=("$id") ;;
      AWS::CloudFormation::Stack) if [[ -n $id && $id != None ]]; then stack_functions "$id" "$2" || return 1; fi ;;
    esac
  done <<<"$out"
}

# exact_log_groups PREFIX NAME...: adds as leftovers the NAMEs that exist, listed in one query
# narrowed by PREFIX.
exact_log_groups() {
  local prefix=$1 out name found=()
  shift
  capture out '' aws logs describe-log-groups --region "$REGION" --log-group-name-prefix "$prefix" \
    --query 'logGroups[].logGroupName' --output text || return 1
  words found "$out"
  local listed=" ${found[*]} "
  for name in "$@"; do
    if [[ $listed == *" $name "* ]]; then add_log_group "$name"; fi
  done
}

# common_prefix WORD...: what all WORDs start with.
common_prefix() {
  local prefix=$1 word
  for word in "$@"; do
    while [[ $word != "$prefix"* ]]; do prefix=${prefix%?}; done
  done
  printf '%s' "$prefix"
}

LOG_GROUPS_SEEN=' '
add_log_group() {
  [[ $LOG_GROUPS_SEEN == *" $1 "* ]] && return 0
  LOG_GROUPS_SEEN+="$1 "
  add_leftover log-group "$1"
}

# What the cluster writes (EKS control plane, Container Insights: fixed names under the cluster's
# own name), the Lambda log groups recorded above, and log groups the stacks created and retained
# (tagged with the stack's exact name).
log_group_leftovers() {
  local out arn name arns=() functions=() fn lambda=()
  LOG_GROUPS_SEEN=' '
  exact_log_groups "/aws/eks/$CLUSTER/" "/aws/eks/$CLUSTER/cluster" || return 1
  exact_log_groups "/aws/containerinsights/$CLUSTER/" \
    "/aws/containerinsights/$CLUSTER/"{application,dataplane,host,performance,prometheus} || return 1
  if is_dry_run; then
    plan_note "look up /aws/lambda/FUNCTION for each Lambda function the stacks had (listed before each destroy)"
  elif [[ -f $(functions_file) ]]; then
    mapfile -t functions <"$(functions_file)"
    for fn in "${functions[@]}"; do lambda+=("/aws/lambda/$fn"); done
    if ((${#lambda[@]})); then exact_log_groups "$(common_prefix "${lambda[@]}")" "${lambda[@]}" || return 1; fi
  fi
  capture out '' aws resourcegroupstaggingapi get-resources --region "$REGION" --resource-type-filters logs:log-group \
    --tag-filters "Key=aws:cloudformation:stack-name,Values=$INFRA_STACK,$PLATFORM_STACK" \
    --query 'ResourceTagMappingList[].ResourceARN' --output text || return 1
  words arns "$out"
  for arn in "${arns[@]}"; do
    name=$(leftover_id "$arn")
    [[ $LOG_GROUPS_SEEN == *" $name "* ]] && continue
    # The tagging API lists deleted resources for a while: confirm that it exists.
    capture out '' aws logs describe-log-groups --region "$REGION" --log-group-name-prefix "$name" \
      --query "logGroups[?logGroupName=='$name'].logGroupName" --output text || return 1
    if [[ $out == "$name" ]]; then add_log_group "$name"; fi
  done
}

# lambda_log_groups_left: some recorded Lambda log group is among the LEFTOVERS.
lambda_log_groups_left() {
  local line
  for line in "${LEFTOVERS[@]}"; do
    if [[ $line == log-group$'\t'/aws/lambda/* ]]; then return 0; fi
  done
  return 1
}

# set_aside_log_groups: the log-group LEFTOVERS move to KEPT_LOG_GROUPS (what production keeps).
KEPT_LOG_GROUPS=()
set_aside_log_groups() {
  local line rest=()
  KEPT_LOG_GROUPS=()
  for line in "${LEFTOVERS[@]}"; do
    if [[ $line == log-group$'\t'* ]]; then KEPT_LOG_GROUPS+=("$(cut -f2 <<<"$line")"); else rest+=("$line"); fi
  done
  LEFTOVERS=("${rest[@]}")
}

report_kept_log_groups() {
  local name
  ((${#KEPT_LOG_GROUPS[@]})) || return 0
  echo "Log groups kept for $ENV_NAME (profile ${TEARDOWN_PROFILE:-unknown}: what it logged is kept, NOT deleted):"
  for name in "${KEPT_LOG_GROUPS[@]}"; do printf '  %s\n' "$name"; done
  echo "  To delete one for good: aws logs delete-log-group --region $REGION --log-group-name NAME"
}

report_leftovers() {
  local line kind id note
  is_dry_run && return 0
  if ((${#LEFTOVERS[@]} == 0)); then
    echo "No leftovers for $ENV_NAME (cluster $CLUSTER, stacks $INFRA_STACK, $PLATFORM_STACK)."
    return 0
  fi
  echo "Leftovers for $ENV_NAME (tagged for cluster $CLUSTER or stacks $INFRA_STACK, $PLATFORM_STACK):"
  for line in "${LEFTOVERS[@]}"; do
    IFS=$'\t' read -r kind id note <<<"$line"
    if is_held "$id"; then note="${note:+$note; }may be what an add-on keeps: never deleted"; fi
    printf '  %-15s %s%s\n' "$kind" "$id" "${note:+  ($note)}"
  done
}

# Load balancers first (they hold ENIs and security groups), then what
# depended on them. VPCs are left to CloudFormation.
delete_leftovers() {
  local line kind id note rc=0 lbs=()
  if is_dry_run; then
    plan_note "delete each leftover found above: aws elbv2 delete-load-balancer / delete-target-group," \
      "aws ec2 delete-network-interface / delete-security-group, aws logs delete-log-group"
    return 0
  fi
  for line in "${LEFTOVERS[@]}"; do
    IFS=$'\t' read -r kind id _ <<<"$line"
    if is_held "$id"; then
      warn "$kind $id is NOT deleted: it may be what an add-on keeps, which could not be listed (see above)"
      rc=1
    elif [[ $kind == load-balancer ]]; then
      lbs+=("$id")
    fi
  done
  if ((${#lbs[@]})); then
    delete_load_balancers "${lbs[@]}" || rc=1
    wait_for "deleted load balancers of $CLUSTER to disappear" "$TIMEOUT_LB" check_lbs_gone || rc=1
  fi
  for kind in target-group eni security-group log-group; do
    for line in "${LEFTOVERS[@]}"; do
      [[ $line == "$kind"$'\t'* ]] || continue
      IFS=$'\t' read -r _ id note <<<"$line"
      if is_held "$id"; then continue; fi
      case $kind in
        target-group) run_cmd aws elbv2 delete-target-group --region "$REGION" --target-group-arn "$id" || rc=1 ;;
        eni)
          if [[ $note == available* ]]; then
            run_cmd aws ec2 delete-network-interface --region "$REGION" --network-interface-id "$id" || rc=1
          else
            warn "$id is ${note%%:*}: AWS releases it some minutes after its owner (load balancer, Lambda, node) is gone; re-run later"
          fi
          ;;
        security-group) run_cmd aws ec2 delete-security-group --region "$REGION" --group-id "$id" || rc=1 ;;
        log-group) run_cmd aws logs delete-log-group --region "$REGION" --log-group-name "$id" || rc=1 ;;
      esac
    done
  done
  return "$rc"
}
