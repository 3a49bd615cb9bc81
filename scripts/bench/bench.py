#!/usr/bin/env python3
"""Synth benchmark: cdk-eks-platform against an equivalent EKS Blueprints app (issue 6).

    npm run bench                      # = python3 scripts/bench/bench.py
    python3 scripts/bench/bench.py --reps 3 --cases 1,4
    python3 scripts/bench/bench.py --scaling           # synth time against node groups, add-ons, teams (issue 17)

Runs every case as a fresh child process, interleaved (case1 rep1, case2 rep1, ..., case1 rep2, ...),
so that load on the machine hits all cases alike. Per run it records
  wall  elapsed time from spawn to exit,
  cpu   user + system time of the whole process tree (os.wait4 rusage of the child: the kernel folds
        in every descendant the tree waited for: npx, the CDK CLI, the app, ts-node),
  rss   peak memory: the largest max RSS of any single process in that tree (ru_maxrss),
then reads the cloud assembly for the template figures that drive deploy time and cost.
A synth still running after --timeout seconds is killed with its process tree and reported; with
--scaling the other sizes still run (Node 20 never exits from some synths with 18+ node groups).
Offline: no AWS account, no network (CLI notices, telemetry and version check are turned off).
Method, targets and a recent run: docs/benchmarks.md. Linux only (os.wait4, ru_maxrss in KiB).
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BLUEPRINTS_APP = os.path.join(REPO, "bench", "blueprints")
DEFAULT_OUT = os.path.join(REPO, "bench-out")  # git- and eslint-ignored

# Case 3: the full workshop add-on set. ONE constant: when add-ons land or change their options, update
# it here (and bench/blueprints/bin/main.ts for the Blueprints side). Fake but well-formed hosted zone
# and domain: synth only validates their form, nothing is looked up.
CASE3_ADDONS = {
    "metrics-server": {},
    "storage": {},
    "auto-mode-ingress": {},
    "cert-manager": {},
    "argo-cd": {},
    "external-dns": {"hostedZoneIds": ["Z0123456789ABCDEFGHIJ"], "domainFilters": ["example.com"]},
}
CASE3_TEAMS = [{"name": "team-a", "principals": ["arn:aws:iam::111122223333:role/TeamA"]}]

SYNTH = ["npx", "cdk", "synth", "--quiet", "--no-notices"]


def ctx(key, value):
    return ["-c", "%s=%s" % (key, value if isinstance(value, str) else json.dumps(value, separators=(",", ":")))]


CASES = {
    1: {"name": "ours: Auto Mode (default)", "cwd": REPO, "args": []},
    2: {"name": "ours: -c compute=nodegroups", "cwd": REPO, "args": ctx("compute", "nodegroups")},
    3: {
        "name": "ours: Auto Mode, all add-ons, team, samples",
        "cwd": REPO,
        "args": ctx("addons", CASE3_ADDONS) + ctx("teams", CASE3_TEAMS) + ctx("sampleWorkloads", "true"),
    },
    4: {"name": "EKS Blueprints (ts-node, no nag)", "cwd": BLUEPRINTS_APP, "args": []},
    # Not in the default run: cases 1 and 4 without aws-cdk-lib's built-in CloudFormation Validate plugin
    # (auto-registered in 2.278), to price it: `--cases 1,5,4,6`. The CLI passes CDK_VALIDATION=false to the app.
    5: {"name": "ours: case 1, --no-validation", "cwd": REPO, "args": ["--no-validation"]},
    6: {"name": "EKS Blueprints, --no-validation", "cwd": BLUEPRINTS_APP, "args": ["--no-validation"]},
}
BASELINE = 4
TIMEOUT_S = 600

# --scaling (issue 17): synth time against the size of the configuration, one axis at a time.
# Everything else stays at its default, so each axis is read against its first row.
# The full add-on selections are test/full-platform.test.ts's FULL: every first-party add-on that
# the compute mode supports (13 on Auto Mode, 15 on node groups; together the 16). Keep them in step.
EXTERNAL_DNS = {"hostedZoneIds": ["Z0123456789ABCDEFGHIJ"], "domainFilters": ["example.com"]}
ACK = {"services": ["s3"], "permissionsBoundaryArn": "arn:aws:iam::111122223333:policy/AckBoundary"}
ARGO = {"bootstrap": {"repoUrl": "https://github.com/example/gitops.git", "path": "apps"}}
FULL_ADDONS = {
    "auto": {
        "metrics-server": {}, "storage": {}, "auto-mode-ingress": {}, "cert-manager": {}, "external-dns": EXTERNAL_DNS,
        "argo-cd": ARGO, "ack": ACK, "kro": {"clusterRole": "edit"}, "cloudwatch-observability": {}, "kyverno": {},
        "external-secrets": {}, "prometheus": {}, "efs": {},
    },
    "nodegroups": {
        "metrics-server": {}, "storage": {}, "aws-load-balancer-controller": {}, "karpenter": {}, "cert-manager": {},
        "external-dns": EXTERNAL_DNS, "argo-cd": ARGO, "ack": ACK, "kro": {"clusterRole": "edit"},
        "cloudwatch-observability": {}, "node-monitoring": {}, "kyverno": {}, "external-secrets": {}, "prometheus": {},
        "efs": {},
    },
}
# The ops group of the default configuration (lib/core/config/profiles.ts OPS_NODE_GROUP): Karpenter, a default
# add-on on node groups, runs its controller on it. So 1 group is exactly case 2's configuration.
OPS_NODE_GROUP = {"name": "ops", "amiType": "BOTTLEROCKET_x86_64", "instanceTypes": ["m5.large", "t3.medium"],
                  "capacityType": "ON_DEMAND", "minSize": 2, "maxSize": 3, "desiredSize": 2,
                  "labels": {"workload-type": "ops", "karpenter.sh/controller": "true"}}
MAX_NODE_GROUPS = 30  # the EKS quota of managed node groups per cluster, lib/core/config/node-group-schema.ts
SCALING_TIMEOUT_S = 120  # Node 24 synthesizes 30 groups in ~11 s; Node 20 never exits from 18 groups on


def node_groups(n):
    """The ops group plus n-1 well-formed application groups with distinct names (at most the EKS quota)."""
    if not 1 <= n <= MAX_NODE_GROUPS:
        raise ValueError("node groups: 1 to %d, got %d" % (MAX_NODE_GROUPS, n))
    apps = [{"name": "app-%02d" % i, "amiType": "BOTTLEROCKET_x86_64", "instanceTypes": ["m5.large"],
             "minSize": 1, "maxSize": 3, "labels": {"workload-type": "app-%02d" % i}} for i in range(1, n)]
    return [OPS_NODE_GROUP] + apps


def teams(n):
    """n teams, each with its own namespace and principal (EKS allows one access entry per principal)."""
    return [{"name": "team-%02d" % i, "principals": ["arn:aws:iam::111122223333:role/Team%02d" % i]} for i in range(1, n + 1)]


def scaling_cases():
    """The --scaling cases, numbered from 11 so that they never clash with the standard ones: (axis, size, args)."""
    auto, ng = ctx("compute", "auto"), ctx("compute", "nodegroups")
    rows = [("node groups", n, ng + ([] if n == 1 else ctx("nodeGroups", node_groups(n)))) for n in (1, 10, 20, 30)]
    # Without sample workloads on this axis: their Ingress needs an ingress add-on, so 0 add-ons refuses them.
    bare = auto + ctx("sampleWorkloads", "false")
    rows += [("add-ons (auto, no samples)", 0, bare + ctx("addons", {})),
             ("add-ons (auto, no samples)", 3, bare),  # the default selection, lib/core/config/profiles.ts DEFAULT_ADDON_IDS
             ("add-ons (auto, no samples)", len(FULL_ADDONS["auto"]), bare + ctx("addons", FULL_ADDONS["auto"])),
             ("add-ons (nodegroups, no samples)", len(FULL_ADDONS["nodegroups"]),
              ng + ctx("sampleWorkloads", "false") + ctx("addons", FULL_ADDONS["nodegroups"]))]
    rows += [("teams", n, auto + (ctx("teams", teams(n)) if n else [])) for n in (0, 10, 50)]
    return {11 + i: {"name": "scaling: %s = %d" % (axis, n), "axis": axis, "size": n, "cwd": REPO, "args": args}
            for i, (axis, n, args) in enumerate(rows)}
MARKER = ".bench-run"
# Construct path (below the stack) of our sample workloads: lib/stacks/platform/platform-stack.ts `new SampleWorkloads(this, 'Workloads')`.
SAMPLE_WORKLOADS_PATH = "/Workloads/"


def parse_args():
    ap = argparse.ArgumentParser(description="Benchmark our synth against an equivalent EKS Blueprints app.")
    ap.add_argument("--reps", type=int, default=5, help="repetitions per case (default 5)")
    ap.add_argument("--cases", default="1,2,3,4", help="comma-separated case numbers (default 1,2,3,4; 5 and 6 on request)")
    ap.add_argument("--out", default=DEFAULT_OUT, help="cloud assemblies go to OUT/last, replaced by every run (default bench-out/)")
    ap.add_argument("--keep", action="store_true", help="keep every run's cloud assembly (default: the last of each case)")
    ap.add_argument("--json", metavar="FILE", help="also write all measurements as JSON")
    ap.add_argument("--our-app", metavar="CMD",
                    help="run cases 1-3 with this app command instead of cdk.json's (to evaluate a proposed change)")
    ap.add_argument("--scaling", action="store_true",
                    help="run the scaling cases (node groups, add-ons, teams; numbered 11-21) instead of cases 1-4")
    ap.add_argument("--timeout", type=int, metavar="S",
                    help="kill a synth after S seconds and report it (default %d, with --scaling %d)" % (TIMEOUT_S, SCALING_TIMEOUT_S))
    a = ap.parse_args()
    if a.scaling:
        CASES.clear()  # the standard cases would only muddle a scaling table
        CASES.update(scaling_cases())
        if a.cases == ap.get_default("cases"):
            a.cases = ",".join(map(str, CASES))
    a.timeout = a.timeout or (SCALING_TIMEOUT_S if a.scaling else TIMEOUT_S)
    known = "%d-%d" % (min(CASES), max(CASES))
    try:
        a.cases = [int(c) for c in a.cases.split(",") if c.strip()]
    except ValueError:
        ap.error("--cases: a comma-separated list of %s" % known)
    if not a.cases or any(c not in CASES for c in a.cases) or len(set(a.cases)) != len(a.cases):
        ap.error("--cases: distinct case numbers from %s%s" % (known, "" if a.scaling else " (11-21 with --scaling)"))
    if a.timeout < 1:
        ap.error("--timeout: at least 1 s")
    if a.reps < 1:
        ap.error("--reps: at least 1")
    if a.our_app:
        for case in (c for c in CASES if CASES[c]["cwd"] == REPO):
            CASES[case] = dict(CASES[case], name=CASES[case]["name"] + " [--our-app]", args=CASES[case]["args"] + ["--app", a.our_app])
    return a


def command(case, out_dir):
    return SYNTH + ["--output", out_dir] + CASES[case]["args"]


def descendants(pid):
    """Process ids below pid, from /proc: a child that made its own session escapes killpg."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/stat" % entry) as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])  # the name in (...) may hold spaces
            except (OSError, IndexError, ValueError):
                continue  # exited meanwhile
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        kids = children.get(todo.pop(), [])
        found += kids
        todo += kids
    return found


