#!/usr/bin/env python3
"""What cdk-eks-platform costs a consumer: install size and cold `require` time.

    npm run bench:consumer                                   # packs this checkout (npm pack)
    python3 scripts/bench/consumer.py --tarball OLD.tgz      # any packed build, e.g. an older commit's

Installs the tarball into a throw-away app beside aws-cdk-lib and constructs at the versions this
repository pins, plus the tools a CDK app has anyway (the aws-cdk CLI, typescript, sucrase), as
examples/custom-addon does. It reports
  node_modules    the app's whole node_modules,
  footprint       what the package adds to it: the same app installed without the package,
                  subtracted (the consumer's own aws-cdk-lib and tools are not the package's cost),
  aws-cdk-lib     how many copies are installed (more than one breaks `new App()`), and of Blueprints,
  require ms      median of fresh `node` processes that only `require('cdk-eks-platform')`.
Offline apart from the npm registry (npm's cache first). Linux or macOS; Python 3.9+, stdlib only.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOLS = {"aws-cdk": None, "sucrase": None, "typescript": None}
REQUIRE_ONCE = (
    "const t = process.hrtime.bigint(); require('cdk-eks-platform');"
    "process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6))"
)


def repo_versions():
    dev = json.load(open(os.path.join(REPO, "package.json")))["devDependencies"]
    pinned = {name: dev[name] for name in ("aws-cdk-lib", "constructs")}
    return pinned, {name: dev[name] for name in TOOLS}


def pack_checkout(dest):
    # prepack builds dist/ first, so the tarball is this checkout as npm would publish it.
    name = subprocess.run(["npm", "pack", "--silent", "--pack-destination", dest], cwd=REPO, check=True,
                          capture_output=True, text=True).stdout.strip().splitlines()[-1]
    return os.path.join(dest, name)


def install(app_dir, dependencies, dev_dependencies):
    os.makedirs(app_dir)
    package = {"name": "consumer", "version": "0.0.0", "private": True,
               "dependencies": dependencies, "devDependencies": dev_dependencies}
    with open(os.path.join(app_dir, "package.json"), "w") as f:
        json.dump(package, f)
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"],
                   cwd=app_dir, check=True, stdout=subprocess.DEVNULL)


def tree_bytes(path):
    # Disk use (allocated blocks), as `du` counts it; hard links once.
    seen, total = set(), 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            st = os.lstat(os.path.join(root, name))
            if (st.st_dev, st.st_ino) not in seen:
                seen.add((st.st_dev, st.st_ino))
                total += st.st_blocks * 512
    return total


def copies_of(app_dir, package):
    # Nested copies count too: npm nests a package whose version range the top-level copy misses.
    found = 0
    for root, _dirs, _files in os.walk(os.path.join(app_dir, "node_modules")):
        if root.endswith(os.sep + os.path.join("node_modules", *package.split("/"))):
            found += 1
    return found


def require_ms(app_dir, runs):
    times = []
    for _ in range(runs):
        out = subprocess.run(["node", "-e", REQUIRE_ONCE], cwd=app_dir, check=True, capture_output=True, text=True)
        times.append(float(out.stdout))
    return statistics.median(times), min(times), max(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", help="a packed cdk-eks-platform (default: npm pack of this checkout)")
    parser.add_argument("--runs", type=int, default=7, help="fresh processes for the require time (default 7)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    pinned, tools = repo_versions()
    work = tempfile.mkdtemp(prefix="consumer-bench-")
    try:
        tarball = os.path.abspath(args.tarball) if args.tarball else pack_checkout(work)
        bare, app = os.path.join(work, "bare"), os.path.join(work, "app")
        install(bare, dict(pinned), tools)
        install(app, {**pinned, "cdk-eks-platform": "file:" + tarball}, tools)
        total, without = tree_bytes(os.path.join(app, "node_modules")), tree_bytes(os.path.join(bare, "node_modules"))
        median, low, high = require_ms(app, args.runs)
        figures = {
            "tarball": os.path.basename(tarball),
            "node": subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip(),
            "pinned": pinned,
            "node_modules_mib": round(total / 2**20),
            "footprint_mib": round((total - without) / 2**20),
            "aws_cdk_lib_copies": copies_of(app, "aws-cdk-lib"),
            "eks_blueprints_copies": copies_of(app, "@aws-quickstart/eks-blueprints"),
            "require_ms": {"median": round(median), "min": round(low), "max": round(high), "runs": args.runs},
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(json.dumps(figures, indent=2))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(figures, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
