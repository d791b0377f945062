/**
 * Every TanStack Query key the browser uses, built in one place so caching and invalidation stay
 * predictable: keys start with the resource and end with the parameters that change its answer.
 */
export const queryKeys = {
  namespaces: () => ["namespaces"] as const,
  settings: () => ["settings"] as const,
  readiness: () => ["readiness"] as const,
  services: (namespaces: readonly string[]) => ["services", [...namespaces].sort()] as const,
  workloads: (namespaces: readonly string[]) => ["workloads", [...namespaces].sort()] as const,
  istioConfig: (namespaces: readonly string[]) => ["istio-config", [...namespaces].sort()] as const,
  istioObject: (namespace: string, kind: string, name: string) => ["istio-object", namespace, kind, name] as const,
  /** Every namespace selection's Istio config list: what to invalidate after a write. */
  allIstioConfig: () => ["istio-config"] as const,
  validations: (namespaces: readonly string[]) => ["validations", [...namespaces].sort()] as const,
  /** Every namespace selection's findings: what to invalidate after a write. */
  allValidations: () => ["validations"] as const,
  apps: (namespaces: readonly string[]) => ["apps", [...namespaces].sort()] as const,
  traffic: (kind: string, namespaces: readonly string[], window: string) => ["traffic", kind, [...namespaces].sort(), window] as const,
  signals: (kind: string, namespace: string, name: string, direction: string, window: string, byVersion: boolean) => ["signals", kind, namespace, name, direction, window, byVersion] as const,
  graph: (namespaces: readonly string[], graphType: string, duration: string, appenders: readonly string[]) => ["graph", [...namespaces].sort(), graphType, duration, [...appenders].sort().join(",")] as const,
  routing: (namespace: string, service: string) => ["routing", namespace, service] as const,
  /** The ALLOW policy proposed from a workload's callers in the window (app/api/security/authorization). */
  authorizationProposal: (namespace: string, workload: string, window: string, granularity: string) => ["authorization-proposal", namespace, workload, window, granularity] as const,
  /** Every proposal of one workload: what to invalidate after an apply or rollback. */
  authorizationProposals: (namespace: string, workload: string) => ["authorization-proposal", namespace, workload] as const,
  canaryAnalysis: (namespace: string, service: string, windowSeconds: number) => ["canary-analysis", namespace, service, windowSeconds] as const,
  /** A service's rollout (plan, progress, timeline) and the list of all rollouts; "rollouts" invalidates both. */
  rollout: (namespace: string, service: string) => ["rollouts", namespace, service] as const,
  rollouts: () => ["rollouts"] as const,
  namespaceTraffic: (namespaces: readonly string[], window: string) => ["namespace-traffic", [...namespaces].sort(), window] as const,
  mtlsReadiness: (namespaces: readonly string[], window: string) => ["mtls-readiness", [...namespaces].sort(), window] as const,
  /** Every selection's mTLS readiness: what to invalidate after enforcing or rolling back. */
  allMtlsReadiness: () => ["mtls-readiness"] as const,
  controlPlane: (window: string) => ["control-plane", window] as const,
  ambientHealth: (namespaces: readonly string[]) => ["ambient-health", [...namespaces]] as const,
  details: (kind: string, namespace: string, name: string) => ["details", kind, namespace, name] as const,
  peers: (kind: string, namespace: string, name: string, window: string) => ["peers", kind, namespace, name, window] as const,
  proxyStatus: (namespaces: readonly string[]) => ["proxy-status", [...namespaces].sort()] as const,
  graphNodeMetrics: (nodeId: string, window: string, namespaces: readonly string[]) => ["graph-node-metrics", nodeId, window, [...namespaces].sort().join(",")] as const,
  podDetails: (namespace: string, pod: string) => ["pod-details", namespace, pod] as const,
  /** One view of a container's log: the lines it holds grow while following, so every parameter that restarts it is here. */
  podLog: (namespace: string, pod: string, container: string, tailLines: number, sinceSeconds: number) => ["pod-log", namespace, pod, container, tailLines, sinceSeconds] as const,
};
