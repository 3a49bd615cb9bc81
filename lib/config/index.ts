export * from './types';
export * from './problems';
export { loadConfig, CONFIG_KEYS } from './load';
export { KUBERNETES_VERSIONS, SUPPORTED_KUBERNETES_VERSIONS, kubernetesVersionInfo } from './kubernetes-versions';
export type { KubernetesVersionInfo, ManagedAddonName } from './kubernetes-versions';
export { PROFILES, OPS_NODE_GROUP } from './profiles';
export { readTeams, DEFAULT_TEAM_QUOTA, SYSTEM_NAMESPACES } from './team-rules';
export type { TeamInput } from './team-rules';
export { checkUniquePrincipals } from './access-rules';
