/** A value {@link toYaml} can write: what configuration files built in code are made of. */
export type YamlValue = string | number | boolean | readonly YamlValue[] | { readonly [key: string]: YamlValue };

/** Keys written without quotes; every other key is quoted like a string. */
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Block-style YAML of `value`, the same text for the same value (keys in insertion order), so a
 * configuration an AWS service keeps as YAML stays readable in its console and diffs line by line.
 *
 * Every string is written in double quotes with JSON's escapes, which YAML's double-quoted style
 * reads the same way: no string can turn into a number, a boolean or a null on the way.
 */
export function toYaml(value: YamlValue): string {
  return `${lines(value, 0).join('\n')}\n`;
}

function scalar(value: string | number | boolean): string {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new Error(`toYaml: ${value} has no YAML form here`);
  }
  return JSON.stringify(value);
}

function isScalar(value: YamlValue): value is string | number | boolean {
  return typeof value !== 'object';
}

function lines(value: YamlValue, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (isScalar(value)) {
    return [`${pad}${scalar(value)}`];
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${pad}[]`];
    return (value as readonly YamlValue[]).flatMap((item) => {
      const [first, ...rest] = lines(item, indent + 2);
      return [`${pad}- ${first.slice(indent + 2)}`, ...rest];
    });
  }
  const entries = Object.entries(value as { readonly [key: string]: YamlValue });
  if (entries.length === 0) return [`${pad}{}`];
  return entries.flatMap(([key, item]) => {
    const name = PLAIN_KEY.test(key) ? key : JSON.stringify(key);
    if (isScalar(item) || (Array.isArray(item) ? item.length === 0 : Object.keys(item).length === 0)) {
      return [`${pad}${name}: ${lines(item, 0)[0]}`];
    }
    return [`${pad}${name}:`, ...lines(item, indent + 2)];
  });
}
