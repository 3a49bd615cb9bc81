#!/usr/bin/env bash
# Checks, before a workshop, everything up.sh needs: tools, AWS identity and
# region, CDK bootstrap, the Kubernetes version in the region. Reports every
# check, with a fix for each failure, then exits 1 if any failed.
set -euo pipefail
case ${BASH_SOURCE[0]} in */*) LIB=${BASH_SOURCE[0]%/*}/lib ;; *) LIB=lib ;; esac
# shellcheck source=lib/common.sh
source "$LIB/common.sh"

# package.json declares "engines": {"node": ">=22"}: the majors the AWS CDK supports (22 and 24).
MIN_NODE=22.0
K8S_VERSION=1.35
ASSUME_YES=0
CLI_INSTALL_URL=https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html

usage() {
  cat <<EOF
Usage: scripts/preflight.sh [options]

Checks, and reports all at once:
  node >= $MIN_NODE, AWS CLI v2, kubectl (within one minor version of the
  cluster), the project's CDK CLI (npx --no-install cdk), curl, timeout;
  the AWS identity (aws sts get-caller-identity) and region; the CDK
  bootstrap stack CDKToolkit in that region; that EKS offers Kubernetes
  --kubernetes-version there (EKS Auto Mode needs >= 1.29).
When CDKToolkit is missing it offers to run npx cdk bootstrap
aws://ACCOUNT/REGION: it asks when stdin is a terminal, does it without
asking with --yes, and otherwise reports the command to run.
Exits 0 when every check passes, 1 otherwise.

Options:
  -r, --region REGION        AWS region (default: AWS_REGION,
                             AWS_DEFAULT_REGION, \`aws configure get region\`,
                             then us-west-2)
  -k, --kubernetes-version V Kubernetes version the app deploys (default: $K8S_VERSION)
  -y, --yes                  bootstrap CDK without asking if it is missing
  -h, --help                 this help
EOF
}

normalize_args "$@"
set -- "${ARGS[@]}"
while (($#)); do
  case $1 in
    -h | --help) usage; exit 0 ;;
    -r | --region) need_value "$@"; REGION=$2; shift 2 ;;
    -k | --kubernetes-version) need_value "$@"; K8S_VERSION=$2; shift 2 ;;
    -y | --yes) ASSUME_YES=1; shift ;;
    *) usage_error "unknown option: $1" ;;
  esac
done
[[ $K8S_VERSION =~ ^1\.[0-9]+$ ]] || usage_error "--kubernetes-version expects 1.NN, got '$K8S_VERSION'"
ENV_NAME=-
resolve_region
cd "$ROOT"

FAILS=0
pass() { printf '[PASS] %-12s %s\n' "$1" "$2"; }
warn_check() { printf '[WARN] %-12s %s\n' "$1" "$2"; }
skip() { printf '[SKIP] %-12s %s\n' "$1" "$2"; }
fail() {
  printf '[FAIL] %-12s %s\n       fix: %s\n' "$1" "$2" "$3"
  FAILS=$((FAILS + 1))
}
version_ge() { [[ $(printf '%s\n' "$2" "$1" | sort -V | head -n 1) == "$2" ]]; }
minor() { local v=${1#*.}; echo "${v%%[!0-9]*}"; }

check_node() {
  local v
  if ! v=$(node --version 2>/dev/null); then
    fail node "node not found" "install Node.js >= $MIN_NODE (https://nodejs.org or: nvm install 24)"
  elif version_ge "${v#v}" "$MIN_NODE"; then
    pass node "$v"
  else
    fail node "$v is older than $MIN_NODE" "install Node.js >= $MIN_NODE (nvm install 24 && nvm use 24)"
  fi
}

HAVE_AWS=0
check_aws_cli() {
  local v
  if ! command -v aws >/dev/null; then
    fail aws-cli "aws not found" "install AWS CLI v2: $CLI_INSTALL_URL"
    return
  fi
  v=$(aws --version 2>&1 || true)
  if [[ $v == aws-cli/2.* ]]; then
    HAVE_AWS=1
    pass aws-cli "${v%% *}"
  else
    fail aws-cli "found ${v%% *}, need version 2" "install AWS CLI v2 (and remove v1 from PATH): $CLI_INSTALL_URL"
  fi
}

check_kubectl() {
  local json v m want
  if ! json=$(kubectl version --client -o json 2>/dev/null); then
    fail kubectl "kubectl not found" "install kubectl $K8S_VERSION: https://kubernetes.io/docs/tasks/tools/"
    return
  fi
  # {"clientVersion": {"major": "1", "minor": "35", ...}, "kustomizeVersion": "..."}: the first
  # major and minor are the client's. Two numbers do not need a node start-up.
  v=''
  if [[ $json =~ \"major\"[[:space:]]*:[[:space:]]*\"([^\"]*)\" ]]; then
    v=${BASH_REMATCH[1]}
    if [[ $json =~ \"minor\"[[:space:]]*:[[:space:]]*\"([^\"]*)\" ]]; then v+=.${BASH_REMATCH[1]}; else v=''; fi
  fi
  m=$(minor "$v") want=$(minor "$K8S_VERSION")
  if [[ -z $m ]]; then
    warn_check kubectl "cannot read the client version"
  elif ((m < want - 1 || m > want + 1)); then
    warn_check kubectl "$v is more than one minor version from Kubernetes $K8S_VERSION; install kubectl $K8S_VERSION"
  else
    pass kubectl "$v"
  fi
}

check_cdk() {
  local v
  if v=$(npx --no-install cdk --version 2>/dev/null); then
    pass cdk "$v"
  else
    fail cdk "the project's CDK CLI is not installed" "cd $ROOT && npm ci"
  fi
}

check_tool() {
  if command -v "$2" >/dev/null || { [[ -n ${3:-} ]] && command -v "$3" >/dev/null; }; then
    pass "$1" "$(command -v "$2" || command -v "$3")"
  else
    fail "$1" "$2 not found" "$4"
  fi
}

ACCOUNT=''
check_identity() {
  local out
  if ((!HAVE_AWS)); then
    skip identity "needs AWS CLI v2"
    return
  fi
  if capture out '' aws sts get-caller-identity --region "$REGION" --query '[Account,Arn]' --output text; then
    ACCOUNT=${out%%[[:space:]]*}
    pass identity "account $ACCOUNT as ${out##*[[:space:]]}"
  else
    fail identity "no usable AWS credentials: $(first_line "$CAPTURE_ERR")" \
      "log in, e.g. aws sso login --profile NAME && export AWS_PROFILE=NAME (or aws configure)"
  fi
}

check_region() {
  case $REGION_SOURCE in
    default) pass region "$REGION (default; set --region or AWS_REGION to change it)" ;;
    *) pass region "$REGION (from $REGION_SOURCE)" ;;
  esac
}

bootstrap_wanted() {
  local answer
  ((ASSUME_YES)) && return 0
  [[ -t 0 ]] || return 1
  read -r -p "CDK is not bootstrapped in aws://$ACCOUNT/$REGION. Run npx cdk bootstrap now? [y/N] " answer
  [[ $answer == [yY]* ]]
}

check_bootstrap() {
  local out target
  if [[ -z $ACCOUNT ]]; then
    skip bootstrap "needs an AWS identity"
    return
  fi
  target="aws://$ACCOUNT/$REGION"
  if capture out '' aws cloudformation describe-stacks --region "$REGION" --stack-name CDKToolkit \
    --query 'Stacks[0].StackStatus' --output text; then
    if [[ $out == *_COMPLETE && $out != ROLLBACK_COMPLETE && $out != DELETE_COMPLETE ]]; then
      pass bootstrap "CDKToolkit is $out"
    else
      fail bootstrap "CDKToolkit is $out" "fix or delete the CDKToolkit stack in CloudFormation, then: npx cdk bootstrap $target"
    fi
  elif [[ $CAPTURE_ERR != *"does not exist"* ]]; then
    fail bootstrap "cannot read CDKToolkit: $(first_line "$CAPTURE_ERR")" "check the identity has cloudformation:DescribeStacks"
  elif bootstrap_wanted; then
    if npx --no-install cdk bootstrap "$target" >&2; then
      pass bootstrap "bootstrapped $target now"
    else
      fail bootstrap "npx cdk bootstrap $target failed (output above)" "fix the error above and run: npx cdk bootstrap $target"
    fi
  else
    fail bootstrap "CDK is not bootstrapped in $target (no CDKToolkit stack)" \
      "npx cdk bootstrap $target   (or re-run: scripts/preflight.sh --yes)"
  fi
}

check_eks_version() {
  local out
  if ((!HAVE_AWS)) || [[ -z $ACCOUNT ]]; then
    skip eks-version "needs AWS CLI v2 and an AWS identity"
    return
  fi
  if ! version_ge "$K8S_VERSION" 1.29; then
    fail eks-version "EKS Auto Mode needs Kubernetes >= 1.29, not $K8S_VERSION" "use --kubernetes-version 1.29 or later (and the same in the app)"
    return
  fi
  if ! capture out '' aws eks describe-cluster-versions --region "$REGION" --cluster-versions "$K8S_VERSION" \
    --query 'clusterVersions[].[clusterVersion,versionStatus]' --output text; then
    fail eks-version "cannot list EKS versions: $(first_line "$CAPTURE_ERR")" \
      "update AWS CLI v2 to a release that has eks describe-cluster-versions: $CLI_INSTALL_URL"
  elif [[ $out =~ (^|[[:space:]])"$K8S_VERSION"[[:space:]]+([A-Z_]+) ]] && [[ ${BASH_REMATCH[2]} != UNSUPPORTED ]]; then
    pass eks-version "Kubernetes $K8S_VERSION is offered in $REGION (${BASH_REMATCH[2]})"
  else
    fail eks-version "EKS does not offer Kubernetes $K8S_VERSION in $REGION" \
      "pick a region that does (aws eks describe-cluster-versions --region REGION) or another version"
  fi
}

check_node
check_aws_cli
check_kubectl
check_cdk
check_tool curl curl '' "install curl (apt-get install curl / brew install curl)"
check_tool timeout timeout gtimeout "install GNU coreutils (macOS: brew install coreutils)"
check_identity
check_region
check_bootstrap
check_eks_version

if ((FAILS)); then
  echo "preflight: $FAILS check(s) failed; fix them and re-run scripts/preflight.sh"
  exit 1
fi
echo "preflight: all checks passed; next: scripts/up.sh --env NAME"
