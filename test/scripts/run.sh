#!/usr/bin/env bash
# Lints and tests the workshop scripts. It never installs anything: a test run that changes the
# machine (apt-get as root) is a surprise on a workstation and a race on a shared CI host. When a
# tool is missing it says what to install and fails; .ci/run installs them on CI.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

PACKAGES=(bats bats-assert bats-support shellcheck)
# helper.bash loads the libraries from here (the Debian packages' location).
BATS_LIBS=${BATS_LIBS:-/usr/lib/bats}

missing=()
for tool in bats shellcheck; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
for lib in bats-assert bats-support; do
  [[ -f $BATS_LIBS/$lib/load.bash ]] || missing+=("$lib (no $BATS_LIBS/$lib/load.bash)")
done
if ((${#missing[@]})); then
  echo "test:scripts: missing ${missing[*]}" >&2
  echo "test:scripts: install them with: apt-get install ${PACKAGES[*]} (as root, or with sudo)" >&2
  exit 1
fi

# One after the other: on these 2-vCPU VMs, running shellcheck and the .bats files side by side
# took as long (fork-heavy work contends: CPU time doubled) and only made the output harder to read.
shellcheck scripts/*.sh scripts/lib/*.sh test/scripts/stubs/* test/scripts/*.bash test/scripts/*.bats test/scripts/run.sh
bats test/scripts
