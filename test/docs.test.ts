import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

import { z } from 'zod';

import { MetricsServerAddOn } from '../addons/metrics-server';
import { documented, integer, text } from '../lib/core/config';
import { addOnPage, optionRows } from '../lib/tools/docs/addon-pages';
import { addOnPages, GENERATED_PAGES, renderPage, ROOT } from '../scripts/docs/reference';

/*
 * README.md and docs/ are one documentation set: README is the short entry, docs/ the pages it
 * links to. These tests keep it one set: generated blocks current, links that resolve, no text kept
 * in two places, and a README short enough to read.
 */

const PAGES = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
  ...readdirSync(join(ROOT, 'docs', 'addons')).map((f) => `docs/addons/${f}`),
  'examples/custom-addon/README.md',
  ...readdirSync(join(ROOT, 'examples', 'custom-addon', 'docs', 'addons')).map((f) => `examples/custom-addon/docs/addons/${f}`),
];

const read = (page: string): string => readFileSync(join(ROOT, page), 'utf8');

/** Lines outside fenced code blocks. */
function prose(text: string): string[] {
  let fenced = false;
  return text.split('\n').filter((line) => {
    if (line.startsWith('```')) {
      fenced = !fenced;
      return false;
    }
    return !fenced;
  });
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const line of prose(text)) {
    const heading = /^#{1,6} (.*)$/.exec(line);
    if (!heading) continue;
    const slug = heading[1]
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}_\- ]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    result.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return result;
}

describe('generated blocks', () => {
  test.each(Object.keys(GENERATED_PAGES))('%s is up to date (run `npm run docs`)', (page) => {
    const text = read(page);
    expect(renderPage(page, text)).toBe(text);
  });

  test('a block that drifted from its source is rendered back', () => {
    const text = read('docs/configuration.md');
    const drifted = text.replace('| `azCount` |', '| `azCount` (renamed) |');
    expect(drifted).not.toBe(text);
    expect(renderPage('docs/configuration.md', drifted)).toBe(text);
  });

  test("a page that lost a block's markers is an error naming the block", () => {
    expect(() => renderPage('docs/cost.md', '# What it costs\n')).toThrow(/docs\/cost.md has no generated block "cost-example"/);
  });
});

describe('add-on pages', () => {
  const pages = addOnPages();

  test.each([...pages.keys()])('%s is up to date (run `npm run docs`)', (page) => {
    expect(read(page)).toBe(pages.get(page));
  });

  test('docs/addons/ holds a page for each registered add-on and nothing else', () => {
    expect(
      readdirSync(join(ROOT, 'docs', 'addons'))
        .map((f) => `docs/addons/${f}`)
        .sort(),
    ).toEqual([...pages.keys()].sort());
  });
});

describe('option tables', () => {
  test('a schema default is rendered in the default column; an option with a default is not required', () => {
    const [replicas, name, note] = optionRows({
      replicas: documented(integer(1, 5), { description: 'Replicas.' }).default(2),
      name: text('a name'),
      note: text('a note').optional(),
    });
    expect(replicas).toBe('| `replicas` | `2` | an integer from 1 to 5 | Replicas. |');
    expect(name).toBe('| `name` (required) |  | a name |  |');
    expect(note).toBe('| `note` |  | a note |  |');
  });

  test('lists and strings render as JSON', () => {
    const rows = optionRows({ names: z.array(z.string()).default([]), className: z.string().default('alb') });
    expect(rows).toEqual(['| `names` | `[]` |  |  |', '| `className` | `"alb"` |  |  |']);
  });

  test("an add-on page shows its options' defaults", () => {
    const page = addOnPages().get('docs/addons/cert-manager.md') ?? '';
    expect(page).toContain('| option | default | allowed | what it does |');
    expect(page).toMatch(/^\| `replicas` \| `2` \| an integer from 1 to 5 \| /m);
    expect(page).toMatch(/^\| `install` \| `"helm"` \| helm, eks-addon \| /m);
  });
});

describe("a consumer's add-on page", () => {
  // Not `version`: metrics-server's differs (it also names EKS add-on versions), so it is its own option.
  const HELM_OPTION_ROWS = ['values', 'nodeSelector', 'tolerations'].map((name) => new RegExp(`^\\| \`${name}\` \\|`, 'm'));

  test('lists the options every Helm add-on takes itself: the page that documents them is not where it is written', () => {
    const page = addOnPage(MetricsServerAddOn.registration, ROOT);
    expect(page).not.toContain('options every Helm add-on takes');
    for (const row of HELM_OPTION_ROWS) expect(page).toMatch(row);
    expect(page).toMatch(/^\| `replicas` \| `2` \|/m);
  });

  test('links to them, and lists only its own, when told where they are documented', () => {
    const page = addOnPage(MetricsServerAddOn.registration, ROOT, { helmOptionsLink: '../helm.md#common' });
    expect(page).toContain('It takes the [options every Helm add-on takes](../helm.md#common), and these:');
    for (const row of HELM_OPTION_ROWS) expect(page).not.toMatch(row);
    expect(page).toMatch(/^\| `replicas` \| `2` \|/m);
  });
});

describe('links', () => {
  test.each(PAGES)('every relative link of %s resolves, anchors included', (page) => {
    const broken: string[] = [];
    for (const [, target] of prose(read(page))
      .join('\n')
      .matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue;
      const [path, anchor] = target.split('#');
      const file = path ? resolve(ROOT, dirname(page), path) : resolve(ROOT, page);
      if (!existsSync(file)) {
        broken.push(`${target} (no file ${relative(ROOT, file)})`);
      } else if (anchor && file.endsWith('.md') && !anchors(readFileSync(file, 'utf8')).has(anchor)) {
        broken.push(`${target} (no heading with anchor #${anchor})`);
      }
    }
    expect(broken).toEqual([]);
  });
});

describe('one place for each text', () => {
  /** Paragraphs of prose long enough that a repeat is a copy, not a common phrase. */
  function paragraphs(text: string): string[] {
    return prose(text.replace(/<!-- generated:[\s\S]*?<!-- \/generated:[^>]*-->/g, ''))
      .join('\n')
      .split(/\n\s*\n/)
      .map((p) => p.replace(/\s+/g, ' ').trim())
      .filter((p) => p.length >= 160 && !p.startsWith('|'));
  }

  test('no paragraph of README or docs/ is written twice', () => {
    const where = new Map<string, string[]>();
    for (const page of PAGES) {
      for (const p of paragraphs(read(page))) where.set(p, [...(where.get(p) ?? []), page]);
    }
    const repeated = [...where].filter(([, pages]) => pages.length > 1).map(([p, pages]) => `${pages.join(', ')}: ${p.slice(0, 80)}...`);
    expect(repeated).toEqual([]);
  });

  test('README stays an entry page, at most 300 lines', () => {
    expect(read('README.md').split('\n').length).toBeLessThanOrEqual(300);
  });
});
