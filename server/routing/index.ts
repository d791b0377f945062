/**
 * The traffic wizards' server side: the routing state a wizard opens with, one write per wizard
 * (traffic shifting, request routing, fault injection, timeouts and retries, circuit breaking,
 * mirroring), rollback and removal of what the console created, canary analysis from Prometheus,
 * and configured splits for the graph.
 */
export { routingState } from "./state";
export {
  applyCircuitBreaking,
  applyFaultInjection,
  applyMirroring,
  applyRequestRouting,
  applyTimeouts,
  applyTrafficShift,
  removeConsoleRouting,
  rollbackRouting,
  type RoutingDeps,
} from "./wizards";
export { canaryAnalysis } from "./canaryAnalysis";
export { configuredSplit, configuredSplits, readConfiguredSplit } from "./configuredWeights";
export type { ServiceRef } from "./istioObjects";
