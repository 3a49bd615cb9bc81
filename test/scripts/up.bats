#!/usr/bin/env bats
# scripts/up.sh against the stubs.

load helper

@test "up deploys InfraStack then PlatformStack, then waits for nodes, add-ons and apps" {
  run "$SCRIPTS/up.sh" --env alice
  assert_success
  local infra platform kube nodes deploys curl
  infra=$(line_of '^npx --no-install cdk deploy InfraStack -c environment=alice -c region=us-west-2 -c clusterAdmins=arn:aws:iam::123456789012:user/tester --require-approval never --outputs-file ')
  platform=$(line_of '^npx --no-install cdk deploy PlatformStack -c environment=alice -c region=us-west-2 -c clusterAdmins=arn:aws:iam::123456789012:user/tester --exclusively --require-approval never --outputs-file ')
  kube=$(line_of '^aws eks update-kubeconfig --name alice-eks --region us-west-2 --alias alice-eks$')
  nodes=$(line_of '^kubectl --context alice-eks .*get nodes')
  deploys=$(line_of '^kubectl --context alice-eks .*get deployments -A')
  curl=$(line_of '^curl .*http://game\.alice\.example$')
  ((infra > 0 && infra < platform && platform < kube && kube < nodes && nodes < deploys && deploys < curl))
  assert_output --partial "Environment alice is ready"
  assert_output --partial "Game2048: http://game.alice.example"
  assert_output --partial "teams:    team-a,team-b"
  assert_output --regexp "platform +done"
}

@test "up writes both stacks' outputs to .workshop/<env>/outputs.json and the state file" {
  run "$SCRIPTS/up.sh" --env alice
  assert_success
  run node -e 'const o = require(process.argv[1]); console.log(o["alice-infra"].ClusterName, o["alice-platform"].AppUrlGame2048)' \
    "$WORKSHOP_DIR/alice/outputs.json"
  assert_output "alice-eks http://game.alice.example"
  run cat "$WORKSHOP_DIR/alice/state"
  assert_line infra=done
  assert_line platform=done
}

@test "up resumes after a failed PlatformStack deploy without redeploying InfraStack" {
  fail_times cdk-deploy-PlatformStack 1
  run "$SCRIPTS/up.sh" --env alice
  assert_failure
  assert_output --partial "cdk deploy PlatformStack failed"
  assert_output --partial "up failed in phase 'platform'"
  assert_call 'cdk deploy InfraStack'
  refute_call 'update-kubeconfig'

  rm "$STUB_DIR/calls.log"
  run "$SCRIPTS/up.sh" --env alice
  assert_success
  refute_call 'cdk deploy InfraStack'
  assert_call 'cdk deploy PlatformStack'
  assert_output --regexp "infra +skipped"
  assert_output --regexp "platform +done"
  run node -e 'const o = require(process.argv[1]); console.log(Object.keys(o).join(" "))' "$WORKSHOP_DIR/alice/outputs.json"
  assert_output "alice-infra alice-platform"
}

@test "up after a complete run deploys nothing again but checks readiness" {
  run "$SCRIPTS/up.sh" --env alice
  assert_success
  rm "$STUB_DIR/calls.log"
  run "$SCRIPTS/up.sh" --env alice
  assert_success
  refute_call 'cdk deploy'
  assert_call 'get nodes'
  assert_call '^curl '
}

@test "up deploys again a stack the state file calls done but CloudFormation no longer has" {
  run "$SCRIPTS/up.sh" --env alice
  assert_success
  rm "$STUB_DIR/stacks/alice-platform" "$STUB_DIR/calls.log"
  run "$SCRIPTS/up.sh" --env alice
  assert_success
  refute_call 'cdk deploy InfraStack'
  assert_call 'cdk deploy PlatformStack'
}

