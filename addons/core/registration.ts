import type { z } from 'zod';
import type { PlatformAddOn } from './addon';

/**
 * How an add-on becomes selectable by id from configuration (`"addons": {"<id>": {...}}`). First-
 * party add-ons and a consumer's own register the same way (see `AddOnCatalog`).
 */
export interface AddOnRegistration {
  /** The id configuration selects it by; the add-on's `id`. */
  readonly id: string;
  /** One line for README's add-on table and error messages. */
  readonly summary: string;
  /** The options schema (README's options table is generated from it). */
  readonly options: z.ZodType;
  /**
   * Creates the add-on from options as configuration gives them. The add-on's constructor
   * validates them (throwing a `ConfigError`), so code and configuration share one path.
   */
  readonly create: (options: Readonly<Record<string, unknown>>) => PlatformAddOn;
}
