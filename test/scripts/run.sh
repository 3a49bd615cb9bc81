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

# The suite is CPU-bound on process start-ups (bash, node, the stubs), one core per bats process:
# the lint and each .bats file run side by side, as many at once as there are CPUs (TEST_JOBS
# overrides), each into its own log, printed in order once all are done.
max_jobs=${TEST_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)}
logs=$(mktemp -d "${TMPDIR:-/tmp}/test-scripts.XXXXXX")
trap 'rm -rf "$logs"' EXIT

names=()
start() {
  local name=$1
  shift
  while (($(jobs -rp | wc -l) >= max_jobs)); do wait -n || true; done
  names+=("$name")
  (
    rc=0
    "$@" >"$logs/$name" 2>&1 || rc=$?
    echo "$rc" >"$logs/$name.rc"
  ) &
}

start shellcheck shellcheck scripts/*.sh scripts/lib/*.sh test/scripts/stubs/* test/scripts/*.bash test/scripts/*.bats test/scripts/run.sh
# Largest file first, so that no long one starts last and runs alone.
while read -r _ file; do
  start "${file##*/}" bats "$file"
done < <(wc -c test/scripts/*.bats | grep -v ' total$' | sort -rn)
wait

failed=()
for name in "${names[@]}"; do
  echo "== $name"
  cat "$logs/$name"
  [[ $(<"$logs/$name.rc") == 0 ]] || failed+=("$name")
done
if ((${#failed[@]})); then
  echo "test:scripts: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "test:scripts: shellcheck and $((${#names[@]} - 1)) bats files passed"
