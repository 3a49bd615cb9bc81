#!/usr/bin/env bats
# scripts/upgrade.sh against the stubs. The supported versions come from the app itself
# (lib/core/config/kubernetes-versions.ts); these cases use 1.35 -> 1.36 and a version no app has.

load helper

# A deployed environment on Kubernetes VERSION (default 1.35) with two EKS add-ons: vpc-cni, which
# the app does not pin and whose version also runs on 1.36, and kube-proxy, which it pins.
given_cluster_on() {
  given_deployed "$1"
  echo "${2:-1.35}" >"$STUB_DIR/clusters/$1-eks.version"
  printf 'vpc-cni\tv1.19.0-eksbuild.1\nkube-proxy\tv1.35.3-eksbuild.13\n' >"$STUB_DIR/clusters/$1-eks.addons"
  printf 'v1.20.0-eksbuild.1\tTrue\nv1.19.0-eksbuild.1\tFalse\n' >"$STUB_DIR/addon_versions/vpc-cni"
  printf 'v1.36.0-eksbuild.14\tTrue\n' >"$STUB_DIR/addon_versions/kube-proxy"
}

given_insight() { printf '%s\t%s\t%s\n' "$2" "$3" "$4" >>"$STUB_DIR/clusters/$1-eks.insights"; }

# index_of TEXT: the index in $lines of the first line containing TEXT (-1 when none).
index_of() {
  local i
  for i in "${!lines[@]}"; do
    if [[ ${lines[$i]} == *"$1"* ]]; then
      echo "$i"
      return 0
    fi
  done
  echo -1
}

@test "upgrade --dry-run prints the plan in the order things change and deploys nothing" {
  given_cluster_on alice
  echo False >"$STUB_DIR/clusters/alice-eks.auto_mode"
  printf 'system\t1.35\n' >"$STUB_DIR/clusters/alice-eks.nodegroups"
  run --separate-stderr "$SCRIPTS/upgrade.sh" --env alice --to 1.36 --dry-run
  assert_success
  assert_line --index 0 "Upgrade plan for alice (cluster alice-eks, region us-west-2): Kubernetes 1.35 -> 1.36"
  local control addons nodegroups platform
  control=$(index_of "1. control plane: 1.35 -> 1.36 (InfraStack alice-infra)")
  addons=$(index_of "2. EKS managed add-ons")
  nodegroups=$(index_of "3. managed node groups")
  platform=$(index_of "4. PlatformStack alice-platform: kubectl layer v36")
  ((control > 0 && control < addons && addons < nodegroups && nodegroups < platform))
  assert_output --partial "vpc-cni v1.19.0-eksbuild.1: compatible with 1.36; EKS default for 1.36: v1.20.0-eksbuild.1; no pin in the app: stays on v1.19.0-eksbuild.1"
  assert_output --partial "kube-proxy v1.35.3-eksbuild.13: NOT compatible with 1.36; EKS default for 1.36: v1.36.0-eksbuild.14; the app pins v1.36.0-eksbuild.14 for 1.36 (updated by the deploy)"
  assert_output --partial "system: 1.35 -> 1.36 (InfraStack rolls its nodes after the control plane)"
  refute_output --partial "update-nodegroup-version"
  refute_output --partial "Auto Mode"
  assert_call '^aws eks list-insights --region us-west-2 --cluster-name alice-eks --filter categories=UPGRADE_READINESS,kubernetesVersions=1\.36 '
  assert_call '^aws eks describe-addon-versions --region us-west-2 --kubernetes-version 1\.36 --addon-name vpc-cni '
  refute_call '^npx'
  refute_call 'update-|kubectl'
  [[ ! -e $WORKSHOP_DIR/alice/state ]]
}

@test "upgrade says Auto Mode nodes follow the control plane on their own" {
  given_cluster_on alice
  run "$SCRIPTS/upgrade.sh" --env alice --to 1.36 --dry-run
  assert_success
  assert_output --partial "EKS Auto Mode: its nodes follow the control plane on their own"
  refute_output --partial "left to do"
}

@test "upgrade deploys InfraStack then PlatformStack with the new version and the up.sh context, then verifies" {
  given_cluster_on alice
  given_insight alice WARNING "Deprecated APIs removed in Kubernetes v1.37" "Deprecated API usage detected"
  run "$SCRIPTS/upgrade.sh" --env alice --to 1.36 --yes -c profile=production
  assert_success
  local context='-c environment=alice -c region=us-west-2 -c profile=production -c clusterAdmins=arn:aws:iam::123456789012:user/tester -c kubernetesVersion=1\.36'
  local infra platform nodes
  infra=$(line_of "^npx --no-install cdk deploy InfraStack $context --require-approval never ")
  platform=$(line_of "^npx --no-install cdk deploy PlatformStack $context --exclusively --require-approval never ")
  nodes=$(line_of 'kubectl --context alice-eks .*get nodes')
  ((infra > 0 && infra < platform && platform < nodes))
  assert_output --partial "[WARNING] Deprecated APIs removed in Kubernetes v1.37: Deprecated API usage detected"
  assert_output --partial "RESULT alice: PASS"
  assert_output --partial "Environment alice is on Kubernetes 1.36"
  [[ $(<"$STUB_DIR/clusters/alice-eks.version") == 1.36 ]]
  run cat "$WORKSHOP_DIR/alice/state"
  assert_line infra-1.36=done
  assert_line platform-1.36=done
}

