import { describe, expect, it } from "vitest";
import { BOOKINFO_MODEL, parseCallGraphModel } from "./call-graph";
import { resolveGatewayApiRoute } from "./gateway-routing";
import { pendingStatusWrites } from "./gateway-controller";
import { buildMeshSnapshot, type MeshSnapshot, type Workload } from "./mesh";
import { virtualServiceSchema } from "./mesh-schemas";
import { TrafficEngine } from "./traffic-engine";
import { parseExposition, sumWhere } from "./testing/exposition";
import { storefrontObjects, storefrontSnapshot } from "./testing/storefront-fixture";

const get = (uri = "/", headers: Record<string, string> = {}) => ({ uri, method: "GET", headers });
const workload = (snapshot: MeshSnapshot, key: string): Workload => {
  const found = snapshot.workloads.get(key);
  if (!found) throw new Error(`no workload ${key}`);
  return found;
};
const branches = (decision: ReturnType<typeof resolveGatewayApiRoute>) =>
  decision?.branches.map((b) => (b.kind === "upstream" ? [b.host.split(".")[0], b.share] : [`${b.responseCode} ${b.responseFlag}`, b.share]));

describe("Gateway API routing in the simulated proxies", () => {
  it("routes web's calls to catalog by the GAMMA HTTPRoute's weights, even when a VirtualService names the host", () => {
    const snapshot = storefrontSnapshot((objects) => {
      objects.virtualServices.push(
        virtualServiceSchema.parse({ metadata: { name: "catalog", namespace: "storefront" }, spec: { hosts: ["catalog"], http: [{ route: [{ destination: { host: "catalog-v1" } }] }] } }),
      );
    });
    const decision = resolveGatewayApiRoute(snapshot, workload(snapshot, "storefront/web-v1"), "catalog.storefront.svc.cluster.local", get("/items"), "http");
    expect(decision?.virtualService).toBe("HTTPRoute storefront/catalog");
    expect(branches(decision)).toEqual([["catalog-v1", 0.8], ["catalog-v2", 0.2]]);
  });

  it("leaves a Service without Gateway API routes to VirtualServices", () => {
    const snapshot = storefrontSnapshot();
    expect(resolveGatewayApiRoute(snapshot, workload(snapshot, "storefront/catalog-v1"), "web.storefront.svc.cluster.local", get(), "http")).toBeUndefined();
  });

  it("routes ingress at the Gateway's deployment by the attached HTTPRoute, and answers 404 NR for a host no listener takes", () => {
    const snapshot = storefrontSnapshot();
    const gateway = workload(snapshot, "storefront/storefront-gateway-istio");
    expect(gateway.isGateway).toBe(true);
    expect(branches(resolveGatewayApiRoute(snapshot, gateway, "shop.example.com", get("/cart"), "http"))).toEqual([["web", 1]]);
    expect(branches(resolveGatewayApiRoute(snapshot, gateway, "admin.example.com", get("/"), "http"))).toEqual([["404 NR", 1]]);
  });

  it("does not route ingress by a route the listener does not admit (another namespace, From: Same)", () => {
    const snapshot = storefrontSnapshot((objects) => {
      const route = objects.gatewayApi?.httpRoutes.find((r) => r.metadata?.name === "storefront");
      if (route?.metadata) route.metadata.namespace = "elsewhere";
      if (route?.spec?.parentRefs?.[0]) route.spec.parentRefs[0].namespace = "storefront";
    });
    expect(branches(resolveGatewayApiRoute(snapshot, workload(snapshot, "storefront/storefront-gateway-istio"), "shop.example.com", get(), "http"))).toEqual([["404 NR", 1]]);
  });

  it("answers 500 (an abort fault) for the share of a backend that does not exist, and a redirect with its 3xx", () => {
    const snapshot = storefrontSnapshot((objects) => {
      const catalog = objects.gatewayApi?.httpRoutes.find((r) => r.metadata?.name === "catalog");
      const rule = catalog?.spec?.rules?.[0];
      if (rule?.backendRefs?.[1]) rule.backendRefs[1] = { name: "catalog-v3", port: 8080, weight: 20 };
      catalog?.spec?.rules?.unshift({ matches: [{ path: { type: "Exact", value: "/old" } }], filters: [{ type: "RequestRedirect", requestRedirect: { statusCode: 301, path: { type: "ReplaceFullPath", replaceFullPath: "/items" } } }] });
    });
    const web = workload(snapshot, "storefront/web-v1");
    expect(branches(resolveGatewayApiRoute(snapshot, web, "catalog.storefront.svc.cluster.local", get("/items"), "http"))).toEqual([["catalog-v1", 0.8], ["500 FI", 0.2]]);
    expect(branches(resolveGatewayApiRoute(snapshot, web, "catalog.storefront.svc.cluster.local", get("/old"), "http"))).toEqual([["301 -", 1]]);
  });

  it("routes catalog's gRPC calls by the GRPCRoute's service match, and answers 404 NR for another service", () => {
    const snapshot = storefrontSnapshot();
    const catalog = workload(snapshot, "storefront/catalog-v2");
    expect(branches(resolveGatewayApiRoute(snapshot, catalog, "inventory.storefront.svc.cluster.local", get("/storefront.Inventory/GetStock"), "grpc"))).toEqual([["inventory-v1", 1]]);
    expect(branches(resolveGatewayApiRoute(snapshot, catalog, "inventory.storefront.svc.cluster.local", get("/storefront.Pricing/Get"), "grpc"))).toEqual([["404 NR", 1]]);
  });
});