@test "up deploys a stack that exists but was never recorded as done (rolled back create)" {
  given_stack alice-infra ROLLBACK_COMPLETE
  run "$SCRIPTS/up.sh" --env alice
  assert_success
  assert_call 'cdk deploy InfraStack'
}

@test "up refuses to deploy a stack stuck in DELETE_FAILED and says how to fix it" {
  given_stack alice-infra DELETE_FAILED
  run "$SCRIPTS/up.sh" --env alice
  assert_failure
  assert_output --partial "alice-infra is DELETE_FAILED and cannot be deployed: delete it first: npx cdk destroy InfraStack -c environment=alice -c region=us-west-2 -c clusterAdmins=arn:aws:iam::123456789012:user/tester --force (or the whole environment: scripts/down.sh --env alice --delete-leftovers)"
  refute_call 'cdk deploy'
}

# The describe-cluster call that reads the cluster's Kubernetes version.
VERSION_QUERY='^aws eks describe-cluster --region us-west-2 --name alice-eks --query cluster\.version --output text$'

# version_read_before REGEX: the cluster's version was read, before the first call matching REGEX.
version_read_before() {
  local version deploy
  version=$(line_of "$VERSION_QUERY")
  deploy=$(line_of "$1")
  ((version > 0 && version < deploy)) || fail "the cluster's version was not read before: $1"$'\n'"$(calls)"
}

@test "up refuses, before it deploys anything, to take a cluster back a Kubernetes minor version" {
  # Created when 1.36 was the default; the workshop profile's default is now 1.35.
  given_stack alice-infra
  given_stack alice-platform
  echo ACTIVE >"$STUB_DIR/clusters/alice-eks"
  echo 1.36 >"$STUB_DIR/clusters/alice-eks.version"
  aws_fails eks describe-cluster 1 ThrottlingException "Rate exceeded"
  run "$SCRIPTS/up.sh" --env alice
  assert_failure 1
  assert_output --partial "cluster alice-eks runs Kubernetes 1.36, but this deploy would set 1.35 (the default of profile workshop): a lower version makes the alice-infra update start an EKS version rollback, which up.sh does not prepare. Nothing was deployed."
  assert_output --partial 'Fix: keep 1.36: re-run the same command with -c kubernetesVersion=1.36, or set "kubernetesVersion": "1.36" in the context of cdk.json.'
  assert_output --partial "To go back to 1.35 (EKS rolls back one minor, within 7 days of the upgrade to 1.36): scripts/rollback.sh --env alice and the other -c options"
  assert_equal "$(count_calls "$VERSION_QUERY")" 2
  refute_call 'cdk deploy'
  [[ ! -e $WORKSHOP_DIR/alice/state ]]

  run "$SCRIPTS/up.sh" --env alice -c kubernetesVersion=1.34
  assert_failure 1
  assert_output --partial "cluster alice-eks runs Kubernetes 1.36, but this deploy would set 1.34 (-c kubernetesVersion)"
  refute_call 'cdk deploy'
}

@test "up deploys a cluster on the version the deploy sets, and checks it once" {
  given_deployed alice
  run "$SCRIPTS/up.sh" --env alice
  assert_success
  assert_output --partial "cluster alice-eks runs Kubernetes 1.35, the version this deploy sets (the default of profile workshop)"
  version_read_before 'cdk deploy InfraStack'
  assert_equal "$(count_calls "$VERSION_QUERY")" 1
  assert_call 'cdk deploy PlatformStack'
}

