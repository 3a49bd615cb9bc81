export * from './platform-plan';
export * from './workload-checks';
export { checkTeams, checkUniquePrincipals } from './access-checks';
export type { PlacedPodSet } from './capacity-checks';
export { capacityDependencies, checkControllerCapacity, placePodSets } from './capacity-checks';
export { nodeAllocatable, kubeReservedCpu, kubeReservedMemory } from './node-allocatable';
export type { NodeAllocatable } from './node-allocatable';
