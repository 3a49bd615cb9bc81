"""
CloudFormation custom resource that runs before a Helm release's Custom::AWSCDK-EKS-HelmChart and
recovers the release when an interrupted Helm command left it pending-install, pending-upgrade or
pending-rollback. Helm refuses every later upgrade of such a release ("another operation
(install/upgrade/rollback) is in progress": helm/helm@v4.2.3 pkg/action/upgrade.go,
prepareUpgrade) and has no flag that takes it over, but `helm rollback` and `helm uninstall` do not
check for a pending status (pkg/action/rollback.go, uninstall.go). So this does what the README's
manual steps do: roll back to the newest deployed or superseded revision, or uninstall a release
that was never deployed. Only the exact release and namespace in its properties are touched.

A pending revision younger than the handler's limit may belong to a Helm command that is still
running; it is left alone until that command must have ended (QuietSeconds after its `updated`
time, which Helm sets when the command starts).

Runs with the kubectl handler's role, layers and network: helm from the kubectl layer (/opt/helm),
the AWS CLI from the awscli layer (/opt/awscli) for `aws eks update-kubeconfig` and the token.
"""
import json
import logging
import os
import re
import subprocess
import time
import urllib.request
from datetime import datetime, timezone

logger = logging.getLogger()
logger.setLevel(logging.INFO)

os.environ['PATH'] = '/opt/helm:/opt/awscli:' + os.environ.get('PATH', '')
# The only writable directory of a Lambda function; helm and the AWS CLI run in it (as in the kubectl handler).
OUTDIR = os.environ.get('TEST_OUTDIR', '/tmp')
KUBECONFIG = os.path.join(OUTDIR, 'kubeconfig')

PENDING = ('pending-install', 'pending-upgrade', 'pending-rollback')
# Revisions whose manifests were applied successfully: a rollback to one of them restores a known state.
GOOD = ('deployed', 'superseded')
# What the function keeps for the recovery itself after waiting: Helm's --timeout plus an answer to CloudFormation.
ANSWER_SECONDS = 30


def parse_time(text):
    """Seconds since the epoch of Helm's RFC 3339 time (Go writes up to nanoseconds), or None."""
    if not text:
        return None
    match = re.fullmatch(r'(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})', text)
    if not match:
        return None
    base, fraction, zone = match.groups()
    stamp = datetime.fromisoformat(base + ('+00:00' if zone == 'Z' else zone))
    return stamp.astimezone(timezone.utc).timestamp() + (float('0.' + fraction) if fraction else 0.0)


def plan(history, now, quiet_seconds):
    """
    The step for a release, from its `helm history -o json` entries (any order): {'action': 'none'},
    {'action': 'wait', 'until': epoch seconds}, {'action': 'rollback', 'revision': n} or
    {'action': 'uninstall'}.
    """
    if not history:
        return {'action': 'none', 'reason': 'the release does not exist'}
    latest = max(history, key=lambda entry: entry['revision'])
    if latest['status'] not in PENDING:
        return {'action': 'none', 'reason': f"revision {latest['revision']} is {latest['status']}"}
    started = parse_time(latest.get('updated'))
    # Without a start time, wait the full quiet period from now: never race a running command.
    safe_at = (started if started is not None else now) + quiet_seconds
    if now < safe_at:
        return {'action': 'wait', 'until': safe_at, 'revision': latest['revision'], 'status': latest['status']}
    good = [entry['revision'] for entry in history if entry['status'] in GOOD]
    if good:
        return {'action': 'rollback', 'revision': max(good), 'status': latest['status']}
    return {'action': 'uninstall', 'status': latest['status']}


def commands(step, release, namespace, timeout):
    """The helm command that carries out a rollback or uninstall step (None for the others)."""
    scope = ['--namespace', namespace, '--timeout', timeout, '--kubeconfig', KUBECONFIG]
    if step['action'] == 'rollback':
        # No --wait: the HelmChart's own upgrade that follows waits for the workloads.
        return ['helm', 'rollback', release, str(step['revision']), *scope]
    if step['action'] == 'uninstall':
        # Wait for the objects to be gone, or the reinstall that follows would meet them terminating.
        return ['helm', 'uninstall', release, '--wait', *scope]
    return None


def read_history(release, namespace):
    result = subprocess.run(
        ['helm', 'history', release, '--namespace', namespace, '--output', 'json', '--kubeconfig', KUBECONFIG],
        capture_output=True, text=True, check=False, cwd=OUTDIR)
    if result.returncode != 0:
        # helm/helm@v4.2.3 pkg/storage/driver/driver.go: ErrReleaseNotFound
        if 'release: not found' in result.stderr:
            return []
        raise RuntimeError(f'helm history {release} -n {namespace} failed: {result.stderr.strip()}')
    return json.loads(result.stdout or '[]')


def recover(props, context):
    release, namespace = props['Release'], props['Namespace']
    quiet, timeout_seconds = int(props['QuietSeconds']), int(props['TimeoutSeconds'])
    subprocess.check_call(['aws', 'eks', 'update-kubeconfig', '--name', props['ClusterName'], '--kubeconfig', KUBECONFIG], cwd=OUTDIR)
    os.chmod(KUBECONFIG, 0o600)
    while True:
        step = plan(read_history(release, namespace), time.time(), quiet)
        logger.info('release %s/%s: %s', namespace, release, json.dumps(step))
        if step['action'] != 'wait':
            break
        delay = step['until'] - time.time()
        budget = context.get_remaining_time_in_millis() / 1000 - timeout_seconds - ANSWER_SECONDS
        if delay > budget:
            safe_at = datetime.fromtimestamp(step['until'], timezone.utc).isoformat()
            raise RuntimeError(
                f"release {release} in namespace {namespace} is {step['status']} (revision {step['revision']}) and a Helm "
                f'command may still be running it until {safe_at}; deploy again (or continue the rollback) after that time')
        time.sleep(max(delay, 0))
    command = commands(step, release, namespace, f'{timeout_seconds}s')
    if command:
        logger.info('running %s', command)
        output = subprocess.run(command, capture_output=True, text=True, check=False, cwd=OUTDIR)
        logger.info(output.stdout)
        if output.returncode != 0:
            raise RuntimeError(f"{' '.join(command[:4])} failed: {output.stderr.strip()}")
    return {'Action': step['action']}


def respond(event, status, data, reason):
    body = json.dumps({
        'Status': status,
        'Reason': reason or 'see the function log',
        'PhysicalResourceId': f"{event['ResourceProperties']['Namespace']}/{event['ResourceProperties']['Release']}",
        'StackId': event['StackId'],
        'RequestId': event['RequestId'],
        'LogicalResourceId': event['LogicalResourceId'],
        'Data': data,
    }).encode('utf-8')
    request = urllib.request.Request(event['ResponseURL'], data=body, method='PUT',
                                     headers={'content-type': '', 'content-length': str(len(body))})
    with urllib.request.urlopen(request, timeout=30) as response:
        logger.info('CloudFormation answered %s', response.status)


def handler(event, context):
    logger.info(json.dumps(dict(event, ResponseURL='...')))
    try:
        # Deleting the release is the HelmChart's job; it is deleted before this resource.
        data = {} if event['RequestType'] == 'Delete' else recover(event['ResourceProperties'], context)
        respond(event, 'SUCCESS', data, None)
    except Exception as error:  # noqa: BLE001 - CloudFormation must get an answer whatever failed
        logger.exception('recovery failed')
        respond(event, 'FAILED', {}, str(error)[:1000])
