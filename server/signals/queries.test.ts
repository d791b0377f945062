import { describe, expect, it } from "vitest";
import { RAW_METRICS } from "@/server/telemetry";
import { signalQueries } from "./queries";

const reviews = { kind: "service", namespace: "bookinfo", name: "reviews" } as const;

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
    expect(latency[1]?.promql).toMatch(/^histogram_quantile\(0\.95, sum by \(le\) \(\(\(rate\(\{__name__="istio_request_duration_milliseconds_bucket",.*\}\[120s\]\) unless on .*\) or rate/);
  });

  it("charts the share of failed requests as every reader counts them, and reads recorded metrics when given", () => {
    const recorded = { ...RAW_METRICS, requests: "workload:istio_requests_total" };
    const errorShare = signalQueries(reviews, { direction: "inbound", byVersion: false, rateWindowSeconds: 60 }, recorded).find((query) => query.chart === "errorShare")?.promql ?? "";
    expect(errorShare).toContain('response_code=~"5..|0|"');
    expect(errorShare).toContain('request_protocol=~"grpc",grpc_response_status!~"0|-|"');
    expect(errorShare).toContain('__name__="workload:istio_requests_total"');
    expect(errorShare).not.toContain('"istio_requests_total"');
  });

  it("keeps a hostile name inside one string literal in every query", () => {
    const hostile = 'x"} or vector(1) #';
    for (const query of signalQueries({ kind: "workload", namespace: "ns", name: hostile }, { direction: "outbound", byVersion: true, rateWindowSeconds: 60 })) {
      expect(query.promql).toContain('source_workload="x\\"} or vector(1) #"');
      expect(query.promql.replaceAll('"x\\"} or vector(1) #"', '"X"')).not.toContain("vector(1)");
    }
  });
});
