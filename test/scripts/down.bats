#!/usr/bin/env bats
# scripts/down.sh against the stubs.

load helper

LB_ARN="arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/net/k8s-default-petstore/0123456789abcdef"

# The calls that matter for ordering, one word-ish line each.
events() {
  awk '
    /kubectl .*delete ingress --all --all-namespaces/ { print "delete ingresses" }
    /kubectl .*delete service/ { print "delete service " $(NF-3) "/" $(NF-2) }
    /get-resources .*--resource-type-filters elasticloadbalancing:loadbalancer --tag-filters/ { print "lb query -> " $NF }
    /elbv2 delete-load-balancer/ { print "delete load balancer" }
    /cdk destroy PlatformStack/ { print "destroy PlatformStack" }
    /cdk destroy InfraStack/ { print "destroy InfraStack" }
  ' "$STUB_DIR/calls.log"
}

@test "down deletes LB owners, waits for the load balancers to go, then PlatformStack, then InfraStack" {
  given_deployed alice
  given_load_balancer
  echo 2 >"$STUB_DIR/lb_queries_left"
  run "$SCRIPTS/down.sh" --env alice
  assert_success
  assert_equal "$(events)" "delete ingresses
delete service petstore/petstore
lb query -> 1
lb query -> 1
lb query -> 0
lb query -> 0
destroy PlatformStack
destroy InfraStack"
  assert_output --partial "Environment alice is deleted"
  [[ ! -e $STUB_DIR/stacks/alice-platform && ! -e $STUB_DIR/stacks/alice-infra ]]
}

@test "down twice succeeds; the second run destroys nothing" {
  given_deployed alice
  run "$SCRIPTS/down.sh" --env alice
  assert_success
  rm "$STUB_DIR/calls.log"
  run "$SCRIPTS/down.sh" --env alice
  assert_success
  refute_call 'cdk destroy'
  assert_output --partial "cluster alice-eks does not exist: no Kubernetes objects to delete"
  assert_output --partial "alice-platform does not exist: nothing to destroy"
  assert_output --partial "alice-infra does not exist: nothing to destroy"
}

@test "down on a half-deleted environment: PlatformStack gone, cluster unreachable" {
  given_stack alice-infra
  echo ACTIVE >"$STUB_DIR/clusters/alice-eks"
  fail_times kubectl always
  run "$SCRIPTS/down.sh" --env alice
  assert_success
  assert_output --partial "cannot reach cluster alice-eks"
  refute_call 'cdk destroy PlatformStack'
  assert_call 'cdk destroy InfraStack'
}

@test "down when the cluster and PlatformStack are gone but InfraStack failed to delete" {
  given_stack alice-infra DELETE_FAILED
  run "$SCRIPTS/down.sh" --env alice
  assert_success
  refute_call '^kubectl .*delete'
  assert_equal "$(events)" "lb query -> 0
lb query -> 0
destroy InfraStack"
}

@test "down times out when load balancers never go away, and destroys nothing" {
  given_deployed alice
  given_load_balancer
  run "$SCRIPTS/down.sh" --env alice --timeout-lb 0
  assert_failure
  assert_output --partial "Timed out after 0s waiting for load balancers tagged for alice-eks to be deleted (last seen: 1 load balancer(s) left: $LB_ARN)"
  assert_output --partial "re-run with --delete-leftovers"
  assert_output --partial "down failed in phase 'load-balancers'"
  refute_call 'cdk destroy'
}

@test "down --delete-leftovers deletes load balancers the controller did not" {
  given_deployed alice
  given_load_balancer
  run "$SCRIPTS/down.sh" --env alice --timeout-lb 0 --delete-leftovers
  assert_success
  assert_equal "$(events)" "delete ingresses
delete service petstore/petstore
lb query -> 1
lb query -> 1
delete load balancer
lb query -> 0
lb query -> 0
destroy PlatformStack
destroy InfraStack"
}

@test "down stops at once when the cluster is unreachable and load balancers remain" {
  given_deployed alice
  given_load_balancer
  fail_times kubectl always
  run "$SCRIPTS/down.sh" --env alice
  assert_failure
  assert_output --partial "no controller can delete the 1 load balancer(s) tagged for alice-eks ($LB_ARN); re-run with --delete-leftovers"
  refute_call 'cdk destroy'
}

@test "down ignores load balancers the tagging API still lists after deletion" {
  given_deployed alice
  echo "$LB_ARN" >"$STUB_DIR/stale_lbs"
  run "$SCRIPTS/down.sh" --env alice --timeout-lb 0
  assert_success
  assert_call "^aws elbv2 describe-load-balancers --region us-west-2 --load-balancer-arns $LB_ARN"
  assert_call 'cdk destroy InfraStack'
}

@test "production: down keeps the environment's log groups and lists them, reports other leftovers, deletes nothing" {
  given_deployed alice
  given_teardown alice-platform production
  echo alice-infra-Handler886CB40B-abc >"$STUB_DIR/stacks/alice-infra.functions"
  printf '%s\n' /aws/eks/alice-eks/cluster /aws/lambda/alice-infra-Handler886CB40B-abc /aws/lambda/alice-platform/ClusterKubectlProviderHandler2E05C68A >"$STUB_DIR/log_groups"
  printf '%s\t%s\n' "arn:aws:logs:us-west-2:123456789012:log-group:/aws/lambda/alice-platform/ClusterKubectlProviderHandler2E05C68A:*" \
    aws:cloudformation:stack-name=alice-platform >"$STUB_DIR/tagged_log_groups"
  echo '[{"id": "sg-0123", "vpc": "vpc-9", "name": "k8s-traffic-alice", "note": "k8s-traffic-alice", "tags": [{"Key": "elbv2.k8s.aws/cluster", "Value": "alice-eks"}]},
         {"id": "sg-other", "vpc": "vpc-9", "name": "bob", "note": "bob", "tags": [{"Key": "elbv2.k8s.aws/cluster", "Value": "bob-eks"}]}]' >"$STUB_DIR/sgs.json"
  run "$SCRIPTS/down.sh" --env alice
  assert_success
  assert_output --partial "profile production, from the Teardown output of alice-platform"
  assert_output --partial "security-group  sg-0123  (k8s-traffic-alice)"
  refute_output --partial "sg-other"
  assert_output --partial "delete them with: scripts/down.sh --env alice --delete-leftovers"
  assert_output --partial "Log groups kept for alice (profile production: what it logged is kept, NOT deleted):
  /aws/eks/alice-eks/cluster
  /aws/lambda/alice-infra-Handler886CB40B-abc
  /aws/lambda/alice-platform/ClusterKubectlProviderHandler2E05C68A"
  refute_output --partial "log-group       "
  refute_call 'delete-security-group|delete-log-group'
  [[ ! -e $WORKSHOP_DIR/alice ]]

  # Not even --delete-leftovers deletes what production keeps.
  given_deployed alice
  given_teardown alice-platform production
  run "$SCRIPTS/down.sh" --env alice --delete-leftovers
  assert_success
  assert_call '^aws ec2 delete-security-group --region us-west-2 --group-id sg-0123$'
  refute_call 'delete-log-group'
  assert_output --partial "Log groups kept for alice"
}

