import { StorageAddOn } from '../../addons/storage';
import { nagFindings } from '../helpers';
import { deployAlone } from '../support/addon-fixture';
import type { AnyStatement, Request } from '../support/iam-policies';
import { allows, list, resolve, statements as statementsWithPrefix } from '../support/iam-policies';

const PREFIX = 'AddOnsstorage';
const ACCOUNT = '111122223333';
const arn = (resource: string, account = ACCOUNT) => `arn:aws:ec2:us-west-2:${account}:${resource}`;
const NEW_VOLUME = arn('volume/*');
const VOLUME = arn('volume/vol-0123456789abcdef0');
const NEW_SNAPSHOT = arn('snapshot/*', '');
const SNAPSHOT = arn('snapshot/snap-0123456789abcdef0', '');
const INSTANCE = arn('instance/i-0123456789abcdef0');
const OWNED = { 'aws:ResourceTag/ebs.csi.aws.com/cluster': 'true' };
const REQUESTED = { 'aws:RequestTag/ebs.csi.aws.com/cluster': 'true', 'aws:TagKeys': ['ebs.csi.aws.com/cluster', 'CSIVolumeName'] };

/**
 * Every action of the driver's reference policy at the pinned versions: docs/example-iam-policy.json
 * of kubernetes-sigs/aws-ebs-csi-driver at v1.56.0 and v1.57.1, plus ec2:LockSnapshot from the AWS
 * managed policy AmazonEBSCSIDriverPolicy (the driver's snapshot lock, since v1.55.0).
 */
const UPSTREAM_ACTIONS = [
  'ec2:AttachVolume',
  'ec2:CopyVolumes',
  'ec2:CreateSnapshot',
  'ec2:CreateTags',
  'ec2:CreateVolume',
  'ec2:DeleteSnapshot',
  'ec2:DeleteTags',
  'ec2:DeleteVolume',
  'ec2:DescribeAvailabilityZones',
  'ec2:DescribeInstances',
  'ec2:DescribeSnapshots',
  'ec2:DescribeTags',
  'ec2:DescribeVolumeStatus',
  'ec2:DescribeVolumes',
  'ec2:DescribeVolumesModifications',
  'ec2:DetachVolume',
  'ec2:EnableFastSnapshotRestores',
  'ec2:LockSnapshot',
  'ec2:ModifyVolume',
];

describe('storage: the EBS CSI driver policy (node groups)', () => {
  const app = deployAlone(new StorageAddOn(), { compute: 'nodegroups' });
  const raw = statementsWithPrefix(app.template, PREFIX);
  const policy = resolve(raw) as AnyStatement[];
  const may = (action: string, resource: string, context: Request['context'] = {}) => allows(policy, { action, resource, context });

  test('snapshot ARNs have no account field (real EC2 snapshot ARNs have none)', () => {
    const snapshotArns = policy.flatMap((s) => list(s.Resource).map(String)).filter((r) => r.includes(':snapshot/'));
    expect(snapshotArns.length).toBeGreaterThan(0);
    expect(new Set(snapshotArns)).toEqual(new Set(['arn:aws:ec2:us-west-2::snapshot/*']));
    expect(may('ec2:DeleteSnapshot', SNAPSHOT, OWNED)).toBe(true);
    expect(may('ec2:DeleteSnapshot', arn('snapshot/snap-0123456789abcdef0'), OWNED)).toBe(false);
  });

  test('grants exactly the actions of the reference policy of the pinned driver versions', () => {
    expect([...new Set(policy.flatMap((s) => list(s.Action ?? [])))].sort()).toEqual(UPSTREAM_ACTIONS);
  });

  test("the driver's calls are allowed for what it created and tagged", () => {
    // Provisioning, also from a snapshot, and cloning (CopyVolumes since v1.51).
    expect(may('ec2:CreateVolume', NEW_VOLUME, REQUESTED)).toBe(true);
    expect(may('ec2:CreateVolume', SNAPSHOT, OWNED)).toBe(true);
    expect(may('ec2:CopyVolumes', NEW_VOLUME, REQUESTED)).toBe(true);
    expect(may('ec2:CopyVolumes', VOLUME, OWNED)).toBe(true);
    expect(may('ec2:CreateTags', NEW_VOLUME, { 'ec2:CreateAction': 'CopyVolumes' })).toBe(true);
    // Snapshots, fast snapshot restore and snapshot lock.
    expect(may('ec2:CreateSnapshot', NEW_SNAPSHOT, REQUESTED)).toBe(true);
    expect(may('ec2:CreateSnapshot', VOLUME, OWNED)).toBe(true);
    expect(may('ec2:CreateTags', NEW_SNAPSHOT, { 'ec2:CreateAction': 'CreateSnapshot' })).toBe(true);
    expect(may('ec2:EnableFastSnapshotRestores', SNAPSHOT, OWNED)).toBe(true);
    expect(may('ec2:LockSnapshot', SNAPSHOT, OWNED)).toBe(true);
    // Attach, resize, status, delete.
    expect(may('ec2:AttachVolume', VOLUME, OWNED) && may('ec2:AttachVolume', INSTANCE)).toBe(true);
    expect(may('ec2:ModifyVolume', VOLUME, OWNED)).toBe(true);
    expect(may('ec2:DescribeVolumeStatus', '*')).toBe(true);
    expect(may('ec2:DeleteVolume', VOLUME, OWNED)).toBe(true);
    expect(may('ec2:CreateTags', VOLUME, { ...OWNED, 'aws:TagKeys': ['team'] })).toBe(true);
  });

  test('nothing the driver did not create and tag, and no adopting or releasing by retagging', () => {
    expect(may('ec2:CreateVolume', NEW_VOLUME)).toBe(false);
    expect(may('ec2:CreateVolume', SNAPSHOT)).toBe(false);
    expect(may('ec2:CopyVolumes', VOLUME)).toBe(false);
    expect(may('ec2:CreateSnapshot', VOLUME)).toBe(false);
    expect(may('ec2:DeleteVolume', VOLUME)).toBe(false);
    expect(may('ec2:DeleteSnapshot', SNAPSHOT)).toBe(false);
    expect(may('ec2:LockSnapshot', SNAPSHOT)).toBe(false);
    expect(may('ec2:DeleteTags', VOLUME, { ...OWNED, 'aws:TagKeys': ['ebs.csi.aws.com/cluster'] })).toBe(false);
    expect(may('ec2:CreateTags', VOLUME, { 'aws:TagKeys': ['ebs.csi.aws.com/cluster'] })).toBe(false);
    expect(may('ec2:DeleteVolume', 'arn:aws:ec2:eu-west-1:111122223333:volume/vol-0123456789abcdef0', OWNED)).toBe(false);
  });

  test('zero unacknowledged nag findings', () => {
    expect(nagFindings(app)).toEqual([]);
  });
});
