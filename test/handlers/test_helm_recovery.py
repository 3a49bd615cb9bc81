"""Decision logic of addons/core/helm-recovery-handler/index.py (npm run test:handlers)."""
import http.server
import importlib.util
import json
import logging
import os
import stat
import tempfile
import threading
import unittest

OUTDIR = tempfile.mkdtemp(prefix='helm-recovery-')
os.environ['TEST_OUTDIR'] = OUTDIR
HANDLER = os.path.join(os.path.dirname(__file__), '..', '..', 'addons', 'core', 'helm-recovery-handler', 'index.py')
spec = importlib.util.spec_from_file_location('helm_recovery', HANDLER)
recovery = importlib.util.module_from_spec(spec)
spec.loader.exec_module(recovery)
# The handler logs what it does (and the failure it answers with); the assertions say enough here.
recovery.logger.setLevel(logging.CRITICAL)

QUIET = 960
T0 = recovery.parse_time('2026-12-07T18:00:00Z')


def entry(revision, status, updated='2026-12-07T18:00:00.123456789Z'):
    return {'revision': revision, 'status': status, 'updated': updated, 'chart': 'c-1.0.0', 'app_version': '1', 'description': ''}


class ParseTime(unittest.TestCase):
    def test_go_nanoseconds_and_offsets(self):
        self.assertAlmostEqual(recovery.parse_time('2026-12-07T18:00:00.123456789Z'), T0 + 0.123456789, places=6)
        self.assertEqual(recovery.parse_time('2026-12-07T19:00:00+01:00'), T0)

    def test_missing_or_unknown(self):
        self.assertIsNone(recovery.parse_time(None))
        self.assertIsNone(recovery.parse_time('Mon Dec  7 18:00:00 2026'))


class Plan(unittest.TestCase):
    later = T0 + QUIET + 1

    def test_absent_or_settled_releases_are_left_alone(self):
        self.assertEqual(recovery.plan([], self.later, QUIET)['action'], 'none')
        for status in ('deployed', 'failed', 'superseded', 'uninstalled'):
            self.assertEqual(recovery.plan([entry(1, 'deployed'), entry(2, status)], self.later, QUIET)['action'], 'none', status)

    def test_pending_upgrade_rolls_back_to_the_newest_good_revision(self):
        history = [entry(3, 'pending-upgrade'), entry(1, 'superseded'), entry(2, 'deployed')]
        self.assertEqual(recovery.plan(history, self.later, QUIET), {'action': 'rollback', 'revision': 2, 'status': 'pending-upgrade'})

    def test_an_interrupted_rollback_skips_failed_revisions(self):
        history = [entry(1, 'superseded'), entry(2, 'failed'), entry(3, 'pending-rollback')]
        self.assertEqual(recovery.plan(history, self.later, QUIET)['revision'], 1)

    def test_a_first_install_is_uninstalled(self):
        self.assertEqual(recovery.plan([entry(1, 'pending-install')], self.later, QUIET), {'action': 'uninstall', 'status': 'pending-install'})
        self.assertEqual(recovery.plan([entry(1, 'failed'), entry(2, 'pending-upgrade')], self.later, QUIET)['action'], 'uninstall')

    def test_a_pending_revision_that_a_running_command_may_own_is_waited_for(self):
        step = recovery.plan([entry(1, 'deployed'), entry(2, 'pending-upgrade')], T0 + QUIET - 1, QUIET)
        self.assertEqual(step['action'], 'wait')
        self.assertAlmostEqual(step['until'], T0 + 0.123456789 + QUIET, places=6)

    def test_no_start_time_waits_the_whole_quiet_period(self):
        step = recovery.plan([entry(1, 'pending-install', updated=None)], self.later, QUIET)
        self.assertEqual((step['action'], step['until']), ('wait', self.later + QUIET))


class Commands(unittest.TestCase):
    def test_rollback_names_the_revision_release_and_namespace(self):
        command = recovery.commands({'action': 'rollback', 'revision': 4}, 'karpenter', 'kube-system', '300s')
        self.assertEqual(command[:4], ['helm', 'rollback', 'karpenter', '4'])
        self.assertIn('--namespace', command)
        self.assertEqual(command[command.index('--namespace') + 1], 'kube-system')
        self.assertNotIn('--wait', command)

    def test_uninstall_waits_for_the_objects(self):
        command = recovery.commands({'action': 'uninstall'}, 'kyverno', 'kyverno', '300s')
        self.assertEqual(command[:3], ['helm', 'uninstall', 'kyverno'])
        self.assertIn('--wait', command)
        self.assertEqual(command[command.index('--timeout') + 1], '300s')

    def test_nothing_to_run_otherwise(self):
        self.assertIsNone(recovery.commands({'action': 'none'}, 'a', 'b', '300s'))