def kill_tree(pid):
    """SIGKILL for the session of pid and everything below it. Stopped first, so none respawns or is reparented unseen."""
    tree = [pid] + descendants(pid)
    for p in tree:
        try:
            os.kill(p, signal.SIGSTOP)
        except ProcessLookupError:
            pass
    tree += [p for p in descendants(pid) if p not in tree]
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    for p in tree:
        try:
            os.kill(p, signal.SIGKILL)
        except ProcessLookupError:
            pass


def run_once(case, out_dir, timeout=TIMEOUT_S, cmd=None):
    """Runs one synth as a fresh child in its own session; returns (wall_s, cpu_s, maxrss_kib, rc, log).

    A synth still running after `timeout` seconds is killed with its whole process tree (a hung
    app would otherwise keep a CPU busy forever) and leaves LOG.timeout; rc is then -9."""
    os.makedirs(out_dir)
    log = out_dir + ".log"
    env = dict(os.environ, CDK_DISABLE_CLI_TELEMETRY="true", CDK_DISABLE_VERSION_CHECK="true", FORCE_COLOR="0")
    with open(log, "wb") as sink:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd or command(case, out_dir), cwd=CASES[case]["cwd"], env=env,
                                stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)
        def kill():
            with open(log + ".timeout", "w") as f:
                f.write("killed after %d s\n" % timeout)
            kill_tree(proc.pid)
        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, ru = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here; keep Popen from waiting again
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, proc.returncode, log


