import { inspect, types } from 'node:util';

import * as blueprints from '@aws-quickstart/eks-blueprints';
import { CfnElement, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { Construct, Dependable } from 'constructs';

import { acknowledge, wildcardFinding } from '../../lib/core/compliance/acknowledge';
import type { ComputeMode } from '../../lib/core/config';
import type { AddOnContext, PlatformAddOn } from '../core/addon';
import { clusterHandle, PlatformClusterInfo } from './cluster-info';
import { coreAddOnVersion, knownAddOn } from './known-addons';

/** Options of {@link BlueprintsAddOn}. */
export interface BlueprintsAddOnOptions {
  /**
   * Add-on id (configuration, construct ids, `dependsOn` of other add-ons).
   * @default - the Blueprints add-on's `id`, else its class name in kebab case without the
   * `AddOn` suffix (`CertManagerAddOn` -> `cert-manager`)
   */
  readonly id?: string;
  /**
   * Compute modes the add-on works on.
   * @default - both, unless this adapter knows better (see known-addons.ts)
   */
  readonly computeModes?: readonly ComputeMode[];
  /**
   * Ids of add-ons deployed first and deleted last. Blueprints' `@dependable` keeps its list in a
   * closure, so it cannot be read here: list the dependencies yourself (e.g. CertManagerAddOn on
   * node groups needs `aws-load-balancer-controller`). A Blueprints dependency that is missing
   * here fails the synth with the id to add. An add-on of any kind whose id is the kebab-case
   * Blueprints name satisfies it.
   * @default []
   */
  readonly dependsOn?: readonly string[];
  /**
   * Ids of add-ons that cannot run beside this one.
   * @default []
   */
  readonly conflictsWith?: readonly string[];
  /**
   * Namespaces the add-on installs into (application teams may not own them).
   * @default - the Blueprints add-on's own `namespace` setting, if it has one
   */
  readonly namespaces?: readonly string[];
  /**
   * Named Blueprints resources for add-ons that look them up (e.g. ExternalDnsAddOn's hosted
   * zones). Providers create their constructs in the add-on's scope; use ones that need no AWS
   * lookups at synth (e.g. ImportHostedZoneProvider).
   * @default - none
   */
  readonly resources?: Readonly<Record<string, blueprints.ResourceProvider>>;
}

const ID = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/** The namespace a Blueprints add-on's props or options name, if any (Helm add-ons, ArgoCD). */
function blueprintsNamespace(addOn: blueprints.ClusterAddOn): string | undefined {
  for (const settings of [(addOn as { props?: unknown }).props, (addOn as { options?: unknown }).options]) {
    const namespace = typeof settings === 'object' && settings !== null ? (settings as { namespace?: unknown }).namespace : undefined;
    if (typeof namespace === 'string') return namespace;
  }
  return undefined;
}

/** `CertManagerAddOn` -> `cert-manager`, `ArgoCDAddOn` -> `argo-cd`, `AWSPrivateCAIssuerAddon` -> `aws-private-ca-issuer`. */
export function blueprintsAddOnId(key: string): string {
  return key
    .replace(/Add[Oo]n$/, '')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase();
}

/**
 * The state of a native promise, read synchronously. Node prints it with `util.inspect`, the only
 * synchronous way to tell a settled promise from a pending one.
 */
function promiseState(promise: Promise<unknown>): { state: 'pending' | 'fulfilled' | 'rejected'; shown: string } {
  const shown = inspect(promise, { depth: 0 });
  const state = /^[^{]*\{\s*<pending>/.test(shown) ? 'pending' : /^[^{]*\{\s*<rejected>/.test(shown) ? 'rejected' : 'fulfilled';
  return { state, shown };
}

function hasPostDeploy(addOn: blueprints.ClusterAddOn): addOn is blueprints.ClusterAddOn & blueprints.ClusterPostDeploy {
  return 'postDeploy' in addOn && typeof addOn.postDeploy === 'function';
}

/** Constructs of `stack` not in `before`, outermost only. */
function createdSince(stack: Stack, before: ReadonlySet<IConstruct>): IConstruct[] {
  const created = stack.node.findAll().filter((c) => !before.has(c));
  const set = new Set(created);
  return created.filter((c) => !(c.node.scope && set.has(c.node.scope)));
}

/** The cdk-nag IAM5 findings of a policy: each wildcard resource or action, as cdk-nag names it. */
function wildcardFindings(policy: iam.ManagedPolicy): string[] {
  const document: unknown = Stack.of(policy).resolve(policy.document);
  const statements =
    typeof document === 'object' && document !== null && 'Statement' in document && Array.isArray(document.Statement)
      ? (document.Statement as unknown[])
      : [];
  const values = (statement: unknown, key: 'Action' | 'Resource'): unknown[] => {
    const value =
      typeof statement === 'object' && statement !== null && key in statement ? (statement as Record<string, unknown>)[key] : [];
    return Array.isArray(value) ? value : [value];
  };
  const findings = statements.flatMap((statement) =>
    (['Action', 'Resource'] as const).flatMap((kind) =>
      values(statement, kind)
        .filter((v): v is string => typeof v === 'string' && v.includes('*'))
        .map((v) => wildcardFinding(kind, v)),
    ),
  );
  return [...new Set(findings)];
}

/** Blueprints add-ons deployed so far in each stack, by Blueprints key. */
const deployedByStack = new WeakMap<Stack, Map<string, { readonly id: string; readonly scope: Construct }>>();

/**
 * Runs one EKS Blueprints 1.19 add-on on this platform's imported aws-eks-v2 cluster:
 * `new BlueprintsAddOn(new blueprints.addons.CertManagerAddOn(), { dependsOn: [...] })`.
 *
 * What happens at `deploy`:
 * - A cluster handle is imported inside the add-on's scope and given to Blueprints in a
 *   `ClusterInfo` (Kubernetes version, Auto Mode flag), so the charts, manifests and service
 *   accounts Blueprints creates "on the cluster" land in that scope. Service accounts use EKS Pod
 *   Identity. Constructs Blueprints puts directly in the stack (namespaces, policies, outputs) are
 *   made to depend on the scope's dependencies, and count as part of the scope for add-ons that
 *   depend on this one.
 * - `deploy(clusterInfo)` is called synchronously. Blueprints returns a promise that is already
 *   settled when it created everything synchronously; a pending promise means it waits for
 *   something at synth (an AWS call, a download), and a rejected one is a failure: both fail the
 *   synth here, instead of becoming constructs created after synthesis or an unhandled rejection.
 * - `postDeploy` (ArgoCD bootstrap applications, OPA Gatekeeper) runs right after, with no teams.
 *
 * Add-ons that cannot work here (they refuse imported clusters, download YAML or call AWS at
 * synth, or duplicate what InfraStack or a first-party add-on installs) are refused when the
 * adapter is created, with what to use instead.
 */
export class BlueprintsAddOn implements PlatformAddOn {
  readonly id: string;
  readonly computeModes: readonly ComputeMode[];
  readonly autoModeBuiltIn?: string;
  readonly dependsOn: readonly string[];
  readonly conflictsWith: readonly string[];
  readonly namespaces: readonly string[];
  /** Blueprints' own key for the add-on: its `id`, else its class name. */
  readonly blueprintsKey: string;
  private readonly iamWildcardsReason?: string;

  constructor(
    readonly addOn: blueprints.ClusterAddOn,
    private readonly options: BlueprintsAddOnOptions = {},
  ) {
    this.blueprintsKey = blueprints.utils.getAddOnNameOrId(addOn);
    this.id = options.id ?? blueprintsAddOnId(this.blueprintsKey);
    if (!ID.test(this.id)) {
      throw new Error(`BlueprintsAddOn(${this.blueprintsKey}): id "${this.id}" must be lowercase letters, digits and "-"; pass options.id`);
    }
    const known = knownAddOn(addOn);
    const refusal = this.refusal(addOn, known?.refusal?.(addOn));
    if (refusal) {
      throw new Error(`Blueprints ${this.blueprintsKey} cannot run on this platform: ${refusal}`);
    }
    this.computeModes = options.computeModes ?? known?.computeModes ?? ['auto', 'nodegroups'];
    this.autoModeBuiltIn = known?.autoModeBuiltIn;
    this.iamWildcardsReason = known?.iamWildcardsReason;
    this.dependsOn = options.dependsOn ?? [];
    // A conflict with its own id is reported as "selected twice" already.
    this.conflictsWith = [...new Set([...(known?.conflictsWith ?? []), ...(options.conflictsWith ?? [])])].filter(
      (other) => other !== this.id,
    );
    const namespace = blueprintsNamespace(addOn);
    this.namespaces = options.namespaces ?? (namespace ? [namespace] : []);
  }

  private refusal(addOn: blueprints.ClusterAddOn, known: string | undefined): string | undefined {
    if (known) return known;
    if (blueprints.HelmAddOn.validateHelmVersions) {
      return 'blueprints.HelmAddOn.validateHelmVersions is on: it downloads Helm repository indexes at synth; set it to false';
    }
    const coreVersion = coreAddOnVersion(addOn);
    if (coreVersion === 'auto') {
      return 'version "auto" calls the EKS API at synth to pick the add-on version: pass an exact version (e.g. "v1.2.3-eksbuild.1", from `aws eks describe-addon-versions`)';
    }
    const chartVersion =
      addOn instanceof blueprints.HelmAddOn
        ? addOn.props.version
        : addOn instanceof blueprints.addons.ArgoCDAddOn
          ? addOn.options.version
          : undefined;
    if (chartVersion !== undefined && !EXACT_VERSION.test(chartVersion)) {
      return `chart version "${chartVersion}" is not exact: pin a version such as 1.2.3`;
    }
    return undefined;
  }

  deploy(scope: Construct, context: AddOnContext): void {
    const stack = Stack.of(scope);
    const deployed = deployedByStack.get(stack) ?? new Map<string, { id: string; scope: Construct }>();
    deployedByStack.set(stack, deployed);
    const lookup = (key: string): Construct | undefined => {
      if (key === this.blueprintsKey) return scope;
      const blueprintsAddOn = deployed.get(key)?.scope;
      if (blueprintsAddOn) return blueprintsAddOn;
      // Any add-on listed in dependsOn under the Blueprints name's id stands in for it.
      const id = blueprintsAddOnId(key);
      const sibling = this.dependsOn.includes(id) ? scope.node.scope?.node.tryFindChild(id) : undefined;
      return sibling instanceof Construct ? sibling : undefined;
    };
    const clusterInfo = new PlatformClusterInfo({
      cluster: clusterHandle(scope, context, this.blueprintsKey),
      kubernetesVersion: context.config.kubernetesVersion,
      autoMode: context.config.compute === 'auto',
      scope,
      lookup,
      resources: this.options.resources,
    });

    const before = new Set(stack.node.findAll());
    this.settle(this.run('deploy', () => this.addOn.deploy(clusterInfo)));
    const addOn = this.addOn;
    if (hasPostDeploy(addOn)) {
      const fromDeploy = createdSince(stack, before);
      const beforePost = new Set(stack.node.findAll());
      this.run('postDeploy', () => addOn.postDeploy(clusterInfo, []));
      // Blueprints runs postDeploy once the add-ons are provisioned: keep that order.
      createdSince(stack, beforePost).forEach((c) => c.node.addDependency(...fromDeploy));
    }
    const created = createdSince(stack, before);
    if (!created.some((c) => c.node.findAll().some((x) => CfnElement.isCfnElement(x)))) {
      throw new Error(`"${this.id}": Blueprints ${this.blueprintsKey} created no resources synchronously; nothing would be deployed`);
    }
    this.checkDependencies(clusterInfo.requested, deployed);
    this.adoptStrays(scope, created);
    this.acknowledgeReviewedWildcards(scope);
    deployed.set(this.blueprintsKey, { id: this.id, scope });
  }

  /** Runs a Blueprints hook, turning its errors into ones that say what to do. */
  private run<T>(phase: string, hook: () => T): T {
    try {
      return hook();
    } catch (error) {
      // Node's assert errors come from another realm under jest: read the message structurally.
      const message =
        typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string'
          ? error.message
          : String(error);
      const dependency = /Missing a dependency for (\S+)/.exec(message);
      const resource = /Required resource (\S+) is missing/.exec(message);
      const advice = dependency
        ? `it needs Blueprints ${dependency[1]} deployed first: add new BlueprintsAddOn(new blueprints.addons.${dependency[1]}()) ` +
          `(or an add-on with id "${blueprintsAddOnId(dependency[1])}") and list "${blueprintsAddOnId(dependency[1])}" in dependsOn of "${this.id}"`
        : resource
          ? `it looks up the Blueprints resource "${resource[1]}": pass a provider for it in the resources option`
          : message;
      throw new Error(`"${this.id}": Blueprints ${this.blueprintsKey}.${phase}() failed on the imported cluster: ${advice}`, {
        cause: error,
      });
    }
  }

  /** Fails now on a promise that will not have settled with every construct before synthesis. */
  private settle(result: Promise<Construct> | void): void {
    if (!types.isPromise(result)) return;
    // The outcome is reported here, synchronously; the handler only keeps Node from reporting it again.
    result.catch(() => undefined);
    const { state, shown } = promiseState(result);
    if (state === 'rejected') {
      const reason = shown.replace(/^[^{]*\{\s*<rejected>\s*/, '').split('\n')[0];
      throw new Error(`"${this.id}": Blueprints ${this.blueprintsKey}.deploy() failed: ${reason}`);
    }
    if (state === 'pending') {
      throw new Error(
        `"${this.id}": Blueprints ${this.blueprintsKey}.deploy() is still waiting for asynchronous work (an AWS call or ` +
          'a download at synth, or an add-on it awaits): PlatformStack deploys synchronously and no synth may reach ' +
          'the network, so this add-on cannot run here',
      );
    }
  }

  /** Every deployed Blueprints add-on the add-on asked for must be an ordered dependency. */
  private checkDependencies(requested: ReadonlySet<string>, deployed: ReadonlyMap<string, { id: string }>): void {
    for (const key of requested) {
      const dependency = key === this.blueprintsKey ? undefined : deployed.get(key);
      if (dependency && !this.dependsOn.includes(dependency.id)) {
        throw new Error(
          `"${this.id}": Blueprints ${this.blueprintsKey} depends on ${key} ("${dependency.id}"): ` +
            `list "${dependency.id}" in dependsOn so CloudFormation creates it first and deletes it last`,
        );
      }
    }
  }

  /** Wildcards of a Blueprints IAM policy that this adapter's table has a reviewed reason for. */
  private acknowledgeReviewedWildcards(scope: Construct): void {
    if (!this.iamWildcardsReason) return;
    for (const policy of scope.node.findAll().filter((c): c is iam.ManagedPolicy => c instanceof iam.ManagedPolicy)) {
      const findings = wildcardFindings(policy);
      if (findings.length > 0) {
        acknowledge(policy, this.iamWildcardsReason, findings);
      }
    }
  }

  /**
   * Blueprints puts some constructs directly in the stack (namespaces, IAM policies, outputs).
   * They follow the scope's dependencies, and the scope stands for them when others depend on it.
   */
  private adoptStrays(scope: Construct, created: readonly IConstruct[]): void {
    const strays = created.filter((c) => !c.node.scopes.includes(scope));
    if (strays.length === 0) return;
    const dependencies = scope.node.dependencies;
    strays.forEach((stray) => dependencies.forEach((d) => stray.node.addDependency(d)));
    Dependable.implement(scope, { dependencyRoots: [scope, ...strays] });
  }
}
