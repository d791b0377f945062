/**
 * Namespace scoping for data the console serves from its own identity (watch caches, Prometheus),
 * against the Kubernetes API emulator with a person limited to bookinfo by "RoleBindings".
 */
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startKubeApi, type KubeApi } from "@/demo/kube-api";
import { nodeMetricsQueries, nodeScope, parseNodeMetricsRequest } from "@/server/graph/nodeMetrics";
import { buildGraphQueries } from "@/server/graph/queries";
import { RAW_METRICS, recordingRulesQuery } from "@/server/telemetry";
import { KubeError, type KubeClients } from "@/server/kube";
import { clientsFor, DEMO_MANIFESTS } from "@/server/kube/testCluster";
import { refusedReads } from "@/server/prometheus/pinnedNamespaces";
import { canaryQueries } from "@/server/routing/canaryAnalysis";
import { controlPlaneQueries } from "@/server/signals/controlPlane";
import { namespaceTrafficQuery } from "@/server/signals/namespaceTraffic";
import { peerQueries } from "@/server/signals/peers";
import { signalQueries } from "@/server/signals/queries";
import { summaryQueries } from "@/server/signals/summary";
import { ACCESS_TTL_MS, assertQueriesAllowed, intersectNamespaces, NamespaceAccess, type AllowedNamespaces } from "./namespaceAccess";

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

const TOKENS = { admin: "admin-token-namespace-access", viewer: "viewer-token-namespace-access", bookinfo: "bookinfo-team-token", nowhere: "nowhere-team-token" };
const ORIGIN = "http://127.0.0.1:20001";
const noParams = { params: Promise.resolve({}) };

let api: KubeApi;
let dir: string;
let admin: KubeClients;
const calls: string[] = [];
/** The access checks' own calls (all `limit=1`), not the console's watch caches'. */
const probes = () => calls.filter((call) => call.includes("limit=1"));
let routes: Record<
  "login" | "validations" | "signals" | "graph" | "controlPlane" | "nodeMetrics" | "namespaces" | "peers" | "traffic" | "namespaceTraffic" | "canary" | "services" | "workloads" | "apps" | "istioConfig" | "istioObject" | "details",
  Handler
>;
/** What reached the stand-in Prometheus: a refused query must never get there. */
const sentQueries: string[] = [];
let fakePrometheus: http.Server;

