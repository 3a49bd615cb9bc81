export * from './platform-plan';
export * from './workload-checks';
export { checkTeams, checkUniquePrincipals } from './access-checks';
export { capacityDependencies, checkControllerCapacity } from './capacity-checks';
export { nodeAllocatable, kubeReservedCpu, kubeReservedMemory } from './node-allocatable';
export type { NodeAllocatable } from './node-allocatable';