def tail(path, lines=40):
    with open(path, "rb") as f:
        text = f.read().decode("utf-8", "replace")
    return "\n".join(text.rstrip().splitlines()[-lines:])


def dir_bytes(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    total = 0
    for root, _, files in os.walk(path):
        total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
    return total


def is_lambda(rtype):
    return rtype in ("AWS::Lambda::Function", "AWS::Serverless::Function")


def is_custom_resource(rtype):
    return rtype.startswith("Custom::") or rtype == "AWS::CloudFormation::CustomResource"


def assembly_figures(out_dir):
    """Template figures per stack, and the asset bytes of the whole cloud assembly."""
    with open(os.path.join(out_dir, "manifest.json")) as f:
        manifest = json.load(f)
    stacks = []
    for art_id, art in sorted(manifest.get("artifacts", {}).items()):
        if art.get("type") != "aws:cloudformation:stack":
            continue
        path = os.path.join(out_dir, art["properties"]["templateFile"])
        with open(path) as f:
            resources = json.load(f).get("Resources", {})
        name = art.get("displayName", art_id)
        types = [r.get("Type", "") for r in resources.values()]
        # Resources of our sample workloads (Blueprints has none), told apart by construct path.
        samples = [r.get("Type", "") for r in resources.values()
                   if str(r.get("Metadata", {}).get("aws:cdk:path", "")).startswith(name + SAMPLE_WORKLOADS_PATH)]
        stacks.append({
            "stack": name,
            "resources": len(types),
            "lambdas": sum(map(is_lambda, types)),
            "custom": sum(map(is_custom_resource, types)),
            "template_bytes": os.path.getsize(path),
            "samples": {"resources": len(samples), "lambdas": sum(map(is_lambda, samples)),
                        "custom": sum(map(is_custom_resource, samples))},
        })
    assets = sum(dir_bytes(os.path.join(out_dir, n)) for n in os.listdir(out_dir) if n.startswith("asset."))
    return {"stacks": stacks, "asset_bytes": assets}


def read_version(pkg):
    try:
        with open(os.path.join(REPO, "node_modules", pkg, "package.json")) as f:
            return json.load(f)["version"]
    except (OSError, ValueError, KeyError):
        return "?"


def machine():
    def out(cmd):
        try:
            return subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=60).stdout.strip() or "?"
        except (OSError, subprocess.SubprocessError):
            return "?"
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "?")
    except OSError:
        pass
    mem = "?"
    try:
        with open("/proc/meminfo") as f:
            kib = int(next(l for l in f if l.startswith("MemTotal")).split()[1])
            mem = "%.1f GiB" % (kib / 1024 / 1024)
    except (OSError, StopIteration, ValueError):
        pass
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": cpu,
        "memory": mem,
        "os": "%s %s" % (platform.system(), platform.release()),
        "node": out(["node", "--version"]),
        "python": platform.python_version(),
        "commit": out(["git", "rev-parse", "--short", "HEAD"]),
        "versions": {p: read_version(p) for p in
                     ("aws-cdk-lib", "aws-cdk", "@aws-quickstart/eks-blueprints", "cdk-nag", "typescript", "ts-node")},
    }