# Stand-ins for the layers' binaries: `aws` writes the kubeconfig, `helm` answers history from
# history.json (or "release: not found" without it) and records every other command.
FAKE_AWS = """#!/bin/sh
for a; do last=$a; done
echo "apiVersion: v1" > "$last"
"""
FAKE_HELM = """#!/bin/sh
dir=$(dirname "$0")
if [ "$1" = history ]; then
  [ -f "$dir/history.json" ] || { echo 'Error: release: not found' >&2; exit 1; }
  cat "$dir/history.json"; exit 0
fi
echo "$*" >> "$dir/commands.log"
"""


class Answers(http.server.BaseHTTPRequestHandler):
    received = []

    def do_PUT(self):  # noqa: N802 - the http.server name
        Answers.received.append(json.loads(self.rfile.read(int(self.headers['content-length']))))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


class Context:
    def get_remaining_time_in_millis(self):
        return 900_000


class Handler(unittest.TestCase):
    """The whole handler: commands through PATH, the answer PUT to the response URL."""

    @classmethod
    def setUpClass(cls):
        cls.bin = tempfile.mkdtemp(prefix='helm-recovery-bin-')
        for name, text in (('aws', FAKE_AWS), ('helm', FAKE_HELM)):
            path = os.path.join(cls.bin, name)
            with open(path, 'w') as f:
                f.write(text)
            os.chmod(path, stat.S_IRWXU)
        os.environ['PATH'] = cls.bin + os.pathsep + os.environ['PATH']
        cls.server = http.server.HTTPServer(('127.0.0.1', 0), Answers)
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()

    def setUp(self):
        Answers.received.clear()
        for name in ('history.json', 'commands.log'):
            if os.path.exists(os.path.join(self.bin, name)):
                os.remove(os.path.join(self.bin, name))

    def run_handler(self, request_type='Update', history=None):
        if history is not None:
            with open(os.path.join(self.bin, 'history.json'), 'w') as f:
                json.dump(history, f)
        recovery.handler({
            'RequestType': request_type, 'ResponseURL': f'http://127.0.0.1:{self.server.server_port}/answer',
            'StackId': 'stack', 'RequestId': 'request', 'LogicalResourceId': 'Recovery',
            'ResourceProperties': {'ClusterName': 'dev', 'Release': 'kyverno', 'Namespace': 'kyverno',
                                   'QuietSeconds': str(QUIET), 'TimeoutSeconds': '300'},
        }, Context())
        log = os.path.join(self.bin, 'commands.log')
        if not os.path.exists(log):
            return Answers.received[-1], []
        with open(log) as f:
            commands = f.read().splitlines()
        return Answers.received[-1], commands

    def test_rolls_back_an_abandoned_upgrade(self):
        answer, commands = self.run_handler(history=[entry(1, 'deployed'), entry(2, 'pending-upgrade')])
        self.assertEqual((answer['Status'], answer['Data'], answer['PhysicalResourceId']), ('SUCCESS', {'Action': 'rollback'}, 'kyverno/kyverno'))
        self.assertEqual(len(commands), 1)
        self.assertTrue(commands[0].startswith('rollback kyverno 1 --namespace kyverno --timeout 300s'))

    def test_a_missing_release_is_not_an_error(self):
        answer, commands = self.run_handler()
        self.assertEqual((answer['Status'], answer['Data'], commands), ('SUCCESS', {'Action': 'none'}, []))

    def test_a_running_command_that_outlasts_the_budget_fails_with_the_time(self):
        import datetime
        now = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
        answer, commands = self.run_handler(history=[entry(1, 'pending-install', updated=now)])
        self.assertEqual((answer['Status'], commands), ('FAILED', []))
        self.assertRegex(answer['Reason'], r'kyverno in namespace kyverno is pending-install .* until \d{4}-')

    def test_delete_touches_nothing(self):
        answer, commands = self.run_handler('Delete', history=[entry(1, 'pending-install')])
        self.assertEqual((answer['Status'], commands), ('SUCCESS', []))


if __name__ == '__main__':
    unittest.main()
