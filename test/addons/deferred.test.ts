import { CfnWaitConditionHandle } from 'aws-cdk-lib';

import type { PlatformAddOn } from '../../addons/core/addon';
import { selectionProblems } from '../../addons/core/resolve';
import { deployAlone } from '../support/addon-fixture';

/*
 * The deferred facet: part of an add-on deployed after other add-ons without the add-on depending on
 * them as a whole (the argo-cd add-on's repository credentials need the external-secrets add-on,
 * whose chart Argo CD itself delivers with delivery gitops).
 */

/** An add-on of one marker resource, named after it. */
const marker = (id: string, extra: Partial<PlatformAddOn> = {}): PlatformAddOn => ({
  id,
  computeModes: ['auto', 'nodegroups'],
  namespaces: [],
  deploy: (scope) => new CfnWaitConditionHandle(scope, 'Marker'),
  ...extra,
});

const engine = marker('engine', {
  deferred: { after: ['store'], deploy: (scope) => new CfnWaitConditionHandle(scope, 'Late') },
});
// Depends on the engine as a whole, as a chart the engine delivers does: a dependency of the engine
// on it would be a cycle.
const store = marker('store', { dependsOn: ['engine'] });

describe('a deferred part', () => {
  const { template } = deployAlone([engine, store]);
  const resources = template.toJSON().Resources as Record<string, { DependsOn?: string[] }>;
  const id = (prefix: string) => Object.keys(resources).find((key) => key.startsWith(prefix)) as string;

  test('is deployed apart from the add-on scopes, after its own add-on and the add-ons it names', () => {
    const late = id('DeferredengineLate');
    expect(resources[late].DependsOn).toEqual(expect.arrayContaining([id('AddOnsengineMarker'), id('AddOnsstoreMarker')]));
  });

  test('is not part of its add-on: what depends on the add-on does not wait for it (no cycle)', () => {
    expect(resources[id('AddOnsstoreMarker')].DependsOn).toEqual([id('AddOnsengineMarker')]);
  });

  test('needs the add-ons it names selected', () => {
    expect(selectionProblems([engine], 'auto', ['engine'])).toEqual([
      '"engine" needs "store" as configured, which is not selected: add "store"',
    ]);
    expect(selectionProblems([engine, store], 'auto', ['engine', 'store'])).toEqual([]);
  });

  test('an add-on without one makes no Deferred scope', () => {
    const plain = deployAlone([marker('plain')]).template.toJSON().Resources as Record<string, unknown>;
    expect(Object.keys(plain).filter((key) => key.startsWith('Deferred'))).toEqual([]);
  });
});
