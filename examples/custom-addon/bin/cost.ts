import { estimateEnvironment, formatEstimate } from 'cdk-eks-platform';

import cdkJson from '../cdk.json';
import { catalog } from '../lib/catalog';

// The example compiles without Node.js's type declarations (tsconfig `types: []`); this is the one global it uses.
declare const console: { log(message: string): void };

// `npm run cost`: the app's environment, from its cdk.json, priced offline with the same catalog
// bin/app.ts builds with, so the headroom add-on's cost facet is summed like a first-party one's.
console.log(formatEstimate(estimateEnvironment(cdkJson.context, { catalog })));