@test "workshop: a happy down leaves nothing: the environment's log groups by exact name and tag, and its state" {
  run "$SCRIPTS/up.sh" --env alice
  assert_success
  given_teardown alice-platform workshop
  [[ -f $WORKSHOP_DIR/alice/state ]]
  # Control plane and Container Insights (exact names), a function log group of a stack deployed
  # before functions got groups of their own (recorded exact name), one retained by a stack (tag).
  echo alice-infra-Handler886CB40B-abc >"$STUB_DIR/stacks/alice-infra.functions"
  printf '%s\n' /aws/eks/alice-eks/cluster /aws/containerinsights/alice-eks/application /aws/lambda/alice-infra-Handler886CB40B-abc \
    /alice-infra/flow-logs /aws/eks/alice-eks-old/cluster /aws/lambda/alice-infra-Handler886CB40B-abcd >"$STUB_DIR/log_groups"
  printf '%s\t%s\n' "arn:aws:logs:us-west-2:123456789012:log-group:/alice-infra/flow-logs:*" aws:cloudformation:stack-name=alice-infra \
    >"$STUB_DIR/tagged_log_groups"
  run "$SCRIPTS/down.sh" --env alice
  assert_success
  assert_output --partial "profile workshop: deleting what is left of alice"
  assert_equal "$(grep 'delete-log-group' "$STUB_DIR/calls.log" | sed 's/.*--log-group-name //' | sort)" \
    "/alice-infra/flow-logs
/aws/containerinsights/alice-eks/application
/aws/eks/alice-eks/cluster
/aws/lambda/alice-infra-Handler886CB40B-abc"
  (($(line_of 'cdk destroy InfraStack') < $(line_of 'delete-log-group')))
  assert_output --partial "No leftovers for alice"
  refute_output --partial "--delete-leftovers"
  assert_output --partial "Environment alice is deleted"
  [[ ! -e $WORKSHOP_DIR/alice ]]
  assert_equal "$(<"$STUB_DIR/log_groups")" "/aws/eks/alice-eks-old/cluster
/aws/lambda/alice-infra-Handler886CB40B-abcd"
}

@test "workshop: stacks deleted some other way: down finds what is left by exact names and tags, deletes it, forgets the environment" {
  mkdir -p "$WORKSHOP_DIR/alice"
  printf 'infra=done\nplatform=done\n' >"$WORKSHOP_DIR/alice/state"
  printf '%s\n' /aws/eks/alice-eks/cluster /aws/lambda/alice-platform/ClusterKubectlProviderHandler2E05C68A /aws/lambda/alice-platformx/Other >"$STUB_DIR/log_groups"
  printf '%s\t%s\n' \
    "arn:aws:logs:us-west-2:123456789012:log-group:/aws/lambda/alice-platform/ClusterKubectlProviderHandler2E05C68A:*" aws:cloudformation:stack-name=alice-platform \
    "arn:aws:logs:us-west-2:123456789012:log-group:/aws/lambda/alice-platformx/Other:*" aws:cloudformation:stack-name=alice-platformx \
    >"$STUB_DIR/tagged_log_groups"
  run "$SCRIPTS/down.sh" --env alice
  assert_success
  assert_output --partial "alice-platform does not exist: nothing to destroy"
  assert_output --partial "profile workshop, from the configuration (the default of profile workshop): alice-platform publishes none"
  assert_equal "$(grep 'delete-log-group' "$STUB_DIR/calls.log" | sed 's/.*--log-group-name //' | sort)" \
    "/aws/eks/alice-eks/cluster
/aws/lambda/alice-platform/ClusterKubectlProviderHandler2E05C68A"
  [[ ! -e $WORKSHOP_DIR/alice ]]

  # The same with -c profile=production: kept and listed.
  printf '%s\n' /aws/eks/alice-eks/cluster >"$STUB_DIR/log_groups"
  rm "$STUB_DIR/calls.log"
  run "$SCRIPTS/down.sh" --env alice -c profile=production
  assert_success
  assert_output --partial "profile production, from the configuration (-c profile)"
  assert_output --partial "Log groups kept for alice (profile production"
  refute_call 'delete-log-group'
}

@test "down --delete-leftovers deletes the leftovers it finds" {
  given_deployed alice
  echo /aws/eks/alice-eks/cluster >"$STUB_DIR/log_groups"
  echo "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/k8s-petstore/0abc" >"$STUB_DIR/tgs"
  echo '[{"id": "sg-0123", "vpc": "vpc-9", "name": "k8s-traffic-alice", "note": "k8s-traffic-alice", "tags": [{"Key": "eks:eks-cluster-name", "Value": "alice-eks"}]}]' >"$STUB_DIR/sgs.json"
  run "$SCRIPTS/down.sh" --env alice --delete-leftovers
  assert_success
  assert_call '^aws elbv2 delete-target-group --region us-west-2 --target-group-arn arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/k8s-petstore/0abc$'
  assert_call '^aws ec2 delete-security-group --region us-west-2 --group-id sg-0123$'
  assert_call '^aws logs delete-log-group --region us-west-2 --log-group-name /aws/eks/alice-eks/cluster$'
  assert_output --partial "No leftovers for alice"
}

@test "down: InfraStack blocked by an ENI fails with the leftovers; --delete-leftovers removes it and retries" {
  given_deployed alice
  echo vpc-0a1 >"$STUB_DIR/vpcs"
  echo '[{"id": "eni-0abc", "vpc": "vpc-0a1", "status": "available", "note": "AWS Lambda VPC ENI-alice-infra-Handler", "tags": []}]' >"$STUB_DIR/enis.json"
  run "$SCRIPTS/down.sh" --env alice
  assert_failure
  assert_output --partial "eni             eni-0abc  (available: AWS Lambda VPC ENI-alice-infra-Handler)"
  assert_output --partial "vpc             vpc-0a1"
  assert_output --partial "alice-infra is not destroyed"
  assert_output --partial "down failed in phase 'infra'"

  rm "$STUB_DIR/calls.log"
  run "$SCRIPTS/down.sh" --env alice --delete-leftovers
  assert_success
  assert_call '^aws ec2 delete-network-interface --region us-west-2 --network-interface-id eni-0abc$'
  (($(line_of 'delete-network-interface') < $(last_line_of 'cdk destroy InfraStack')))
  assert_output --partial "No leftovers for alice"
  [[ ! -e $STUB_DIR/stacks/alice-infra ]]
}