@test "up keeps a cluster on a version other than the default when the deploy sets it, and a re-run that deploys nothing is not checked" {
  run "$SCRIPTS/up.sh" --env alice -c kubernetesVersion=1.36
  assert_success
  [[ $(<"$STUB_DIR/clusters/alice-eks.version") == 1.36 ]]

  # Both stacks done: nothing is deployed, so nothing to check.
  rm "$STUB_DIR/calls.log"
  run "$SCRIPTS/up.sh" --env alice
  assert_success
  refute_call 'cdk deploy'
  refute_call "$VERSION_QUERY"

  rm "$STUB_DIR/stacks/alice-platform" "$STUB_DIR/calls.log"
  run "$SCRIPTS/up.sh" --env alice -c kubernetesVersion=1.36
  assert_success
  assert_output --partial "cluster alice-eks runs Kubernetes 1.36, the version this deploy sets (-c kubernetesVersion)"
  version_read_before 'cdk deploy PlatformStack .*-c kubernetesVersion=1\.36'
}

@test "up's first deploy asks for the cluster, finds none and deploys" {
  run "$SCRIPTS/up.sh" --env alice
  assert_success
  version_read_before 'cdk deploy InfraStack'
  assert_equal "$(count_calls "$VERSION_QUERY")" 1
}

@test "up does not upgrade a cluster: it points to upgrade.sh, one minor version at a time" {
  given_deployed alice
  echo 1.34 >"$STUB_DIR/clusters/alice-eks.version"
  run "$SCRIPTS/up.sh" --env alice --region us-west-2
  assert_failure 1
  assert_output --partial "cluster alice-eks runs Kubernetes 1.34, but this deploy would set 1.35 (the default of profile workshop): that is an upgrade, and up.sh does not upgrade a cluster. Nothing was deployed."
  assert_output --partial "Fix: upgrade with scripts/upgrade.sh --env alice --region us-west-2 --to 1.35 and the other -c options (it checks upgrade insights and add-ons first), then re-run this command; or keep 1.34: re-run with -c kubernetesVersion=1.34"
  refute_call 'cdk deploy'

  run "$SCRIPTS/up.sh" --env alice -c kubernetesVersion=1.36
  assert_failure 1
  assert_output --partial "this deploy would set 1.36 (-c kubernetesVersion): that is an upgrade"
  assert_output --partial "Fix: EKS upgrades one minor version at a time: scripts/upgrade.sh --env alice --to 1.35, and so on up to 1.36"
  refute_call 'cdk deploy'
}

@test "up does not deploy when it cannot read the cluster's version, and leaves a bad version to the deploy" {
  given_deployed alice
  aws_fails eks describe-cluster 1 AccessDeniedException "User: arn:aws:iam::123456789012:user/tester is not authorized to perform: eks:DescribeCluster"
  run "$SCRIPTS/up.sh" --env alice
  assert_failure 1
  assert_output --partial "cannot read the Kubernetes version of cluster alice-eks: An error occurred (AccessDeniedException) when calling the DescribeCluster operation: User: arn:aws:iam::123456789012:user/tester is not authorized"
  assert_output --partial "Fix: the AWS identity needs that permission"
  refute_call 'cdk deploy'

  # The deploy's synth refuses an unknown version before anything changes (the stub deploys it).
  run "$SCRIPTS/up.sh" --env alice -c kubernetesVersion=1.99
  assert_success
  assert_output --partial 'not comparing Kubernetes versions: the configuration is not valid (kubernetesVersion: got "1.99"'
}

@test "up times out when nodes never become Ready, naming what it waited for" {
  touch "$STUB_DIR/nodes_not_ready"
  run "$SCRIPTS/up.sh" --env alice --timeout-nodes 0
  assert_failure
  assert_output --partial "Timed out after 0s waiting for at least 1 node(s) of alice-eks to be Ready (last seen: 0/1 nodes Ready; not Ready: i-0abc)"
  assert_output --partial "up failed in phase 'nodes'"
  refute_call 'get deployments'
}

@test "up times out when a Deployment never becomes Available" {
  echo '{"items": [{"metadata": {"namespace": "argocd", "name": "argocd-server"}, "spec": {"replicas": 2}, "status": {"availableReplicas": 1}}]}' \
    >"$STUB_DIR/deployments.json"
  run "$SCRIPTS/up.sh" --env alice --timeout-deployments 0
  assert_failure
  assert_output --partial "Timed out after 0s waiting for all Deployments in alice-eks to be Available (last seen: 0/1 deployments Available; not yet: argocd/argocd-server(1/2))"
}

