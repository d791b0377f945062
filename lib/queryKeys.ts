/**
 * Every TanStack Query key the browser uses, built in one place so caching and invalidation stay
 * predictable: keys start with the resource and end with the parameters that change its answer.
 */
export const queryKeys = {
  namespaces: () => ["namespaces"] as const,
  readiness: () => ["readiness"] as const,
  services: (namespaces: readonly string[]) => ["services", [...namespaces].sort()] as const,
  workloads: (namespaces: readonly string[]) => ["workloads", [...namespaces].sort()] as const,
  istioConfig: (namespaces: readonly string[]) => ["istio-config", [...namespaces].sort()] as const,
};