@test "upgrade refuses a jump of two minor versions" {
  given_cluster_on alice 1.34
  run "$SCRIPTS/upgrade.sh" --env alice --to 1.36 --yes
  assert_failure 1
  assert_output --partial "cluster alice-eks is on 1.34: EKS upgrades one minor version at a time; upgrade to 1.35 first, then to 1.36"
  refute_call 'list-insights|^npx'
}

@test "upgrade refuses a version the app does not deploy, before any AWS call" {
  given_cluster_on alice
  run "$SCRIPTS/upgrade.sh" --env alice --to 1.99 --yes
  assert_failure 1
  assert_output --regexp "Kubernetes 1\.99 is not a version this app deploys; supported: 1\.[0-9]+( 1\.[0-9]+)* \(lib/core/config/kubernetes-versions\.ts\)"
  refute_call '^aws|^npx'
}

@test "upgrade refuses a downgrade and points to the EKS rollback" {
  given_cluster_on alice 1.36
  run "$SCRIPTS/upgrade.sh" --env alice --to 1.35 --yes
  assert_failure 1
  assert_output --partial "1.35 is older than the cluster's 1.36"
  assert_output --partial "EKS can roll the cluster back one minor: scripts/rollback.sh --env alice --region us-west-2"
  refute_call '^npx'
}

@test "upgrade stops on an ERROR insight, deploys nothing, and goes on with --ignore-insight-errors" {
  given_cluster_on alice
  given_insight alice ERROR "Deprecated APIs removed in Kubernetes v1.36" "Deprecated API usage detected"
  given_insight alice PASSING "Kubelet version skew" "No issues"
  run "$SCRIPTS/upgrade.sh" --env alice --to 1.36 --yes
  assert_failure 1
  assert_output --partial "[ERROR]   Deprecated APIs removed in Kubernetes v1.36: Deprecated API usage detected"
  assert_output --partial "1 upgrade insight(s) for 1.36 have status ERROR (above): fix what they name, or re-run with --ignore-insight-errors"
  refute_call '^npx'

  run "$SCRIPTS/upgrade.sh" --env alice --to 1.36 --yes --ignore-insight-errors
  assert_success
  assert_call 'cdk deploy InfraStack'
  assert_call 'cdk deploy PlatformStack'
}

@test "upgrade --ignore-insight-errors makes EKS accept the update: InfraStack's deploy alone gets -c forceVersionUpdate=true" {
  # Without the option EKS keeps its own readiness checks: no deploy is given the key.
  given_cluster_on bob
  run "$SCRIPTS/upgrade.sh" --env bob --to 1.36 --yes
  assert_success
  assert_call 'cdk deploy InfraStack -c environment=bob '
  refute_call 'forceVersionUpdate'
  refute_output --partial "forceVersionUpdate"

  given_cluster_on alice
  given_insight alice ERROR "Deprecated APIs removed in Kubernetes v1.36" "Deprecated API usage detected"
  run "$SCRIPTS/upgrade.sh" --env alice --to 1.36 --yes --ignore-insight-errors
  assert_success
  assert_output --partial "EKS skips its upgrade-readiness checks for this InfraStack deploy (-c forceVersionUpdate=true)"
  assert_call '^npx --no-install cdk deploy InfraStack -c environment=alice .*-c kubernetesVersion=1\.36 -c forceVersionUpdate=true '
  # PlatformStack does not change the cluster version; nothing keeps the key for a later deploy.
  refute_call 'cdk deploy PlatformStack .*forceVersionUpdate'
  run cat "$WORKSHOP_DIR/alice/state"
  refute_output --partial forceVersionUpdate
}

@test "upgrade refuses -c forceVersionUpdate: --ignore-insight-errors is the one way to set it" {
  given_cluster_on alice
  run "$SCRIPTS/upgrade.sh" --env alice --to 1.36 --yes -c forceVersionUpdate=true
  assert_failure 2
  assert_output --partial "use --ignore-insight-errors instead of -c forceVersionUpdate=true"
  refute_call '^aws|^npx'
}