@test "down keeps InfraStack when PlatformStack cannot be destroyed" {
  given_deployed alice
  fail_times cdk-destroy-PlatformStack 1
  run "$SCRIPTS/down.sh" --env alice
  assert_failure
  assert_output --partial "alice-platform is not destroyed, so alice-infra is kept (its exports are still in use)"
  refute_call 'cdk destroy InfraStack'
}

@test "down forgets the environment locally once both stacks are gone" {
  run "$SCRIPTS/up.sh" --env alice
  assert_success
  [[ -f $WORKSHOP_DIR/alice/state && -f $STUB_DIR/contexts/alice-eks ]]
  run "$SCRIPTS/down.sh" --env alice
  assert_success
  [[ ! -e $WORKSHOP_DIR/alice ]]
  [[ ! -e $STUB_DIR/contexts/alice-eks ]]
}

@test "down --dry-run prints the whole plan in order and runs nothing" {
  run --separate-stderr "$SCRIPTS/down.sh" --env alice --dry-run
  assert_success
  local out="$WORKSHOP_DIR/alice/cdk.out"
  local k="kubectl --context alice-eks --request-timeout=30s" r="--region us-west-2"
  local functions="'StackResourceSummaries[?ResourceType=='\''AWS::Lambda::Function'\'' || ResourceType=='\''AWS::CloudFormation::Stack'\''].[ResourceType,PhysicalResourceId]'"
  local keys="elbv2.k8s.aws/cluster,eks:eks-cluster-name,aws:eks:cluster-name,cluster.k8s.amazonaws.com/name,kubernetes.io/cluster/alice-eks,aws:cloudformation:stack-name"
  assert_output "+ aws eks describe-cluster $r --name alice-eks --query '[cluster.status,cluster.deletionProtection]' --output text
+ aws cloudformation describe-stacks $r --stack-name alice-platform --query 'Stacks[0].Outputs[?OutputKey=='\''Teardown'\''].OutputValue' --output text
+ aws eks update-kubeconfig --name alice-eks $r --alias alice-eks
+ $k delete ingress --all --all-namespaces --wait=false
+ $k get services --all-namespaces -o json
# for each Service of type LoadBalancer:
+ $k delete service -n '<namespace>' '<name>' --wait=false --ignore-not-found
# for each claim entry of the Teardown output (CSI driver DRIVER): delete the claims of DRIVER's volumes, wait for the volumes to go
# wait up to 15m (poll every 0s) for: load balancers tagged for alice-eks to be deleted
+ aws resourcegroupstaggingapi get-resources $r --resource-type-filters elasticloadbalancing:loadbalancer --tag-filters Key=elbv2.k8s.aws/cluster,Values=alice-eks --query 'ResourceTagMappingList[].ResourceARN' --output text
+ aws resourcegroupstaggingapi get-resources $r --resource-type-filters elasticloadbalancing:loadbalancer --tag-filters Key=eks:eks-cluster-name,Values=alice-eks --query 'ResourceTagMappingList[].ResourceARN' --output text
+ aws cloudformation describe-stacks $r --stack-name alice-platform --query 'Stacks[0].StackStatus' --output text
+ aws cloudformation list-stack-resources $r --stack-name alice-platform --query $functions --output text
+ timeout 2400 npx --no-install cdk destroy PlatformStack -c environment=alice -c region=us-west-2 --force --output $out
+ aws cloudformation describe-stacks $r --stack-name alice-platform --query 'Stacks[0].StackStatus' --output text
+ aws cloudformation describe-stacks $r --stack-name alice-infra --query 'Stacks[0].StackStatus' --output text
+ aws cloudformation list-stack-resources $r --stack-name alice-infra --query $functions --output text
+ timeout 2400 npx --no-install cdk destroy InfraStack -c environment=alice -c region=us-west-2 --force --output $out
+ aws cloudformation describe-stacks $r --stack-name alice-infra --query 'Stacks[0].StackStatus' --output text
+ aws resourcegroupstaggingapi get-resources $r --resource-type-filters elasticloadbalancing:loadbalancer elasticloadbalancing:targetgroup --tag-filters Key=elbv2.k8s.aws/cluster,Values=alice-eks --query 'ResourceTagMappingList[].ResourceARN' --output text
+ aws resourcegroupstaggingapi get-resources $r --resource-type-filters elasticloadbalancing:loadbalancer elasticloadbalancing:targetgroup --tag-filters Key=eks:eks-cluster-name,Values=alice-eks --query 'ResourceTagMappingList[].ResourceARN' --output text
+ aws ec2 describe-vpcs $r --filters Name=tag:aws:cloudformation:stack-name,Values=alice-infra --query 'Vpcs[].VpcId' --output text
+ aws ec2 describe-network-interfaces $r --filters Name=tag-key,Values=$keys --query 'NetworkInterfaces[].{id:NetworkInterfaceId,vpc:VpcId,status:Status,note:Description,tags:TagSet}' --output json
+ aws ec2 describe-security-groups $r --filters Name=tag-key,Values=$keys --query 'SecurityGroups[].{id:GroupId,vpc:VpcId,name:GroupName,note:GroupName,tags:Tags}' --output json
+ aws logs describe-log-groups $r --log-group-name-prefix /aws/eks/alice-eks/ --query 'logGroups[].logGroupName' --output text
+ aws logs describe-log-groups $r --log-group-name-prefix /aws/containerinsights/alice-eks/ --query 'logGroups[].logGroupName' --output text
# look up /aws/lambda/FUNCTION for each Lambda function the stacks had (listed before each destroy)
+ aws resourcegroupstaggingapi get-resources $r --resource-type-filters logs:log-group --tag-filters Key=aws:cloudformation:stack-name,Values=alice-infra,alice-platform --query 'ResourceTagMappingList[].ResourceARN' --output text
# for each kept entry of the Teardown output: list it by its tag (aws resourcegroupstaggingapi get-resources); never delete it, even as a leftover
# delete each leftover found above: aws elbv2 delete-load-balancer / delete-target-group, aws ec2 delete-network-interface / delete-security-group, aws logs delete-log-group
+ kubectl config get-contexts alice-eks -o name
+ kubectl config delete-context alice-eks"
  [[ ! -e $STUB_DIR/calls.log ]]
}

@test "down prints the AWS message, not the empty line the AWS CLI prints before it" {
  given_deployed alice
  aws_fails eks describe-cluster 1 ResourceInUseException "Cluster is being updated"
  run "$SCRIPTS/down.sh" --env alice
  assert_success
  assert_output --partial "cluster alice-eks is unknown (An error occurred (ResourceInUseException) when calling the DescribeCluster operation: Cluster is being updated): its Ingresses and Services are not deleted"
}

