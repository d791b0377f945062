/**
 * The graph's queries against a real Prometheus, for traffic that crosses namespaces: a call
 * between two selected namespaces matches both the outbound and the inbound scopes, a call from an
 * unselected namespace only the inbound ones, and a caller outside the mesh only the destination's
 * own report. Each must appear once, at its own rate, with the mTLS the server side reported, and
 * with its bytes: HTTP request and response bytes added up, TCP bytes sent and received added up,
 * a connection that only sent counted too.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeId, type GraphResponse } from "@/lib/graph/model";
import { startScrapedPrometheus, type ScrapedPrometheus } from "@/demo/orchestrate/scrapedPrometheus";
import { buildGraph } from "./index";

const RATE_WINDOW_SECONDS = 10;

interface Call {
  from: { namespace: string; workload: string } | "outside the mesh";
  to: { namespace: string; service: string; workload: string };
  /** Requests per second. */
  rate: number;
}

/** Bytes of each request's body and of its response's, the same for every call. */
const REQUEST_BYTES = 200;
const RESPONSE_BYTES = 1_800;

interface Connection {
  from: { namespace: string; workload: string };
  to: { namespace: string; service: string; workload: string };
  /** Bytes per second each way; a connection that only sent has no received series at all. */
  sent: number;
  received?: number;
}

const CONNECTIONS: Connection[] = [
  { from: { namespace: "shop", workload: "catalog" }, to: { namespace: "shop", service: "db", workload: "db" }, sent: 1_000, received: 3_000 },
  { from: { namespace: "jobs", workload: "reindex" }, to: { namespace: "shop", service: "db", workload: "db" }, sent: 500 },
];

const CALLS: Call[] = [
  { from: { namespace: "shop", workload: "frontend" }, to: { namespace: "shop", service: "catalog", workload: "catalog" }, rate: 4 },
  { from: { namespace: "shop", workload: "frontend" }, to: { namespace: "billing", service: "payments", workload: "payments" }, rate: 2 },
  { from: { namespace: "jobs", workload: "reindex" }, to: { namespace: "shop", service: "catalog", workload: "catalog" }, rate: 1 },
  { from: "outside the mesh", to: { namespace: "shop", service: "frontend", workload: "frontend" }, rate: 3 },
];

function labelsOf(call: Call | Connection, reporter: "source" | "destination", protocol: "http" | "tcp" = "http"): string {
  const caller = call.from === "outside the mesh" ? { namespace: "unknown", workload: "unknown" } : call.from;
  const labels: Record<string, string> = {
    reporter,
    source_workload_namespace: caller.namespace,
    source_workload: caller.workload,
    source_canonical_service: caller.workload,
    source_canonical_revision: "latest",
    source_principal: caller.workload === "unknown" ? "unknown" : `spiffe://cluster.local/ns/${caller.namespace}/sa/${caller.workload}`,
    destination_service: `${call.to.service}.${call.to.namespace}.svc.cluster.local`,
    destination_service_namespace: call.to.namespace,
    destination_service_name: call.to.service,
    destination_workload_namespace: call.to.namespace,
    destination_workload: call.to.workload,
    destination_canonical_service: call.to.service,
    destination_canonical_revision: "latest",
    request_protocol: protocol,
    ...(protocol === "http" ? { response_code: "200" } : {}),
    response_flags: "-",
    // Only the server side knows; the client reports "unknown", as Istio's proxies do.
    connection_security_policy: reporter === "destination" ? "mutual_tls" : "unknown",
  };
  return Object.entries(labels)
    .map(([name, value]) => `${name}="${value}"`)
    .join(",");
}

/** Every call and connection as Istio reports it: by the caller's proxy (when it has one) and by the server's. */
function exposition(elapsedSeconds: number): string {
  const requests = ["# TYPE istio_requests_total counter"];
  const requestBytes = ["# TYPE istio_request_bytes summary"];
  const responseBytes = ["# TYPE istio_response_bytes summary"];
  for (const call of CALLS) {
    for (const reporter of call.from === "outside the mesh" ? (["destination"] as const) : (["source", "destination"] as const)) {
      const labels = labelsOf(call, reporter);
      requests.push(`istio_requests_total{${labels}} ${call.rate * elapsedSeconds}`);
      requestBytes.push(`istio_request_bytes_sum{${labels}} ${call.rate * REQUEST_BYTES * elapsedSeconds}`, `istio_request_bytes_count{${labels}} ${call.rate * elapsedSeconds}`);
      responseBytes.push(`istio_response_bytes_sum{${labels}} ${call.rate * RESPONSE_BYTES * elapsedSeconds}`, `istio_response_bytes_count{${labels}} ${call.rate * elapsedSeconds}`);
    }
  }
  const sent = ["# TYPE istio_tcp_sent_bytes_total counter"];
  const received = ["# TYPE istio_tcp_received_bytes_total counter"];
  for (const connection of CONNECTIONS) {
    for (const reporter of ["source", "destination"] as const) {
      const labels = labelsOf(connection, reporter, "tcp");
      sent.push(`istio_tcp_sent_bytes_total{${labels}} ${connection.sent * elapsedSeconds}`);
      if (connection.received !== undefined) received.push(`istio_tcp_received_bytes_total{${labels}} ${connection.received * elapsedSeconds}`);
    }
  }
  return `${[...requests, ...requestBytes, ...responseBytes, ...sent, ...received].join("\n")}\n`;
}

