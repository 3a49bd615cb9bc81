#!/usr/bin/env bats
# scripts/rollback.sh against the stubs: a cluster upgraded from 1.35 to 1.36, rolled back to 1.35.

load helper

# A deployed environment upgraded in place to 1.36 DAYS days ago (default 2), with a managed node
# group on 1.36 and the EKS add-on vpc-cni, whose version runs on 1.35 too.
given_upgraded() {
  local days=${2:-2} created
  given_deployed "$1"
  echo 1.36 >"$STUB_DIR/clusters/$1-eks.version"
  echo False >"$STUB_DIR/clusters/$1-eks.auto_mode"
  printf 'system\t1.36\n' >"$STUB_DIR/clusters/$1-eks.nodegroups"
  printf 'vpc-cni\tv1.20.0-eksbuild.1\n' >"$STUB_DIR/clusters/$1-eks.addons"
  printf 'v1.20.0-eksbuild.1\tTrue\n' >"$STUB_DIR/addon_versions/vpc-cni"
  printf -v created '%(%s)T' -1
  created=$((created - days * 86400))
  # As AWS CLI v1 prints timestamps (epoch seconds); the CLI v2 form is tested below.
  {
    printf 'u-create\tVersionUpdate\tSuccessful\t%s.5\t1.35\n' $((created - 86400 * 30))
    printf 'u-logging\tLoggingUpdate\tSuccessful\t%s.0\tNone\n' $((created - 3600))
    printf 'u-upgrade\tVersionUpdate\tSuccessful\t%s.0\t1.36\n' "$created"
  } >"$STUB_DIR/clusters/$1-eks.updates"
}

given_rollback_insight() { printf '%s\t%s\t%s\n' "$2" "$3" "$4" >>"$STUB_DIR/clusters/$1-eks.rollback_insights"; }

@test "rollback rolls node groups back first, then the control plane through InfraStack, then PlatformStack, and verifies" {
  given_upgraded alice
  given_rollback_insight alice PASSING "Kubelet version skew" "No issues"
  given_rollback_insight alice WARNING "PodDisruptionBudgets" "maxUnavailable 0 slows node replacement"
  run "$SCRIPTS/rollback.sh" --env alice --yes -c profile=production
  assert_success
  assert_output --partial "Rollback plan for alice (cluster alice-eks, region us-west-2): Kubernetes 1.36 -> 1.35"
  assert_output --partial "system: 1.36 -> 1.35 (aws eks update-nodegroup-version, before the control plane)"
  assert_output --partial "vpc-cni v1.20.0-eksbuild.1: compatible with 1.35"
  assert_output --partial "[WARNING] PodDisruptionBudgets: maxUnavailable 0 slows node replacement"
  assert_call '^aws eks list-insights --region us-west-2 --cluster-name alice-eks --filter categories=ROLLBACK_READINESS '
  local context='-c environment=alice -c region=us-west-2 -c profile=production -c clusterAdmins=arn:aws:iam::123456789012:user/tester -c kubernetesVersion=1\.35'
  local nodegroup infra platform nodes
  nodegroup=$(line_of '^aws eks update-nodegroup-version --region us-west-2 --cluster-name alice-eks --nodegroup-name system --kubernetes-version 1\.35$')
  infra=$(line_of "^npx --no-install cdk deploy InfraStack $context --require-approval never ")
  platform=$(line_of "^npx --no-install cdk deploy PlatformStack $context --exclusively --require-approval never ")
  nodes=$(line_of 'kubectl --context alice-eks .*get nodes')
  ((nodegroup > 0 && nodegroup < infra && infra < platform && platform < nodes))
  # EKS's own API: the control plane moves through CloudFormation only, never behind its back.
  refute_call 'update-cluster-version|forceVersionUpdate'
  assert_output --partial "ok: node group system to be ACTIVE on 1.35"
  assert_output --partial "RESULT alice: PASS"
  assert_output --partial "Environment alice is back on Kubernetes 1.35"
  assert_output --partial "left to do: give scripts/up.sh -c kubernetesVersion=1.35 from now on"
  [[ $(<"$STUB_DIR/clusters/alice-eks.version") == 1.35 ]]
}

@test "rollback reads CLI v2 timestamps and refuses outside the 7-day window, changing nothing" {
  given_upgraded alice 8
  local created
  created=$(date -u -d "@$(($(date +%s) - 8 * 86400))" +%Y-%m-%dT%H:%M:%S.123000+00:00)
  printf 'u-upgrade\tVersionUpdate\tSuccessful\t%s\t1.36\n' "$created" >"$STUB_DIR/clusters/alice-eks.updates"
  run "$SCRIPTS/rollback.sh" --env alice --yes
  assert_failure 1
  assert_output --regexp "cluster alice-eks was upgraded to 1\.36 at ${created:0:19}Z, 192h0[0-9]m[0-9]{2}s ago"
  assert_output --partial "EKS rolls back only within 7 days of an upgrade"
  assert_output --partial "The way back now is a new cluster. Nothing was changed."
  refute_call 'eks update-|list-insights|^npx'
}