@test "upgrade --dry-run with an ERROR insight exits 1: a real run would refuse" {
  given_cluster_on alice
  given_insight alice ERROR "Cluster health issues" "Subnets are running out of addresses"
  run "$SCRIPTS/upgrade.sh" --env alice --to 1.36 --dry-run
  assert_failure 1
  assert_output --partial "[ERROR]   Cluster health issues: Subnets are running out of addresses"
  refute_call '^npx'
}

@test "upgrade without --yes and without a terminal to ask refuses and deploys nothing" {
  given_cluster_on alice
  run "$SCRIPTS/upgrade.sh" --env alice --to 1.36 </dev/null
  assert_failure 1
  assert_output --partial "stdin is not a terminal, so there is no one to confirm: re-run with --yes"
  refute_call 'cdk deploy'
}

@test "upgrade of a cluster already on the version deploys nothing and verifies the environment" {
  given_cluster_on alice 1.36
  run "$SCRIPTS/upgrade.sh" --env alice --to 1.36 --yes
  assert_success
  assert_output --partial "cluster alice-eks is already on Kubernetes 1.36: nothing to upgrade"
  assert_output --partial "RESULT alice: PASS"
  refute_call '^npx|list-insights'
}

@test "upgrade resumes after a failed PlatformStack deploy without deploying InfraStack again" {
  given_cluster_on alice
  fail_times cdk-deploy-PlatformStack 1
  run "$SCRIPTS/upgrade.sh" --env alice --to 1.36 --yes
  assert_failure 1
  assert_output --partial "upgrade failed in phase 'platform-1.36'"

  rm "$STUB_DIR/calls.log"
  run "$SCRIPTS/upgrade.sh" --env alice --to 1.36 --yes
  assert_success
  assert_output --partial "an earlier upgrade to 1.36 did not finish: resuming it"
  refute_call 'cdk deploy InfraStack'
  assert_call 'cdk deploy PlatformStack .*-c kubernetesVersion=1\.36'
  assert_output --regexp "infra-1\.36 +skipped"
}

@test "upgrade updates an add-on without a pin that would not run on the target, before the control plane, to a version that runs on both" {
  given_cluster_on alice
  # vpc-cni v1.18 runs on 1.35 only; v1.19.2 runs on both; v1.20 on 1.36 only.
  printf 'vpc-cni\tv1.18.0-eksbuild.1\nkube-proxy\tv1.35.3-eksbuild.13\n' >"$STUB_DIR/clusters/alice-eks.addons"
  printf 'v1.20.0-eksbuild.1\tTrue\nv1.19.2-eksbuild.1\tFalse\n' >"$STUB_DIR/addon_versions/vpc-cni.1.36"
  printf 'v1.19.2-eksbuild.1\tTrue\nv1.18.0-eksbuild.1\tFalse\n' >"$STUB_DIR/addon_versions/vpc-cni.1.35"
  run "$SCRIPTS/upgrade.sh" --env alice --to 1.36 --yes
  assert_success
  assert_output --partial "vpc-cni v1.18.0-eksbuild.1: NOT compatible with 1.36; EKS default for 1.36: v1.20.0-eksbuild.1; no pin in the app: updated to v1.19.2-eksbuild.1 before the control plane (it runs on 1.35 and 1.36)"
  local update infra
  update=$(line_of '^aws eks update-addon --region us-west-2 --cluster-name alice-eks --addon-name vpc-cni --addon-version v1\.19\.2-eksbuild\.1 --resolve-conflicts PRESERVE$')
  infra=$(line_of 'cdk deploy InfraStack')
  ((update > 0 && update < infra))
  assert_output --partial "ok: EKS add-on vpc-cni to be ACTIVE on v1.19.2-eksbuild.1"
  refute_call 'update-addon .*--addon-name kube-proxy'
}

@test "upgrade warns, with the command for afterwards, when no version of an add-on runs on both versions" {
  given_cluster_on alice
  printf 'vpc-cni\tv1.18.0-eksbuild.1\n' >"$STUB_DIR/clusters/alice-eks.addons"
  printf 'v1.20.0-eksbuild.1\tTrue\n' >"$STUB_DIR/addon_versions/vpc-cni.1.36"
  printf 'v1.18.0-eksbuild.1\tTrue\n' >"$STUB_DIR/addon_versions/vpc-cni.1.35"
  run "$SCRIPTS/upgrade.sh" --env alice --to 1.36 --dry-run
  assert_success
  assert_output --partial "no pin in the app, and no version runs on both 1.35 and 1.36"
  assert_output --partial "right after the control plane, run aws eks update-addon --region us-west-2 --cluster-name alice-eks --addon-name vpc-cni --addon-version v1.20.0-eksbuild.1"
  refute_call 'update-addon'
}