@test "down retries a throttled describe-cluster instead of treating a healthy cluster as unknown" {
  given_deployed alice
  given_load_balancer
  echo 2 >"$STUB_DIR/lb_queries_left"
  aws_fails eks describe-cluster 1 ThrottlingException "Rate exceeded"
  run "$SCRIPTS/down.sh" --env alice
  assert_success
  assert_equal "$(count_calls '^aws eks describe-cluster ')" 2
  assert_call 'delete ingress --all --all-namespaces'
  refute_output --partial "unknown"
  refute_output --partial "--delete-leftovers"
  assert_output --partial "Environment alice is deleted"
}

@test "down retries a throttled call of the leftover scan once both stacks are gone, then forgets the environment" {
  given_deployed alice
  mkdir -p "$WORKSHOP_DIR/alice"
  printf 'infra=done\nplatform=done\n' >"$WORKSHOP_DIR/alice/state"
  aws_fails ec2 describe-vpcs 2 RequestLimitExceeded "Request limit exceeded."
  aws_fails logs describe-log-groups 1 ThrottlingException "Rate exceeded"
  run "$SCRIPTS/down.sh" --env alice
  assert_success
  assert_output --partial "No leftovers for alice"
  [[ ! -e $WORKSHOP_DIR/alice ]]
}

@test "down: a leftover scan that keeps failing reports the AWS error, not a stale one, and still forgets the environment" {
  given_deployed alice
  mkdir -p "$WORKSHOP_DIR/alice"
  printf 'infra=done\nplatform=done\n' >"$WORKSHOP_DIR/alice/state"
  aws_fails ec2 describe-vpcs always Throttling "Rate exceeded"
  run "$SCRIPTS/down.sh" --env alice
  assert_failure 1
  assert_equal "$(count_calls '^aws ec2 describe-vpcs ')" 5
  assert_output --partial "cannot list leftovers: An error occurred (Throttling) when calling the DescribeVpcs operation: Rate exceeded"
  refute_output --partial "cannot list leftovers: 0 load balancer(s) left"
  assert_output --partial "both stacks are gone"
  [[ ! -e $WORKSHOP_DIR/alice ]]
  [[ ! -e $STUB_DIR/contexts/alice-eks ]]
}

@test "down stops at once, with the AWS message and what to do, when the credentials expire while it waits" {
  given_deployed alice
  given_load_balancer
  aws_fails resourcegroupstaggingapi get-resources always ExpiredTokenException "The security token included in the request is expired"
  run "$SCRIPTS/down.sh" --env alice --timeout-lb 3
  assert_failure 1
  assert_equal "$(count_calls '^aws resourcegroupstaggingapi get-resources ')" 1
  assert_output --partial "An error occurred (ExpiredTokenException) when calling the GetResources operation: The security token included in the request is expired"
  assert_output --partial "log in again"
  refute_output --partial "Timed out"
  refute_call 'cdk destroy'
}

@test "down with expired credentials stops before it deletes anything" {
  given_deployed alice
  aws_fails eks describe-cluster always ExpiredToken "The security token included in the request is expired"
  run "$SCRIPTS/down.sh" --env alice
  assert_failure 1
  assert_output --partial "cannot describe cluster alice-eks: An error occurred (ExpiredToken) when calling the DescribeCluster operation: The security token included in the request is expired. Fix: the AWS credentials have expired or are not valid: log in again"
  refute_call 'delete|destroy'
}

@test "down --delete-leftovers deletes only what is exactly its environment's, never what merely starts with its name" {
  # Environments dev-infra (stacks dev-infra-infra, dev-infra-platform, cluster dev-infra-eks) and
  # dev-platform share the account with dev; their names start with dev's stack names.
  given_deployed dev
  given_deployed dev-infra
  echo dev-infra-Handler886CB40B-AbC123 >"$STUB_DIR/stacks/dev-infra.functions"
  printf '%s\n' /aws/eks/dev-eks/cluster /aws/lambda/dev-infra-Handler886CB40B-AbC123 \
    /aws/eks/dev-infra-eks/cluster /aws/containerinsights/dev-infra-eks/application \
    /aws/lambda/dev-infra-infra-Handler886CB40B-XyZ789 /aws/lambda/dev-infra-platform-Provider1A2B-Qw3 \
    /aws/lambda/dev-platform-infra-Handler886CB40B-Rt5 /aws/lambda/dev-infra-Handler886CB40B-AbC123-copy >"$STUB_DIR/log_groups"
  printf '%s\t%s\n' \
    "arn:aws:logs:us-west-2:123456789012:log-group:/dev-infra/flow-logs:*" aws:cloudformation:stack-name=dev-infra \
    "arn:aws:logs:us-west-2:123456789012:log-group:/dev-infra-infra/flow-logs:*" aws:cloudformation:stack-name=dev-infra-infra \
    >"$STUB_DIR/tagged_log_groups"
  printf '%s\n' /dev-infra/flow-logs /dev-infra-infra/flow-logs >>"$STUB_DIR/log_groups"
  echo '[{"id": "sg-dev", "vpc": "vpc-1", "name": "k8s-dev", "note": "k8s-dev", "tags": [{"Key": "elbv2.k8s.aws/cluster", "Value": "dev-eks"}]},
         {"id": "sg-devinfra", "vpc": "vpc-2", "name": "k8s-di", "note": "k8s-di", "tags": [{"Key": "elbv2.k8s.aws/cluster", "Value": "dev-infra-eks"}]},
         {"id": "sg-devinfra-stack", "vpc": "vpc-2", "name": "di", "note": "di", "tags": [{"Key": "aws:cloudformation:stack-name", "Value": "dev-infra-infra"}]}]' >"$STUB_DIR/sgs.json"
  run "$SCRIPTS/down.sh" --env dev --delete-leftovers
  assert_success
  assert_call '^aws ec2 delete-security-group --region us-west-2 --group-id sg-dev$'
  refute_call 'delete-security-group .*sg-devinfra'
  assert_equal "$(count_calls 'delete-security-group')" 1
  assert_equal "$(grep 'delete-log-group' "$STUB_DIR/calls.log" | sed 's/.*--log-group-name //' | sort)" \
    "/aws/eks/dev-eks/cluster
/aws/lambda/dev-infra-Handler886CB40B-AbC123
/dev-infra/flow-logs"
  [[ -f $STUB_DIR/stacks/dev-infra-infra && -f $STUB_DIR/clusters/dev-infra-eks ]]
}

