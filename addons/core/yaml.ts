import { stringify } from 'yaml';

/** A value {@link toYaml} can write: what configuration files built in code are made of. */
export type YamlValue = string | number | boolean | readonly YamlValue[] | { readonly [key: string]: YamlValue };

/**
 * Block-style YAML of `value`, the same text for the same value (keys in insertion order), so a
 * configuration an AWS service keeps as YAML stays readable in its console and diffs line by line.
 * Strings are double-quoted: none can turn into a number, a boolean or a null on the way.
 */
export function toYaml(value: YamlValue): string {
  return stringify(value, { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN', lineWidth: 0 });
}
