import { describe, expect, it } from "vitest";
import { nodeId } from "@/lib/graph/model";
import type { PrometheusClient } from "@/server/prometheus/client";
import { PrometheusError } from "@/server/prometheus/errors";
import type { VectorSample } from "@/server/prometheus/responses";
import { shareQueries } from "@/server/prometheus/sharing";
import { buildGraph } from "./index";
import { PART_LABEL } from "./queries";
import type { MeshInventory } from "./inventory";
import type { GraphRequest } from "./request";
import { bookinfoRequests, bookinfoTcp, latencySample, productpage, requestSample, reviewsV1, SAMPLE_TIME, securitySample } from "./testing/bookinfoSamples";

/** Our own PrometheusClient interface answering from Bookinfo fixtures by what each query asks for. */
function bookinfoPrometheus(fail?: PrometheusError): PrometheusClient & { queries: string[] } {
  const queries: string[] = [];
  const answer = (query: string): VectorSample[] => {
    if (query.startsWith("group by (__name__)")) return [];
    if (query.includes("histogram_quantile")) return [latencySample(productpage, reviewsV1, "reviews", "0.95", 42)];
    if (query.includes("connection_security_policy")) return [securitySample(productpage, reviewsV1, "reviews", 4, "mutual_tls")];
    // A combined query answers each part with the part's name in a label, as label_replace does.
    if (query.includes(PART_LABEL)) {
      const tag = (part: string, samples: VectorSample[]) => samples.map((sample) => ({ ...sample, metric: { ...sample.metric, [PART_LABEL]: part } }));
      return [...tag("tcp", bookinfoTcp()), ...tag("throughput", [requestSample(productpage, reviewsV1, "reviews", 2048)])];
    }
    if (query.includes("istio_tcp_sent_bytes_total")) return bookinfoTcp();
    return bookinfoRequests();
  };
  return {
    baseUrl: "http://prometheus.test",
    queries,
    async instant(query) {
      queries.push(query);
      if (fail) throw fail;
      return answer(query);
    },
    async range() {
      throw new Error("the graph sends instant queries only");
    },
    async queryData() {
      throw new Error("the graph sends instant queries only");
    },
  };
}

const emptyInventory = async (): Promise<MeshInventory> => ({ workloads: [], services: [], pods: [] });

function request(namespaces: string[], overrides: Partial<GraphRequest> = {}): GraphRequest {
  return { namespaces, graphType: "versionedApp", rateWindowSeconds: 60, appenders: new Set(["responseTime", "throughput", "security"]), latencyQuantiles: [0.95], idleNodes: false, ...overrides };
}