@test "down keeps the names of the stacks' Lambda functions while their log groups could not be deleted, for the next run" {
  given_deployed alice
  echo alice-platform-Provider1A2B3C-Qw3 >"$STUB_DIR/stacks/alice-platform.functions"
  echo alice-infra-Handler886CB40B-abc >"$STUB_DIR/stacks/alice-infra.functions"
  printf '%s\n' /aws/lambda/alice-infra-Handler886CB40B-abc /aws/lambda/alice-platform-Provider1A2B3C-Qw3 >"$STUB_DIR/log_groups"
  aws_fails logs delete-log-group 2 OperationAbortedException "A conflicting operation is currently in progress"
  run "$SCRIPTS/down.sh" --env alice
  assert_failure 1
  assert_output --partial "log-group       /aws/lambda/alice-platform-Provider1A2B3C-Qw3"
  assert_output --partial "some leftovers could not be deleted"
  assert_equal "$(ls "$WORKSHOP_DIR/alice")" lambda-functions

  run "$SCRIPTS/down.sh" --env alice
  assert_success
  assert_call '^aws logs delete-log-group --region us-west-2 --log-group-name /aws/lambda/alice-infra-Handler886CB40B-abc$'
  assert_call '^aws logs delete-log-group --region us-west-2 --log-group-name /aws/lambda/alice-platform-Provider1A2B3C-Qw3$'
  assert_output --partial "No leftovers for alice"
  [[ ! -e $WORKSHOP_DIR/alice ]]
}

@test "down checks every tool it needs before it deletes anything" {
  given_deployed alice
  given_load_balancer
  echo 1 >"$STUB_DIR/lb_queries_left"
  without timeout node
  run "$SCRIPTS/down.sh" --env alice
  assert_failure 1
  assert_output --partial "missing node, timeout"
  refute_call 'delete|destroy'
  [[ -f $STUB_DIR/stacks/alice-infra && -f $STUB_DIR/lbs ]]
}

@test "down with a read-only kubeconfig still deletes the load balancer owners, through a kubeconfig of its own" {
  given_deployed alice
  given_load_balancer
  echo 2 >"$STUB_DIR/lb_queries_left"
  touch "$STUB_DIR/kubeconfig_readonly"
  run "$SCRIPTS/down.sh" --env alice
  assert_success
  assert_output --partial "[Errno 13] Permission denied: '$HOME/.kube/config'"
  refute_output --partial "cannot reach cluster"
  assert_call '^kubectl --kubeconfig [^ ]+ --context alice-eks .*delete ingress --all --all-namespaces'
  assert_call '^kubectl --kubeconfig [^ ]+ --context alice-eks .*delete service -n petstore petstore'
  assert_output --partial "Environment alice is deleted"
}

# The Teardown output as the efs add-on makes it in production: claims first, the file system kept.
EFS_CLAIMS='[{"addon":"efs","csiDriver":"efs.csi.aws.com","reason":"the driver deletes their EFS access points"}]'
EFS_KEPT='[{"addon":"efs","resourceType":"elasticfilesystem:file-system","tag":{"key":"platform:environment","value":"dev"},"description":"EFS file system and its data (retainOnDelete)","howToDelete":"aws efs delete-file-system, then its key"}]'

@test "down lists what an add-on's teardown facet keeps, exactly by its tag, with how to delete it, and deletes none" {
  given_deployed dev
  given_teardown dev-platform production "$EFS_CLAIMS" "$EFS_KEPT"
  printf '%s\t%s\n' \
    arn:aws:elasticfilesystem:us-west-2:123456789012:file-system/fs-0123456789abcdef0 platform:environment=dev \
    arn:aws:elasticfilesystem:us-west-2:123456789012:file-system/fs-0fedcba9876543210 platform:environment=dev-infra \
    arn:aws:kms:us-west-2:123456789012:key/k-dev platform:environment=dev >"$STUB_DIR/tagged_resources"
  run "$SCRIPTS/down.sh" --env dev --delete-leftovers
  assert_success
  assert_output --partial "Kept for dev by add-on efs: EFS file system and its data (retainOnDelete) (tag platform:environment=dev; NOT deleted):
  arn:aws:elasticfilesystem:us-west-2:123456789012:file-system/fs-0123456789abcdef0
  To delete one for good: aws efs delete-file-system, then its key"
  refute_output --partial "fs-0fedcba9876543210"
  refute_output --partial "k-dev"
  (($(line_of 'cdk destroy InfraStack') < $(line_of '^aws resourcegroupstaggingapi get-resources .*elasticfilesystem:file-system')))
  refute_call 'efs delete|kms schedule-key-deletion'
}

@test "down says nothing about kept resources when none is there, and only warns when it cannot list them" {
  given_deployed alice
  given_teardown alice-platform production "[]" "${EFS_KEPT//\"dev\"/\"alice\"}"
  run "$SCRIPTS/down.sh" --env alice
  assert_success
  refute_output --partial "Kept for alice"
  rm "$STUB_DIR/calls.log"
  given_deployed alice
  given_teardown alice-platform production "[]" "${EFS_KEPT//\"dev\"/\"alice\"}"
  aws_fails resourcegroupstaggingapi get-resources after-5 AccessDeniedException "not authorized"
  run "$SCRIPTS/down.sh" --env alice
  assert_success
  assert_output --partial "WARNING: cannot list the EFS file system and its data (retainOnDelete) kept for alice (An error occurred (AccessDeniedException) when calling the GetResources operation: not authorized); look for the tag platform:environment=alice"
  assert_output --partial "Environment alice is deleted"
}

# The Teardown output as the cloudwatch-observability add-on makes it: the account's shared log
# group it created is kept, by a tag only this environment's copy carries.
SHARED_KEPT='[{"addon":"cloudwatch-observability","resourceType":"logs:log-group","tag":{"key":"platform:kept","value":"alice/application-signals-log-group"},"description":"Application Signals log group","howToDelete":"aws logs delete-log-group --log-group-name /aws/application-signals/data"}]'
SHARED_ARN="arn:aws:logs:us-west-2:123456789012:log-group:/aws/application-signals/data:*"

# given_shared_log_group: alice-platform retained the shared group; the tag scan finds it by the
# stack's name as well as one log group the stack really owned.
given_shared_log_group() {
  printf '%s\n' /aws/eks/alice-eks/cluster /alice-platform/owned /aws/application-signals/data >"$STUB_DIR/log_groups"
  printf '%s\t%s\n' "$SHARED_ARN" $'aws:cloudformation:stack-name=alice-platform\tplatform:kept=alice/application-signals-log-group' \
    "arn:aws:logs:us-west-2:123456789012:log-group:/alice-platform/owned:*" aws:cloudformation:stack-name=alice-platform \
    >"$STUB_DIR/tagged_log_groups"
}

