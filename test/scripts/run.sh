#!/usr/bin/env bash
# Lints and tests the workshop scripts. It never installs anything: a test run that changes the
# machine is a surprise on a workstation and a race on a shared CI host.
# bats and its libraries are devDependencies (npm ci puts them in node_modules). shellcheck is not:
# its npm package only downloads a binary at install time, which fails offline. So a machine with
# only Node.js and npm skips the lint and says so in one line, and CI (CI set) fails without it.
#
# Usage: test/scripts/run.sh [BATS_ARGS...]   (default: every .bats file in test/scripts)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

BATS=node_modules/bats/bin/bats
# helper.bash sources bats-support and bats-assert from here. BATS_LIBS may name another folder
# that holds them (Debian's packages: /usr/lib/bats).
export BATS_LIBS=${BATS_LIBS:-$PWD/node_modules}

missing=()
[[ -x $BATS ]] || missing+=("$BATS")
for lib in bats-support bats-assert; do
  [[ -d $BATS_LIBS/$lib/src ]] || missing+=("$BATS_LIBS/$lib/src")
done
if ((${#missing[@]})); then
  echo "test:scripts: missing ${missing[*]}; install the devDependencies with: npm ci" >&2
  exit 1
fi

# Any CI value but empty, "false" or "0" means CI, as the CI detection of the npm tooling reads it.
on_ci() { [[ -n ${CI:-} && $CI != false && $CI != 0 ]]; }

# One after the other: on these 2-vCPU VMs, running shellcheck and the .bats files side by side
# took as long (fork-heavy work contends: CPU time doubled) and only made the output harder to read.
if command -v shellcheck >/dev/null; then
  shellcheck scripts/*.sh scripts/lib/*.sh test/scripts/stubs/* test/scripts/*.bash test/scripts/*.bats test/scripts/run.sh
elif on_ci; then
  echo "test:scripts: shellcheck not installed; CI must lint the scripts (apt-get install shellcheck)" >&2
  exit 1
else
  echo "test:scripts: shellcheck not installed; skipped the lint of the scripts (apt-get install shellcheck / brew install shellcheck)" >&2
fi
"$BATS" "${@:-test/scripts}"
