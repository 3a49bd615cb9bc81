#!/usr/bin/env python3
"""Test-suite benchmark: how long `npx jest` and `npm test` take (issue 9's targets).

    npm run bench:tests                    # = python3 scripts/bench/tests.py
    python3 scripts/bench/tests.py --reps 3 --cold

Runs each command as a fresh child, interleaved (jest, npm test, jest, ...), and reports the median
wall time, the CPU of the whole process tree (user + system, os.wait4) and the load average at the
start of each run, against the targets: jest under 30 s (issue 9), all of `npm test` under 90 s
(issue 18) on the 2-core machines this project is built on. `--cold` passes jest `--no-cache` (what a fresh CI clone pays
for transforming the sources). Speed is measured here, never asserted by a timed test.
Linux only (os.wait4).
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TARGETS = {"jest": 30.0, "npm test": 90.0}


def parse_args():
    ap = argparse.ArgumentParser(description="Benchmark the test suite against its time targets.")
    ap.add_argument("--reps", type=int, default=3, help="repetitions per command (default 3)")
    ap.add_argument("--cold", action="store_true", help="run jest without its transform cache (--no-cache)")
    ap.add_argument("--only", choices=sorted(TARGETS), help="benchmark one command only")
    a = ap.parse_args()
    if a.reps < 1:
        ap.error("--reps: at least 1")
    return a


def commands(cold):
    jest = ["npx", "jest", "--silent"] + (["--no-cache"] if cold else [])
    return {"jest": jest, "npm test": ["npm", "test", "--silent"]}


def run_once(cmd):
    """One run as a fresh child; returns (wall_s, cpu_s, rc, load1)."""
    load1 = os.getloadavg()[0]
    env = dict(os.environ, FORCE_COLOR="0", CI="true")
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, ru.ru_utime + ru.ru_stime, proc.returncode, load1


def main():
    a = parse_args()
    cmds = commands(a.cold)
    names = [a.only] if a.only else list(cmds)
    results = {name: [] for name in names}
    for rep in range(a.reps):
        for name in names:
            wall, cpu, rc, load1 = run_once(cmds[name])
            results[name].append((wall, cpu, load1))
            print("rep %d %-8s wall %6.1f s  cpu %6.1f s  load %.1f  rc %d" % (rep + 1, name, wall, cpu, load1, rc), flush=True)
            if rc != 0:
                print("%s failed (exit %d): fix the suite before timing it" % (name, rc), file=sys.stderr)
                return 1
    print()
    print("%-8s  %9s  %9s  %9s  %s" % ("command", "wall med", "cpu med", "target", "verdict"))
    missed = False
    for name in names:
        walls = [r[0] for r in results[name]]
        cpus = [r[1] for r in results[name]]
        median = statistics.median(walls)
        met = median < TARGETS[name]
        missed |= not met
        print("%-8s  %7.1f s  %7.1f s  <%6.0f s  %s (min %.1f, max %.1f)" % (
            name, median, statistics.median(cpus), TARGETS[name], "MET" if met else "MISSED", min(walls), max(walls)))
    print("\nLoad average above the core count (%d) slows every figure: compare on a quiet machine." % os.cpu_count())
    return 0 if not missed else 2


if __name__ == "__main__":
    sys.exit(main())
