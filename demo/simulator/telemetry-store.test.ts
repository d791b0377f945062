import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { DURATION_BUCKETS_MS } from "./istio-labels";
import { workloadFromDeployment } from "./mesh";
import { TelemetryStore, type HttpRecord } from "./telemetry-store";
import { deployment } from "./testing/bookinfo-fixture";
import { parseExposition, sumWhere } from "./testing/exposition";

const productpage = workloadFromDeployment(deployment("bookinfo", "productpage", "v1"), { "istio-injection": "enabled" });
const reviews = workloadFromDeployment(deployment("bookinfo", "reviews", "v2"), { "istio-injection": "enabled" });
const service = { host: "reviews.bookinfo.svc.cluster.local", name: "reviews", namespace: "bookinfo" };

function record(counts: number[], overrides: Partial<HttpRecord> = {}): HttpRecord {
  const padded = [...counts, ...new Array<number>(DURATION_BUCKETS_MS.length + 1 - counts.length).fill(0)];
  return {
    reporter: "destination", source: productpage, destination: reviews, service, mutualTls: true, protocol: "http",
    responseCode: 200, responseFlags: "-", count: counts.reduce((a, b) => a + b, 0), duration: { counts: padded, sum: 123.4 },
    ...overrides,
  };
}

describe("telemetry store exposition", () => {
  it("accumulates counters and cumulative histogram buckets per label set", () => {
    const store = new TelemetryStore({ byteHistograms: false });
    store.recordHttp(record([1, 2, 3]));
    store.recordHttp(record([0, 1, 0, 4]));
    store.recordHttp(record([5], { responseCode: 503, responseFlags: "UH", destination: undefined, reporter: "source" }));
    const samples = parseExposition(store.render());
    const ok = { reporter: "destination", response_code: "200" };
    expect(sumWhere(samples, "istio_requests_total", ok)).toBe(11);
    expect(sumWhere(samples, "istio_request_duration_milliseconds_bucket", { ...ok, le: "0.5" })).toBe(1);
    expect(sumWhere(samples, "istio_request_duration_milliseconds_bucket", { ...ok, le: "1" })).toBe(4);
    expect(sumWhere(samples, "istio_request_duration_milliseconds_bucket", { ...ok, le: "5" })).toBe(7);
    expect(sumWhere(samples, "istio_request_duration_milliseconds_bucket", { ...ok, le: "+Inf" })).toBe(11);
    expect(sumWhere(samples, "istio_request_duration_milliseconds_count", ok)).toBe(11);
    expect(sumWhere(samples, "istio_request_duration_milliseconds_sum", ok)).toBeCloseTo(246.8);
    const failed = samples.find((s) => s.name === "istio_requests_total" && s.labels["response_code"] === "503");
    expect(failed?.labels).toMatchObject({ destination_workload: "unknown", destination_principal: "unknown", connection_security_policy: "unknown", source_principal: "unknown" });
    expect(samples.some((s) => s.name.startsWith("istio_request_bytes"))).toBe(false);
  });

  it("is valid Prometheus text format (checked by promtool when installed)", (context) => {
    const store = new TelemetryStore();
    store.recordHttp({ ...record([2, 1]), requestBytes: { counts: [0, 0, 3], sum: 150 }, responseBytes: { counts: [0, 0, 0, 3], sum: 1500 } });
    store.recordTcp({ reporter: "source", source: productpage, destination: reviews, service, mutualTls: true, responseFlags: "-", connections: 2, sentBytes: 10, receivedBytes: 20 });
    const check = spawnSync("promtool", ["check", "metrics"], { input: store.render(), encoding: "utf8" });
    if (check.error) {
      console.log(`skipping the promtool check: promtool is not runnable (${check.error.message})`);
      context.skip();
      return;
    }
    // promtool also lints naming; Istio's own metric names trip two of those rules.
    const complaints = `${check.stdout}${check.stderr}`.split("\n").filter((line) => line.trim() !== "");
    const acceptedLint = /use base unit "seconds" instead of "milliseconds"|should have "_total" suffix/;
    expect(complaints.filter((line) => !acceptedLint.test(line))).toEqual([]);
  });
});
