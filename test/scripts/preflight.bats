#!/usr/bin/env bats
# scripts/preflight.sh against the stubs (node, curl and timeout are real).

load helper

@test "preflight passes when everything is in place" {
  given_stack CDKToolkit UPDATE_COMPLETE
  run "$SCRIPTS/preflight.sh"
  assert_success
  assert_line --regexp '^\[PASS\] node +v[0-9]+\.'
  assert_line --regexp '^\[PASS\] aws-cli +aws-cli/2\.27\.0$'
  assert_line --regexp '^\[PASS\] kubectl +1\.35$'
  assert_line --regexp '^\[PASS\] cdk +2\.1129\.0'
  assert_line --regexp '^\[PASS\] identity +account 123456789012 as arn:aws:iam::123456789012:user/tester$'
  assert_line --regexp '^\[PASS\] region +us-west-2 \(from AWS_REGION\)$'
  assert_line --regexp '^\[PASS\] bootstrap +CDKToolkit is UPDATE_COMPLETE$'
  assert_line --regexp '^\[PASS\] eks-version +Kubernetes 1\.35 is offered in us-west-2 \(STANDARD_SUPPORT\)$'
  assert_call '^aws eks describe-cluster-versions --region us-west-2 --cluster-versions 1\.35 '
}

@test "preflight reports every failure with its fix, then exits 1" {
  fail_times cdk-version always
  printf '1.33\tSTANDARD_SUPPORT\n' >"$STUB_DIR/cluster_versions"
  echo '{"clientVersion": {"major": "1", "minor": "30"}}' >"$STUB_DIR/kubectl_version.json"
  run "$SCRIPTS/preflight.sh" </dev/null
  assert_failure 1
  assert_line --regexp '^\[WARN\] kubectl +1\.30 is more than one minor version from Kubernetes 1\.35'
  assert_line --regexp '^\[FAIL\] bootstrap +CDK is not bootstrapped in aws://123456789012/us-west-2'
  assert_line --partial "fix: npx cdk bootstrap aws://123456789012/us-west-2   (or re-run: scripts/preflight.sh --yes)"
  assert_line --regexp '^\[FAIL\] eks-version +EKS does not offer Kubernetes 1\.35 in us-west-2'
  assert_line --partial "fix: pick a region that does"
  assert_line "preflight: 2 check(s) failed; fix them and re-run scripts/preflight.sh"
  refute_call 'cdk bootstrap'
}

@test "preflight without credentials or AWS CLI v2 says so and how to fix it" {
  fail_times sts always
  run "$SCRIPTS/preflight.sh"
  assert_failure 1
  assert_line --regexp '^\[FAIL\] identity +no usable AWS credentials: Unable to locate credentials'
  assert_line --partial "fix: log in, e.g. aws sso login --profile NAME && export AWS_PROFILE=NAME"
  assert_line --regexp '^\[SKIP\] bootstrap +needs an AWS identity'

  echo "aws-cli/1.29.0 Python/3.11 Linux/6 botocore/1.31" >"$STUB_DIR/aws_version"
  run "$SCRIPTS/preflight.sh"
  assert_failure 1
  assert_line --regexp '^\[FAIL\] aws-cli +found aws-cli/1\.29\.0, need version 2'
  assert_line --partial "fix: install AWS CLI v2"
  assert_line --regexp '^\[SKIP\] identity +needs AWS CLI v2'
}

@test "preflight --yes bootstraps CDK when CDKToolkit is missing" {
  run "$SCRIPTS/preflight.sh" --yes --region eu-central-1
  assert_success
  assert_call '^npx --no-install cdk bootstrap aws://123456789012/eu-central-1$'
  assert_line --regexp '^\[PASS\] bootstrap +bootstrapped aws://123456789012/eu-central-1 now$'
}

@test "preflight reports an AWS CLI too old for describe-cluster-versions" {
  given_stack CDKToolkit
  fail_times eks-versions always
  run "$SCRIPTS/preflight.sh"
  assert_failure 1
  assert_line --regexp '^\[FAIL\] eks-version +cannot list EKS versions: aws: error: argument operation: Invalid choice'
  assert_line --partial "fix: update AWS CLI v2"
}

@test "preflight prints the AWS message, not the empty line the AWS CLI prints before it" {
  aws_fails cloudformation describe-stacks always ValidationError "1 validation error detected"
  run "$SCRIPTS/preflight.sh"
  assert_failure 1
  assert_line --regexp '^\[FAIL\] bootstrap +cannot read CDKToolkit: An error occurred \(ValidationError\) when calling the DescribeStacks operation: 1 validation error detected$'
}

@test "preflight retries throttled AWS calls" {
  given_stack CDKToolkit
  aws_fails sts get-caller-identity 1 Throttling "Rate exceeded"
  aws_fails cloudformation describe-stacks 1 Throttling "Rate exceeded"
  aws_fails eks describe-cluster-versions 1 ThrottlingException "Rate exceeded"
  run "$SCRIPTS/preflight.sh"
  assert_success
  assert_line --regexp '^\[PASS\] identity '
  assert_line --regexp '^\[PASS\] bootstrap '
  assert_line --regexp '^\[PASS\] eks-version '
}
