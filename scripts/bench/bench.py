#!/usr/bin/env python3
"""Synth benchmark: cdk-eks-platform against an equivalent EKS Blueprints app (issue 6).

    npm run bench                      # = python3 scripts/bench/bench.py
    python3 scripts/bench/bench.py --reps 3 --cases 1,4

Runs every case as a fresh child process, interleaved (case1 rep1, case2 rep1, ..., case1 rep2, ...),
so that load on the machine hits all cases alike. Per run it records
  wall  elapsed time from spawn to exit,
  cpu   user + system time of the whole process tree (os.wait4 rusage of the child: the kernel folds
        in every descendant the tree waited for: npx, the CDK CLI, the app, ts-node),
  rss   peak memory: the largest max RSS of any single process in that tree (ru_maxrss),
then reads the cloud assembly for the template figures that drive deploy time and cost.
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
}
BASELINE = 4
TIMEOUT_S = 600
MARKER = ".bench-run"
# Construct path (below the stack) of our sample workloads: lib/platform/platform-stack.ts `new SampleWorkloads(this, 'Workloads')`.
SAMPLE_WORKLOADS_PATH = "/Workloads/"


def parse_args():
    ap = argparse.ArgumentParser(description="Benchmark our synth against an equivalent EKS Blueprints app.")
    ap.add_argument("--reps", type=int, default=5, help="repetitions per case (default 5)")
    ap.add_argument("--cases", default="1,2,3,4", help="comma-separated case numbers (default 1,2,3,4)")
    ap.add_argument("--out", default=DEFAULT_OUT, help="cloud assemblies go to OUT/last, replaced by every run (default bench-out/)")
    ap.add_argument("--keep", action="store_true", help="keep every run's cloud assembly (default: the last of each case)")
    ap.add_argument("--json", metavar="FILE", help="also write all measurements as JSON")
    ap.add_argument("--our-app", metavar="CMD",
                    help="run cases 1-3 with this app command instead of cdk.json's (to evaluate a proposed change)")
    a = ap.parse_args()
    try:
        a.cases = [int(c) for c in a.cases.split(",") if c.strip()]
    except ValueError:
        ap.error("--cases: a comma-separated list of 1-4, e.g. 1,4")
    if not a.cases or any(c not in CASES for c in a.cases) or len(set(a.cases)) != len(a.cases):
        ap.error("--cases: distinct case numbers from 1-4, e.g. 1,4")
    if a.reps < 1:
        ap.error("--reps: at least 1")
    if a.our_app:
        for case in (1, 2, 3):
            CASES[case] = dict(CASES[case], name=CASES[case]["name"] + " [--our-app]", args=CASES[case]["args"] + ["--app", a.our_app])
    return a


def command(case, out_dir):
    return SYNTH + ["--output", out_dir] + CASES[case]["args"]


def run_once(case, out_dir):
    """Runs one synth as a fresh child in its own session; returns (wall_s, cpu_s, maxrss_kib, rc, log)."""
    os.makedirs(out_dir)
    log = out_dir + ".log"
    env = dict(os.environ, CDK_DISABLE_CLI_TELEMETRY="true", CDK_DISABLE_VERSION_CHECK="true", FORCE_COLOR="0")
    with open(log, "wb") as sink:
        start = time.perf_counter()
        proc = subprocess.Popen(command(case, out_dir), cwd=CASES[case]["cwd"], env=env,
                                stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)
        def kill():
            with open(log + ".timeout", "w") as f:
                f.write("killed after %d s\n" % TIMEOUT_S)
            os.killpg(proc.pid, signal.SIGKILL)
        timer = threading.Timer(TIMEOUT_S, kill)
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
                                                 " ".join(shell_quote(a) for a in command(case, "<out>"))))
    print()

    runs = {c: [] for c in args.cases}
    figures = {}
    for rep in range(1, args.reps + 1):
        for case in args.cases:
            out_dir = os.path.join(run_root, "case%d-rep%d" % (case, rep))
            wall, cpu, rss, rc, log = run_once(case, out_dir)
            print("rep %d case %d: wall %6.2f s  cpu %6.2f s  peak rss %5.0f MiB%s"
                  % (rep, case, wall, cpu, rss / 1024, "" if rc == 0 else "  FAILED (exit %d)" % rc), flush=True)
            if rc != 0:
                sys.stdout.flush()
                if os.path.exists(log + ".timeout"):
                    print("\ncase %d rep %d did not finish within %d s (a network call or lookup?)" % (case, rep, TIMEOUT_S), file=sys.stderr)
                print("\n--- case %d rep %d failed: last lines of %s ---" % (case, rep, os.path.relpath(log, REPO)), file=sys.stderr)
                print(tail(log), file=sys.stderr)
                sys.exit(1)
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
    for case in args.cases:
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
    for case in args.cases:
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
    print()
    print("load average after: %.2f %.2f %.2f" % load_after)

    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": info, "reps": args.reps, "cases": {str(c): CASES[c]["name"] for c in args.cases},
                       "commands": {str(c): command(c, "<out>") for c in args.cases},
                       "runs": {str(c): runs[c] for c in args.cases}, "ratios": ratios,
                       "figures": {str(c): figures[c] for c in args.cases},
                       "load_before": load_before, "load_after": load_after}, f, indent=2)
        print("measurements written to %s" % args.json)


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


def shell_quote(arg):
    return arg if all(ch.isalnum() or ch in "-_=./,:<>" for ch in arg) else "'" + arg.replace("'", "'\\''") + "'"


if __name__ == "__main__":
    main()
