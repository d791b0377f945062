/**
 * The demo mesh end to end, without the console: routing and security config written through the
 * Kubernetes API changes what the simulated sidecars report, as seen by querying the real Prometheus.
 */
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CustomObjectsApi, KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createPrometheusClient } from "@/server/prometheus/client";
import { startDemo, type RunningDemo } from "./orchestrate/demo";

const SHARED_BOOKINFO = path.resolve(import.meta.dirname, "..", "..", "shared", "corpus", "bookinfo", "networking");
const SCRAPE_SECONDS = 2;

let demo: RunningDemo;
let custom: CustomObjectsApi;
const prometheus = () => createPrometheusClient({ url: demo.endpoints.prometheus, timeoutMs: 10_000, insecureSkipVerify: false, headers: {} });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function applyVirtualService(body: { metadata: { name: string; namespace?: string } } & Record<string, unknown>): Promise<void> {
  const namespace = body.metadata.namespace ?? "bookinfo";
  const object = { ...body, apiVersion: "networking.istio.io/v1", kind: "VirtualService", metadata: { ...body.metadata, namespace } };
  await custom.deleteNamespacedCustomObject({ group: "networking.istio.io", version: "v1", namespace, plural: "virtualservices", name: body.metadata.name }).catch(() => undefined);
  await custom.createNamespacedCustomObject({ group: "networking.istio.io", version: "v1", namespace, plural: "virtualservices", body: object });
}

/** Requests per label value between two moments, by Prometheus' increase() over that window. */
async function requestsBetween(selector: string, by: string, startSeconds: number, endSeconds: number): Promise<Map<string, number>> {
  const window = Math.floor(endSeconds - startSeconds);
  const samples = await prometheus().instant(`sum by (${by}) (increase(istio_requests_total${selector}[${window}s]))`, endSeconds);
  return new Map(samples.map((sample) => [sample.metric[by] ?? "", Number(sample.value[1])]));
}

/**
 * Requests per label value over the seconds after the config took effect: wait for it to reach the
 * sidecars and one scrape (or, given `tookEffect`, until the last few seconds' counts show it, 30 s
 * at most), then measure over a window that starts after that. On a machine busy with other tests
 * the simulator's ticks and Prometheus' scrapes come late: a window that holds fewer than the two
 * samples increase() needs is widened, 20 s at most, until it holds some.
 */
async function requestsAfterChange(selector: string, by: string, measureSeconds = 12, tookEffect?: (recent: Map<string, number>) => boolean): Promise<Map<string, number>> {
  await sleep((1 + SCRAPE_SECONDS * 2) * 1000);
  const now = () => Date.now() / 1000;
  if (tookEffect) {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !tookEffect(await requestsBetween(selector, by, now() - 3 * SCRAPE_SECONDS, now()))) await sleep(1000);
  }
  const start = now();
  await sleep(measureSeconds * 1000);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const counts = await requestsBetween(selector, by, start, now());
    if (counts.size > 0 || Date.now() > deadline) return counts;
    await sleep(1000);
  }
}

function shares(counts: Map<string, number>): Map<string, number> {
  const total = [...counts.values()].reduce((sum, value) => sum + value, 0);
  return new Map([...counts].map(([key, value]) => [key, total > 0 ? value / total : 0]));
}

beforeAll(async () => {
  demo = await startDemo({
    stateDir: path.join(os.tmpdir(), `mesh-console-telemetry-${process.pid}`),
    ports: { console: 0, prometheus: 0, kubeApi: 0, simulator: 0 },
    scrapeIntervalSeconds: SCRAPE_SECONDS,
    consoleMode: "none",
    simulatorArgs: ["--edge-rps", "100"],
    log: "quiet",
  });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(demo.endpoints.kubeconfig);
  custom = kubeConfig.makeApiClient(CustomObjectsApi);
}, 180_000);

afterAll(() => demo?.stop());

