import type { z } from 'zod';

import type { PlatformAddOn } from './addon';
import type { AddOnDocs } from './docs';
import { addOnOptions } from './options';

/**
 * How an add-on becomes selectable by id from configuration (`"addons": {"<id>": {...}}`). First-
 * party add-ons and a consumer's own register the same way (see `AddOnCatalog`); make one with
 * {@link registerAddOn}, which checks the options before the add-on sees them.
 */
export interface AddOnRegistration {
  /** The id configuration selects it by; the add-on's `id`. */
  readonly id: string;
  /** One line for README's add-on table and error messages. */
  readonly summary: string;
  /** The options schema (README's options table is generated from it). */
  readonly options: z.ZodType;
  /**
   * Creates the add-on from options as configuration gives them. Invalid options throw a
   * `ConfigError` naming every problem under `addons.<id>`.
   */
  readonly create: (options: Readonly<Record<string, unknown>>) => PlatformAddOn;
  /**
   * What the add-on's generated page needs beyond the summary and the schema.
   * @default - a page of the generated facts only
   */
  readonly docs?: AddOnDocs;
}

/** What {@link registerAddOn} needs: the registration, with `create` typed by the schema. */
export interface AddOnRegistrationSpec<S extends z.ZodType> {
  /** The id configuration selects it by; the add-on's `id`. */
  readonly id: string;
  /** One line for README's add-on table and error messages. */
  readonly summary: string;
  /** The options schema; configuration's options are parsed with it before `create` is called. */
  readonly options: S;
  /** Creates the add-on from options the schema has accepted (defaults applied). */
  readonly create: (props: z.output<S>) => PlatformAddOn;
  /**
   * What the add-on's generated page needs beyond the summary and the schema.
   * @default - a page of the generated facts only
   */
  readonly docs?: AddOnDocs;
}

/**
 * A registration whose `create` parses configuration's options with `options` (every problem
 * under `addons.<id>`, in one `ConfigError`) and passes the typed result on: no cast, and an
 * add-on whose props drift from its schema no longer compiles.
 *
 * ```ts
 * static readonly registration = registerAddOn({
 *   id: 'headroom', summary: '...', options: HEADROOM_OPTIONS, create: (props) => new HeadroomAddOn(props),
 * });
 * ```
 */
export function registerAddOn<S extends z.ZodType>(spec: AddOnRegistrationSpec<S>): AddOnRegistration {
  return {
    id: spec.id,
    summary: spec.summary,
    options: spec.options,
    create: (options) => spec.create(addOnOptions(spec.id, spec.options, options)),
    docs: spec.docs,
  };
}
