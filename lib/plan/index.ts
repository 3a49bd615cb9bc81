export * from './platform-plan';
export * from './workload-checks';
export { checkTeams, checkUniquePrincipals } from './access-checks';
