/**
 * How much a workload's answers are slowed by fault delays on the calls it makes (directly or
 * further down), as a two-point mixture: `share` of its requests take `shiftMs` longer. This is
 * what makes a delay injected on ratings trip a route timeout on reviews, as in Istio's
 * request-timeouts task: https://istio.io/latest/docs/tasks/traffic-management/request-timeouts/
 */
import type { Call } from "./call-graph";
import { serviceFqdn } from "@/lib/istio/host";
import { type RequestProtocol, type Workload } from "./mesh";
import type { RouteDecision } from "./routing";

export interface DependencyDelay {
  share: number;
  shiftMs: number;
}

export const NO_DELAY: DependencyDelay = { share: 0, shiftMs: 0 };

export interface DependencyContext {
  callsOf(workload: Workload): readonly Call[];
  protocolOf(host: string): RequestProtocol | undefined;
  route(source: Workload, host: string, uri: string, tcp: boolean): RouteDecision | undefined;
  /** Results per workload key, valid until routing changes. */
  memo: Map<string, DependencyDelay>;
  maxDepth: number;
}

export function dependencyDelay(context: DependencyContext, workload: Workload, visiting: Set<string>): DependencyDelay {
  const known = context.memo.get(workload.key);
  if (known) return known;
  if (visiting.has(workload.key) || visiting.size >= context.maxDepth) return NO_DELAY;
  visiting.add(workload.key);
  let expectedMs = 0;
  let slowestMs = 0;
  for (const call of context.callsOf(workload)) {
    const host = serviceFqdn(call.service, call.namespace ?? workload.namespace);
    const tcp = (call.protocol ?? context.protocolOf(host)) === "tcp";
    const decision = context.route(workload, host, call.uri, tcp);
    if (!decision) continue;
    for (const branch of decision.branches) {
      if (branch.kind !== "upstream") continue;
      const injected = decision.fault ? decision.fault.delayShare * decision.fault.delayMs : 0;
      if (decision.fault && decision.fault.delayShare > 0) slowestMs = Math.max(slowestMs, decision.fault.delayMs);
      const replicas = branch.endpoints.reduce((sum, w) => sum + w.replicas, 0) || 1;
      let downstream = 0;
      for (const endpoint of branch.endpoints) {
        const nested = dependencyDelay(context, endpoint, visiting);
        downstream += (endpoint.replicas / replicas) * nested.share * nested.shiftMs;
        slowestMs = Math.max(slowestMs, nested.shiftMs);
      }
      expectedMs += call.callsPerRequest * branch.share * (injected + downstream);
    }
  }
  visiting.delete(workload.key);
  // Keep the expected added time while putting it on the slowest path found.
  const delay = slowestMs > 0 && expectedMs > 0 ? { share: Math.min(1, expectedMs / slowestMs), shiftMs: slowestMs } : NO_DELAY;
  context.memo.set(workload.key, delay);
  return delay;
}