@test "rollback refuses a cluster created at its version: EKS rolls back only in-place upgrades" {
  given_upgraded alice
  printf 'u-create\tVersionUpdate\tSuccessful\t1700000000.0\t1.35\n' >"$STUB_DIR/clusters/alice-eks.updates"
  run "$SCRIPTS/rollback.sh" --env alice --yes
  assert_failure 1
  assert_output --partial "cluster alice-eks was not upgraded to 1.36 in place"
  refute_call 'eks update-|^npx'
}

@test "rollback stops on an ERROR or UNKNOWN readiness insight, and goes on with --ignore-insight-errors through Force" {
  given_upgraded alice
  given_rollback_insight alice ERROR "Kube-proxy version skew" "kube-proxy is newer than 1.35"
  given_rollback_insight alice UNKNOWN "Cluster health" "Unable to determine"
  run "$SCRIPTS/rollback.sh" --env alice --yes
  assert_failure 1
  assert_output --partial "[ERROR]   Kube-proxy version skew: kube-proxy is newer than 1.35"
  assert_output --partial "[UNKNOWN] Cluster health: Unable to determine"
  assert_output --partial "2 rollback readiness insight(s) have status ERROR or UNKNOWN, which block an EKS rollback (above): fix what they name, or re-run with --ignore-insight-errors to roll back anyway"
  refute_call 'eks update-|^npx'

  run "$SCRIPTS/rollback.sh" --env alice --yes --ignore-insight-errors
  assert_success
  assert_output --partial "EKS skips its rollback readiness checks for this InfraStack deploy (-c forceVersionUpdate=true)"
  assert_call '^npx --no-install cdk deploy InfraStack .*-c kubernetesVersion=1\.35 -c forceVersionUpdate=true '
  refute_call 'cdk deploy PlatformStack .*forceVersionUpdate'
}

@test "rollback --dry-run prints the plan and changes nothing; with an ERROR insight it exits 1" {
  given_upgraded alice
  echo True >"$STUB_DIR/clusters/alice-eks.auto_mode"
  rm "$STUB_DIR/clusters/alice-eks.nodegroups"
  run --separate-stderr "$SCRIPTS/rollback.sh" --env alice --dry-run
  assert_success
  assert_line --index 0 "Rollback plan for alice (cluster alice-eks, region us-west-2): Kubernetes 1.36 -> 1.35"
  assert_output --partial "EKS Auto Mode: EKS rolls its nodes back first, as disruption budgets allow, then the control plane"
  assert_output --partial "3. control plane: 1.36 -> 1.35 (InfraStack alice-infra with -c kubernetesVersion=1.35)"
  assert_output --regexp "the 7-day rollback window closes about [0-9]{4}-[0-9]{2}-[0-9]{2}T"
  assert_output --partial "Rollback readiness insights: none yet"
  refute_call '^npx|eks update-|kubectl'
  [[ ! -e $WORKSHOP_DIR/alice/state ]]

  given_rollback_insight alice ERROR "Do-not-disrupt nodes" "node i-0abc blocks the rollback"
  run "$SCRIPTS/rollback.sh" --env alice --dry-run
  assert_failure 1
  refute_call '^npx|eks update-'
}

@test "rollback refuses a cluster or stack in the wrong state, or an update in progress, before any change" {
  given_upgraded alice
  echo UPDATING >"$STUB_DIR/clusters/alice-eks"
  run "$SCRIPTS/rollback.sh" --env alice --yes
  assert_failure 1
  assert_output --partial "cluster alice-eks is UPDATING: a rollback needs it ACTIVE"

  echo ACTIVE >"$STUB_DIR/clusters/alice-eks"
  given_stack alice-platform UPDATE_IN_PROGRESS
  run "$SCRIPTS/rollback.sh" --env alice --yes
  assert_failure 1
  assert_output --partial "stack alice-platform is UPDATE_IN_PROGRESS (another deploy is running)"

  given_stack alice-platform UPDATE_COMPLETE
  given_stack alice-infra UPDATE_ROLLBACK_FAILED
  run "$SCRIPTS/rollback.sh" --env alice --yes
  assert_failure 1
  assert_output --partial "stack alice-infra is UPDATE_ROLLBACK_FAILED and cannot be deployed: finish the rollback: aws cloudformation continue-update-rollback"

  given_stack alice-infra UPDATE_COMPLETE
  printf 'u-rb\tVersionRollback\tInProgress\t1700000000.0\t1.35\n' >>"$STUB_DIR/clusters/alice-eks.updates"
  run "$SCRIPTS/rollback.sh" --env alice --yes
  assert_failure 1
  assert_output --partial "update u-rb (VersionRollback) of alice-eks is in progress"
  assert_output --partial "aws eks cancel-update --region us-west-2 --name alice-eks --update-id u-rb"
  refute_call 'update-nodegroup|update-addon|^npx'
}