describe("buildGraph", () => {
  it("sends the same number of queries for 1 and for 20 namespaces", async () => {
    const one = bookinfoPrometheus();
    const twenty = bookinfoPrometheus();
    const small = await buildGraph(request(["bookinfo"]), { prometheus: one, inventory: emptyInventory, nowSeconds: () => SAMPLE_TIME });
    const large = await buildGraph(request(Array.from({ length: 20 }, (_, index) => `ns-${index}`)), { prometheus: twenty, inventory: emptyInventory, nowSeconds: () => SAMPLE_TIME });
    expect(one.queries).toHaveLength(twenty.queries.length);
    expect(small.queryCount).toBe(one.queries.length);
    expect(large.queryCount).toBe(small.queryCount);
    // Recording-rule detection, then requests, bytes (TCP and throughput together), latency, security.
    expect(small.queryCount).toBe(5);
  });

  it("evaluates live graphs at the last 5-second mark, so viewers refreshing in the same seconds share one set of queries", async () => {
    const prometheus = bookinfoPrometheus();
    const shared = shareQueries(prometheus, 5_000);
    const first = await buildGraph(request(["bookinfo"]), { prometheus: shared, inventory: emptyInventory, nowSeconds: () => SAMPLE_TIME + 1 });
    const sent = prometheus.queries.length;
    const second = await buildGraph(request(["bookinfo"]), { prometheus: shared, inventory: emptyInventory, nowSeconds: () => SAMPLE_TIME + 4 });
    expect(first.timestamp).toBe(SAMPLE_TIME);
    expect(second.timestamp).toBe(SAMPLE_TIME);
    expect(prometheus.queries).toHaveLength(sent);
    const later = await buildGraph(request(["bookinfo"]), { prometheus: shared, inventory: emptyInventory, nowSeconds: () => SAMPLE_TIME + 6 });
    expect(later.timestamp).toBe(SAMPLE_TIME + 5);
  });

  it("asks whether recording rules exist only once a minute, not on every refresh", async () => {
    const prometheus = bookinfoPrometheus();
    const sources = { prometheus, inventory: emptyInventory, nowSeconds: () => SAMPLE_TIME };
    expect((await buildGraph(request(["bookinfo"]), sources)).queryCount).toBe(5);
    expect((await buildGraph(request(["bookinfo"]), sources)).queryCount).toBe(4);
    expect(prometheus.queries.filter((query) => query.startsWith("group by (__name__)"))).toHaveLength(1);
  });

  it("answers with the nodes, edges and figures of the Bookinfo traffic", async () => {
    const graph = await buildGraph(request(["bookinfo"]), { prometheus: bookinfoPrometheus(), inventory: emptyInventory, nowSeconds: () => SAMPLE_TIME });
    expect(graph).toMatchObject({ timestamp: SAMPLE_TIME, durationSeconds: 60, graphType: "versionedApp", namespaces: ["bookinfo"], usedRecordingRules: false, warnings: [] });
    const names = new Set(graph.nodes.map((node) => `${node.name}${node.version ? ` ${node.version}` : ""}`));
    for (const expected of ["productpage v1", "details v1", "reviews v1", "reviews v2", "reviews v3", "ratings v1"]) expect(names).toContain(expected);
    const intoV1 = graph.edges.find((edge) => edge.target === nodeId("versionedApp", "bookinfo", "reviews", "v1"));
    expect(intoV1).toMatchObject({ rps: 4, percentOfSource: 40, mtlsShare: 1, responseTime: { p95: 42 }, throughputBytesPerSecond: 2048 });
    const toMongo = graph.edges.find((edge) => edge.protocol === "tcp");
    expect(toMongo?.tcpBytesPerSecond).toBeGreaterThan(0);
  });

  it("evaluates every query at the requested time when looking back", async () => {
    const times: (number | undefined)[] = [];
    const prometheus = bookinfoPrometheus();
    const timed: PrometheusClient = { ...prometheus, instant: (query, time) => (times.push(time), prometheus.instant(query, time)) };
    await buildGraph(request(["bookinfo"], { queryTime: 1_700_000_000 }), { prometheus: timed, inventory: emptyInventory, nowSeconds: () => SAMPLE_TIME });
    expect(times.filter((time) => time === 1_700_000_000)).toHaveLength(4);
  });

  it("fails with Prometheus' own error so the route can answer 502/504", async () => {
    const failure = new PrometheusError("timeout", "Prometheus at http://prometheus.test did not answer within 10 s");
    await expect(buildGraph(request(["bookinfo"]), { prometheus: bookinfoPrometheus(failure), inventory: emptyInventory, nowSeconds: () => SAMPLE_TIME })).rejects.toBe(failure);
  });

  it("still draws the graph when Kubernetes does not answer, with a warning", async () => {
    const graph = await buildGraph(request(["bookinfo"], { idleNodes: true }), {
      prometheus: bookinfoPrometheus(),
      inventory: () => Promise.reject(new Error("Kubernetes API at https://kube.test could not be reached")),
      nowSeconds: () => SAMPLE_TIME,
    });
    expect(graph.nodes.length).toBeGreaterThan(0);
    expect(graph.nodes.every((node) => node.hasSidecar === null)).toBe(true);
    expect(graph.warnings[0]).toContain("could not be reached");
  });

  it("hands its queries to Prometheus before it reads the inventory, so the inventory is read while Prometheus computes", async () => {
    const order: string[] = [];
    const prometheus = bookinfoPrometheus();
    const recorded: PrometheusClient = { ...prometheus, instant: (query, time) => (order.push("query"), prometheus.instant(query, time)) };
    await buildGraph(request(["bookinfo"]), {
      prometheus: recorded,
      inventory: () => (order.push("inventory"), emptyInventory()),
      nowSeconds: () => SAMPLE_TIME,
    });
    // The recording-rules check comes first, then the graph's four queries.
    expect(order).toEqual(["query", "query", "query", "query", "query", "inventory"]);
  });
});
