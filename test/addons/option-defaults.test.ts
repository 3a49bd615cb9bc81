import type { z } from 'zod';

import { AUTO_MODE_INGRESS_OPTIONS, AutoModeIngressAddOn } from '../../addons/auto-mode-ingress';
import { FIRST_PARTY_ADDONS } from '../../addons/catalog';
import { CERT_MANAGER_OPTIONS, CertManagerAddOn } from '../../addons/cert-manager';
import { addOnOptions } from '../../addons/core/options';
import { EXTERNAL_SECRETS_OPTIONS } from '../../addons/external-secrets';
import { defaultOf, docOf } from '../../lib/core/config';
import { optionShape } from '../../lib/tools/docs/addon-pages';
import { helmReleases } from '../helpers';
import { deployAlone } from '../support/addon-fixture';

/*
 * An option's static default is declared once, on its schema: the parsed options carry it, so the
 * add-on never restates it, and the docs render it from there.
 */

/** Every option of every first-party add-on that has a schema default, as `[id.option, schema]`. */
const DEFAULTED: [string, z.ZodType][] = FIRST_PARTY_ADDONS.flatMap((registration) =>
  Object.entries(optionShape(registration))
    .filter(([, schema]) => defaultOf(schema) !== undefined)
    .map(([name, schema]): [string, z.ZodType] => [`${registration.id}.${name}`, schema]),
);

describe('option defaults live in the schemas', () => {
  test('parsed options carry the defaults of the keys left out', () => {
    expect(addOnOptions(CertManagerAddOn.ID, CERT_MANAGER_OPTIONS, {})).toMatchObject({ replicas: 2, install: 'helm' });
    expect(addOnOptions(AutoModeIngressAddOn.ID, AUTO_MODE_INGRESS_OPTIONS, {})).toEqual({
      className: 'alb',
      scheme: 'internet-facing',
      isDefault: true,
    });
    expect(addOnOptions('external-secrets', EXTERNAL_SECRETS_OPTIONS, {})).toMatchObject({
      platformNamespaces: ['platform-system'],
      kmsKeyArns: [],
    });
  });

  test('a given value wins over the default, also as the CLI string', () => {
    expect(addOnOptions(CertManagerAddOn.ID, CERT_MANAGER_OPTIONS, { replicas: '3' }).replicas).toBe(3);
    expect(addOnOptions(AutoModeIngressAddOn.ID, AUTO_MODE_INGRESS_OPTIONS, { className: 'web', isDefault: 'false' })).toMatchObject({
      className: 'web',
      isDefault: false,
    });
  });

  test('a default list is not shared between two parses', () => {
    const first = addOnOptions('external-secrets', EXTERNAL_SECRETS_OPTIONS, {});
    first.kmsKeyArns.push('arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(addOnOptions('external-secrets', EXTERNAL_SECRETS_OPTIONS, {}).kmsKeyArns).toEqual([]);
  });

  test('the add-on builds from the parsed default, not from a fallback of its own', () => {
    const ingress = new AutoModeIngressAddOn();
    expect(ingress.provides.ingressClasses).toEqual(['alb']);
    const [params, ingressClass] = ingress.manifests();
    expect(params).toMatchObject({ kind: 'IngressClassParams', metadata: { name: 'alb' }, spec: { scheme: 'internet-facing' } });
    expect(ingressClass).toMatchObject({
      kind: 'IngressClass',
      metadata: { name: 'alb', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
    });

    const values = helmReleases(deployAlone(new CertManagerAddOn()).template)['cert-manager'].Values;
    expect(values).toMatchObject({ replicaCount: 2, webhook: { replicaCount: 2 } });
  });

  test('first-party add-ons declare schema defaults', () => {
    expect(DEFAULTED.map(([name]) => name)).toEqual(
      expect.arrayContaining(['cert-manager.replicas', 'cert-manager.install', 'auto-mode-ingress.className', 'karpenter.amiAlias']),
    );
  });

  test.each(DEFAULTED)('%s: its default is a value the schema accepts', (_name, schema) => {
    expect(schema.safeParse(defaultOf(schema)?.value).success).toBe(true);
  });

  test.each(DEFAULTED)('%s: the description does not repeat the default (the docs render it)', (_name, schema) => {
    expect(docOf(schema).description ?? '').not.toMatch(/\bDefault\b/);
  });
});