@test "rollback refuses a target the app does not deploy, and one in extended support under the STANDARD policy" {
  given_upgraded alice
  echo 1.34 >"$STUB_DIR/clusters/alice-eks.version"
  run "$SCRIPTS/rollback.sh" --env alice --yes
  assert_failure 1
  assert_output --partial "this app does not deploy 1.33"
  refute_call 'list-updates|^npx'

  echo 1.36 >"$STUB_DIR/clusters/alice-eks.version"
  printf '1.35\tEXTENDED_SUPPORT\n' >"$STUB_DIR/cluster_versions"
  run "$SCRIPTS/rollback.sh" --env alice --yes
  assert_failure 1
  assert_output --partial "Kubernetes 1.35 is in extended support, and EKS rolls back to it only with the upgrade policy EXTENDED (the cluster's: STANDARD)"
  refute_call 'eks update-|^npx'

  echo EXTENDED >"$STUB_DIR/clusters/alice-eks.support_type"
  run "$SCRIPTS/rollback.sh" --env alice --yes
  assert_success
  assert_output --partial "note: Kubernetes 1.35 is in extended support"
}

@test "rollback downgrades an add-on newer than the previous version before the control plane" {
  given_upgraded alice
  # kube-proxy's 1.36 build does not run on 1.35; v1.35.9 runs on both.
  printf 'vpc-cni\tv1.20.0-eksbuild.1\nkube-proxy\tv1.36.0-eksbuild.14\n' >"$STUB_DIR/clusters/alice-eks.addons"
  printf 'v1.35.9-eksbuild.1\tFalse\nv1.35.3-eksbuild.13\tTrue\n' >"$STUB_DIR/addon_versions/kube-proxy.1.35"
  printf 'v1.36.0-eksbuild.14\tTrue\nv1.35.9-eksbuild.1\tFalse\n' >"$STUB_DIR/addon_versions/kube-proxy.1.36"
  run "$SCRIPTS/rollback.sh" --env alice --yes
  assert_success
  assert_output --partial "kube-proxy v1.36.0-eksbuild.14: NOT compatible with 1.35; EKS default for 1.35: v1.35.3-eksbuild.13; the app pins v1.35.3-eksbuild.13 for 1.35, set by the deploy after the control plane; updated to v1.35.9-eksbuild.1 before the control plane (it runs on 1.36 and 1.35)"
  local addon infra
  addon=$(line_of '^aws eks update-addon --region us-west-2 --cluster-name alice-eks --addon-name kube-proxy --addon-version v1\.35\.9-eksbuild\.1 --resolve-conflicts PRESERVE$')
  infra=$(line_of 'cdk deploy InfraStack')
  ((addon > 0 && addon < infra))
  refute_call 'update-addon .*--addon-name vpc-cni'
}

@test "after a rollback, upgrade.sh upgrades again instead of skipping phases an earlier upgrade finished" {
  given_upgraded alice
  mkdir -p "$WORKSHOP_DIR/alice"
  printf 'infra-1.36=done\nplatform-1.36=done\n' >"$WORKSHOP_DIR/alice/state"
  run "$SCRIPTS/rollback.sh" --env alice --yes
  assert_success
  rm "$STUB_DIR/calls.log"
  run "$SCRIPTS/upgrade.sh" --env alice --to 1.36 --yes
  assert_success
  assert_call 'cdk deploy InfraStack .*-c kubernetesVersion=1\.36'
  [[ $(<"$STUB_DIR/clusters/alice-eks.version") == 1.36 ]]
}

@test "rollback resumes after a failed PlatformStack deploy without rolling back again" {
  given_upgraded alice
  fail_times cdk-deploy-PlatformStack 1
  run "$SCRIPTS/rollback.sh" --env alice --yes
  assert_failure 1
  assert_output --partial "rollback failed in phase 'rollback-platform-1.35'"

  rm "$STUB_DIR/calls.log"
  run "$SCRIPTS/rollback.sh" --env alice --yes
  assert_success
  assert_output --partial "an earlier rollback from 1.36 to 1.35 did not finish: resuming it"
  refute_call 'cdk deploy InfraStack|update-nodegroup|list-updates'
  assert_call 'cdk deploy PlatformStack .*-c kubernetesVersion=1\.35'
}