@test "up times out when an app URL keeps answering 503" {
  echo 503 >"$STUB_DIR/curl_code"
  run "$SCRIPTS/up.sh" --env alice --timeout-apps 0
  assert_failure
  assert_output --partial "Timed out after 0s waiting for the app URLs of alice to answer"
  assert_output --partial "http://game.alice.example does not answer (HTTP 503)"
}

@test "up reads a pending AppUrl from the cluster's load balancer address" {
  echo '{"AppUrlGame2048": "http://game.alice.example", "AppUrlPetstore": "pending"}' >"$STUB_DIR/platform_outputs.json"
  given_load_balancer
  run "$SCRIPTS/up.sh" --env alice
  assert_success
  assert_call '^curl .*http://game\.alice\.example$'
  assert_call '^curl .*http://petstore-lb\.elb\.example$'
  assert_output --partial "petstore/petstore: http://petstore-lb.elb.example"
}

@test "up keeps waiting while a pending AppUrl has no address in the cluster" {
  echo '{"AppUrlPetstore": "pending"}' >"$STUB_DIR/platform_outputs.json"
  run "$SCRIPTS/up.sh" --env alice --timeout-apps 0
  assert_failure
  assert_output --partial "0/1 app URLs answer; petstore/petstore: no load balancer address yet"
}

@test "up without AppUrl outputs skips the app check" {
  echo '{"TeamNamespaces": "team-a"}' >"$STUB_DIR/platform_outputs.json"
  run "$SCRIPTS/up.sh" --env alice
  assert_success
  assert_output --regexp "apps +skipped"
  refute_call '^curl '
}

@test "up passes region, account and extra context to cdk" {
  run "$SCRIPTS/up.sh" --env bob --region eu-west-1 --account 111122223333 -c profile=production -c compute=nodegroups
  assert_success
  assert_call '^npx --no-install cdk deploy InfraStack -c environment=bob -c region=eu-west-1 -c account=111122223333 -c profile=production -c compute=nodegroups -c clusterAdmins=arn:aws:iam::123456789012:user/tester --require-approval never'
  assert_call '^aws eks update-kubeconfig --name bob-eks --region eu-west-1 --alias bob-eks$'
}

@test "up makes the caller's IAM role (not its sts session) cluster admin unless admins are given" {
  echo 'arn:aws:sts::123456789012:assumed-role/WorkshopHost/alice@example.com' > "$STUB_DIR/caller_arn"
  run "$SCRIPTS/up.sh" --env carol
  assert_success
  assert_call '^npx --no-install cdk deploy InfraStack -c environment=carol -c region=us-west-2 -c clusterAdmins=arn:aws:iam::123456789012:role/WorkshopHost --require-approval never'
  run "$SCRIPTS/up.sh" --env dave -c clusterAdmins=arn:aws:iam::123456789012:role/Admin
  assert_success
  refute_call 'clusterAdmins=arn:aws:iam::123456789012:user/tester'
}

