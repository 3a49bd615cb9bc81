import { writeAddOnPages } from 'cdk-eks-platform';

import { HeadroomAddOn } from '../lib/headroom-addon';

// The example compiles without Node.js's type declarations (tsconfig `types: []`).
declare const console: { log(message: string): void };
declare const __dirname: string;

// `npm run docs`: the add-on's page, docs/addons/headroom.md, made the way the package makes its own.
const root = `${__dirname}/..`;
for (const path of writeAddOnPages([HeadroomAddOn.registration], `${root}/docs/addons`, root)) {
  console.log(`wrote ${path}`);
}