describe("demo mesh telemetry in Prometheus", () => {
  const canaryFile = path.join(SHARED_BOOKINFO, "virtual-service-reviews-80-20.yaml");
  it.skipIf(!existsSync(canaryFile))("splits productpage's calls to reviews 80/20 after Bookinfo's canary step (needs ../shared/corpus/bookinfo)", async () => {
    await applyVirtualService(parse(readFileSync(canaryFile, "utf8")));
    const split = shares(await requestsAfterChange('{reporter="source",source_workload="productpage-v1",destination_service_name="reviews"}', "destination_version"));
    expect(split.get("v1")).toBeGreaterThan(0.75);
    expect(split.get("v1")).toBeLessThan(0.85);
    expect(split.get("v2")).toBeGreaterThan(0.15);
    expect(split.get("v2")).toBeLessThan(0.25);
    expect(split.get("v3") ?? 0).toBe(0);
  }, 60_000);

  it("fails the configured share of requests when a fault aborts them", async () => {
    await applyVirtualService({
      metadata: { name: "details" },
      spec: { hosts: ["details"], http: [{ fault: { abort: { percentage: { value: 40 }, httpStatus: 503 } }, route: [{ destination: { host: "details", subset: "v1" } }] }] },
    });
    const byCode = shares(await requestsAfterChange('{reporter="source",source_workload="productpage-v1",destination_service_name="details"}', "response_code"));
    expect(byCode.get("503")).toBeGreaterThan(0.35);
    expect(byCode.get("503")).toBeLessThan(0.45);
  }, 60_000);

  it("enforces AuthorizationPolicies: the admitted caller stays at 200, a caller not admitted gets 403 with no response flag", async () => {
    // Envoy's RBAC filter answers 403 itself and sets no response flag; the same principal is
    // admitted at reviews (its observed caller) and at ratings (whose callers, reviews, are not).
    const target = { group: "security.istio.io", version: "v1", namespace: "bookinfo", plural: "authorizationpolicies" };
    const onlyProductpage = { rules: [{ from: [{ source: { principals: ["cluster.local/ns/bookinfo/sa/bookinfo-productpage"] } }] }] };
    const policies = ["reviews", "ratings"].map((app) => ({ name: `${app}-callers`, spec: { selector: { matchLabels: { app } }, ...onlyProductpage } }));
    for (const { name, spec } of policies) {
      await custom.createNamespacedCustomObject({ ...target, body: { apiVersion: "security.istio.io/v1", kind: "AuthorizationPolicy", metadata: { name, namespace: "bookinfo" }, spec } });
    }
    try {
      const toReviews = await requestsAfterChange('{reporter="destination",source_workload="productpage-v1",destination_service_name="reviews"}', "response_code");
      expect([...toReviews.values()].reduce((sum, value) => sum + value, 0)).toBeGreaterThan(50);
      expect(toReviews.get("403") ?? 0).toBe(0);
      const toRatings = shares(await requestsAfterChange('{reporter="destination",destination_service_name="ratings"}', "response_code", 4, (recent) => recent.has("403")));
      expect(toRatings.get("403"), `ratings' responses by code: ${JSON.stringify([...toRatings])}`).toBeGreaterThan(0.99);
      const deniedFlags = shares(await requestsAfterChange('{reporter="destination",destination_service_name="ratings",response_code="403"}', "response_flags", 4));
      expect(deniedFlags.get("-")).toBe(1);
    } finally {
      for (const { name } of policies) await custom.deleteNamespacedCustomObject({ ...target, name }).catch(() => undefined);
    }
  }, 90_000);

  it("answers 503 with response flag NR for a route to a subset no DestinationRule defines", async () => {
    await applyVirtualService({
      metadata: { name: "ratings" },
      spec: { hosts: ["ratings"], http: [{ route: [{ destination: { host: "ratings", subset: "v9" } }] }] },
    });
    const byFlag = shares(await requestsAfterChange('{reporter="source",destination_service_name="ratings",response_code="503"}', "response_flags"));
    expect(byFlag.get("NR")).toBe(1);
    const byCode = shares(await requestsAfterChange('{reporter="source",destination_service_name="ratings"}', "response_code", 6));
    expect(byCode.get("503")).toBe(1);
  }, 60_000);
});