let prometheus: ScrapedPrometheus;

beforeAll(async () => {
  // Scrapes across the whole rate window, with seconds to spare for evaluating at a whole second.
  prometheus = await startScrapedPrometheus(exposition, { metric: "istio_requests_total", samples: RATE_WINDOW_SECONDS + 3 });
}, 60_000);

afterAll(async () => {
  await prometheus?.stop();
});

function graphOf(namespaces: string[]): Promise<GraphResponse> {
  const now = Math.floor(Date.now() / 1000);
  // At this moment, not the last evaluation step: the rate window holds only what was scraped.
  return buildGraph(
    { namespaces, queryTime: now, graphType: "workload", rateWindowSeconds: RATE_WINDOW_SECONDS, appenders: new Set(["security", "throughput"]), latencyQuantiles: [0.95], idleNodes: false },
    { prometheus: prometheus.client, inventory: async () => ({ workloads: [], services: [], pods: [] }), nowSeconds: () => now },
  );
}

/** CALLS as a workload graph draws them, caller → service → the workload that served it, with their rates. */
const EVERY_CALL_ONCE: Record<string, number> = {
  "service billing/payments → workload billing/payments": 2,
  "service shop/catalog → workload shop/catalog": 5,
  "service shop/frontend → workload shop/frontend": 3,
  "unknown unknown/unknown → service shop/frontend": 3,
  "workload jobs/reindex → service shop/catalog": 1,
  "workload shop/frontend → service billing/payments": 2,
  "workload shop/frontend → service shop/catalog": 4,
};

/** CONNECTIONS as TCP edges, with bytes per second both ways: 1,000 sent + 3,000 received, and 500 sent only. */
const EVERY_CONNECTION_ONCE: Record<string, number> = {
  "service shop/db → workload shop/db": 4_500,
  "workload jobs/reindex → service shop/db": 500,
  "workload shop/catalog → service shop/db": 4_000,
};

/** Within a tenth: a scrape delayed on a busy machine shifts a rate a little, a call counted twice doubles it. */
function expectNear(actual: number | null, expected: number, what: string) {
  expect(Math.abs((actual ?? NaN) - expected) / expected, `${what}: ${actual}, not ${expected}`).toBeLessThan(0.1);
}

/**
 * The graph's edges, each drawn once, at the rate of the calls it carries, with the bytes of
 * their requests and responses, and with the mTLS the server side reported; the TCP edges with
 * the bytes of their connections both ways.
 */
function expectEveryCallOnce(graph: GraphResponse) {
  const names = new Map(graph.nodes.map((node) => [node.id, `${node.kind} ${node.namespace}/${node.name}`]));
  const pathOf = (edge: GraphResponse["edges"][number]) => `${names.get(edge.source)} → ${names.get(edge.target)}`;
  const http = graph.edges.filter((edge) => edge.protocol === "http");
  const tcp = graph.edges.filter((edge) => edge.protocol === "tcp");
  expect(http.map(pathOf).sort()).toEqual(Object.keys(EVERY_CALL_ONCE).sort());
  for (const edge of http) {
    const expected = EVERY_CALL_ONCE[pathOf(edge)] ?? NaN;
    expectNear(edge.rps, expected, `${pathOf(edge)} requests per second`);
    expectNear(edge.throughputBytesPerSecond, expected * (REQUEST_BYTES + RESPONSE_BYTES), `${pathOf(edge)} bytes per second`);
    expect(edge.mtlsShare, pathOf(edge)).toBe(1);
  }
  expect(tcp.map(pathOf).sort()).toEqual(Object.keys(EVERY_CONNECTION_ONCE).sort());
  for (const edge of tcp) expectNear(edge.tcpBytesPerSecond, EVERY_CONNECTION_ONCE[pathOf(edge)] ?? NaN, `${pathOf(edge)} TCP bytes per second`);
}

describe("the graph's queries on a real Prometheus, across namespaces", () => {
  it("shows each call once at its own rate, whether its caller is in the selection, elsewhere or outside the mesh", async () => {
    const graph = await graphOf(["billing", "shop"]);
    expectEveryCallOnce(graph);
    // catalog's callers, one in the selection and one elsewhere: 4 + 1 requests a second.
    const catalog = graph.nodes.find((node) => node.id === nodeId("workload", "shop", "catalog"));
    expect(Math.abs((catalog?.inboundRps ?? 0) - 5)).toBeLessThan(0.5);
  }, 30_000);

  it("with one namespace selected, still shows each call to and from the others once", async () => {
    const graph = await graphOf(["shop"]);
    expectEveryCallOnce(graph);
  }, 30_000);
});
