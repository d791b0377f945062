/**
 * Istio's recording rules in a real Prometheus: the demo started with `recordingRules` loads
 * deploy/prometheus/istio-recording-rules.yaml, Prometheus evaluates it over what the simulated
 * sidecars report, and the console's readers (graph, lists, canary analysis) detect the recorded
 * `workload:` metrics and read them. Each figure is compared with the same reader on the raw
 * metrics of the same Prometheus at the same moment, so "on rules" means "the same answers, cheaper".
 */
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildGraph, parseGraphRequest } from "@/server/graph";
import { createPrometheusClient, type PrometheusClient } from "@/server/prometheus/client";
import { canaryAnalysis } from "@/server/routing/canaryAnalysis";
import { trafficSummaries } from "@/server/signals/summary";
import { chooseMetrics, RAW_METRICS, recordingRulesQuery } from "@/server/telemetry";
import { startDemo, type RunningDemo } from "./orchestrate/demo";

const SCRAPE_SECONDS = 1;
/** The labels the rule file sums away: the scrape target's, never Istio's. */
const TARGET_LABELS = ["instance", "pod", "namespace", "kubernetes_pod_name", "kubernetes_namespace", "__name__"];

let demo: RunningDemo;
let prometheus: PrometheusClient;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The real Prometheus, recording every query sent, so a test can say which metrics a reader read. */
function recordingClient(hideRules: boolean): { client: PrometheusClient; sent: string[] } {
  const sent: string[] = [];
  const client: PrometheusClient = {
    baseUrl: prometheus.baseUrl,
    instant: (query, time) => {
      sent.push(query);
      // The raw side of each comparison: the same Prometheus, its recorded names not reported.
      if (hideRules && query === recordingRulesQuery()) return Promise.resolve([]);
      return prometheus.instant(query, time);
    },
    range: (query, options) => {
      sent.push(query);
      return prometheus.range(query, options);
    },
    queryData: (query, time) => {
      sent.push(query);
      return prometheus.queryData(query, time);
    },
  };
  return { client, sent };
}

/** Close enough for two evaluations of the same traffic a few seconds apart: within 25 % or 0.5/s. */
function expectClose(recorded: number, raw: number): void {
  expect(Math.abs(recorded - raw)).toBeLessThanOrEqual(Math.max(0.5, raw * 0.25));
}

beforeAll(async () => {
  demo = await startDemo({
    stateDir: path.join(os.tmpdir(), `mesh-console-recording-rules-${process.pid}`),
    ports: { console: 0, prometheus: 0, kubeApi: 0, simulator: 0 },
    scrapeIntervalSeconds: SCRAPE_SECONDS,
    consoleMode: "none",
    recordingRules: true,
    log: "quiet",
  });
  prometheus = createPrometheusClient({ url: demo.endpoints.prometheus, timeoutMs: 10_000, insecureSkipVerify: false, headers: {} });
  // Rates need two evaluations of the rules in their window, and each proxy pod is a target
  // Prometheus finds on its own schedule: wait (at most 2 minutes) until every raw bookinfo series,
  // summed over its pods, has a recorded twin with a rate.
  const selector = '{destination_service_namespace="bookinfo"}';
  const count = async (query: string) => Number((await prometheus.instant(query).catch(() => []))[0]?.value[1] ?? 0);
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const raw = await count(`count(sum without (${TARGET_LABELS.filter((label) => label !== "__name__").join(", ")}) (rate(istio_requests_total${selector}[1m])))`);
    const recorded = await count(`count(rate(workload:istio_requests_total${selector}[1m]))`);
    if (raw > 0 && recorded === raw) break;
    await sleep(1_000);
  }
  // A few more seconds so both sides' rate windows hold several samples.
  await sleep(5_000);
}, 240_000);

afterAll(async () => {
  await demo?.stop();
});

