/**
 * The same traffic, driven through a real Prometheus, read by every reader of Istio's telemetry:
 * the graph, the list summary, the detail chart, the graph's node chart, callers and callees, and
 * the canary verdict. They must report the same failed share, including for a gRPC call that
 * failed behind HTTP 200 and for a request Envoy flagged, and must not count a request twice
 * (each request here is reported by both proxies, as Istio does).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeId } from "@/lib/graph/model";
import { buildGraph } from "@/server/graph";
import { loadNodeMetrics } from "@/server/graph/nodeMetrics";
import { canaryAnalysis } from "@/server/routing/canaryAnalysis";
import type { PrometheusClient } from "@/server/prometheus/client";
import { startScrapedPrometheus, type ScrapedPrometheus } from "@/demo/orchestrate/scrapedPrometheus";
import { fetchSignals } from "@/server/signals";
import { fetchPeers } from "@/server/signals/peers";
import { trafficSummaries } from "@/server/signals/summary";
import { metricNamesFor, RAW_METRICS, type TelemetryMetricNames } from "./recordingRules";

interface Traffic {
  /** Requests per second. */
  rate: number;
  source: "productpage-v1" | "unknown";
  version: "v1" | "v2";
  protocol?: "http" | "grpc";
  code?: string;
  grpcStatus?: string;
  flags?: string;
}

/**
 * Calls into bookinfo's reviews service. Failed, by hand: v1 gets 1 (503) + 0.5 (no response) +
 * 1 (from outside the mesh, 500) of 14.5; v2 gets 2 (gRPC 14 behind HTTP 200) + 1 (404 with the
 * no-route flag) of 10, and its plain 404 and gRPC OK are not failures.
 */
const TRAFFIC: Traffic[] = [
  { rate: 10, source: "productpage-v1", version: "v1" },
  { rate: 1, source: "productpage-v1", version: "v1", code: "503", flags: "UH" },
  { rate: 0.5, source: "productpage-v1", version: "v1", code: "0", flags: "DC" },
  { rate: 2, source: "unknown", version: "v1" },
  { rate: 1, source: "unknown", version: "v1", code: "500" },
  { rate: 5, source: "productpage-v1", version: "v2", protocol: "grpc", grpcStatus: "0" },
  { rate: 2, source: "productpage-v1", version: "v2", protocol: "grpc", grpcStatus: "14" },
  { rate: 1, source: "productpage-v1", version: "v2", code: "404", flags: "NR" },
  { rate: 2, source: "productpage-v1", version: "v2", code: "404" },
];
const EXPECTED = { v1: 2.5 / 14.5, v2: 3 / 10, all: 5.5 / 24.5, fromProductpage: 4.5 / 21.5 };

function labelsOf(traffic: Traffic, reporter: "source" | "destination"): Record<string, string> {
  const caller = traffic.source === "unknown" ? { ns: "unknown", app: "unknown", version: "unknown" } : { ns: "bookinfo", app: "productpage", version: "v1" };
  return {
    reporter,
    source_workload_namespace: caller.ns,
    source_workload: traffic.source,
    source_canonical_service: caller.app,
    source_canonical_revision: caller.version,
    destination_service: "reviews.bookinfo.svc.cluster.local",
    destination_service_namespace: "bookinfo",
    destination_service_name: "reviews",
    destination_workload_namespace: "bookinfo",
    destination_workload: `reviews-${traffic.version}`,
    destination_canonical_service: "reviews",
    destination_canonical_revision: traffic.version,
    destination_version: traffic.version,
    request_protocol: traffic.protocol ?? "http",
    response_code: traffic.code ?? "200",
    grpc_response_status: traffic.grpcStatus ?? "",
    response_flags: traffic.flags ?? "-",
  };
}

/** Every request as Istio reports it: by the caller's proxy (when it has one) and by reviews' own. */
function exposition(elapsedSeconds: number, names: readonly string[]): string {
  const lines: string[] = [];
  for (const name of names) {
    lines.push(`# TYPE ${name} counter`);
    for (const traffic of TRAFFIC) {
      const reporters = traffic.source === "unknown" ? (["destination"] as const) : (["source", "destination"] as const);
      for (const reporter of reporters) {
        const labels = Object.entries(labelsOf(traffic, reporter)).map(([key, value]) => `${key}="${value}"`).join(",");
        lines.push(`${name}{${labels}} ${traffic.rate * elapsedSeconds}`);
      }
    }
  }
  return `${lines.join("\n")}\n`;
}

let prometheus: ScrapedPrometheus;
let client: PrometheusClient;

beforeAll(async () => {
  // The recorded name carries the same series: a reader given it must read the same figures.
  // Enough scrapes for every rate window to hold several samples.
  prometheus = await startScrapedPrometheus((elapsedSeconds) => exposition(elapsedSeconds, ["istio_requests_total", "workload:istio_requests_total"]), { metric: "istio_requests_total", samples: 8 });
  client = prometheus.client;
}, 60_000);

