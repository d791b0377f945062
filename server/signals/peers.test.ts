import { describe, expect, it } from "vitest";
import type { PrometheusClient } from "@/server/prometheus/client";
import { RAW_METRICS } from "@/server/telemetry";
import { fetchPeers, peerQueries } from "./peers";

describe("peers", () => {
  it("asks for no callees of a service, which calls nobody itself", () => {
    const queries = peerQueries({ kind: "service", namespace: "bookinfo", name: "reviews" }, "5m");
    expect(queries.callees).toBeNull();
    expect(queries.callers).toContain("sum by (source_workload_namespace, source_workload)");
    expect(queries.callerErrors).toContain('response_flags!~"-|"');
    expect(queries.calleeDenials).toBeNull();
    expect(queries.callerDenials).toContain('response_code=~"403",response_flags=~"-|"');
  });

  it("pairs each peer's request rate with its failures and policy denials per second and failed share, busiest first", async () => {
    const client: PrometheusClient = {
      baseUrl: "http://prometheus.test",
      async instant(query) {
        const errors = query.includes('response_code=~"5..|0|"');
        if (query.includes('response_code=~"403"')) {
          return query.includes("source_workload)") ? [{ metric: { source_workload_namespace: "bookinfo", source_workload: "productpage-v1" }, value: [0, "1.5"] }] : [];
        }
        if (query.includes("destination_service_name)") || query.includes("destination_workload)")) {
          return errors
            ? [{ metric: { destination_service_namespace: "bookinfo", destination_service_name: "ratings", destination_workload: "unknown" }, value: [0, "0.5"] }]
            : [
                { metric: { destination_service_namespace: "bookinfo", destination_service_name: "ratings", destination_workload: "unknown" }, value: [0, "0.5"] },
                { metric: { destination_service_namespace: "bookinfo", destination_service_name: "ratings", destination_workload: "ratings-v1" }, value: [0, "6"] },
              ];
        }
        return errors ? [] : [{ metric: { source_workload_namespace: "bookinfo", source_workload: "productpage-v1" }, value: [0, "10"] }];
      },
      async queryData() {
        throw new Error("not used");
      },
      async range() {
        throw new Error("not used");
      },
    };
    const peers = await fetchPeers(client, { kind: "workload", namespace: "bookinfo", name: "reviews-v2" }, "5m", RAW_METRICS);
    expect(peers.callers).toEqual([{ namespace: "bookinfo", name: "productpage-v1", workload: "productpage-v1", requestRate: 10, errorsPerSecond: 0, errorRate: 0, deniedPerSecond: 1.5 }]);
    expect(peers.callees).toEqual([
      { namespace: "bookinfo", name: "ratings", workload: "ratings-v1", requestRate: 6, errorsPerSecond: 0, errorRate: 0, deniedPerSecond: 0 },
      { namespace: "bookinfo", name: "ratings", workload: null, requestRate: 0.5, errorsPerSecond: 0.5, errorRate: 1, deniedPerSecond: 0 },
    ]);
  });
});
