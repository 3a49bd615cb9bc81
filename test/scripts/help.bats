#!/usr/bin/env bats
# --help and argument errors of every script.

load helper

@test "--help on each script exits 0, prints usage and calls nothing" {
  local s
  for s in preflight up verify down upgrade rollback; do
    run "$SCRIPTS/$s.sh" --help
    assert_success
    assert_line --index 0 --regexp "^Usage: scripts/$s\.sh (\[--env NAME\] )?(--to VERSION )?\[options\]$"
  done
  [[ ! -e $STUB_DIR/calls.log ]]
}

@test "up, down and upgrade document their timeouts, dry-run and other options" {
  run "$SCRIPTS/up.sh" --help
  assert_output --partial "--timeout-nodes D"
  assert_output --partial "--dry-run"
  assert_output --partial "POLL_INTERVAL"
  run "$SCRIPTS/down.sh" --help
  assert_output --partial "--timeout-lb D"
  assert_output --partial "--delete-leftovers"
  assert_output --partial "--disable-deletion-protection"
  run "$SCRIPTS/upgrade.sh" --help
  assert_output --partial "--dry-run"
  assert_output --partial "--yes"
  assert_output --partial "--ignore-insight-errors"
  run "$SCRIPTS/rollback.sh" --help
  assert_output --partial "--dry-run"
  assert_output --partial "--ignore-insight-errors"
}

@test "unknown options and bad values exit 2 with a message" {
  run "$SCRIPTS/up.sh" --frobnicate
  assert_failure 2
  assert_output "up: unknown option: --frobnicate (see --help)"
  run "$SCRIPTS/down.sh" --timeout-lb soon
  assert_failure 2
  assert_output --partial "--timeout-lb: 'soon' is not a duration"
  run "$SCRIPTS/up.sh" --env
  assert_failure 2
  assert_output --partial "--env needs a value"
  run "$SCRIPTS/up.sh" -c environment=x
  assert_failure 2
  assert_output --partial "use --env/--region/--account instead of -c environment=x"
  run "$SCRIPTS/upgrade.sh" --env alice
  assert_failure 2
  assert_output "upgrade: --to VERSION is required (e.g. --to 1.36) (see --help)"
  run "$SCRIPTS/upgrade.sh" --to 1.36.1
  assert_failure 2
  assert_output --partial "--to: '1.36.1' is not a Kubernetes minor version"
  run "$SCRIPTS/upgrade.sh" --to 1.36 -c kubernetesVersion=1.36
  assert_failure 2
  assert_output --partial "use --to instead of -c kubernetesVersion=1.36"
  run "$SCRIPTS/rollback.sh" --env alice -c kubernetesVersion=1.35
  assert_failure 2
  assert_output --partial "the rollback sets -c kubernetesVersion itself"
  run "$SCRIPTS/verify.sh" --dry-run
  assert_failure 2
  [[ ! -e $STUB_DIR/calls.log ]]
}
