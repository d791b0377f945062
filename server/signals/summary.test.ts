import { describe, expect, it } from "vitest";
import { parseHealthThresholds } from "@/lib/health";
import type { PrometheusClient } from "@/server/prometheus/client";
import { RAW_METRICS } from "@/server/telemetry";
import { summaryQueries, trafficSummaries } from "./summary";

type Sample = { metric: Record<string, string>; value: [number, string] };

function recordingClient(answers: { responses?: Sample[]; p95?: Sample[]; tcp?: Sample[] }) {
  const sent: string[] = [];
  const client: PrometheusClient = {
    baseUrl: "http://prometheus.test",
    async instant(query) {
      sent.push(query);
      if (query.startsWith("histogram_quantile")) return answers.p95 ?? [];
      return query.includes("istio_tcp_") ? (answers.tcp ?? []) : (answers.responses ?? []);
    },
    async queryData() {
      throw new Error("not used");
    },
    async range() {
      throw new Error("not used");
    },
  };
  return { client, sent };
}

const labels = (namespace: string, workload: string) => ({ destination_workload_namespace: namespace, destination_workload: workload });
const responses = (namespace: string, workload: string, rate: number, response: Record<string, string> = {}): Sample => ({
  metric: { ...labels(namespace, workload), request_protocol: "http", response_code: "200", grpc_response_status: "", response_flags: "-", ...response },
  value: [0, String(rate)],
});

describe("trafficSummaries", () => {
  it("combines rates, failures and p95 per workload, with health from the failed share", async () => {
    const { client } = recordingClient({
      responses: [
        responses("bookinfo", "reviews-v1", 10),
        responses("bookinfo", "ratings-v1", 2),
        responses("bookinfo", "ratings-v1", 1, { response_code: "503", response_flags: "UH" }),
        // A failed gRPC call answers HTTP 200: still failed, as the graph counts it.
        responses("bookinfo", "ratings-v1", 1, { request_protocol: "grpc", grpc_response_status: "14" }),
      ],
      p95: [
        { metric: labels("bookinfo", "reviews-v1"), value: [0, "42.5"] },
        { metric: labels("bookinfo", "ratings-v1"), value: [0, "NaN"] },
      ],
    });
    const summaries = await trafficSummaries(client, "workload", ["bookinfo"], "5m", { metrics: RAW_METRICS });
    expect(summaries.get("bookinfo/reviews-v1")).toEqual({ requestRate: 10, errorsPerSecond: 0, errorRate: 0, tcpBytesPerSecond: 0, p95Ms: 42.5, health: "healthy" });
    expect(summaries.get("bookinfo/ratings-v1")).toEqual({ requestRate: 4, errorsPerSecond: 2, errorRate: 0.5, tcpBytesPerSecond: 0, p95Ms: null, health: "failing" });
  });

  it("gives a TCP-only workload its traffic: healthy, not 'No traffic'", async () => {
    const { client } = recordingClient({ tcp: [{ metric: labels("bookinfo", "mongodb-v1"), value: [0, "1200"] }] });
    const summaries = await trafficSummaries(client, "workload", ["bookinfo"], "5m", { metrics: RAW_METRICS });
    expect(summaries.get("bookinfo/mongodb-v1")).toEqual({ requestRate: 0, errorsPerSecond: 0, errorRate: null, tcpBytesPerSecond: 1200, p95Ms: null, health: "healthy" });
  });

  it("judges each object by its own health rules", async () => {
    const health = {
      global: parseHealthThresholds("failed=0.1%/20%;http:4xx=10%/50%").rules,
      annotations: { namespaces: new Map(), services: new Map(), workloads: new Map([["bookinfo/lookup-v1", "http:404=ignore"], ["bookinfo/broken-v1", "4xx=lots"]]) },
    };
    const { client } = recordingClient({ responses: [...["search-v1", "lookup-v1", "broken-v1"].flatMap((name) => [responses("bookinfo", name, 8), responses("bookinfo", name, 2, { response_code: "404" })])] });
    const summaries = await trafficSummaries(client, "workload", ["bookinfo"], "5m", { metrics: RAW_METRICS, health });
    expect(summaries.get("bookinfo/search-v1")).toMatchObject({ errorRate: 0, health: "degraded" });
    // 404 is not an error for this one workload.
    expect(summaries.get("bookinfo/lookup-v1")).toMatchObject({ errorRate: 0, health: "healthy" });
    // A wrong annotation is ignored, visibly.
    expect(summaries.get("bookinfo/broken-v1")?.health).toBe("degraded");
    expect(summaries.get("bookinfo/broken-v1")?.healthNotes?.[0]).toMatch(/annotation on Deployment bookinfo\/broken-v1 is ignored: expected degraded%\/failing%/);
  });

  it("sends three queries for one namespace or fifty", async () => {
    const one = recordingClient({});
    await trafficSummaries(one.client, "service", ["a"], "1h", { metrics: RAW_METRICS });
    const many = recordingClient({});
    await trafficSummaries(many.client, "service", Array.from({ length: 50 }, (_, i) => `ns-${i}`), "1h", { metrics: RAW_METRICS });
    expect(one.sent).toHaveLength(3);
    expect(many.sent).toHaveLength(3);
  });

  it("matches namespaces literally, so a dot is not a wildcard", () => {
    expect(summaryQueries("app", ["mesh.lab", "bookinfo"], "5m").responses).toContain('destination_workload_namespace=~"mesh\\\\.lab|bookinfo"');
  });

  it("reads Istio's recorded metrics when they exist", () => {
    const queries = summaryQueries("service", ["bookinfo"], "5m", { ...RAW_METRICS, requests: "workload:istio_requests_total", tcpSentBytes: "workload:istio_tcp_sent_bytes_total" });
    expect(queries.responses).toContain('__name__="workload:istio_requests_total"');
    expect(queries.tcpBytes).toContain('__name__="workload:istio_tcp_sent_bytes_total"');
    expect(queries.tcpBytes).toContain('__name__="istio_tcp_received_bytes_total"');
  });
});