describe("Istio's recording rules in the demo's Prometheus", () => {
  it("records every metric the console reads, summed over the scrape targets' labels only", async () => {
    const { metrics, usedRecordingRules } = await chooseMetrics(prometheus);
    expect(usedRecordingRules).toBe(true);
    for (const [concern, raw] of Object.entries(RAW_METRICS)) expect(metrics[concern as keyof typeof metrics], concern).toBe(`workload:${raw}`);

    // One recorded series per distinct raw label set once the target's labels are dropped: the
    // rules aggregate pods (and targets) of a workload, and merge nothing Istio tells apart.
    const time = Math.floor(Date.now() / 1000) - 2 * SCRAPE_SECONDS;
    const raw = await prometheus.instant('istio_requests_total{destination_service_namespace="bookinfo"}', time);
    const recorded = await prometheus.instant('workload:istio_requests_total{destination_service_namespace="bookinfo"}', time);
    const keyOf = (labels: Record<string, string>) =>
      JSON.stringify(Object.entries(labels).filter(([name]) => !TARGET_LABELS.includes(name)).sort(([a], [b]) => a.localeCompare(b)));
    expect(raw.length).toBeGreaterThan(0);
    expect(new Set(recorded.map((sample) => keyOf(sample.metric))).size).toBe(recorded.length);
    expect(new Set(recorded.map((sample) => keyOf(sample.metric)))).toEqual(new Set(raw.map((sample) => keyOf(sample.metric))));
    expect(recorded.every((sample) => sample.metric.instance === undefined && sample.metric.pod === undefined)).toBe(true);
    // The demo scrapes each proxy pod as its own target, as a cluster's Prometheus does: the raw
    // series name their pod, and the recorded ones are at most as many.
    expect(raw.some((sample) => sample.metric.pod !== undefined)).toBe(true);
    expect(recorded.length).toBeLessThanOrEqual(raw.length);
  });

  it("draws the graph from the recorded metrics, with the raw graph's nodes, edges and rates", async () => {
    const nowSeconds = () => Math.floor(Date.now() / 1000);
    const request = parseGraphRequest(new URL("http://console/api/graph?namespaces=bookinfo&graphType=workload&duration=1m&appenders=responseTime,throughput,security"), nowSeconds());
    const onRules = recordingClient(false);
    const onRaw = recordingClient(true);
    const sources = (client: PrometheusClient) => ({ prometheus: client, inventory: () => Promise.reject(new Error("not needed here")), nowSeconds });
    const [ruled, raw] = await Promise.all([buildGraph(request, sources(onRules.client)), buildGraph(request, sources(onRaw.client))]);

    expect(ruled.usedRecordingRules).toBe(true);
    expect(raw.usedRecordingRules).toBe(false);
    const figures = onRules.sent.filter((query) => query !== recordingRulesQuery());
    expect(figures.length).toBeGreaterThanOrEqual(3);
    for (const query of figures) expect(query).not.toMatch(/(^|[^:])istio_(requests|request_duration|tcp|request_bytes|response_bytes)/);
    expect(onRaw.sent.filter((query) => query !== recordingRulesQuery()).every((query) => !query.includes("workload:"))).toBe(true);

    expect(new Set(ruled.nodes.map((node) => node.id))).toEqual(new Set(raw.nodes.map((node) => node.id)));
    expect(new Set(ruled.edges.map((edge) => edge.id))).toEqual(new Set(raw.edges.map((edge) => edge.id)));
    const rawEdges = new Map(raw.edges.map((edge) => [edge.id, edge]));
    const productpageToReviews = ruled.edges.filter((edge) => edge.source.includes("productpage") && edge.target.includes("reviews"));
    expect(productpageToReviews.length).toBeGreaterThan(0);
    for (const edge of ruled.edges) {
      const twin = rawEdges.get(edge.id)!;
      expectClose(edge.rps, twin.rps);
      expect(edge.health).toBe(twin.health);
      // Latency comes from the recorded buckets: present exactly where the raw buckets give it.
      expect(edge.responseTime === null).toBe(twin.responseTime === null);
    }
  });

  it("fills the services list from the recorded metrics: rates, errors and p95 as on the raw ones", async () => {
    const { metrics } = await chooseMetrics(prometheus);
    const [ruled, raw] = await Promise.all([
      trafficSummaries(prometheus, "service", ["bookinfo"], "1m", { metrics }),
      trafficSummaries(prometheus, "service", ["bookinfo"], "1m", { metrics: RAW_METRICS }),
    ]);
    expect([...ruled.keys()].sort()).toEqual([...raw.keys()].sort());
    expect(ruled.has("bookinfo/reviews")).toBe(true);
    for (const [key, summary] of ruled) {
      const twin = raw.get(key)!;
      expectClose(summary.requestRate, twin.requestRate);
      expect(summary.health).toBe(twin.health);
      expect(summary.p95Ms === null).toBe(twin.p95Ms === null);
    }
    expect(ruled.get("bookinfo/reviews")!.p95Ms).toBeGreaterThan(0);
  });

  it("judges the reviews canary from the recorded metrics: the same versions and shares", async () => {
    const { metrics } = await chooseMetrics(prometheus);
    const ref = { namespace: "bookinfo", service: "reviews" };
    const [ruled, raw] = await Promise.all([canaryAnalysis(prometheus, ref, 60, metrics), canaryAnalysis(prometheus, ref, 60, RAW_METRICS)]);
    expect(ruled.versions.map((version) => version.version)).toEqual(raw.versions.map((version) => version.version));
    expect(ruled.versions.length).toBeGreaterThanOrEqual(2);
    for (const [index, version] of ruled.versions.entries()) {
      const twin = raw.versions[index]!;
      expect(Math.abs(version.share - twin.share)).toBeLessThanOrEqual(0.1);
      expect(version.p95Ms).not.toBeNull();
      expect(version.p95Ms === null).toBe(twin.p95Ms === null);
    }
  });
});