describe("the Gateway API application (storefront) in Prometheus", () => {
  const httpRoutes = { group: "gateway.networking.k8s.io", version: "v1", namespace: "storefront", plural: "httproutes" };
  const webToCatalog = '{reporter="source",source_workload="web-v1",source_workload_namespace="storefront",destination_service_namespace="storefront",destination_service_name=~"catalog.*"}';
  type Conditions = Array<{ type: string; status: string; reason: string }>;

  async function until<T>(read: () => Promise<T | undefined>, what: string): Promise<T> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const value = await read().catch(() => undefined);
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
      await sleep(500);
    }
  }

  it("istiod deploys the Gateway and writes Accepted/ResolvedRefs on its routes and Programmed on the Gateway", async () => {
    const routeConditions = await until(async () => {
      const route = (await custom.getNamespacedCustomObject({ ...httpRoutes, name: "catalog" })) as { status?: { parents?: Array<{ controllerName: string; conditions: Conditions }> } };
      return route.status?.parents?.[0];
    }, "the status of HTTPRoute storefront/catalog");
    expect(routeConditions.controllerName).toBe("istio.io/gateway-controller");
    expect(routeConditions.conditions.map((c) => `${c.type}=${c.status}`)).toEqual(["Accepted=True", "ResolvedRefs=True"]);
    const gatewayConditions = await until(async () => {
      const gateway = (await custom.getNamespacedCustomObject({ ...httpRoutes, plural: "gateways", name: "storefront-gateway" })) as { status?: { conditions?: Conditions } };
      const programmed = gateway.status?.conditions?.find((c) => c.type === "Programmed");
      return programmed?.status === "True" ? gateway.status?.conditions : undefined;
    }, "the Gateway to be Programmed");
    expect(gatewayConditions.find((c) => c.type === "Accepted")?.status).toBe("True");
    // Its proxies report the ingress traffic as a source.
    const fromGateway = await requestsAfterChange('{reporter="source",source_workload="storefront-gateway-istio",destination_service_name="web"}', "response_code", 6);
    expect(fromGateway.get("200")).toBeGreaterThan(10);
  }, 90_000);

  it("splits web's calls to catalog 80/20 by the HTTPRoute's weights, and 50/50 after the weights are changed", async () => {
    // About 16 calls a second for 30 s: ~480 requests, so the observed share of 0.8 has a standard
    // deviation of about 0.018; ±0.07 is nearly four of them.
    const before = shares(await requestsAfterChange(webToCatalog, "destination_service_name", 30));
    expect(before.get("catalog-v1")).toBeGreaterThan(0.73);
    expect(before.get("catalog-v1")).toBeLessThan(0.87);
    expect(before.get("catalog")).toBeUndefined();

    const route = (await custom.getNamespacedCustomObject({ ...httpRoutes, name: "catalog" })) as { spec: { rules: Array<{ backendRefs: Array<{ weight?: number }> }> } };
    for (const backend of route.spec.rules[0]?.backendRefs ?? []) backend.weight = 50;
    await custom.replaceNamespacedCustomObject({ ...httpRoutes, name: "catalog", body: route });
    const after = shares(await requestsAfterChange(webToCatalog, "destination_service_name", 30));
    // Share 0.5 over ~480 requests: standard deviation about 0.023.
    expect(after.get("catalog-v1")).toBeGreaterThan(0.41);
    expect(after.get("catalog-v1")).toBeLessThan(0.59);
  }, 120_000);
});