def table(header, rows, left=2):
    """A Markdown-compatible table: the first `left` columns left-aligned, the others right-aligned."""
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]

    def row(cols):
        return "| " + " | ".join(str(c).ljust(w) if i < left else str(c).rjust(w)
                                 for i, (c, w) in enumerate(zip(cols, widths))) + " |"
    rule = "|" + "|".join((":" + "-" * (w + 1)) if i < left else ("-" * (w + 1) + ":") for i, w in enumerate(widths)) + "|"
    return "\n".join([row(header), rule] + [row(r) for r in rows])


def summary(values):
    return statistics.median(values), min(values), max(values)


def main():
    args = parse_args()
    if sys.platform != "linux":
        sys.exit("bench.py measures with os.wait4 rusage and needs Linux.")
    if not os.path.isdir(os.path.join(REPO, "node_modules", "aws-cdk")):
        sys.exit("node_modules missing: run npm ci first.")
    info = machine()
    run_root = os.path.join(args.out, "last")  # replaced by every run: assemblies are ~60 MB each
    if os.path.exists(os.path.join(run_root, MARKER)):
        shutil.rmtree(run_root)
    elif os.path.exists(run_root):
        sys.exit("%s exists and was not made by bench.py: remove it or pass --out" % run_root)
    os.makedirs(run_root)
    open(os.path.join(run_root, MARKER), "w").close()
    load_before = os.getloadavg()

    print("cdk-eks-platform synth benchmark, %s" % info["date"])
    print("machine: nproc %s, %s, %s RAM, %s; node %s, python %s; commit %s"
          % (info["nproc"], info["cpu"], info["memory"], info["os"], info["node"], info["python"], info["commit"]))
    print("versions: " + ", ".join("%s %s" % kv for kv in info["versions"].items()))
    print("load average before: %.2f %.2f %.2f" % load_before)
    print("%d reps, interleaved, cases %s; cloud assemblies in %s" % (args.reps, ",".join(map(str, args.cases)), os.path.relpath(run_root, REPO)))
    for case in args.cases:
        print("  case %d  %-45s cd %s && %s" % (case, CASES[case]["name"], os.path.relpath(CASES[case]["cwd"], REPO) or ".",
                                                 shorten(" ".join(shell_quote(a) for a in command(case, "<out>")))))
    print()

    runs = {c: [] for c in args.cases}
    figures = {}
    failed = {}  # case -> why; --scaling only: a hung or failed size is a finding, the other sizes still count
    for rep in range(1, args.reps + 1):
        for case in (c for c in args.cases if c not in failed):
            out_dir = os.path.join(run_root, "case%d-rep%d" % (case, rep))
            wall, cpu, rss, rc, log = run_once(case, out_dir, args.timeout)
            timed_out = os.path.exists(log + ".timeout")
            print("rep %d case %d: wall %6.2f s  cpu %6.2f s  peak rss %5.0f MiB%s"
                  % (rep, case, wall, cpu, rss / 1024,
                     "" if rc == 0 else "  TIMED OUT, killed" if timed_out else "  FAILED (exit %d)" % rc), flush=True)
            if rc != 0:
                sys.stdout.flush()
                if timed_out:
                    print("\ncase %d rep %d did not finish within %d s (a network call or lookup? on Node 20: the V8 hang of"
                          " 18+ node groups)" % (case, rep, args.timeout), file=sys.stderr)
                print("\n--- case %d rep %d failed: last lines of %s ---" % (case, rep, os.path.relpath(log, REPO)), file=sys.stderr)
                print(tail(log), file=sys.stderr)
                if not args.scaling:
                    sys.exit(1)
                # Later reps of a hung size would only hang again: skip them, report it, go on with the others.
                failed[case] = ("timed out after %d s" % args.timeout if timed_out else "failed (exit %d)" % rc) + " in rep %d" % rep
                continue
            runs[case].append({"wall": wall, "cpu": cpu, "rss_mib": rss / 1024})
            fig = assembly_figures(out_dir)
            if case in figures and figures[case] != fig:  # e.g. someone edited the app during the run
                print("warning: case %d rep %d: template figures differ from rep %d" % (case, rep, rep - 1), file=sys.stderr)
            figures[case] = fig
            if not args.keep and rep < args.reps:
                shutil.rmtree(out_dir)
                os.remove(log)
    load_after = os.getloadavg()

    print()
    print("Timing: median (min-max) of %d runs per case" % args.reps)
    rows = []
    for case in (c for c in args.cases if runs[c]):
        w, c, m = (summary([r[k] for r in runs[case]]) for k in ("wall", "cpu", "rss_mib"))
        rows.append([str(case), CASES[case]["name"],
                     "%.2f (%.2f-%.2f)" % w, "%.2f (%.2f-%.2f)" % c, "%.0f (%.0f-%.0f)" % m])
    print(table(["case", "what", "wall s", "cpu s", "peak rss MiB"], rows))

    ratios = []
    if BASELINE in args.cases:
        base = {k: statistics.median(r[k] for r in runs[BASELINE]) for k in ("wall", "cpu", "rss_mib")}
        print()
        print("Ratios ours / Blueprints (case %d), medians:" % BASELINE)
        rrows = []
        for case in (c for c in args.cases if c != BASELINE):
            med = {k: statistics.median(r[k] for r in runs[case]) for k in base}
            ratio = {k: med[k] / base[k] for k in base}
            ratios.append({"case": case, **ratio})
            rrows.append(["%d / %d" % (case, BASELINE), "%.2f" % ratio["wall"], "%.2f" % ratio["cpu"], "%.2f" % ratio["rss_mib"]])
        print(table(["cases", "wall", "cpu", "peak rss"], rrows, left=1))

    print()
    print("Template figures (cloud assembly of the last run of each case; a warning above if they changed between runs):")
    frows = []
    for case in (c for c in args.cases if c in figures):
        fig = figures[case]
        for s in fig["stacks"]:
            frows.append([str(case), s["stack"], s["resources"], s["lambdas"], s["custom"], "{:,}".format(s["template_bytes"]), ""])
        frows.append([str(case), "total", totals(fig, "resources"), totals(fig, "lambdas"), totals(fig, "custom"),
                      "{:,}".format(totals(fig, "template_bytes")), "{:,}".format(fig["asset_bytes"])])
        if sample_totals(fig, "resources"):
            frows.append([str(case), "(of which sample workloads)", sample_totals(fig, "resources"), sample_totals(fig, "lambdas"),
                          sample_totals(fig, "custom"), "", ""])
    print(table(["case", "stack", "resources", "lambda fns", "custom res", "template B", "asset B"], frows))

    if BASELINE in args.cases:
        print()
        print("Targets (against case %d, same run):" % BASELINE)
        for line in targets(args.cases, runs, figures):
            print("  " + line)
    if args.scaling:
        print()
        print("Scaling: medians of %d runs per size; a size that timed out or failed is reported, not measured:" % args.reps)
        print(table(["axis", "size", "wall s", "cpu s", "peak rss MiB", "resources", "template B", "result"],
                    scaling_rows(args.cases, runs, figures, failed)))
    print()
    print("load average after: %.2f %.2f %.2f" % load_after)

    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": info, "reps": args.reps, "cases": {str(c): CASES[c]["name"] for c in args.cases},
                       "commands": {str(c): command(c, "<out>") for c in args.cases},
                       "runs": {str(c): runs[c] for c in args.cases}, "ratios": ratios,
                       "figures": {str(c): figures[c] for c in args.cases},
                       "failed": {str(c): why for c, why in failed.items()}, "timeout_s": args.timeout,
                       "load_before": load_before, "load_after": load_after}, f, indent=2)
        print("measurements written to %s" % args.json)
    if failed:
        sys.exit("%d case(s) did not finish: %s" % (len(failed), "; ".join("case %d %s" % kv for kv in sorted(failed.items()))))