@test "up --dry-run prints the whole plan in order and runs nothing" {
  run --separate-stderr "$SCRIPTS/up.sh" --env alice --dry-run
  assert_success
  local out="$WORKSHOP_DIR/alice"
  assert_output "+ aws sts get-caller-identity --query Arn --output text
+ npm run --silent cost -- -c environment=alice -c region=us-west-2 -c 'clusterAdmins=<caller-arn>'
+ aws cloudformation describe-stacks --region us-west-2 --stack-name alice-infra --query 'Stacks[0].StackStatus' --output text
+ aws eks describe-cluster --region us-west-2 --name alice-eks --query cluster.version --output text
# stop here if alice-eks exists and runs a Kubernetes version other than the one this deploy sets (kubernetesVersion)
+ timeout 2400 npx --no-install cdk deploy InfraStack -c environment=alice -c region=us-west-2 -c 'clusterAdmins=<caller-arn>' --require-approval never --outputs-file $out/cdk-outputs-infra.json --output $out/cdk.out
+ aws cloudformation describe-stacks --region us-west-2 --stack-name alice-platform --query 'Stacks[0].StackStatus' --output text
+ timeout 2400 npx --no-install cdk deploy PlatformStack -c environment=alice -c region=us-west-2 -c 'clusterAdmins=<caller-arn>' --exclusively --require-approval never --outputs-file $out/cdk-outputs-platform.json --output $out/cdk.out
+ aws eks update-kubeconfig --name alice-eks --region us-west-2 --alias alice-eks
# wait up to 15m (poll every 0s) for: at least 1 node(s) of alice-eks to be Ready
+ kubectl --context alice-eks --request-timeout=30s get nodes -o json
# wait up to 15m (poll every 0s) for: all Deployments in alice-eks to be Available
+ kubectl --context alice-eks --request-timeout=30s get deployments -A -o json
# wait up to 15m (poll every 0s) for: the app URLs of alice to answer
# for each AppUrl* output of alice-platform (or Ingress/Service address when it says pending):
+ curl -s -o /dev/null -w '%{http_code}' --max-time 10 '<AppUrl>'"
  [[ ! -e $STUB_DIR/calls.log ]]
  [[ ! -e $WORKSHOP_DIR ]]
}

@test "up rejects an invalid environment name" {
  run "$SCRIPTS/up.sh" --env Alice_1
  assert_failure 2
  assert_output --partial "use lowercase letters, digits and hyphens"
  [[ ! -e $STUB_DIR/calls.log ]]
}

@test "up prints the AWS message, not the empty line the AWS CLI prints before it" {
  aws_fails sts get-caller-identity 1 InvalidClientTokenId "The security token included in the request is invalid."
  run "$SCRIPTS/up.sh" --env alice
  assert_failure
  assert_output --partial "cannot read the caller identity: An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The security token included in the request is invalid. (fix:"

  aws_fails cloudformation describe-stacks 1 ValidationError "1 validation error detected"
  run "$SCRIPTS/up.sh" --env alice
  assert_failure
  assert_output --partial "cannot read CloudFormation stack alice-infra: An error occurred (ValidationError) when calling the DescribeStacks operation: 1 validation error detected"
}

@test "up retries throttled read-only AWS calls" {
  aws_fails sts get-caller-identity 2 Throttling "Rate exceeded"
  aws_fails cloudformation describe-stacks 1 Throttling "Rate exceeded"
  run "$SCRIPTS/up.sh" --env alice
  assert_success
  assert_equal "$(count_calls '^aws sts get-caller-identity')" 3
  assert_output --partial "throttled"
  assert_output --partial "Environment alice is ready"
}

@test "up stops at once, with the AWS message and what to do, when access is denied while it waits for a stack" {
  given_stack alice-infra CREATE_IN_PROGRESS
  aws_fails cloudformation describe-stacks after-1 AccessDenied "User: arn:aws:iam::123456789012:user/tester is not authorized to perform: cloudformation:DescribeStacks"
  run "$SCRIPTS/up.sh" --env alice --timeout-stack 3
  assert_failure 1
  assert_equal "$(count_calls '^aws cloudformation describe-stacks ')" 2
  assert_output --partial "An error occurred (AccessDenied) when calling the DescribeStacks operation: User: arn:aws:iam::123456789012:user/tester is not authorized"
  assert_output --partial "needs that permission"
  refute_output --partial "Timed out"
  refute_call 'cdk deploy'
}

@test "up checks its tools before anything else, and marks no stack running" {
  without timeout
  run "$SCRIPTS/up.sh" --env alice
  assert_failure 1
  assert_output --partial "missing timeout"
  refute_call 'cdk deploy'
  [[ ! -e $WORKSHOP_DIR/alice/state ]]
}

