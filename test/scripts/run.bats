#!/usr/bin/env bats
# test/scripts/run.sh itself. Each case runs it on a one-test .bats file of its own, not on this
# suite (which would run this file again).

load helper

# A machine without shellcheck (CI unset), whose apt-get and sudo record being called.
without_shellcheck() {
  without shellcheck
  unset CI
  local t
  for t in apt-get sudo; do
    # The entry is a link to /usr/bin/$t: remove it, or the redirection writes through it.
    rm -f "$PATH/$t"
    printf '#!%s\necho "%s $*" >>"%s/installer.log"\n' "$BASH" "$t" "$BATS_TEST_TMPDIR" >"$PATH/$t"
    chmod +x "$PATH/$t"
  done
  printf '@test "inner" { true; }\n' >"$BATS_TEST_TMPDIR/inner.bats"
}

# given_shellcheck STATUS: a shellcheck on PATH that records its arguments and exits STATUS.
given_shellcheck() {
  printf '#!%s\necho "shellcheck $*" >>"%s/shellcheck.log"\nexit %s\n' "$BASH" "$BATS_TEST_TMPDIR" "$1" >"$PATH/shellcheck"
  chmod +x "$PATH/shellcheck"
}

@test "run.sh without shellcheck says so in one line, installs nothing and runs the tests" {
  without_shellcheck
  run "$BASH" "$REPO/test/scripts/run.sh" "$BATS_TEST_TMPDIR/inner.bats"
  assert_success
  assert_line --index 0 "test:scripts: shellcheck not installed; skipped the lint of the scripts (apt-get install shellcheck / brew install shellcheck)"
  assert_line --index 1 "1..1"
  assert_line --index 2 "ok 1 inner"
  assert_equal "${#lines[@]}" 3
  [[ ! -e $BATS_TEST_TMPDIR/installer.log ]]
}

@test "run.sh on CI fails without shellcheck before any test" {
  local ci
  without_shellcheck
  for ci in true 1; do
    CI=$ci run "$BASH" "$REPO/test/scripts/run.sh" "$BATS_TEST_TMPDIR/inner.bats"
    assert_failure 1
    assert_output "test:scripts: shellcheck not installed; CI must lint the scripts (apt-get install shellcheck)"
  done
  CI=false run "$BASH" "$REPO/test/scripts/run.sh" "$BATS_TEST_TMPDIR/inner.bats"
  assert_success
  [[ ! -e $BATS_TEST_TMPDIR/installer.log ]]
}

@test "run.sh lints every script with shellcheck when it is installed, and a finding stops it" {
  without_shellcheck
  given_shellcheck 0
  CI=true run "$BASH" "$REPO/test/scripts/run.sh" "$BATS_TEST_TMPDIR/inner.bats"
  assert_success
  refute_output --partial "not installed"
  assert_output --partial "ok 1 inner"
  run cat "$BATS_TEST_TMPDIR/shellcheck.log"
  assert_output --regexp "^shellcheck scripts/down\.sh .* scripts/up\.sh .* scripts/lib/common\.sh .* test/scripts/stubs/aws .* test/scripts/helper\.bash .* test/scripts/run\.bats .* test/scripts/run\.sh$"

  given_shellcheck 1
  run "$BASH" "$REPO/test/scripts/run.sh" "$BATS_TEST_TMPDIR/inner.bats"
  assert_failure 1
  refute_output --partial "ok 1 inner"
}

@test "run.sh without bats-support or bats-assert fails and says to install the devDependencies" {
  without_shellcheck
  BATS_LIBS="$BATS_TEST_TMPDIR/none" run "$BASH" "$REPO/test/scripts/run.sh" "$BATS_TEST_TMPDIR/inner.bats"
  assert_failure 1
  assert_output "test:scripts: missing $BATS_TEST_TMPDIR/none/bats-support/src $BATS_TEST_TMPDIR/none/bats-assert/src; install the devDependencies with: npm ci"
  [[ ! -e $BATS_TEST_TMPDIR/installer.log ]]
}
