#!/usr/bin/env bats
# test/scripts/run.sh itself.

load helper

# A PATH with only what run.sh needs to get as far as its tool check, and an apt-get and sudo that
# record being called.
restricted_path() {
  local bin="$BATS_TEST_TMPDIR/bin" t
  mkdir -p "$bin"
  for t in bash dirname id "$@"; do ln -s "$(command -v "$t")" "$bin/$t"; done
  for t in apt-get sudo; do
    printf '#!%s\necho "%s $*" >>"%s/installer.log"\n' "$BASH" "$t" "$BATS_TEST_TMPDIR" >"$bin/$t"
    chmod +x "$bin/$t"
  done
  echo "$bin"
}

@test "run.sh installs nothing: a missing tool fails and says what to install" {
  run env PATH="$(restricted_path bats)" "$BASH" "$REPO/test/scripts/run.sh"
  assert_failure 1
  assert_output --partial "missing shellcheck"
  assert_output --partial "install them with: apt-get install bats bats-assert bats-support shellcheck"
  [[ ! -e $BATS_TEST_TMPDIR/installer.log ]]

  run env PATH="$(restricted_path bats shellcheck)" BATS_LIBS="$BATS_TEST_TMPDIR/none" "$BASH" "$REPO/test/scripts/run.sh"
  assert_failure 1
  assert_output --partial "missing bats-assert (no $BATS_TEST_TMPDIR/none/bats-assert/load.bash) bats-support"
  [[ ! -e $BATS_TEST_TMPDIR/installer.log ]]
}
