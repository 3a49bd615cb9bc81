import { AddOnCatalog } from '../../../addons/catalog';
import type { PlatformAddOn } from '../../../addons/core/addon';
import { orderAddOns, selectionProblems } from '../../../addons/core/resolve';
import type { AddOnSelection, EnvironmentNames, PlatformConfig, TeamConfig, TeamInput } from '../../core/config';
import { enabledWorkloads, environmentNames, kubernetesVersionInfo, parseInto, Problems, readConfig, teamSchema } from '../../core/config';
import { isoToday, supportNotice } from '../../core/config/support-lifecycle';
import { checkTeams, checkUniquePrincipals } from './access-checks';
import { capacityDependencies, checkControllerCapacity, placePodSets } from './capacity-checks';
import { checkDelivery, deliveryCapacityWaits } from './delivery-checks';
import { withOpsDedication } from './ops-dedication';
import { checkAddOnVersions } from './version-checks';
import { checkWorkloads } from './workload-checks';

/** What code adds to the configuration of CDK context. */
export interface PlanInputs {
  /**
   * The add-ons configuration can select by id.
   * @default AddOnCatalog.firstParty()
   */
  readonly catalog?: AddOnCatalog;
  /**
   * Add-ons passed in code, deployed together with those selected in configuration.
   * @default []
   */
  readonly addons?: readonly PlatformAddOn[];
  /**
   * Application teams passed in code, in addition to those in configuration.
   * @default []
   */
  readonly teams?: readonly TeamInput[];
  /**
   * The day (ISO date) the version's support is judged on, for the synth warnings.
   * @default - today (UTC)
   */
  readonly today?: string;
}

/**
 * Everything both stacks build, decided and checked before any construct exists. Immutable:
 * stacks read it, nothing writes it.
 */
export interface PlatformPlan {
  /** The validated configuration. */
  readonly config: PlatformConfig;
  /** Cluster, stack and export names of the environment. */
  readonly names: EnvironmentNames;
  /** Every add-on (configured, then code), built once and ordered by dependencies. */
  readonly addons: readonly PlatformAddOn[];
  /** Every application team (configured, then code), with its defaults. */
  readonly teams: readonly TeamConfig[];
  /**
   * The capacity providers (node autoscalers) each add-on deploys after, by add-on id: on node
   * groups, those whose pods fit no group wait for the nodes a provider adds.
   */
  readonly capacityWaits: ReadonlyMap<string, readonly string[]>;
  /** Warnings for the synth (the version's support phase and what it costs); not errors. */
  readonly warnings: readonly string[];
}

/**
 * The one composition step: reads the configuration from `context`, builds the configured add-ons
 * from `catalog`, adds the add-ons and teams passed in code, and checks all of it together. Every
 * problem, from configuration or code, ends in one `ConfigError`.
 */
export function composePlan(context: Readonly<Record<string, unknown>>, inputs: PlanInputs = {}): PlatformPlan {
  const p = new Problems();
  const read = readConfig(p, context);
  const catalog = inputs.catalog ?? AddOnCatalog.firstParty();

  const configured = buildConfigured(p, catalog, read.addons);
  const all = [...configured, ...(inputs.addons ?? [])];
  const config = withOpsDedication(read, all, context.nodeGroups !== undefined);
  const selected = [...config.addons.map((s) => s.id), ...(inputs.addons ?? []).map((a) => a.id)];
  selectionProblems(all, config.compute, selected).forEach((problem) => p.add('addons', selected.join(','), problem));
  const { ordered, problems: cycles } = orderAddOns(all);
  cycles.forEach((problem) => p.add('addons', selected.join(','), problem));
  checkDelivery(p, config, all, selected);

  const codeTeams = (inputs.teams ?? []).map((team, i) => parseInto(p, `code teams[${i}]`, teamSchema, team));
  const teams = [...config.teams, ...codeTeams.filter((t): t is TeamConfig => t !== undefined)];
  const keyOf = (i: number): string => (i < config.teams.length ? `teams[${i}]` : `code teams[${i - config.teams.length}]`);
  const reserved = [...all.flatMap((a) => a.namespaces), ...enabledWorkloads(config.workloads)];
  checkTeams(p, teams, reserved, keyOf);
  checkUniquePrincipals(p, config, teams, keyOf);
  checkWorkloads(p, config, all);
  checkAddOnVersions(p, config.kubernetesVersion, all);
  all.forEach((addon) => addon.checkConfiguration?.(p, config, all));
  // Add-ons with bad options may not exist: place the pods of a plan that is whole so far.
  const placed = p.count === 0 ? placePodSets(config, all) : [];
  const capacityWarnings = p.count === 0 ? checkControllerCapacity(p, config, all, placed) : [];

  p.throwIfAny();
  const notice = supportNotice(
    config.kubernetesVersion,
    kubernetesVersionInfo(config.kubernetesVersion),
    config.supportType,
    inputs.today ?? isoToday(),
  );
  return Object.freeze({
    config: deepFreeze(config),
    names: Object.freeze(environmentNames(config.environment)),
    addons: Object.freeze(ordered),
    teams: deepFreeze(teams),
    capacityWaits: deliveryCapacityWaits(config, ordered, capacityDependencies(config, ordered, placed)),
    warnings: Object.freeze([...(notice ? [notice] : []), ...capacityWarnings]),
  });
}

/** Builds each configured add-on once; unknown ids and bad options become problems. */
function buildConfigured(p: Problems, catalog: AddOnCatalog, selection: readonly AddOnSelection[]): PlatformAddOn[] {
  const built: PlatformAddOn[] = [];
  for (const { id, options } of selection) {
    const registration = catalog.get(id);
    if (!registration) {
      p.add('addons', id, `an add-on id: ${catalog.ids.join(', ')}`);
      continue;
    }
    const addon = p.collect(() => registration.create(options));
    if (addon) built.push(addon);
  }
  return built;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
