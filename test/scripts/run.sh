#!/usr/bin/env bash
# Lints and tests the workshop scripts. Installs the Debian packages the tests need when they are
# missing and this is a Debian machine we may change (root); otherwise says what to install.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

PACKAGES=(bats bats-assert bats-support shellcheck)
missing() {
  command -v bats >/dev/null && command -v shellcheck >/dev/null &&
    [[ -f /usr/lib/bats/bats-assert/load.bash && -f /usr/lib/bats/bats-support/load.bash ]] && return 1
  return 0
}
if missing; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "test:scripts: installing ${PACKAGES[*]}" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${PACKAGES[@]}" >/dev/null
  else
    echo "test:scripts: needs ${PACKAGES[*]} (Debian/Ubuntu: sudo apt-get install ${PACKAGES[*]})" >&2
    exit 1
  fi
fi

shellcheck scripts/*.sh scripts/lib/*.sh test/scripts/stubs/* test/scripts/*.bash test/scripts/*.bats test/scripts/run.sh
bats test/scripts