@test "workshop: down deletes the environment's log groups but keeps and reports one a kept entry names, also with --delete-leftovers" {
  local flags
  for flags in '' --delete-leftovers; do
    given_deployed alice
    given_teardown alice-platform workshop "[]" "$SHARED_KEPT"
    given_shared_log_group
    rm -f "$STUB_DIR/calls.log"
    # shellcheck disable=SC2086 # no flag or one
    run "$SCRIPTS/down.sh" --env alice $flags
    assert_success
    assert_equal "$(grep 'delete-log-group' "$STUB_DIR/calls.log" | sed 's/.*--log-group-name //' | sort)" \
      "/alice-platform/owned
/aws/eks/alice-eks/cluster"
    assert_output --partial "Kept for alice by add-on cloudwatch-observability: Application Signals log group (tag platform:kept=alice/application-signals-log-group; NOT deleted):
  $SHARED_ARN
  To delete one for good: aws logs delete-log-group --log-group-name /aws/application-signals/data"
    assert_output --partial "No leftovers for alice"
    assert_equal "$(<"$STUB_DIR/log_groups")" /aws/application-signals/data
  done
}

@test "production: the kept log group is reported as kept by its add-on, not among the profile's log groups" {
  given_deployed alice
  given_teardown alice-platform production "[]" "$SHARED_KEPT"
  given_shared_log_group
  run "$SCRIPTS/down.sh" --env alice --delete-leftovers
  assert_success
  refute_call 'delete-log-group'
  assert_output --partial "Log groups kept for alice (profile production: what it logged is kept, NOT deleted):
  /aws/eks/alice-eks/cluster
  /alice-platform/owned
  To delete"
  assert_output --partial "Kept for alice by add-on cloudwatch-observability: Application Signals log group"
}

@test "workshop: when a kept entry cannot be listed, no leftover of its type is deleted" {
  given_deployed alice
  given_teardown alice-platform workshop "[]" "$SHARED_KEPT"
  given_shared_log_group
  echo '[{"id": "sg-0123", "vpc": "vpc-9", "name": "k8s-traffic-alice", "note": "k8s-traffic-alice", "tags": [{"Key": "eks:eks-cluster-name", "Value": "alice-eks"}]}]' >"$STUB_DIR/sgs.json"
  # The load balancer queries of the wait and of the scan and the log group tag query succeed; the kept entry's fails.
  aws_fails resourcegroupstaggingapi get-resources after-5-1 AccessDeniedException "not authorized"
  run "$SCRIPTS/down.sh" --env alice
  assert_failure 1
  assert_call '^aws ec2 delete-security-group --region us-west-2 --group-id sg-0123$'
  refute_call 'delete-log-group'
  refute_output --partial "Kept for alice"
  assert_output --partial "WARNING: cannot list the Application Signals log group kept for alice (An error occurred (AccessDeniedException) when calling the GetResources operation: not authorized); look for the tag platform:kept=alice/application-signals-log-group"
  assert_output --partial "WARNING: log-group /alice-platform/owned is NOT deleted: it may be what an add-on keeps, which could not be listed (see above)"
  assert_output --partial "Leftovers for alice (tagged for cluster alice-eks or stacks alice-infra, alice-platform):
  log-group       /aws/eks/alice-eks/cluster  (may be what an add-on keeps: never deleted)
  log-group       /aws/application-signals/data  (may be what an add-on keeps: never deleted)
  log-group       /alice-platform/owned  (may be what an add-on keeps: never deleted)"
  assert_output --partial "ERROR: some leftovers could not be deleted (see above); re-run later"
}

@test "down stops before it deletes anything when the cluster has deletion protection on, and says how to turn it off" {
  given_deployed alice
  given_load_balancer
  echo True >"$STUB_DIR/clusters/alice-eks.deletion_protection"
  run "$SCRIPTS/down.sh" --env alice -c profile=production
  assert_failure 1
  assert_output --partial "cluster alice-eks has EKS deletion protection on"
  assert_output --partial "nothing was deleted"
  assert_output --partial "aws eks update-cluster-config --region us-west-2 --name alice-eks --no-deletion-protection"
  assert_output --partial "npx cdk deploy InfraStack -c environment=alice -c region=us-west-2 -c profile=production -c deletionProtection=false"
  assert_output --partial "--disable-deletion-protection"
  refute_call 'delete|destroy|update-cluster-config'
  [[ -e $STUB_DIR/stacks/alice-platform && -e $STUB_DIR/stacks/alice-infra ]]
}

@test "down --disable-deletion-protection turns protection off, waits for it, then deletes the environment" {
  given_deployed alice
  echo True >"$STUB_DIR/clusters/alice-eks.deletion_protection"
  run "$SCRIPTS/down.sh" --env alice --disable-deletion-protection
  assert_success
  local update
  update=$(line_of '^aws eks update-cluster-config --region us-west-2 --name alice-eks --no-deletion-protection$')
  ((update > 0 && update < $(line_of 'delete ingress --all --all-namespaces')))
  assert_output --partial "ok: deletion protection of alice-eks to be off"
  assert_output --partial "Environment alice is deleted"
  [[ ! -e $STUB_DIR/stacks/alice-infra ]]
}

@test "down ignores deletion protection on a cluster EKS deletes anyway (FAILED)" {
  given_deployed alice
  echo FAILED >"$STUB_DIR/clusters/alice-eks"
  echo True >"$STUB_DIR/clusters/alice-eks.deletion_protection"
  run "$SCRIPTS/down.sh" --env alice
  assert_success
  refute_output --partial "deletion protection on"
  refute_call 'update-cluster-config'
  assert_call 'cdk destroy PlatformStack'
}

# PersistentVolumes as the EFS CSI driver leaves them: one EFS volume bound to data/shared, and
# one EBS volume that is none of down's business.
given_efs_volume() {
  printf '%s\n' '{"items": [
  {"metadata": {"name": "pvc-1"}, "spec": {"csi": {"driver": "efs.csi.aws.com", "volumeHandle": "fs-0123456789abcdef0::fsap-0123"}, "claimRef": {"namespace": "data", "name": "shared"}}},
  {"metadata": {"name": "pvc-2"}, "spec": {"csi": {"driver": "ebs.csi.aws.com", "volumeHandle": "vol-0123"}, "claimRef": {"namespace": "data", "name": "disk"}}}
]}' >"$STUB_DIR/pvs.json"
}

@test "down deletes the claims an add-on's teardown facet names while the driver runs, waits for the volumes, then the stacks" {
  given_deployed alice
  given_teardown alice-platform workshop "$EFS_CLAIMS"
  given_efs_volume
  run "$SCRIPTS/down.sh" --env alice
  assert_success
  local claim destroy
  claim=$(line_of 'delete persistentvolumeclaim -n data shared --wait=false --ignore-not-found$')
  destroy=$(line_of 'cdk destroy PlatformStack')
  ((claim > 0 && claim < destroy))
  refute_call 'delete persistentvolumeclaim -n data disk'
  assert_output --partial "add-on efs: deleting the claims of efs.csi.aws.com volumes (the driver deletes their EFS access points)"
  assert_output --partial "ok: the efs.csi.aws.com volumes of alice-eks to be released"
  assert_output --partial "Environment alice is deleted"
}

