import { CloudWatchObservabilityAddOn } from '../addons/cloudwatch-observability';
import type { AddOnContext, PlatformAddOn } from '../addons/core/addon';
import { synth } from './helpers';

const EFS_CLAIMS = [{ addon: 'efs', csiDriver: 'efs.csi.aws.com', reason: 'the driver deletes their EFS access points' }];

function teardownOutput(context: Record<string, unknown>, addons?: readonly PlatformAddOn[]): unknown {
  const outputs = synth(context, addons).platformTemplate.findOutputs('Teardown');
  return JSON.parse(outputs.Teardown.Value as string);
}

test('PlatformStack publishes the profile and no teardown steps when no add-on declares any', () => {
  synth({ addons: 'metrics-server' }).platformTemplate.hasOutput('Teardown', {
    Value: JSON.stringify({ profile: 'workshop', claims: [], kept: [] }),
  });
});

test.each([
  ['auto', 'ebs.csi.eks.amazonaws.com'],
  ['nodegroups', 'ebs.csi.aws.com'],
])(
  "the storage add-on on %s: the claims of its driver's volumes go before the stack, so the driver deletes the EBS volumes",
  (compute, driver) => {
    expect(teardownOutput({ compute, addons: 'storage' })).toEqual({
      profile: 'workshop',
      claims: [{ addon: 'storage', csiDriver: driver, reason: 'the driver deletes their EBS volumes (reclaimPolicy Delete)' }],
      kept: [],
    });
  },
);

test('the efs add-on: its claims go before the stack; the workshop file system is deleted with it, so nothing is kept', () => {
  expect(teardownOutput({ addons: 'efs' })).toEqual({ profile: 'workshop', claims: EFS_CLAIMS, kept: [] });
});

test('the efs add-on in production: the retained file system is published by its exact environment tag', () => {
  expect(teardownOutput({ profile: 'production', environment: 'prod', addons: 'efs' })).toEqual({
    profile: 'production',
    claims: EFS_CLAIMS,
    kept: [
      expect.objectContaining({
        addon: 'efs',
        resourceType: 'elasticfilesystem:file-system',
        tag: { key: 'platform:environment', value: 'prod' },
      }),
    ],
  });
});

test('the cloudwatch-observability add-on: the shared log group it creates is published by its exact kept tag', () => {
  expect(teardownOutput({ environment: 'alice', addons: 'cloudwatch-observability' })).toEqual({
    profile: 'workshop',
    claims: [],
    kept: [
      expect.objectContaining({
        addon: 'cloudwatch-observability',
        resourceType: 'logs:log-group',
        tag: { key: 'platform:kept', value: 'alice/application-signals-log-group' },
        howToDelete: expect.stringContaining('aws logs delete-log-group --log-group-name /aws/application-signals/data'),
      }),
    ],
  });
});

test('the cloudwatch-observability add-on that does not create the shared log group keeps nothing', () => {
  expect(
    teardownOutput({ addons: 'none', sampleWorkloads: false }, [
      new CloudWatchObservabilityAddOn({ createApplicationSignalsLogGroup: false }),
    ]),
  ).toEqual({ profile: 'workshop', claims: [], kept: [] });
});

test("a consumer's add-on takes the same path: its facet is in the union", () => {
  const custom: PlatformAddOn = {
    id: 'custom-store',
    computeModes: ['auto', 'nodegroups'],
    namespaces: ['custom-store'],
    deploy: () => undefined,
    teardown: (context: AddOnContext) => ({
      deleteClaims: [{ csiDriver: 'example.csi.acme.com', reason: 'the driver deletes its volumes' }],
      kept: [
        {
          resourceType: 's3:bucket',
          tag: { key: 'acme:env', value: context.config.environment },
          description: 'bucket',
          howToDelete: 'aws s3 rb --force',
        },
      ],
    }),
  };
  expect(teardownOutput({ addons: 'none', sampleWorkloads: false }, [custom])).toEqual({
    profile: 'workshop',
    claims: [{ addon: 'custom-store', csiDriver: 'example.csi.acme.com', reason: 'the driver deletes its volumes' }],
    kept: [
      {
        addon: 'custom-store',
        resourceType: 's3:bucket',
        tag: { key: 'acme:env', value: 'dev' },
        description: 'bucket',
        howToDelete: 'aws s3 rb --force',
      },
    ],
  });
});