describe("the ambient namespace (ambient-shop) in Prometheus", () => {
  /** Counter totals since the demo started, by one label: every scrape so far, so shares are tight. */
  async function totals(expr: string, by: string): Promise<Map<string, number>> {
    const samples = await prometheus().instant(`sum by (${by}) (${expr})`);
    return new Map(samples.map((sample) => [sample.metric[by] ?? "", Number(sample.value[1])]));
  }
  const total = async (expr: string) => [...(await totals(expr, "__name__")).values()].reduce((sum, value) => sum + value, 0);
  /**
   * Two reporters' counts of the same requests agree: their pods are scraped at different moments of
   * the same counters, so they differ by at most a scrape's worth.
   */
  async function expectSameRequests(reference: string, other: string): Promise<void> {
    const expected = await total(reference);
    expect(expected).toBeGreaterThan(50);
    expect(Math.abs((await total(other)) - expected) / expected).toBeLessThan(0.1);
  }

  beforeAll(async () => {
    // Let the waypoint be deployed and a few scrapes of every pod land.
    const deadline = Date.now() + 60_000;
    while ((await total('istio_requests_total{reporter="waypoint"}')) < 100) {
      if (Date.now() > deadline) throw new Error("the waypoint reported nothing within 60 s");
      await sleep(1000);
    }
  }, 90_000);

  it("counts the sidecar client's requests once on each side: as sent by its sidecar and as routed by the waypoint", async () => {
    await expectSameRequests('istio_requests_total{reporter="source",source_workload="buyer",destination_service_name="cart"}', 'istio_requests_total{reporter="waypoint",source_workload="buyer"}');
    // No proxy beside an ambient pod reports the request again as its destination.
    expect(await total('istio_requests_total{reporter="destination",destination_workload_namespace="ambient-shop"}')).toBe(0);
  }, 30_000);

  it("counts the ambient client's requests through the waypoint once, as its ztunnel's connections to the waypoint", async () => {
    await expectSameRequests(
      'istio_requests_total{reporter="waypoint",source_workload="shop-web"}',
      'istio_tcp_connections_opened_total{reporter="source",source_workload="shop-web",destination_workload="waypoint",pod=~"ztunnel-.+"}',
    );
  }, 30_000);

  it("splits cart 90/10 behind the waypoint, as its HTTPRoute says", async () => {
    const byBackend = await totals('istio_requests_total{reporter="waypoint",destination_service_namespace="ambient-shop"}', "destination_service_name");
    const split = shares(byBackend);
    expect([...byBackend.values()].reduce((sum, value) => sum + value, 0)).toBeGreaterThan(100);
    expect(split.get("cart-v2")).toBeGreaterThan(0.05);
    expect(split.get("cart-v2")).toBeLessThan(0.15);
    expect(split.get("cart-v1")).toBeGreaterThan(0.85);
  }, 30_000);

  it("has L7 metrics for the waypoint-served service only; ledger's traffic shows as L4 bytes from ztunnel", async () => {
    expect(await prometheus().instant('istio_requests_total{destination_service_name="ledger",destination_service_namespace="ambient-shop"}')).toEqual([]);
    const ledgerBytes = await totals('istio_tcp_sent_bytes_total{destination_service_name="ledger",destination_service_namespace="ambient-shop"}', "pod");
    expect([...ledgerBytes.keys()].sort()).toEqual(["ztunnel-d7k2p"]);
    expect(ledgerBytes.get("ztunnel-d7k2p")).toBeGreaterThan(0);
  }, 30_000);

  it("reports mutual TLS for ambient traffic, from the ztunnel pods and the waypoint, and plaintext only from the pod that opted out", async () => {
    const ztunnel = await totals('istio_tcp_connections_opened_total{namespace="istio-system",pod=~"ztunnel-.+"}', "connection_security_policy");
    expect(ztunnel.get("mutual_tls")).toBeGreaterThan(0);
    const plaintextSources = await totals('istio_tcp_connections_opened_total{pod=~"ztunnel-.+",connection_security_policy!="mutual_tls"}', "source_workload");
    expect([...plaintextSources.keys()]).toEqual(["unknown"]);
    const waypoint = await totals('istio_requests_total{reporter="waypoint"}', "connection_security_policy");
    expect([...waypoint.keys()]).toEqual(["mutual_tls"]);
  }, 30_000);

  it("lists ztunnel and the waypoint among istiod's proxies with their types", async () => {
    const syncz = (await (await fetch(`${demo.endpoints.simulator}/debug/syncz`)).json()) as Array<{ proxy: string; proxy_type: string }>;
    const types = new Map(syncz.map((entry) => [entry.proxy, entry.proxy_type]));
    expect(types.get("ztunnel-d7k2p.istio-system")).toBe("ztunnel");
    expect(types.get("ztunnel-x4m9q.istio-system")).toBe("ztunnel");
    expect([...types].filter(([proxy]) => proxy.startsWith("waypoint-")).map(([, type]) => type)).toEqual(["waypoint"]);
    // istiod counts every proxy it serves, the ztunnels and the waypoint among them.
    const connected = await total('pilot_xds{job="istiod"}');
    expect(connected).toBeGreaterThanOrEqual(syncz.length);
  }, 30_000);
});
