#!/usr/bin/env python3
"""Unit tests of bench.py (stdlib unittest, no synth, a few seconds):

    npm run test:bench      # = python3 -m unittest discover -s scripts/bench -p 'test_*.py'

They check what a benchmark run cannot show by itself: that the generated scaling configurations are
what the schema accepts, and that a hung synth is killed with its whole process tree and reported.
"""

import json
import os
import shutil
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402


def context_of(args):
    """The -c key=value pairs of a command line as a dict, JSON values decoded."""
    pairs = [args[i + 1].split("=", 1) for i in range(0, len(args), 2) if args[i] == "-c"]
    out = {}
    for key, value in pairs:
        try:
            out[key] = json.loads(value)
        except ValueError:
            out[key] = value
    return out


class ScalingCases(unittest.TestCase):
    def setUp(self):
        self.cases = bench.scaling_cases()

    def test_numbers_do_not_clash_with_the_standard_cases(self):
        self.assertFalse(set(self.cases) & {1, 2, 3, 4})
        self.assertEqual(list(self.cases), list(range(11, 11 + len(self.cases))))

    def test_node_groups_reach_the_eks_limit_with_unique_names(self):
        sizes = [c["size"] for c in self.cases.values() if c["axis"] == "node groups"]
        self.assertEqual(sizes, [1, 10, 20, 30])
        for c in self.cases.values():
            if c["axis"] != "node groups":
                continue
            ctx = context_of(c["args"])
            self.assertEqual(ctx["compute"], "nodegroups")
            groups = ctx.get("nodeGroups", [bench.OPS_NODE_GROUP])  # size 1 is the default configuration
            self.assertEqual(len(groups), c["size"])
            self.assertEqual(len({g["name"] for g in groups}), len(groups))
            self.assertEqual(groups[0]["labels"]["karpenter.sh/controller"], "true")  # Karpenter's controller needs it

    def test_node_groups_outside_the_quota_are_refused(self):
        for n in (0, bench.MAX_NODE_GROUPS + 1):
            with self.assertRaises(ValueError):
                bench.node_groups(n)

    def test_full_add_on_sets_cover_all_sixteen_first_party_add_ons(self):
        union = set(bench.FULL_ADDONS["auto"]) | set(bench.FULL_ADDONS["nodegroups"])
        self.assertEqual(len(union), 16)
        self.assertNotIn("auto-mode-ingress", bench.FULL_ADDONS["nodegroups"])
        self.assertNotIn("karpenter", bench.FULL_ADDONS["auto"])  # Auto Mode has it built in

    def test_add_on_axis_runs_without_sample_workloads(self):
        for c in self.cases.values():
            if c["axis"].startswith("add-ons"):
                self.assertIs(context_of(c["args"])["sampleWorkloads"], False, c["name"])

    def test_teams_have_distinct_principals(self):
        team_list = bench.teams(50)
        principals = [p for t in team_list for p in t["principals"]]
        self.assertEqual(len(set(principals)), 50)  # EKS: one access entry per principal
        self.assertEqual(len({t["name"] for t in team_list}), 50)


class Timeout(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="bench-test-")
        bench.CASES[99] = {"name": "test", "cwd": self.tmp, "args": []}

    def tearDown(self):
        del bench.CASES[99]
        shutil.rmtree(self.tmp)

    def test_a_hung_tree_is_killed_and_reported(self):
        # A grandchild in a session of its own, as a detached Node child would be: killpg alone misses it.
        pidfile = os.path.join(self.tmp, "grandchild.pid")
        script = "setsid sh -c 'echo $$ > %s; exec sleep 60' & sleep 60" % pidfile
        start = time.perf_counter()
        _, _, _, rc, log = bench.run_once(99, os.path.join(self.tmp, "out"), timeout=1, cmd=["sh", "-c", script])
        self.assertLess(time.perf_counter() - start, 30)
        self.assertNotEqual(rc, 0)
        self.assertTrue(os.path.exists(log + ".timeout"))
        with open(pidfile) as f:
            grandchild = int(f.read())
        for _ in range(50):  # SIGKILL is asynchronous; the orphan is reaped by init
            if not os.path.exists("/proc/%d" % grandchild) or _is_zombie(grandchild):
                break
            time.sleep(0.1)
        self.assertTrue(not os.path.exists("/proc/%d" % grandchild) or _is_zombie(grandchild), "grandchild survived")

    def test_a_quick_run_is_measured(self):
        wall, cpu, rss, rc, log = bench.run_once(99, os.path.join(self.tmp, "out"), timeout=30, cmd=["true"])
        self.assertEqual(rc, 0)
        self.assertFalse(os.path.exists(log + ".timeout"))
        self.assertLess(wall, 30)


def _is_zombie(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


if __name__ == "__main__":
    unittest.main()