describe("Istio's standard metrics for Gateway API traffic", () => {
  const model = parseCallGraphModel({ ...BOOKINFO_MODEL, entry: { ...BOOKINFO_MODEL.entry, targets: [{ service: "web", namespace: "storefront", share: 1, via: "direct" }], clients: [] } });
  const run = (snapshot: MeshSnapshot) => {
    const engine = new TrafficEngine(model, snapshot, { edgeRps: 0.0001, jasonShare: 0, seed: 11 });
    for (let second = 1; second <= 60; second++) engine.tick(second * 1000, 1000);
    return parseExposition(engine.store.render());
  };

  it("reports the gateway as the source, the chosen version Service as the destination, and gRPC with its status", () => {
    const samples = run(storefrontSnapshot());
    const fromGateway = { reporter: "source", source_workload: "storefront-gateway-istio", source_canonical_service: "storefront-gateway-istio", destination_service_name: "web" };
    expect(sumWhere(samples, "istio_requests_total", fromGateway)).toBeGreaterThan(300);
    const toV1 = sumWhere(samples, "istio_requests_total", { reporter: "source", source_workload: "web-v1", destination_service: "catalog-v1.storefront.svc.cluster.local", destination_app: "catalog", destination_canonical_service: "catalog", destination_version: "v1", destination_canonical_revision: "v1" });
    const toV2 = sumWhere(samples, "istio_requests_total", { reporter: "source", source_workload: "web-v1", destination_service_name: "catalog-v2", destination_workload: "catalog-v2", destination_version: "v2" });
    expect(toV2 / (toV1 + toV2)).toBeGreaterThan(0.15);
    expect(toV2 / (toV1 + toV2)).toBeLessThan(0.25);
    expect(sumWhere(samples, "istio_requests_total", { destination_service_name: "catalog" })).toBe(0);
    const grpc = sumWhere(samples, "istio_requests_total", { reporter: "destination", destination_service_name: "inventory-v1", request_protocol: "grpc", grpc_response_status: "0" });
    expect(grpc).toBeGreaterThan(100);
  });

  it("follows a weight change from the next tick on", () => {
    const objects = storefrontObjects();
    const engine = new TrafficEngine(model, storefrontSnapshot(), { edgeRps: 0.0001, jasonShare: 0, seed: 5 });
    const backendRefs = objects.gatewayApi?.httpRoutes.find((r) => r.metadata?.name === "catalog")?.spec?.rules?.[0]?.backendRefs ?? [];
    backendRefs.forEach((ref) => (ref.weight = ref.name === "catalog-v1" ? 0 : 100));
    engine.setSnapshot(buildMeshSnapshot(objects));
    for (let second = 1; second <= 20; second++) engine.tick(second * 1000, 1000);
    const samples = parseExposition(engine.store.render());
    expect(sumWhere(samples, "istio_requests_total", { reporter: "source", source_workload: "web-v1", destination_service_name: "catalog-v1" })).toBe(0);
    expect(sumWhere(samples, "istio_requests_total", { reporter: "source", source_workload: "web-v1", destination_service_name: "catalog-v2" })).toBeGreaterThan(100);
  });
});

describe("the status istiod writes", () => {
  it("writes Accepted/ResolvedRefs on each route and Programmed on the Gateway once its Service exists, then nothing more", () => {
    const objects = storefrontObjects();
    const writes = pendingStatusWrites(objects, "2026-01-01T00:00:00Z");
    const byName = new Map(writes.map((w) => [`${w.plural}/${w.name}`, w.body as { status: Record<string, unknown> }]));
    expect([...byName.keys()].sort()).toEqual(["gatewayclasses/istio", "gateways/storefront-gateway", "grpcroutes/inventory", "httproutes/catalog", "httproutes/storefront"]);
    const storefront = byName.get("httproutes/storefront")?.status as { parents: Array<{ controllerName: string; conditions: Array<{ type: string; status: string }> }> };
    expect(storefront.parents[0]?.controllerName).toBe("istio.io/gateway-controller");
    expect(storefront.parents[0]?.conditions.map((c) => `${c.type}=${c.status}`)).toEqual(["Accepted=True", "ResolvedRefs=True"]);
    const gateway = byName.get("gateways/storefront-gateway")?.status as { conditions: Array<{ type: string; status: string }>; listeners: Array<{ attachedRoutes: number }> };
    expect(gateway.conditions.find((c) => c.type === "Programmed")?.status).toBe("True");
    expect(gateway.listeners[0]?.attachedRoutes).toBe(1);

    // Once the objects carry that status, a later run writes nothing.
    const gatewayApi = objects.gatewayApi;
    if (!gatewayApi) throw new Error("no Gateway API objects");
    for (const list of [gatewayApi.gatewayClasses, gatewayApi.gateways, gatewayApi.httpRoutes, gatewayApi.grpcRoutes] as Array<Array<{ metadata?: { name?: string }; status?: unknown }>>) {
      for (const object of list) object.status = writes.find((w) => w.name === object.metadata?.name && (w.body as { kind?: string }).kind === (object as { kind?: string }).kind)?.body.status;
    }
    expect(pendingStatusWrites(objects, "2026-01-01T00:05:00Z")).toEqual([]);
  });

  it("says ResolvedRefs=False BackendNotFound when a backend Service is missing", () => {
    const objects = storefrontObjects();
    objects.services = objects.services.filter((s) => s.metadata.name !== "catalog-v2");
    const write = pendingStatusWrites(objects, "2026-01-01T00:00:00Z").find((w) => w.name === "catalog");
    const conditions = (write?.body.status as { parents: Array<{ conditions: Array<{ type: string; status: string; reason: string }> }> }).parents[0]?.conditions;
    expect(conditions?.find((c) => c.type === "ResolvedRefs")).toMatchObject({ status: "False", reason: "BackendNotFound" });
  });
});