@test "up with a read-only kubeconfig checks the cluster through a kubeconfig of its own and says what is wrong" {
  touch "$STUB_DIR/kubeconfig_readonly"
  run "$SCRIPTS/up.sh" --env alice
  assert_success
  assert_call '^kubectl --kubeconfig [^ ]+ --context alice-eks .*get nodes'
  assert_output --partial "cannot add context alice-eks to your kubeconfig"
  assert_output --partial "[Errno 13] Permission denied: '$HOME/.kube/config'"
  assert_output --regexp "kubeconfig +temporary"
}

@test "up writes the state file and outputs.json through temporary files of its own, so that two runs cannot collide" {
  # Another run's temporary files, under the names a fixed-name write would use.
  mkdir -p "$WORKSHOP_DIR/alice/state.tmp" "$WORKSHOP_DIR/alice/outputs.json.tmp"
  run "$SCRIPTS/up.sh" --env alice
  assert_success
  run cat "$WORKSHOP_DIR/alice/state"
  assert_line infra=done
  assert_line platform=done
  run node -e 'console.log(Object.keys(require(process.argv[1])).join(" "))' "$WORKSHOP_DIR/alice/outputs.json"
  assert_output "alice-infra alice-platform"
  assert_equal "$(ls "$WORKSHOP_DIR/alice")" "outputs.json
outputs.json.tmp
state
state.tmp"
}

@test "up counts only the pending app's own Ingress or Service, not any load balancer in the cluster" {
  echo '{"AppUrlPetstore": "pending"}' >"$STUB_DIR/platform_outputs.json"
  cat >"$STUB_DIR/services.json" <<'JSON'
{"items": [
  {"metadata": {"namespace": "other", "name": "unrelated"}, "spec": {"type": "LoadBalancer", "ports": [{"port": 80}]},
   "status": {"loadBalancer": {"ingress": [{"hostname": "unrelated-lb.elb.example"}]}}},
  {"metadata": {"namespace": "petstore", "name": "petstore"}, "spec": {"type": "LoadBalancer", "ports": [{"port": 80}]}, "status": {}}
]}
JSON
  run "$SCRIPTS/up.sh" --env alice --timeout-apps 0
  assert_failure
  refute_call 'unrelated'
  assert_output --partial "0/1 app URLs answer; petstore/petstore: no load balancer address yet"

  # An output may name its object: pending:NAMESPACE/NAME. Here an Ingress, on port 80.
  echo '{"AppUrlShop": "pending:shop/frontend"}' >"$STUB_DIR/platform_outputs.json"
  echo '{"items": [{"metadata": {"namespace": "shop", "name": "frontend"}, "status": {"loadBalancer": {"ingress": [{"hostname": "shop-alb.elb.example"}]}}}]}' \
    >"$STUB_DIR/ingresses.json"
  rm "$WORKSHOP_DIR/alice/state" # deploy again, so that the new outputs are written
  run "$SCRIPTS/up.sh" --env alice --timeout-apps 0
  assert_success
  assert_call '^curl .*http://shop-alb\.elb\.example$'
  refute_call 'unrelated'
  assert_output --partial "shop/frontend: http://shop-alb.elb.example"
}

@test "up prints the cost estimate of the same context before it deploys anything" {
  run "$SCRIPTS/up.sh" --env alice -c compute=nodegroups
  assert_success
  local estimate infra
  estimate=$(line_of '^npm run --silent cost -- -c environment=alice -c region=us-west-2 -c compute=nodegroups -c clusterAdmins=arn:aws:iam::123456789012:user/tester$')
  infra=$(line_of 'cdk deploy InfraStack')
  ((estimate > 0 && estimate < infra))
  assert_output --partial "Cost estimate for environment \"alice\" in us-west-2: Total, with the assumptions \$0.4577/h"
}

