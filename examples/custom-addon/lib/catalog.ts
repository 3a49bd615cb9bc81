import type { AddOnRegistration } from 'cdk-eks-platform';
import { AddOnCatalog } from 'cdk-eks-platform';

import { HeadroomAddOn } from './headroom-addon';
import { ReloaderAddOn } from './reloader-addon';

/** The example's own add-ons: a ManifestAddOn and a HelmAddOn. */
export const EXAMPLE_ADDONS: readonly AddOnRegistration[] = [HeadroomAddOn.registration, ReloaderAddOn.registration];

/**
 * The first-party add-ons and the example's. Registered, an add-on is selectable from cdk.json
 * (`"addons": {"headroom": {...}}`) like a first-party one; the app and `npm run cost` build with it.
 */
export const catalog = AddOnCatalog.firstParty().with(...EXAMPLE_ADDONS);
