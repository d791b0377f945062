import { describe, expect, it } from "vitest";
import type { PrometheusClient } from "@/server/prometheus/client";
import { chooseMetrics, RAW_METRICS, RECORDING_RULES_TTL_MS } from "./recordingRules";

function fakePrometheus(recorded: string[]): PrometheusClient & { queries: string[] } {
  const queries: string[] = [];
  return {
    baseUrl: "http://prometheus.test",
    queries,
    async instant(query) {
      queries.push(query);
      return recorded.map((name) => ({ metric: { __name__: name }, value: [0, "1"] as [number, string] }));
    },
    async range() {
      throw new Error("not used");
    },
    async queryData() {
      throw new Error("not used");
    },
  };
}

describe("chooseMetrics", () => {
  it("falls back to the raw metrics when no recording rule exists", async () => {
    const choice = await chooseMetrics(fakePrometheus([]));
    expect(choice).toMatchObject({ metrics: RAW_METRICS, usedRecordingRules: false, queried: true });
  });

  it("uses the recorded series Prometheus has, and asks again only after a minute", async () => {
    const client = fakePrometheus(["workload:istio_requests_total", "workload:istio_request_duration_milliseconds_bucket"]);
    let now = 1_000_000;
    const first = await chooseMetrics(client, () => now);
    expect(first.usedRecordingRules).toBe(true);
    expect(first.metrics.durationBucket).toBe("workload:istio_request_duration_milliseconds_bucket");
    expect(first.metrics.tcpSentBytes).toBe("istio_tcp_sent_bytes_total");
    now += RECORDING_RULES_TTL_MS - 1;
    expect((await chooseMetrics(client, () => now)).queried).toBe(false);
    now += 2;
    expect((await chooseMetrics(client, () => now)).queried).toBe(true);
    expect(client.queries).toHaveLength(2);
    expect(client.queries[0]).toMatch(/^group by \(__name__\) \(\{__name__=~"workload:istio_requests_total\|/);
  });
});