@test "up deploys anyway when the estimate cannot be made, with the estimate's reason" {
  fail_times npm_cost 1
  run "$SCRIPTS/up.sh" --env alice
  assert_success
  assert_output --partial 'WARNING: no cost estimate for alice: region: got "ap-south-2"; allowed: a region with a price table'
  assert_call 'cdk deploy InfraStack'
}

# PlatformStack's outputs in a gitops environment (its GitOps output, Applications in NAMESPACE).
given_gitops_outputs() {
  local value
  value=$(gitops_output "${1:-argocd}")
  printf '{"AppUrlGame2048": "http://game.alice.example", "GitOps": "%s"}\n' "${value//\"/\\\"}" >"$STUB_DIR/platform_outputs.json"
}

@test "up in a gitops environment waits, after the nodes, for every Application to be Synced and Healthy" {
  given_gitops_outputs gitops-system
  given_application gitops-system metrics-server 0 Synced Healthy
  given_application gitops-system storage 3 Synced Healthy
  run "$SCRIPTS/up.sh" --env alice
  assert_success
  local nodes apps deploys
  nodes=$(line_of '^kubectl --context alice-eks .*get nodes')
  apps=$(line_of '^kubectl --context alice-eks --request-timeout=30s get applications\.argoproj\.io -n gitops-system -l app\.kubernetes\.io/part-of=cdk-eks-platform,app\.kubernetes\.io/managed-by=cdk -o json$')
  deploys=$(line_of '^kubectl --context alice-eks .*get deployments -A')
  ((nodes > 0 && nodes < apps && apps < deploys))
  assert_output --partial "ok: every Argo CD Application of alice to be Synced and Healthy (2/2 Applications Synced and Healthy)"
  assert_output --regexp "applications +done"
}

@test "up in a gitops environment fails after a bounded wait, naming the Application that is not Healthy and its failing resource" {
  given_gitops_outputs
  given_application argocd metrics-server 0 Synced Healthy
  given_application argocd karpenter 3 OutOfSync Progressing '"resources": [
    {"kind": "Deployment", "namespace": "karpenter", "name": "karpenter", "status": "Synced", "health": {"status": "Progressing", "message": "Waiting for rollout to finish: 0 of 2 updated replicas are available..."}}]'
  run "$SCRIPTS/up.sh" --env alice --timeout-applications 0
  assert_failure
  assert_output --partial "Timed out after 0s waiting for every Argo CD Application of alice to be Synced and Healthy (last seen: 1/2 Applications Synced and Healthy; not yet: karpenter: OutOfSync, Progressing; failing: Deployment karpenter/karpenter Progressing: Waiting for rollout to finish: 0 of 2 updated replicas are available...)"
  assert_output --partial "up failed in phase 'applications'"
  refute_call 'get deployments'
}

@test "up in a helm environment (no GitOps output) waits for no Application" {
  given_application argocd metrics-server 0 Synced Degraded
  run "$SCRIPTS/up.sh" --env alice
  assert_success
  refute_call 'applications'
  refute_output --regexp "applications +"
}

@test "up --dry-run of a gitops configuration plans the wait for the Applications after the nodes" {
  run --separate-stderr "$SCRIPTS/up.sh" --env alice --dry-run -c delivery=gitops -c addons=metrics-server,argo-cd
  assert_success
  local k="kubectl --context alice-eks --request-timeout=30s"
  assert_output --partial "+ $k get nodes -o json
# wait up to 15m (poll every 0s) for: every Argo CD Application of alice to be Synced and Healthy
+ $k get applications.argoproj.io -n '<namespace of the GitOps output>' -l '<labels of the GitOps output>' -o json
# wait up to 15m (poll every 0s) for: all Deployments in alice-eks to be Available"
  [[ ! -e $STUB_DIR/calls.log ]]
}