def scaling_rows(cases, runs, figures, failed):
    """One row per scaling case: axis, size, medians, the template size it led to, and whether it finished."""
    rows = []
    for case in cases:
        c = CASES[case]
        if case in failed:
            rows.append([c["axis"], c["size"], "-", "-", "-", "-", "-", failed[case].upper()])
            continue
        med = {k: statistics.median(r[k] for r in runs[case]) for k in ("wall", "cpu", "rss_mib")}
        fig = figures[case]
        rows.append([c["axis"], c["size"], "%.2f" % med["wall"], "%.2f" % med["cpu"], "%.0f" % med["rss_mib"],
                     totals(fig, "resources"), "{:,}".format(totals(fig, "template_bytes")), "ok"])
    return rows


def totals(fig, key):
    return sum(s[key] for s in fig["stacks"])


def sample_totals(fig, key):
    return sum(s["samples"][key] for s in fig["stacks"])


def targets(cases, runs, figures):
    med = {c: {k: statistics.median(r[k] for r in runs[c]) for k in ("wall", "rss_mib")} for c in cases}
    b = med[BASELINE]
    lines = []
    for case in (c for c in (1, 3) if c in cases):
        m = med[case]
        lines.append("%s case %d wall <= 1/2 of case %d: %.2f s vs %.2f s (ratio %.2f)"
                     % ("MET   " if m["wall"] <= 0.5 * b["wall"] else "MISSED", case, BASELINE, m["wall"], b["wall"], m["wall"] / b["wall"]))
        lines.append("%s case %d peak rss < case %d: %.0f MiB vs %.0f MiB"
                     % ("MET   " if m["rss_mib"] < b["rss_mib"] else "MISSED", case, BASELINE, m["rss_mib"], b["rss_mib"]))
    if 3 in cases:  # case 3 has case 4's features, plus the sample workloads that Blueprints lacks
        for key, label in (("lambdas", "Lambda functions"), ("custom", "custom resources")):
            ours, samples, theirs = totals(figures[3], key), sample_totals(figures[3], key), totals(figures[BASELINE], key)
            lines.append("%s case 3 %s <= case %d for the same features: %d vs %d (%d with the sample workloads)"
                         % ("MET   " if ours - samples <= theirs else "MISSED", label, BASELINE, ours - samples, theirs, ours))
    return lines


def shorten(text, limit=200):
    """The scaling cases pass kilobytes of context: the header shows the start, --json has it all."""
    return text if len(text) <= limit else text[:limit - 5] + " ..."


def shell_quote(arg):
    return arg if all(ch.isalnum() or ch in "-_=./,:<>" for ch in arg) else "'" + arg.replace("'", "'\\''") + "'"


if __name__ == "__main__":
    main()
