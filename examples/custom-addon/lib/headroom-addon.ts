import type {
  AddOnContext,
  AddOnCost,
  AddOnCostContext,
  AddOnRegistration,
  KubernetesObject,
  OptionsInput,
  PodSet,
} from 'cdk-eks-platform';
import {
  addOnOptions,
  documented,
  integer,
  ManifestAddOn,
  objectName,
  PLATFORM_LABELS,
  podRequests,
  registerAddOn,
  strictObject,
  text,
} from 'cdk-eks-platform';

/*
 * Spare capacity, kept warm. A scaling cluster adds a node only once a pod cannot be scheduled,
 * so the first pods of a burst wait a minute or more for it. Placeholder pods with a priority
 * below every real pod's reserve that room instead: a real pod preempts them at once, and the
 * evicted placeholders, now pending, make Auto Mode (or Karpenter) add the node in the background.
 */

/** A CPU quantity as Kubernetes writes it. */
const cpuQuantity = text('a CPU quantity such as 500m or 2', /^([1-9]\d*m|\d+(\.\d+)?)$/);

/** A memory quantity in Mi or Gi. */
const memoryQuantity = text('a memory quantity such as 512Mi or 4Gi', /^[1-9]\d*(Mi|Gi)$/);

/** The Kubernetes pause container: it only sleeps, in a few hundred kilobytes. */
export const PAUSE_IMAGE = 'registry.k8s.io/pause:3.10';

/**
 * Options of {@link HeadroomAddOn}, in cdk.json (`"addons": {"headroom": {...}}`) and in code. Each
 * default is declared here only: the parsed options carry it, and the add-on's page shows it.
 */
export const HEADROOM_OPTIONS = strictObject(
  {
    namespace: documented(objectName, { description: 'Namespace of the placeholder pods.' }).default('headroom'),
    replicas: documented(integer(1, 50), { description: 'Placeholder pods; each reserves `cpu` and `memory`.' }).default(2),
    cpu: documented(cpuQuantity, { description: 'CPU each placeholder reserves.' }).default('1'),
    memory: documented(memoryQuantity, { description: 'Memory each placeholder reserves.' }).default('2Gi'),
    image: documented(text('a container image reference'), {
      description: 'The placeholder image (a mirror of it, where nodes cannot reach registry.k8s.io).',
    }).default(PAUSE_IMAGE),
  },
  'an object {namespace?, replicas?, cpu?, memory?, image?}',
);

/** The options as code passes them: any key with a default may be left out. */
export type HeadroomAddOnProps = OptionsInput<typeof HEADROOM_OPTIONS>;
/** The options as the schema returns them, defaults applied; derived from it, so the two cannot drift apart. */
export type HeadroomOptions = ReturnType<typeof addOnOptions<typeof HEADROOM_OPTIONS>>;

/**
 * vCPUs of the instance types the estimate may assume (Amazon EC2 instance types,
 * https://aws.amazon.com/ec2/instance-types/); the reserve is priced as its share of one. A type
 * left out makes the reserve "not priced" instead of a guess.
 */
const VCPUS: Readonly<Partial<Record<string, number>>> = {
  'c6a.large': 2,
  'c6a.xlarge': 4,
  'm5.large': 2,
  'm5.xlarge': 4,
  't3.medium': 2,
  't3.large': 2,
};

// The example compiles without Node.js's type declarations (tsconfig `types: []`).
declare const __dirname: string;

/** CPU cores of a quantity such as 500m or 2. */
const cores = (quantity: string): number => (quantity.endsWith('m') ? Number(quantity.slice(0, -1)) / 1000 : Number(quantity));

/**
 * Below the default priority (0) of every other pod, so anything preempts a placeholder, and not
 * below -10, where the cluster autoscaler would stop adding nodes for them.
 */
const PLACEHOLDER_PRIORITY = -1;

/** Placeholder pods that keep spare capacity ready for the next burst of real ones. */
export class HeadroomAddOn extends ManifestAddOn {
  static readonly ID = 'headroom';
  // registerAddOn checks configuration's options with the schema, then hands them over typed.
  static readonly registration: AddOnRegistration = registerAddOn({
    id: HeadroomAddOn.ID,
    summary: 'placeholder pods that keep spare node capacity warm',
    options: HEADROOM_OPTIONS,
    create: (props) => new HeadroomAddOn(props),
    // The prose of its page; `npm run docs` adds the facts the code knows and the options table.
    docs: { prose: `${__dirname}/headroom.md` },
  });

