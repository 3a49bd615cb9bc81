#!/usr/bin/env bash
# Usage: .ci/node-runtime.sh VERSION
# Installs Node.js VERSION from the npm registry's `node` package (the only place these machines may
# fetch a runtime from) under .ci/runtimes/VERSION, once, and prints the directory to put first on
# PATH. npm itself stays the machine's: the `node` package ships the binary only.
set -euo pipefail
version=${1:?usage: .ci/node-runtime.sh VERSION}
prefix="$(cd "$(dirname "$0")" && pwd)/runtimes/$version"
bin="$prefix/node_modules/node/bin"
if [[ ! -x $bin/node ]] || [[ $("$bin/node" --version) != "v$version" ]]; then
  npm install --prefix "$prefix" --no-save --no-audit --no-fund --no-package-lock --loglevel=error "node@$version" >&2
fi
[[ $("$bin/node" --version) == "v$version" ]] || { echo "ci: node@$version did not install a v$version runtime" >&2; exit 1; }
echo "$bin"
