import { readFileSync } from 'node:fs';
import { README, renderReadme } from '../scripts/docs/reference';

test('README\'s configuration reference and add-on options tables match the schemas (run `npm run docs`)', () => {
  const readme = readFileSync(README, 'utf8');
  expect(renderReadme(readme)).toBe(readme);
});

test('a generated block that drifted from the schema is caught', () => {
  const readme = readFileSync(README, 'utf8');
  const drifted = readme.replace('| `azCount` |', '| `azCount` (renamed) |');
  expect(drifted).not.toBe(readme);
  expect(renderReadme(drifted)).toBe(readme);
});
