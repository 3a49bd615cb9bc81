import { writeAddOnPages } from 'cdk-eks-platform';

import { EXAMPLE_ADDONS } from '../lib/catalog';

// The example compiles without Node.js's type declarations (tsconfig `types: []`).
declare const console: { log(message: string): void };
declare const __dirname: string;

// `npm run docs`: the add-ons' pages, docs/addons/<id>.md, made the way the package makes its own.
const root = `${__dirname}/..`;
for (const path of writeAddOnPages(EXAMPLE_ADDONS, `${root}/docs/addons`, root)) {
  console.log(`wrote ${path}`);
}