@test "down warns about a claimed volume a pod keeps mounted and still destroys the stacks" {
  given_deployed alice
  given_teardown alice-platform workshop "$EFS_CLAIMS"
  given_efs_volume
  echo 1 >"$STUB_DIR/pv_mounted"
  run "$SCRIPTS/down.sh" --env alice --timeout-volumes 0
  assert_success
  assert_output --partial "data/shared still bound (a pod still mounts it?)"
  assert_output --partial "WARNING: efs.csi.aws.com volumes of alice-eks are still bound: delete the pods that mount them, or what they hold may not delete"
  assert_call 'cdk destroy PlatformStack'
}

# The gitops calls that matter for ordering.
app_events() {
  awk '
    /kubectl .*delete ingress --all --all-namespaces/ { print "delete ingresses" }
    /kubectl .*get applicationsets\.argoproj\.io .* -o name$/ { print "get ApplicationSet " $(NF-3); next }
    /kubectl .*get applications\.argoproj\.io .* -o name$/ { print "get Application " $(NF-3); next }
    /kubectl .*get applications\.argoproj\.io/ { print "list applications" }
    /kubectl .*delete applicationsets\.argoproj\.io/ { print "delete ApplicationSet " $(NF-2) }
    /kubectl .*delete applications\.argoproj\.io/ { print "delete " $(NF-2) }
    /cdk destroy PlatformStack/ { print "destroy PlatformStack" }
  ' "$STUB_DIR/calls.log"
}

@test "down in a gitops environment deletes the Applications highest sync wave first, each wave gone before the next, then the stacks" {
  given_deployed alice
  given_gitops alice-platform gitops-system
  given_application gitops-system metrics-server 0 Synced Healthy
  given_application gitops-system storage 3 Synced Healthy
  given_application gitops-system external-dns 3 Synced Healthy
  given_application gitops-system storage-classes 4 Synced Healthy
  run "$SCRIPTS/down.sh" --env alice
  assert_success
  assert_equal "$(app_events)" "delete ingresses
list applications
delete storage-classes
list applications
delete external-dns
delete storage
list applications
delete metrics-server
list applications
destroy PlatformStack"
  assert_call '^kubectl --context alice-eks --request-timeout=30s get applications\.argoproj\.io -n gitops-system -l app\.kubernetes\.io/part-of=cdk-eks-platform,app\.kubernetes\.io/managed-by=cdk -o json$'
  assert_call '^kubectl --context alice-eks --request-timeout=30s delete applications\.argoproj\.io -n gitops-system metrics-server --wait=false --ignore-not-found$'
  assert_output --regexp "applications +done"
  [[ -z $(compgen -G "$STUB_DIR/applications/gitops-system/*.json") ]]
}

@test "down stops before the stacks when an Application stays after a bounded wait, and says which and why" {
  given_deployed alice
  given_gitops alice-platform
  given_application argocd metrics-server 0 Synced Healthy
  : >"$STUB_DIR/applications/argocd/metrics-server.stuck"
  given_application argocd storage 3 Synced Healthy
  run "$SCRIPTS/down.sh" --env alice --timeout-applications 0
  assert_failure
  assert_output --partial "Timed out after 0s waiting for the Applications of sync wave 0 (metrics-server) to be deleted (last seen: 1 left: metrics-server)"
  assert_output --partial "An Application of alice is still there: its finalizer deletes what it deployed (load balancers, volumes) and has not finished, so the stacks are not destroyed."
  assert_output --partial "kubectl --context alice-eks -n argocd get applications.argoproj.io NAME -o yaml"
  assert_output --partial "down failed in phase 'applications'"
  refute_call 'cdk destroy'
  [[ ! -e $STUB_DIR/applications/argocd/storage.json && -e $STUB_DIR/applications/argocd/metrics-server.json ]]
}

# given_addon_applications: two add-on Applications in argocd, in sync waves 0 and 3; ADDON_WAVES
# the app_events of deleting them, a wave at a time, then PlatformStack.
given_addon_applications() {
  given_application argocd metrics-server 0 Synced Healthy
  given_application argocd storage 3 Synced Healthy
}
ADDON_WAVES="list applications
delete storage
list applications
delete metrics-server
list applications
destroy PlatformStack"

@test "down deletes an ApplicationSet bootstrap first and waits until it is gone, and never deletes its Applications itself" {
  given_deployed alice
  given_gitops alice-platform argocd ApplicationSet root
  given_application_set argocd root guestbook api
  given_addon_applications
  run "$SCRIPTS/down.sh" --env alice
  assert_success
  assert_equal "$(app_events)" "delete ingresses
delete ApplicationSet root
get ApplicationSet root
$ADDON_WAVES"
  assert_call '^kubectl --context alice-eks --request-timeout=30s delete applicationsets\.argoproj\.io -n argocd root --wait=false --ignore-not-found$'
  assert_call '^kubectl --context alice-eks --request-timeout=30s get applicationsets\.argoproj\.io -n argocd root --ignore-not-found -o name$'
  refute_call 'delete applications\.argoproj\.io -n argocd (guestbook|api) '
  assert_output --regexp "applications +done"
  [[ ! -e $STUB_DIR/applicationsets/argocd/root.json && -z $(compgen -G "$STUB_DIR/applications/argocd/*.json") ]]
}

@test "down deletes an app-of-apps bootstrap Application first, though it has no sync wave, and waits until it is gone" {
  given_deployed alice
  given_gitops alice-platform argocd Application bootstrap
  given_application argocd bootstrap '' Synced Healthy
  given_addon_applications
  run "$SCRIPTS/down.sh" --env alice
  assert_success
  assert_equal "$(app_events)" "delete ingresses
delete bootstrap
get Application bootstrap
$ADDON_WAVES"
  assert_call '^kubectl --context alice-eks --request-timeout=30s delete applications\.argoproj\.io -n argocd bootstrap --wait=false --ignore-not-found$'
  assert_equal "$(count_calls 'delete applications\.argoproj\.io -n argocd bootstrap ')" 1
}

@test "down without a bootstrap deletes the waves as before, leaving an Application another object owns to its owner" {
  given_deployed alice
  given_gitops alice-platform
  # Not the bootstrap: an ApplicationSet someone applied, whose Applications carry the labels.
  given_application_set argocd team-apps web
  given_addon_applications
  run "$SCRIPTS/down.sh" --env alice
  assert_success
  assert_equal "$(app_events)" "delete ingresses
$ADDON_WAVES"
  refute_call 'applicationsets'
  assert_output --partial "web is owned by ApplicationSet/team-apps: its owner deletes it, not down"
  [[ -e $STUB_DIR/applications/argocd/web.json && -e $STUB_DIR/applicationsets/argocd/team-apps.json ]]
}

