/**
 * TCP traffic (e.g. ratings → mongodb): connections instead of requests. Both proxies report
 * connections opened/closed and bytes; there is no response code. Each call is one short-lived
 * connection, as Bookinfo's ratings opens one per request.
 * https://istio.io/latest/docs/reference/config/metrics/#metrics
 */
import { ztunnelReports } from "./ambient";
import type { Workload } from "./mesh";
import type { TrafficPolicy } from "./mesh-schemas";
import type { BehaviourModel } from "./proxy-reports";
import type { Random } from "./random";
import type { RouteDecision } from "./routing";
import type { ConnectionOutcome } from "./security";
import type { ServiceRef, TelemetryStore } from "./telemetry-store";

export interface TcpHopContext {
  random: Random;
  store: TelemetryStore;
  serviceRef(host: string): ServiceRef;
  connection(source: Workload, trafficPolicy: TrafficPolicy, server: Workload): ConnectionOutcome;
  behaviourOf(workload: Workload): BehaviourModel;
  /** The server accepted `count` connections (its own calls follow from them). */
  served(server: Workload, count: number): void;
}

export function openTcpConnections(context: TcpHopContext, source: Workload, decision: RouteDecision, connections: number): void {
  const { random, store } = context;
  const split = decision.branches.length === 1 ? [connections] : random.multinomial(connections, decision.branches.map((b) => b.share));
  decision.branches.forEach((branch, index) => {
    const count = split[index] ?? 0;
    if (count === 0) return;
    const service = context.serviceRef(branch.host);
    const endpoints = branch.kind === "upstream" ? branch.endpoints.filter((w) => w.replicas > 0) : [];
    if (branch.kind === "local-reply" || endpoints.length === 0) {
      const flag = branch.kind === "local-reply" ? branch.responseFlag : "UH";
      if (source.hasProxy) store.recordTcp({ reporter: "source", source, destination: undefined, service, mutualTls: false, responseFlags: flag, connections: count, sentBytes: 0, receivedBytes: 0 });
      return;
    }
    const perEndpoint = random.multinomial(count, endpoints.map((w) => w.replicas));
    endpoints.forEach((server, endpointIndex) => {
      const opened = perEndpoint[endpointIndex] ?? 0;
      if (opened === 0) return;
      const connection = context.connection(source, branch.trafficPolicy, server);
      if (connection.kind === "refused") {
        // The handshake fails at the server's proxy: upstream connection failure at the client.
        if (source.hasProxy) store.recordTcp({ reporter: "source", source, destination: server, service, mutualTls: false, responseFlags: "UF", connections: opened, sentBytes: 0, receivedBytes: 0 });
        return;
      }
      const { behaviour } = context.behaviourOf(server);
      // Istio counts sent = response direction, received = request direction, for both reporters.
      const sentBytes = Math.round(opened * behaviour.responseBytes * (0.9 + 0.2 * random.next()));
      const receivedBytes = Math.round(opened * behaviour.requestBytes * (0.9 + 0.2 * random.next()));
      for (const reporter of ["source", "destination"] as const) {
        const proxy = reporter === "source" ? source : server;
        if (!proxy.hasProxy) continue;
        store.recordTcp({ reporter, source, destination: server, service, mutualTls: connection.mutualTls, responseFlags: "-", connections: opened, sentBytes, receivedBytes });
      }
      // Ambient ends have no Envoy: their node's ztunnel reports the connection instead.
      for (const record of ztunnelReports({ client: source, server, service, connections: opened, sentBytes, receivedBytes })) store.recordTcp(record);
      context.served(server, opened);
    });
  });
}