/** Answers every query with no series, and records it. */
function startFakePrometheus(): Promise<string> {
  fakePrometheus = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    request.on("end", () => {
      sentQueries.push(new URLSearchParams(body).get("query") ?? "");
      const resultType = request.url?.includes("query_range") ? "matrix" : "vector";
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify({ status: "success", data: { resultType, result: [] } }));
    });
  });
  return new Promise((resolve) => fakePrometheus.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(fakePrometheus.address() as AddressInfo).port}`)));
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "mesh-console-namespace-access-"));
  api = await startKubeApi({
    seed: [DEMO_MANIFESTS],
    kubeconfigPath: path.join(dir, "kubeconfig"),
    users: [
      { name: "admin", token: TOKENS.admin, role: "admin" },
      { name: "viewer", token: TOKENS.viewer, role: "viewer" },
      { name: "bookinfo-team", token: TOKENS.bookinfo, role: "viewer", namespaces: ["bookinfo"] },
      { name: "nowhere-team", token: TOKENS.nowhere, role: "viewer", namespaces: ["retired-team"] },
    ],
    onRequest: (method, url) => calls.push(`${method} ${url}`),
  });
  admin = clientsFor(api.url, TOKENS.admin);
  process.env.KUBECONFIG = api.kubeconfigPath;
  process.env.MESH_CONSOLE_AUTH = "token";
  process.env.PROMETHEUS_URL = await startFakePrometheus();
  routes = {
    login: (await import("@/app/api/auth/login/route")).POST as Handler,
    validations: (await import("@/app/api/validations/route")).GET as Handler,
    signals: (await import("@/app/api/signals/route")).GET as Handler,
    graph: (await import("@/app/api/graph/route")).GET as Handler,
    controlPlane: (await import("@/app/api/control-plane/route")).GET as Handler,
    nodeMetrics: (await import("@/app/api/graph/node-metrics/route")).GET as Handler,
    namespaces: (await import("@/app/api/namespaces/route")).GET as Handler,
    peers: (await import("@/app/api/peers/route")).GET as Handler,
    traffic: (await import("@/app/api/traffic/route")).GET as Handler,
    namespaceTraffic: (await import("@/app/api/namespace-traffic/route")).GET as Handler,
    canary: (await import("@/app/api/namespaces/[namespace]/services/[service]/canary-analysis/route")).GET as Handler,
    services: (await import("@/app/api/services/route")).GET as Handler,
    workloads: (await import("@/app/api/workloads/route")).GET as Handler,
    apps: (await import("@/app/api/apps/route")).GET as Handler,
    istioConfig: (await import("@/app/api/istio-config/route")).GET as Handler,
    istioObject: (await import("@/app/api/istio-config/[namespace]/[kind]/[name]/route")).GET as Handler,
    details: (await import("@/app/api/details/route")).GET as Handler,
  };
});

afterAll(async () => {
  await api?.close();
  await new Promise((resolve) => fakePrometheus?.close(resolve));
  if (dir) await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  calls.length = 0;
  sentQueries.length = 0;
});

function accessWithClock(start = 1_000_000) {
  const clock = { now: start };
  const access = new NamespaceAccess({ consoleClients: () => admin, now: () => clock.now });
  return { access, clock };
}

describe("what a person may read", () => {
  it("allows everything, with one call, to a token that may list pods in all namespaces", async () => {
    const { access } = accessWithClock();
    expect(await access.allowed(clientsFor(api.url, TOKENS.viewer))).toEqual({ all: true });
    expect(probes()).toEqual(["GET /api/v1/pods?limit=1"]);
  });

  it("finds only bookinfo for a token bound to bookinfo alone, which may not even list namespaces", async () => {
    const { access } = accessWithClock();
    const allowed = await access.allowed(clientsFor(api.url, TOKENS.bookinfo));
    expect(allowed).toEqual({ all: false, namespaces: new Set(["bookinfo"]) });
  });

  it("reuses the answer for a session for 30 s, shares a check in flight, then asks Kubernetes again", async () => {
    const { access, clock } = accessWithClock();
    const person = clientsFor(api.url, TOKENS.bookinfo);
    const [first, second] = await Promise.all([access.allowed(person), access.allowed(person)]);
    expect(second).toBe(first);
    const callsForOneCheck = probes().length;
    expect(callsForOneCheck).toBeGreaterThan(0);

    clock.now += ACCESS_TTL_MS - 1;
    await access.allowed(person);
    expect(probes().length).toBe(callsForOneCheck);

    clock.now += 1;
    await access.allowed(person);
    expect(probes().length).toBe(2 * callsForOneCheck);
  });

  it("keeps sessions apart: another person's answer is never reused", async () => {
    const { access } = accessWithClock();
    expect(await access.allowed(clientsFor(api.url, TOKENS.viewer))).toEqual({ all: true });
    expect((await access.allowed(clientsFor(api.url, TOKENS.bookinfo))).all).toBe(false);
  });

  it("does not remember a failed check: the next request asks again", async () => {
    const { access } = accessWithClock();
    const unreachable = clientsFor("http://127.0.0.1:9", TOKENS.bookinfo, 2000);
    await expect(access.allowed(unreachable)).rejects.toThrow(/could not be reached/);
    await expect(access.allowed(unreachable)).rejects.toThrow(/could not be reached/);
  });
});

describe("intersecting a request with what is allowed", () => {
  const bookinfoOnly = { all: false, namespaces: new Set(["bookinfo"]) } as const;

  it("turns 'all namespaces' into the allowed ones, and leaves it alone for someone allowed everything", () => {
    expect(intersectNamespaces([], bookinfoOnly)).toEqual(["bookinfo"]);
    expect(intersectNamespaces([], { all: true })).toEqual([]);
    expect(intersectNamespaces(["mesh-lab"], { all: true })).toEqual(["mesh-lab"]);
  });

  it("refuses another team's namespace by name instead of silently dropping it (reading another team's namespace)", () => {
    expect(intersectNamespaces(["bookinfo"], bookinfoOnly)).toEqual(["bookinfo"]);
    const refuse = () => intersectNamespaces(["bookinfo", "mesh-lab"], bookinfoOnly);
    expect(refuse).toThrow(KubeError);
    expect(refuse).toThrow(/^Your account may not read namespace mesh-lab:/);
  });

  it("never lets 'no namespace allowed' become 'all namespaces' (an empty allowed list read as no filter)", () => {
    expect(() => intersectNamespaces([], { all: false, namespaces: new Set() })).toThrow(/may not read any namespace/);
  });
});

describe("routes served from the console's own identity, for a person limited to bookinfo", () => {
  async function signIn(token: string): Promise<string> {
    const response = await routes.login(new Request(`${ORIGIN}/api/auth/login`, { method: "POST", headers: { "x-mesh-console": "1", "content-type": "application/json" }, body: JSON.stringify({ token }) }), noParams);
    expect(response.status).toBe(200);
    return (response.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  }
  const get = (handler: Handler, pathAndQuery: string, cookie: string, params: Record<string, string> = {}) =>
    handler(new Request(`${ORIGIN}${pathAndQuery}`, { headers: { cookie } }), { params: Promise.resolve(params) });
  const messageOf = async (response: Response) => ((await response.json()) as { error?: { message: string } }).error?.message ?? "";
  /** Figure queries that reached Prometheus; the recording-rule detection reads metric names only. */
  const figureQueries = () => sentQueries.filter((query) => query !== recordingRulesQuery());
  const meshLab = /^Your account may not read namespace mesh-lab/;
  type RouteCase = readonly [handler: Handler, url: string, params?: Record<string, string>, message?: RegExp];
  /** Asks each case as the person signed in with `cookie`: the status, and the error message when one is given. */
  async function expectAnswers(cookie: string, status: number, cases: readonly RouteCase[]): Promise<void> {
    for (const [handler, url, params, message] of cases) {
      const response = await get(handler, url, cookie, params);
      expect(`${url} → ${response.status}`).toBe(`${url} → ${status}`);
      if (message) expect(await messageOf(response)).toMatch(message);
    }
  }
  type Findings = { findings: { object: { namespace: string } }[] };

  it("filters findings to bookinfo and refuses mesh-lab's with 403 (reading another team's findings through the console's watch caches)", async () => {
    const adminCookie = await signIn(TOKENS.admin);
    const everything = (await (await get(routes.validations, "/api/validations", adminCookie)).json()) as Findings;
    // The attack is only meaningful if mesh-lab has findings to leak.
    expect(everything.findings.some((finding) => finding.object.namespace === "mesh-lab")).toBe(true);

    const cookie = await signIn(TOKENS.bookinfo);
    await expectAnswers(cookie, 403, [[routes.validations, "/api/validations?namespaces=mesh-lab", undefined, meshLab]]);

    const own = await get(routes.validations, "/api/validations", cookie);
    expect(own.status).toBe(200);
    const namespaces = new Set(((await own.json()) as Findings).findings.map((finding) => finding.object.namespace));
    expect([...namespaces].filter((namespace) => namespace !== "bookinfo")).toEqual([]);
  });

  it("refuses figures outside bookinfo with 403, and sends none of their queries to Prometheus (reading another team's traffic through Prometheus-backed routes)", async () => {
    const cookie = await signIn(TOKENS.bookinfo);
    const canaryParams = { namespace: "mesh-lab", service: "catalog" };
    await expectAnswers(cookie, 403, [
      [routes.signals, "/api/signals?kind=service&namespace=mesh-lab&name=catalog", undefined, meshLab],
      [routes.peers, "/api/peers?kind=workload&namespace=mesh-lab&name=catalog-v1", undefined, meshLab],
      [routes.traffic, "/api/traffic?kind=service&namespaces=mesh-lab", undefined, meshLab],
      [routes.namespaceTraffic, "/api/namespace-traffic?namespaces=bookinfo,mesh-lab", undefined, meshLab],
      [routes.canary, "/api/namespaces/mesh-lab/services/catalog/canary-analysis", canaryParams, meshLab],
      [routes.graph, "/api/graph?namespaces=bookinfo,mesh-lab", undefined, meshLab],
      [routes.nodeMetrics, "/api/graph/node-metrics?kind=service&namespace=mesh-lab&name=catalog", undefined, meshLab],
      [routes.nodeMetrics, "/api/graph/node-metrics?kind=gateway&namespace=istio-system&name=istio-ingressgateway", undefined, /^Your account may not read namespace istio-system/],
      // A host outside the mesh, asked for with no namespace: its figures add up every namespace's callers.
      [routes.nodeMetrics, "/api/graph/node-metrics?kind=external&namespace=&name=api.example.com", undefined, /^Your account may not read these figures: .*every namespace/],
      [routes.nodeMetrics, "/api/graph/node-metrics?kind=external&namespace=&name=api.example.com&namespaces=mesh-lab", undefined, meshLab],
      // istiod's figures are about the whole mesh, read from the root namespace.
      [routes.controlPlane, "/api/control-plane", undefined, /^Your account may not read namespace istio-system/],
    ]);
    expect(figureQueries()).toEqual([]);
  });

  it("answers bookinfo's figures, and every query it sends reads bookinfo only (a route whose query ignores the namespace it was checked against)", async () => {
    const cookie = await signIn(TOKENS.bookinfo);
    await expectAnswers(cookie, 200, [
      [routes.signals, "/api/signals?kind=service&namespace=bookinfo&name=reviews&byVersion=true"],
      [routes.signals, "/api/signals?kind=workload&namespace=bookinfo&name=reviews-v2&direction=outbound"],
      [routes.peers, "/api/peers?kind=app&namespace=bookinfo&name=reviews"],
      [routes.traffic, "/api/traffic?kind=workload"],
      [routes.namespaceTraffic, "/api/namespace-traffic"],
      [routes.canary, "/api/namespaces/bookinfo/services/reviews/canary-analysis", { namespace: "bookinfo", service: "reviews" }],
      [routes.graph, "/api/graph?namespaces=bookinfo&appenders=responseTime,throughput,security"],
      ...["service", "workload", "app", "versionedApp"].map((kind): RouteCase => [routes.nodeMetrics, `/api/graph/node-metrics?kind=${kind}&namespace=bookinfo&name=reviews&version=v2`]),
      // Was: the figures of every namespace's traffic to anything named reviews.
      [routes.nodeMetrics, "/api/graph/node-metrics?kind=external&namespace=bookinfo&name=reviews"],
      [routes.nodeMetrics, "/api/graph/node-metrics?kind=external&namespace=&name=api.example.com&namespaces=bookinfo"],
      [routes.nodeMetrics, "/api/graph/node-metrics?kind=gateway&namespace=istio-system&name=istio-ingressgateway&namespaces=bookinfo"],
    ]);
    expect(figureQueries().length).toBeGreaterThan(20);
    expect(refusedReads(figureQueries(), new Set(["bookinfo"]))).toEqual({ all: false, namespaces: [] });
  });

  it("lists and details bookinfo's objects only, refusing mesh-lab's by name (reading another team's objects)", async () => {
    const cookie = await signIn(TOKENS.bookinfo);
    await expectAnswers(cookie, 403, [
      [routes.services, "/api/services?namespaces=mesh-lab", undefined, meshLab],
      [routes.workloads, "/api/workloads?namespaces=bookinfo,mesh-lab", undefined, meshLab],
      [routes.apps, "/api/apps?namespaces=mesh-lab", undefined, meshLab],
      [routes.istioConfig, "/api/istio-config?namespaces=mesh-lab", undefined, meshLab],
      [routes.istioObject, "/api/istio-config/mesh-lab/VirtualService/catalog", { namespace: "mesh-lab", kind: "VirtualService", name: "catalog" }, meshLab],
      [routes.details, "/api/details?kind=service&namespace=mesh-lab&name=catalog", undefined, meshLab],
    ]);

    // No namespaces means "all": the person's own, where their token may list.
    for (const [handler, url, key] of [
      [routes.services, "/api/services", "services"],
      [routes.workloads, "/api/workloads", "workloads"],
      [routes.apps, "/api/apps", "apps"],
      [routes.istioConfig, "/api/istio-config", "objects"],
    ] as const) {
      const response = await get(handler, url, cookie);
      expect(`${url} → ${response.status}`).toBe(`${url} → 200`);
      const items = ((await response.json()) as Record<string, { namespace: string }[]>)[key] ?? [];
      expect(items.length).toBeGreaterThan(0);
      expect(new Set(items.map((item) => item.namespace))).toEqual(new Set(["bookinfo"]));
    }
    const details = await get(routes.details, "/api/details?kind=service&namespace=bookinfo&name=reviews", cookie);
    expect(details.status).toBe(200);
    const related = ((await details.json()) as { related: { namespace: string }[] }).related;
    expect(related.filter((object) => object.namespace !== "bookinfo")).toEqual([]);
  });

  it("lists only bookinfo in the namespace pickers, though the token may not list namespaces itself", async () => {
    const cookie = await signIn(TOKENS.bookinfo);
    const response = await get(routes.namespaces, "/api/namespaces", cookie);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { namespaces: { name: string }[] }).namespaces.map((namespace) => namespace.name)).toEqual(["bookinfo"]);
  });

  it("refuses every namespace's figures to a person allowed in none (an empty allowed list read as 'all')", async () => {
    const cookie = await signIn(TOKENS.nowhere);
    expect((await get(routes.validations, "/api/validations", cookie)).status).toBe(403);
    // Nor does the namespace list fall back to the console's: Kubernetes' own 403 stands.
    expect((await get(routes.namespaces, "/api/namespaces", cookie)).status).toBe(403);
  });
});

describe("every data route's queries, for a person limited to bookinfo", () => {
  const bookinfoOnly: AllowedNamespaces = { all: false, namespaces: new Set(["bookinfo"]) };
  const meshLab = /^Your account may not read namespace mesh-lab:/;
  const everyNamespace = /^Your account may not read these figures: .*every namespace/;
  const graphQueries = (namespaces: string[]) => Object.values(buildGraphQueries({ namespaces, rateWindowSeconds: 60 }, RAW_METRICS, new Set(["responseTime", "throughput", "security"])));
  const nodeQueries = (query: string) => Object.values(nodeMetricsQueries(nodeScope(parseNodeMetricsRequest(new URL(`http://console.test/?${query}`))).scopes, RAW_METRICS, 30));
  const signal = (namespace: string, kind: "service" | "workload" | "app", direction: "inbound" | "outbound" = "inbound") =>
    signalQueries({ kind, namespace, name: "reviews" }, { direction, byVersion: true, rateWindowSeconds: 60 }).map((query) => query.promql);

  it.each([
    ["graph", graphQueries(["bookinfo"]), graphQueries(["bookinfo", "mesh-lab"])],
    ["node metrics of a service", nodeQueries("kind=service&namespace=bookinfo&name=reviews"), nodeQueries("kind=service&namespace=mesh-lab&name=catalog")],
    ["node metrics of a workload", nodeQueries("kind=workload&namespace=bookinfo&name=reviews-v2"), nodeQueries("kind=workload&namespace=mesh-lab&name=catalog-v1")],
    ["node metrics of an app", nodeQueries("kind=app&namespace=bookinfo&name=reviews"), nodeQueries("kind=app&namespace=mesh-lab&name=catalog")],
    ["node metrics of a versioned app", nodeQueries("kind=versionedApp&namespace=bookinfo&name=reviews&version=v2"), nodeQueries("kind=versionedApp&namespace=mesh-lab&name=catalog&version=v1")],
    ["node metrics of a gateway", nodeQueries("kind=gateway&namespace=bookinfo&name=bookinfo-gateway"), nodeQueries("kind=gateway&namespace=mesh-lab&name=lab-gateway")],
    ["node metrics of an external host", nodeQueries("kind=external&namespace=bookinfo&name=reviews"), nodeQueries("kind=external&namespace=mesh-lab&name=api.example.com")],
    ["node metrics of an external host for the graph's callers", nodeQueries("kind=external&namespace=&name=x.example&namespaces=bookinfo"), nodeQueries("kind=external&namespace=&name=x.example&namespaces=mesh-lab")],
    ["signals of a service", signal("bookinfo", "service"), signal("mesh-lab", "service")],
    ["outbound signals of a workload", signal("bookinfo", "workload", "outbound"), signal("mesh-lab", "workload", "outbound")],
    ["signals of an app", signal("bookinfo", "app"), signal("mesh-lab", "app")],
    ["peers", Object.values(peerQueries({ kind: "workload", namespace: "bookinfo", name: "reviews-v2" }, "5m")), Object.values(peerQueries({ kind: "workload", namespace: "mesh-lab", name: "catalog-v1" }, "5m"))],
    ["traffic lists", Object.values(summaryQueries("service", ["bookinfo"], "5m")), Object.values(summaryQueries("service", ["bookinfo", "mesh-lab"], "5m"))],
    ["namespace traffic", [namespaceTrafficQuery(["bookinfo"], 60)], [namespaceTrafficQuery(["mesh-lab"], 60)]],
    ["canary analysis", Object.values(canaryQueries({ namespace: "bookinfo", service: "reviews" }, 60)), Object.values(canaryQueries({ namespace: "mesh-lab", service: "catalog" }, 60))],
  ])("%s: bookinfo's are allowed, mesh-lab's refused by name", (_route, allowed, refused) => {
    const sent = allowed.filter((query): query is string => typeof query === "string");
    expect(sent.length).toBeGreaterThan(0);
    expect(() => assertQueriesAllowed(sent, bookinfoOnly)).not.toThrow();
    expect(() => assertQueriesAllowed(refused.filter((query): query is string => typeof query === "string"), bookinfoOnly)).toThrow(meshLab);
  });

  it("refuses figures pinned to no namespace (every namespace's traffic) but allows them to a person who may read all", () => {
    const unpinned = [...nodeQueries("kind=external&namespace=&name=PassthroughCluster"), ...Object.values(summaryQueries("service", [], "5m"))];
    for (const query of unpinned) expect(() => assertQueriesAllowed([query], bookinfoOnly)).toThrow(everyNamespace);
    expect(() => assertQueriesAllowed(unpinned, { all: true })).not.toThrow();
  });

  it("reads istiod's figures from the root namespace", () => {
    const queries = Object.values(controlPlaneQueries("5m"));
    expect(() => assertQueriesAllowed(queries, bookinfoOnly)).toThrow(/^Your account may not read namespace istio-system:/);
    expect(() => assertQueriesAllowed(queries, { all: false, namespaces: new Set(["istio-system"]) })).not.toThrow();
  });
});