@test "down stops before any Application and the stacks when the bootstrap stays after a bounded wait, and names what is left" {
  given_deployed alice
  given_gitops alice-platform argocd ApplicationSet root
  given_application_set argocd root guestbook api
  : >"$STUB_DIR/applicationsets/argocd/root.stuck"
  given_application argocd metrics-server 0 Synced Healthy
  run "$SCRIPTS/down.sh" --env alice --timeout-applications 0
  assert_failure
  assert_output --partial "Timed out after 0s waiting for the bootstrap ApplicationSet root (and what it deployed) to be deleted (last seen: ApplicationSet root is still there, with its Applications api guestbook)"
  assert_output --partial "The bootstrap ApplicationSet root of alice is still there: deleting it deletes what it deployed (load balancers, volumes) and has not finished, so no add-on Application (their controllers are needed to finish) and no stack is deleted."
  assert_output --partial "kubectl --context alice-eks -n argocd get applicationsets.argoproj.io root -o yaml"
  assert_output --partial "down failed in phase 'applications'"
  refute_call 'delete applications\.argoproj\.io'
  refute_call 'cdk destroy'
  [[ -e $STUB_DIR/applications/argocd/metrics-server.json && -e $STUB_DIR/applications/argocd/guestbook.json ]]
}

@test "down deletes only the Applications it proves are the environment's: exact label values, in Argo CD's namespace" {
  given_deployed alice
  given_gitops alice-platform
  given_application argocd metrics-server 0 Synced Healthy
  given_application argocd metrics-server-copy 9 Synced Healthy '' '{"app.kubernetes.io/part-of": "cdk-eks-platform-copy", "app.kubernetes.io/managed-by": "cdk"}'
  given_application argocd unlabelled 9 Synced Healthy '' '{}'
  given_application team-argocd metrics-server 0 Synced Healthy
  run "$SCRIPTS/down.sh" --env alice
  assert_success
  assert_equal "$(count_calls 'delete applications\.argoproj\.io')" 1
  assert_call 'delete applications\.argoproj\.io -n argocd metrics-server --wait=false'
  refute_call ' -n team-argocd '
  [[ -e $STUB_DIR/applications/argocd/metrics-server-copy.json && -e $STUB_DIR/applications/argocd/unlabelled.json ]]
  [[ -e $STUB_DIR/applications/team-argocd/metrics-server.json ]]
}

@test "down in a gitops environment whose cluster is unreachable says its Applications were not deleted, and goes on" {
  given_deployed alice
  given_gitops alice-platform
  given_application argocd metrics-server 0 Synced Healthy
  fail_times kubectl always
  run "$SCRIPTS/down.sh" --env alice
  assert_success
  assert_output --partial "cluster alice-eks is not reachable: its Argo CD Applications are not deleted before alice-platform"
  assert_output --regexp "applications +skipped"
  refute_call 'applications\.argoproj\.io'
  assert_call 'cdk destroy PlatformStack'
}

@test "down deletes nothing when the GitOps output cannot be read or is not what the platform publishes" {
  given_deployed alice
  given_gitops alice-platform
  given_application argocd metrics-server 0 Synced Healthy
  # The Teardown output is read, then the GitOps output fails.
  aws_fails cloudformation describe-stacks after-1-1 ValidationError "1 validation error detected"
  run "$SCRIPTS/down.sh" --env alice
  assert_failure
  assert_output --partial "cannot read the GitOps output of alice-platform: An error occurred (ValidationError) when calling the DescribeStacks operation: 1 validation error detected. Nothing was deleted."
  refute_call 'delete '
  refute_call 'cdk destroy'

  rm "$STUB_DIR/calls.log" "$STUB_DIR/aws_errors/cloudformation_describe-stacks"
  echo '{"resource":"applications.argoproj.io","namespace":"argocd","labels":{}}' >"$STUB_DIR/stacks/alice-platform.gitops"
  run "$SCRIPTS/down.sh" --env alice
  assert_failure
  assert_output --partial 'cannot read the GitOps output of alice-platform: the GitOps output is not a resource, namespace and labels: {"resource":"applications.argoproj.io","namespace":"argocd","labels":{}}. Nothing was deleted.'
  refute_call 'delete '
  [[ -e $STUB_DIR/applications/argocd/metrics-server.json ]]
}

@test "down in a helm environment (no GitOps output) touches no Application" {
  given_deployed alice
  given_application argocd metrics-server 0 Synced Healthy
  run "$SCRIPTS/down.sh" --env alice
  assert_success
  refute_call 'applications'
  refute_output --regexp "applications +"
  [[ -e $STUB_DIR/applications/argocd/metrics-server.json ]]
}

@test "down --dry-run of a gitops configuration plans the bootstrap's, then the Applications' deletion between the load balancers and PlatformStack" {
  run --separate-stderr "$SCRIPTS/down.sh" --env alice --dry-run -c delivery=gitops -c addons=metrics-server,argo-cd
  assert_success
  local k="kubectl --context alice-eks --request-timeout=30s" ns="'<namespace of the GitOps output>'"
  local boot="'<applications or applicationsets>.argoproj.io' -n $ns '<bootstrap name of the GitOps output>'"
  assert_output --partial "# if the GitOps output names a bootstrap, it first, by its exact kind and name:
+ $k delete $boot --wait=false --ignore-not-found
# wait up to 15m (poll every 0s) for: the bootstrap <bootstrap kind of the GitOps output> <bootstrap name of the GitOps output> (and what it deployed) to be deleted
+ $k get $boot --ignore-not-found -o name
+ $k get applications.argoproj.io -n $ns -l '<labels of the GitOps output>' -o json
# for each Application listed that no object owns, highest argocd.argoproj.io/sync-wave first, a wave at a time:
+ $k delete applications.argoproj.io -n $ns '<name>' --wait=false --ignore-not-found
# wait up to 15m (poll every 0s) for: the Applications of the wave to be gone"
  local lbs boot apps platform
  lbs=$(line_of_output 'wait up to 15m \(poll every 0s\) for: load balancers' "${lines[@]}")
  boot=$(line_of_output 'names a bootstrap' "${lines[@]}")
  apps=$(line_of_output 'get applications' "${lines[@]}")
  platform=$(line_of_output 'cdk destroy PlatformStack' "${lines[@]}")
  ((lbs > 0 && lbs < boot && boot < apps && apps < platform))
  [[ ! -e $STUB_DIR/calls.log ]]
}

# line_of_output REGEX LINE...: the number of the first LINE matching REGEX, 0 if none.
line_of_output() {
  local regex=$1 n=0 line
  shift
  for line; do
    n=$((n + 1))
    if [[ $line =~ $regex ]]; then
      echo "$n"
      return 0
    fi
  done
  echo 0
}