  readonly id = HeadroomAddOn.ID;
  // On node groups only a node autoscaler (the karpenter add-on) turns the reserve into new nodes.
  readonly computeModes = ['auto', 'nodegroups'] as const;
  readonly namespaces: readonly string[];
  private readonly options: HeadroomOptions;

  constructor(props: HeadroomAddOnProps = {}) {
    super();
    this.options = addOnOptions(HeadroomAddOn.ID, HEADROOM_OPTIONS, props);
    this.namespaces = [this.options.namespace];
  }

  /**
   * The cost facet: the reserve is capacity nobody uses, so `npm run cost` (the package's
   * `estimateEnvironment`) shows it as a line of its own, priced as its share of the instance type
   * the estimate assumes (`--assume autoModeInstanceType=...`), at the region's on-demand price.
   */
  costLines({ prices: { ec2 }, assumptions }: AddOnCostContext): AddOnCost[] {
    const type = assumptions.autoModeInstanceType;
    const vcpus = VCPUS[type];
    const reserved = this.options.replicas * cores(this.options.cpu);
    return [
      {
        section: 'services',
        component: `Headroom reserve: ${reserved} vCPU kept free`,
        basis: 'assumed',
        price: vcpus === undefined ? undefined : ec2.onDemandPerHour[type],
        source: ec2.source,
        what: `${type} on demand (and its vCPU count)`,
        perHour: (p) => (reserved / (vcpus ?? 1)) * p,
        detail: (p) => `${reserved} of ${vcpus} vCPUs of ${type} x $${p}/h`,
      },
    ];
  }

  /**
   * The pods facet: on managed node groups the plan checks, before anything is built, that the
   * pods that can land on a group fit its minimum size. The placeholders have no node selector and
   * no tolerations, so with a node autoscaler they wait for its nodes (and are deployed after it);
   * without one they take room on the node groups, where the controllers need it too.
   */
  podSets(): PodSet[] {
    return [
      {
        name: 'headroom placeholders',
        replicas: this.options.replicas,
        requests: podRequests(this.options.cpu, this.options.memory),
        nodeSelector: {},
        tolerations: [],
        source: "the headroom add-on's Deployment",
      },
    ];
  }

  manifests(_context: AddOnContext): KubernetesObject[] {
    const namespace = this.options.namespace;
    const labels = { ...PLATFORM_LABELS, 'app.kubernetes.io/name': 'headroom' };
    const memory = this.options.memory;
    return [
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: namespace,
          labels: { ...labels, 'pod-security.kubernetes.io/enforce': 'restricted' },
        },
      },
      {
        apiVersion: 'scheduling.k8s.io/v1',
        kind: 'PriorityClass',
        metadata: { name: `${namespace}-placeholder`, labels },
        value: PLACEHOLDER_PRIORITY,
        // A placeholder waits for room; it never evicts anything to get it.
        preemptionPolicy: 'Never',
        globalDefault: false,
        description: 'Placeholder pods of the headroom add-on: every other pod preempts them.',
      },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'headroom', namespace, labels },
        spec: {
          replicas: this.options.replicas,
          selector: { matchLabels: { 'app.kubernetes.io/name': 'headroom' } },
          template: {
            metadata: { labels },
            spec: {
              priorityClassName: `${namespace}-placeholder`,
              // Preempted placeholders should free their room immediately.
              terminationGracePeriodSeconds: 0,
              automountServiceAccountToken: false,
              // Reserve room in every zone, so a burst in any of them finds some.
              topologySpreadConstraints: [
                {
                  maxSkew: 1,
                  topologyKey: 'topology.kubernetes.io/zone',
                  whenUnsatisfiable: 'ScheduleAnyway',
                  labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'headroom' } },
                },
              ],
              securityContext: { runAsNonRoot: true, runAsUser: 65535, runAsGroup: 65535, seccompProfile: { type: 'RuntimeDefault' } },
              containers: [
                {
                  name: 'pause',
                  image: this.options.image,
                  resources: { requests: { cpu: this.options.cpu, memory }, limits: { memory } },
                  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                },
              ],
            },
          },
        },
      },
    ];
  }
}
