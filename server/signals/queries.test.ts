import { describe, expect, it } from "vitest";
import { signalQueries, trafficSelectors } from "./queries";

const reviews = { kind: "service", namespace: "bookinfo", name: "reviews" } as const;

describe("trafficSelectors", () => {
  it("counts a service's inbound traffic at the callers plus what only it sees from outside the mesh", () => {
    expect(trafficSelectors(reviews, "inbound")).toEqual([
      '{reporter="source",destination_service_name="reviews",destination_service_namespace="bookinfo"}',
      '{reporter="destination",source_workload="unknown",destination_service_name="reviews",destination_service_namespace="bookinfo"}',
    ]);
  });

  it("counts a workload's outbound traffic where it leaves", () => {
    expect(trafficSelectors({ kind: "workload", namespace: "bookinfo", name: "productpage-v1" }, "outbound")).toEqual([
      '{reporter="source",source_workload="productpage-v1",source_workload_namespace="bookinfo"}',
    ]);
  });

  it("refuses outbound traffic for a service, which sends none", () => {
    expect(() => trafficSelectors(reviews, "outbound")).toThrow(/sends no traffic of its own/);
  });
});

describe("signalQueries", () => {
  it("splits every chart by version when asked, and none when not", () => {
    const split = signalQueries(reviews, { direction: "inbound", byVersion: true, rateWindowSeconds: 60 });
    const whole = signalQueries(reviews, { direction: "inbound", byVersion: false, rateWindowSeconds: 60 });
    for (const query of split) expect(query.promql, query.chart).toContain("destination_canonical_revision");
    for (const query of whole) expect(query.promql, query.chart).not.toContain("canonical_revision");
    expect(split.map((query) => query.chart)).toEqual(whole.map((query) => query.chart));
  });

  it("asks for p50, p95 and p99 latency over the chosen rate window", () => {
    const latency = signalQueries(reviews, { direction: "inbound", byVersion: false, rateWindowSeconds: 120 }).filter((query) => query.chart === "latency");
    expect(latency.map((query) => query.quantile)).toEqual([0.5, 0.95, 0.99]);
    expect(latency[1]?.promql).toMatch(/^histogram_quantile\(0\.95, sum by \(le\) \(\(rate\(istio_request_duration_milliseconds_bucket\{.*\}\[120s\]\) or rate/);
  });

  it("keeps a hostile name inside one string literal in every query", () => {
    const hostile = 'x"} or vector(1) #';
    for (const query of signalQueries({ kind: "workload", namespace: "ns", name: hostile }, { direction: "outbound", byVersion: true, rateWindowSeconds: 60 })) {
      expect(query.promql).toContain('source_workload="x\\"} or vector(1) #"');
      expect(query.promql.replaceAll('"x\\"} or vector(1) #"', '"X"')).not.toContain("vector(1)");
    }
  });
});