afterAll(async () => {
  await prometheus?.stop();
});

async function everyReader(metrics: TelemetryMetricNames) {
  const now = Math.floor(Date.now() / 1000);
  const graph = await buildGraph(
    { namespaces: ["bookinfo"], graphType: "versionedApp", rateWindowSeconds: 60, appenders: new Set(), latencyQuantiles: [0.95], idleNodes: false },
    { prometheus: client, inventory: async () => ({ workloads: [], services: [], pods: [] }), nowSeconds: () => now },
  );
  const node = (id: string) => graph.nodes.find((candidate) => candidate.id === id);
  const service = nodeId("service", "bookinfo", "reviews");
  const list = (await trafficSummaries(client, "service", ["bookinfo"], "5m", { metrics })).get("bookinfo/reviews");
  const chart = await fetchSignals({ target: { kind: "service", namespace: "bookinfo", name: "reviews" }, direction: "inbound", byVersion: true, window: "5m" }, client, metrics);
  const lastPoint = (version: string) => (chart.charts.errorShare.find((series) => series.version === version)?.points.filter(([, value]) => value !== null).at(-1)?.[1] ?? NaN) / 100;
  const nodeChart = await loadNodeMetrics({ kind: "service", namespace: "bookinfo", name: "reviews", version: null, windowSeconds: 300, graphNamespaces: [] }, { figures: client, shared: client }, now);
  const last = (points: [number, number | null][]) => points.filter(([, value]) => value !== null).at(-1)?.[1] ?? NaN;
  const peers = await fetchPeers(client, { kind: "service", namespace: "bookinfo", name: "reviews" }, "5m", metrics);
  const callers = peers.callers;
  const canary = await canaryAnalysis(client, { namespace: "bookinfo", service: "reviews" }, 300, metrics);
  const version = (name: string) => canary.versions.find((entry) => entry.version === name)?.errorRate ?? NaN;
  const edge = graph.edges.find((candidate) => candidate.source === nodeId("versionedApp", "bookinfo", "productpage", "v1") && candidate.target === service && candidate.protocol === "http");
  const grpcEdge = graph.edges.find((candidate) => candidate.source === nodeId("versionedApp", "bookinfo", "productpage", "v1") && candidate.target === service && candidate.protocol === "grpc");
  return {
    graph: {
      all: node(service)?.errorRate,
      v1: node(nodeId("versionedApp", "bookinfo", "reviews", "v1"))?.errorRate,
      v2: node(nodeId("versionedApp", "bookinfo", "reviews", "v2"))?.errorRate,
      fromProductpage: ((edge?.errorRps ?? 0) + (grpcEdge?.errorRps ?? 0)) / ((edge?.rps ?? 0) + (grpcEdge?.rps ?? 0)),
    },
    list: list?.errorRate,
    chart: { v1: lastPoint("v1"), v2: lastPoint("v2") },
    nodeChart: last(nodeChart.errorsPerSecond) / last(nodeChart.requestsPerSecond),
    peers: {
      all: callers.reduce((sum, peer) => sum + peer.errorsPerSecond, 0) / callers.reduce((sum, peer) => sum + peer.requestRate, 0),
      fromProductpage: callers.find((peer) => peer.name === "productpage-v1")?.errorRate,
    },
    canary: { v1: version("v1"), v2: version("v2") },
  };
}

function expectAgreement(figures: Awaited<ReturnType<typeof everyReader>>) {
  // Rates are extrapolated over the window; shares of series scraped together are exact.
  const close = (value: number | null | undefined, expected: number, what: string) => expect(value, what).toBeCloseTo(expected, 6);
  close(figures.graph.all, EXPECTED.all, "graph: reviews service");
  close(figures.list, EXPECTED.all, "list summary");
  close(figures.nodeChart, EXPECTED.all, "graph node chart");
  close(figures.peers.all, EXPECTED.all, "callers, added up");
  close(figures.graph.fromProductpage, EXPECTED.fromProductpage, "graph: productpage → reviews edges");
  close(figures.peers.fromProductpage, EXPECTED.fromProductpage, "callers: productpage");
  for (const version of ["v1", "v2"] as const) {
    close(figures.graph[version], EXPECTED[version], `graph: reviews ${version}`);
    close(figures.chart[version], EXPECTED[version], `detail chart: ${version}`);
    close(figures.canary[version], EXPECTED[version], `canary: ${version}`);
  }
}

describe("every reader of Istio's telemetry, on the same traffic", () => {
  it("reports the same failed share, counting gRPC failures and flagged requests once", async () => {
    expectAgreement(await everyReader(RAW_METRICS));
  });

  it("reads Istio's recorded metrics by the same rules", async () => {
    expectAgreement(await everyReader(metricNamesFor(new Set(["workload:istio_requests_total"]))));
  });
});
