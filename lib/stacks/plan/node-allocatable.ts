/*
 * What the scheduler can place on one node of an instance type: its allocatable CPU, memory and
 * pods, computed offline the way the node computes them.
 *
 * - vCPUs and memory: the EC2 instance type pages (general purpose, compute and memory optimized,
 *   burstable). c/m/r families of generation 5 and later have 2 vCPUs per `large` and 2, 4 or 8 GiB
 *   per vCPU; t3/t3a/t4g follow their own table.
 * - Memory the kernel reports is less than the nominal size: Karpenter subtracts 7.5% for it
 *   (karpenter-provider-aws charts/karpenter/values.yaml `settings.vmMemoryOverheadPercent: 0.075`).
 * - Max pods: aws/amazon-vpc-cni-k8s misc/eni-max-pods.txt (ENIs x (IPv4 per ENI - 1) + 2), what the
 *   VPC CNI allows without prefix delegation and what managed node groups configure.
 * - kube-reserved: awslabs/amazon-eks-ami nodeadm/internal/kubelet/config.go (AL2023:
 *   getCPUMillicoresToReserve 6% of the first core, 1% of the second, 0.5% of the next two, 0.25%
 *   above; getMemoryMebibytesToReserve 11 MiB x max pods + 255 MiB), which Bottlerocket copies
 *   (bottlerocket-os/bottlerocket sources/api/schnauzer helpers kube_reserve_cpu/kube_reserve_memory).
 *   Neither sets system-reserved.
 * - Eviction: `evictionHard` memory.available 100Mi (nodeadm's default kubelet configuration; the
 *   kubelet's own default too).
 */

/** Allocatable resources of one node. */
export interface NodeAllocatable {
  readonly cpuMillicores: number;
  readonly memoryMiB: number;
  readonly pods: number;
}

interface InstanceShape {
  readonly vcpus: number;
  readonly memoryGiB: number;
  readonly maxPods: number;
}

/** vCPUs and max pods by size, shared by the c/m/r families of generation 5 and later. */
const STANDARD_SIZES: Readonly<Record<string, { readonly vcpus: number; readonly maxPods: number }>> = {
  large: { vcpus: 2, maxPods: 29 },
  xlarge: { vcpus: 4, maxPods: 58 },
  '2xlarge': { vcpus: 8, maxPods: 58 },
  '4xlarge': { vcpus: 16, maxPods: 234 },
};
/** `medium` (1 vCPU, 8 pods) exists only in the Graviton families and the AMD 7th generation. */
const MEDIUM = { vcpus: 1, maxPods: 8 };
const MEMORY_PER_VCPU_GIB: Readonly<Record<string, number>> = { c: 2, m: 4, r: 8 };
const STANDARD_FAMILIES = [
  'c5',
  'c5a',
  'c5n',
  'c6a',
  'c6i',
  'c7i',
  'm5',
  'm5a',
  'm5n',
  'm6a',
  'm6i',
  'm7i',
  'r5',
  'r5a',
  'r5n',
  'r6a',
  'r6i',
  'r7i',
];
const FAMILIES_WITH_MEDIUM = ['c6g', 'c7g', 'c7a', 'm6g', 'm7g', 'm7a', 'r6g', 'r7g', 'r7a'];

/** t3, t3a and t4g: [size, vCPUs, GiB, max pods]; t3a.small has fewer IPs per ENI (8 pods). */
const BURSTABLE: ReadonlyArray<readonly [string, number, number, number]> = [
  ['nano', 2, 0.5, 4],
  ['micro', 2, 1, 4],
  ['small', 2, 2, 11],
  ['medium', 2, 4, 17],
  ['large', 2, 8, 35],
  ['xlarge', 4, 16, 58],
  ['2xlarge', 8, 32, 58],
];

function instanceShapes(): ReadonlyMap<string, InstanceShape> {
  const shapes = new Map<string, InstanceShape>();
  const standard = (family: string, sizes: Readonly<Record<string, { readonly vcpus: number; readonly maxPods: number }>>): void => {
    for (const [size, { vcpus, maxPods }] of Object.entries(sizes)) {
      shapes.set(`${family}.${size}`, { vcpus, memoryGiB: vcpus * MEMORY_PER_VCPU_GIB[family[0]], maxPods });
    }
  };
  STANDARD_FAMILIES.forEach((f) => standard(f, STANDARD_SIZES));
  FAMILIES_WITH_MEDIUM.forEach((f) => standard(f, { medium: MEDIUM, ...STANDARD_SIZES }));
  for (const family of ['t3', 't3a', 't4g']) {
    for (const [size, vcpus, memoryGiB, maxPods] of BURSTABLE) {
      shapes.set(`${family}.${size}`, { vcpus, memoryGiB, maxPods: family === 't3a' && size === 'small' ? 8 : maxPods });
    }
  }
  return shapes;
}

const SHAPES = instanceShapes();
const VM_MEMORY_OVERHEAD = 0.075;
const EVICTION_HARD_MEMORY_MIB = 100;
/** [up to this many millicores, reserve this fraction of them]. */
const CPU_RESERVE_STEPS: ReadonlyArray<readonly [number, number]> = [
  [1000, 0.06],
  [2000, 0.01],
  [4000, 0.005],
  [Infinity, 0.0025],
];

/** kube-reserved CPU in millicores for a node with `millicores` (the EKS AMI's stepped percentages). */
export function kubeReservedCpu(millicores: number): number {
  let reserved = 0;
  let start = 0;
  for (const [end, fraction] of CPU_RESERVE_STEPS) {
    if (millicores > start) reserved += (Math.min(millicores, end) - start) * fraction;
    start = end;
  }
  return reserved;
}

/** kube-reserved memory in MiB for a node that allows `maxPods` pods. */
export function kubeReservedMemory(maxPods: number): number {
  return 11 * maxPods + 255;
}

/** The instance types whose allocatable this module knows, for messages. */
export const KNOWN_INSTANCE_FAMILIES = [...STANDARD_FAMILIES, ...FAMILIES_WITH_MEDIUM, 't3', 't3a', 't4g'];

/** Allocatable resources of one node of `instanceType`; `undefined` for a type not in the table. */
export function nodeAllocatable(instanceType: string): NodeAllocatable | undefined {
  const shape = SHAPES.get(instanceType);
  if (!shape) return undefined;
  const cpu = shape.vcpus * 1000;
  const memory = shape.memoryGiB * 1024 * (1 - VM_MEMORY_OVERHEAD);
  return {
    cpuMillicores: Math.floor(cpu - kubeReservedCpu(cpu)),
    memoryMiB: Math.floor(memory - kubeReservedMemory(shape.maxPods) - EVICTION_HARD_MEMORY_MIB),
    pods: shape.maxPods,
  };
}
