/**
 * JSON text as the command line gives it (`-c 'nodeGroups=[...]'`). `JSON.parse` keeps the last of
 * two equal keys of one object and drops the first without a word (ECMA-404 leaves duplicate names
 * to the parser; RFC 8259 section 4 says names SHOULD be unique), so a setting typed twice would
 * silently lose one value. This reads the text once more to find such keys.
 */

/** The outcome of {@link parseJsonText}: the value, or why the text cannot be used. */
export type JsonText = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly problem: string };

/** Parses `text`, refusing invalid JSON and objects that repeat a key (at any depth). */
export function parseJsonText(text: string): JsonText {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    return { ok: false, problem: 'valid JSON' };
  }
  const duplicate = findDuplicateKey(text);
  return duplicate === undefined
    ? { ok: true, value }
    : { ok: false, problem: `JSON without a repeated key in one object (${duplicate} is given twice; JSON keeps only the last)` };
}

/**
 * The first repeated key of `text` (already known to be valid JSON), as its path (`[0].name`), or
 * `undefined`. Keys are compared after unescaping, as `JSON.parse` compares them (`"a"` and
 * `"\u0061"` are the same key).
 */
function findDuplicateKey(text: string): string | undefined {
  /** One open object or array: the keys seen so far (objects), and where it sits. */
  interface Frame {
    readonly keys?: Set<string>;
    readonly path: string;
    index: number;
    key?: string;
  }
  const stack: Frame[] = [];
  const childPath = (parent: Frame | undefined): string => {
    if (!parent) return '';
    return parent.keys ? `${parent.path}.${parent.key ?? ''}` : `${parent.path}[${parent.index}]`;
  };
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const end = endOfString(text, i);
      const top = stack[stack.length - 1];
      if (expectKey && top?.keys) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (top.keys.has(key)) return `${top.path}.${key}`.replace(/^\./, '');
        top.keys.add(key);
        top.key = key;
        expectKey = false;
      }
      i = end;
    } else if (c === '{' || c === '[') {
      const path = childPath(stack[stack.length - 1]);
      stack.push(c === '{' ? { keys: new Set(), path, index: 0 } : { path, index: 0 });
      expectKey = c === '{';
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top) top.index++;
      expectKey = top?.keys !== undefined;
    }
  }
  return undefined;
}

/** The index of the quote that closes the string opening at `start`. */
function endOfString(text: string, start: number): number {
  let i = start + 1;
  while (text[i] !== '"') {
    i += text[i] === '\\' ? 2 : 1;
  }
  return i;
}
