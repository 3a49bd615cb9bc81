import type { Stack } from 'aws-cdk-lib';
import { CfnOutput } from 'aws-cdk-lib';

import type { AddOnContext, PlatformAddOn } from '../../../addons/core/addon';

/** The output scripts/down.sh reads (scripts/lib/common.sh, load_outputs). */
export const TEARDOWN_OUTPUT = 'Teardown';

/** What down.sh reads from the `Teardown` output: the profile and every add-on's teardown facet. */
export interface TeardownManifest {
  /** Decides whether down deletes the environment's log groups (workshop) or keeps and lists them. */
  readonly profile: string;
  readonly claims: readonly { readonly addon: string; readonly csiDriver: string; readonly reason: string }[];
  readonly kept: readonly {
    readonly addon: string;
    readonly resourceType: string;
    readonly tag: { readonly key: string; readonly value: string };
    readonly description: string;
    readonly howToDelete: string;
  }[];
}

/** The union of the add-ons' teardown facets, in plan order. */
export function teardownManifest(addons: readonly PlatformAddOn[], context: AddOnContext): TeardownManifest {
  const facets = addons.map((addon) => ({ addon: addon.id, facet: addon.teardown?.(context) ?? {} }));
  return {
    profile: context.config.profile,
    claims: facets.flatMap(({ addon, facet }) => (facet.deleteClaims ?? []).map((claim) => ({ addon, ...claim }))),
    kept: facets.flatMap(({ addon, facet }) => (facet.kept ?? []).map((kept) => ({ addon, ...kept }))),
  };
}

/**
 * Publishes the manifest as a stack output rather than a file: it lives with the stack, so down.sh
 * finds it from any machine, also for an environment deployed elsewhere.
 */
export function publishTeardown(stack: Stack, addons: readonly PlatformAddOn[], context: AddOnContext): void {
  new CfnOutput(stack, TEARDOWN_OUTPUT, {
    value: JSON.stringify(teardownManifest(addons, context)),
    description: 'What scripts/down.sh does besides deleting the stacks (add-on teardown facets, profile)',
  });
}
