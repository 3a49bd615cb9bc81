import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { FIRST_PARTY_ADDONS } from '../../addons/catalog';
import type { AddOnRegistration } from '../../addons/core/registration';
import * as pkg from '../../index';
import { ROOT } from '../../scripts/docs/reference';

/*
 * One add-on, three places a reader finds it: the package's exports (what a consumer can import),
 * the catalog (what configuration can select) and README's catalog (what is documented). A
 * first-party add-on missing from any of them fails here. The indexes and docs/addons/<id>.md are
 * generated from the catalog (test/docs.test.ts keeps them current); this also fails when a
 * generated block is dropped from a page.
 */

const catalogIds = FIRST_PARTY_ADDONS.map((r) => r.id);

/** The exported classes that carry a registration: the package's add-ons. */
function exportedAddOns(): Map<string, AddOnRegistration> {
  const found = new Map<string, AddOnRegistration>();
  for (const value of Object.values(pkg)) {
    const registration = typeof value === 'function' ? (value as { registration?: AddOnRegistration }).registration : undefined;
    if (registration !== undefined) found.set(registration.id, registration);
  }
  return found;
}

/** The add-on ids a page's generated block documents, in order (README links each, docs/addons.md a heading each). */
function documentedIds(page: string, block: string, id: RegExp): string[] {
  const text = readFileSync(join(ROOT, page), 'utf8');
  const start = text.indexOf(`<!-- generated:${block} `);
  const end = text.indexOf(`<!-- /generated:${block} -->`);
  expect([page, block, start >= 0 && end > start]).toEqual([page, block, true]);
  return [...text.slice(start, end).matchAll(id)].map((m) => m[1]);
}

test('every add-on of the catalog is exported by the package, with the registration the catalog holds', () => {
  const exported = exportedAddOns();
  expect(catalogIds.filter((id) => exported.get(id) === undefined)).toEqual([]);
  for (const registration of FIRST_PARTY_ADDONS) {
    expect([registration.id, exported.get(registration.id)]).toEqual([registration.id, registration]);
  }
});

test('every exported add-on is in the catalog', () => {
  expect([...exportedAddOns().keys()].filter((id) => !catalogIds.includes(id))).toEqual([]);
});

test("README and docs/addons.md index exactly the catalog, in its order, each linking the add-on's page", () => {
  expect(documentedIds('README.md', 'addon-index', /^\| \[`([a-z0-9-]+)`\]\(docs\/addons\/\1\.md\)/gm)).toEqual(catalogIds);
  expect(documentedIds('docs/addons.md', 'addon-index', /^\| \[`([a-z0-9-]+)`\]\(addons\/\1\.md\)/gm)).toEqual(catalogIds);
});
