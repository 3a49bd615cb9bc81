import type { ConfigKey, PlatformConfig, ProfileDefaults } from '../lib/core/config';
import { CONFIG_KEYS, loadConfig, PROFILE_NAMES, PROFILES } from '../lib/core/config';

/*
 * The configuration model is the schema's: every key of CONFIG_SHAPE is resolved, each from its
 * given value or its profile's default, and a new key needs no copy in the loader.
 */

/** Compile-time: the model has exactly the schema's keys (`npm run typecheck` fails otherwise). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const MODEL_KEYS_ARE_SCHEMA_KEYS: Same<keyof PlatformConfig, ConfigKey> = true;

/** Keys a profile holds as a plain value (natGateways "per-az" is resolved against azCount). */
const heldAsIs = (profile: ProfileDefaults): (keyof ProfileDefaults)[] =>
  (Object.keys(profile) as (keyof ProfileDefaults)[]).filter((key) => key !== 'natGateways');

describe('the configuration model follows the schema', () => {
  test.each(PROFILE_NAMES)('%s: every schema key is resolved, and nothing else', (profile) => {
    expect(MODEL_KEYS_ARE_SCHEMA_KEYS).toBe(true);
    expect(Object.keys(loadConfig({ profile })).sort()).toEqual([...CONFIG_KEYS].sort());
  });

  test.each(PROFILE_NAMES)('%s: every key the profile holds keeps its value when not given', (profile) => {
    const config = loadConfig({ profile });
    const d = PROFILES[profile];
    for (const key of heldAsIs(d)) {
      expect({ key, value: config[key] }).toEqual({ key, value: d[key] });
    }
  });

  test("a key given as context wins over its profile's value, read by its schema", () => {
    const workshop = PROFILES.workshop;
    const production = PROFILES.production;
    const differing = heldAsIs(workshop).filter(
      (key) => key !== 'publicAccessCidrs' && JSON.stringify(workshop[key]) !== JSON.stringify(production[key]),
    );
    expect(differing).toEqual(expect.arrayContaining(['endpointAccess', 'logRetentionDays', 'supportType', 'deletionProtection']));
    for (const key of differing) {
      const given = production[key];
      // As the CLI gives it: a string, which the key's schema parses back into its type.
      const config = loadConfig({ [key]: typeof given === 'string' ? given : JSON.stringify(given) });
      expect({ key, value: config[key] }).toEqual({ key, value: given });
    }
  });
});
