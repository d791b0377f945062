import { describe, expect, it } from "vitest";
import { BOOKINFO_MODEL } from "./call-graph";
import { dataplaneOf, waypointOfService } from "./ambient";
import { HTTP_STANDARD_LABELS } from "./istio-labels";
import { buildMeshSnapshot, type MeshObjects, type MeshSnapshot } from "./mesh";
import { serviceSchema, virtualServiceSchema } from "./mesh-schemas";
import { TrafficEngine } from "./traffic-engine";
import { parseExposition, sumWhere, type Sample } from "./testing/exposition";
import { ambientSnapshot, storefrontObjects } from "./testing/storefront-fixture";
import { gatewayManifests } from "./gateway-deployment";

const REQUESTS = "istio_requests_total";
const OPENED = "istio_tcp_connections_opened_total";
const SENT = "istio_tcp_sent_bytes_total";

function run(snapshot: MeshSnapshot, ticks = 30): { samples: Sample[]; engine: TrafficEngine } {
  const engine = new TrafficEngine(BOOKINFO_MODEL, snapshot, { edgeRps: 0, jasonShare: 0, seed: 11 });
  for (let t = 0; t < ticks; t++) engine.tick(t * 1000, 1000);
  return { samples: parseExposition(engine.store.render()), engine };
}

function faultOn(service: string): (objects: MeshObjects) => void {
  return (objects) =>
    objects.virtualServices.push(
      virtualServiceSchema.parse({
        metadata: { name: `${service}-abort`, namespace: "ambient-shop", creationTimestamp: "2026-01-01T00:00:00Z" },
        spec: { hosts: [service], http: [{ fault: { abort: { percentage: { value: 50 }, httpStatus: 503 } }, route: [{ destination: { host: service } }] }] },
      }),
    );
}

describe("ambient enrolment", () => {
  it("captures pods of an ambient namespace unless they opt out, have a sidecar or are a proxy", () => {
    const ambient = { "istio.io/dataplane-mode": "ambient" };
    expect(dataplaneOf({ app: "cart" }, false, false, ambient).ambient).toBe(true);
    expect(dataplaneOf({ app: "report", "istio.io/dataplane-mode": "none" }, false, false, ambient).ambient).toBe(false);
    expect(dataplaneOf({ app: "cart" }, false, true, ambient).ambient).toBe(false);
    expect(dataplaneOf({ app: "cart", "istio.io/dataplane-mode": "ambient" }, false, false, {}).ambient).toBe(true);
    expect(dataplaneOf({ "gateway.networking.k8s.io/gateway-class-name": "istio-waypoint" }, true, false, ambient)).toEqual({ ambient: false, isWaypoint: true });
  });

  it("finds the waypoint a Service uses, and none where it opts out or the waypoint serves workloads only", () => {
    const snapshot = ambientSnapshot();
    expect(snapshot.services.get("cart.ambient-shop.svc.cluster.local")?.waypoint?.key).toBe("ambient-shop/waypoint");
    expect(snapshot.services.get("ledger.ambient-shop.svc.cluster.local")?.waypoint).toBeUndefined();

    const objects = storefrontObjects({ manifest: "60-ambient.yaml" });
    const namespaces = new Map([["ambient-shop", { "istio.io/dataplane-mode": "ambient", "istio.io/use-waypoint": "waypoint" }]]);
    const workloads = buildMeshSnapshot(objects).workloads;
    const ledger = serviceSchema.parse({ metadata: { name: "ledger", namespace: "ambient-shop" } });
    const optedOut = serviceSchema.parse({ metadata: { name: "ledger", namespace: "ambient-shop", labels: { "istio.io/use-waypoint": "none" } } });
    const gateways = objects.gatewayApi?.gateways ?? [];
    expect(waypointOfService(ledger, namespaces, gateways, workloads)?.name).toBe("waypoint");
    expect(waypointOfService(optedOut, namespaces, gateways, workloads)).toBeUndefined();
    const forWorkloads = gateways.map((g) => ({ ...g, metadata: { ...g.metadata, labels: { "istio.io/waypoint-for": "workload" } } }));
    expect(waypointOfService(ledger, namespaces, forWorkloads, workloads)).toBeUndefined();
  });
});

describe("istiod's waypoint deployment", () => {
  it("names the waypoint's objects after its Gateway, on a ClusterIP Service, labelled as a mesh-controller proxy", () => {
    const waypoint = storefrontObjects({ manifest: "60-ambient.yaml", withGatewayDeployment: false }).gatewayApi?.gateways.find((g) => g.metadata?.name === "waypoint");
    if (!waypoint) throw new Error("60-ambient.yaml has no Gateway waypoint");
    const manifests = gatewayManifests(waypoint);
    expect(manifests.deployment).toMatchObject({ metadata: { name: "waypoint", namespace: "ambient-shop" } });
    expect(manifests.service).toMatchObject({ metadata: { name: "waypoint" }, spec: { type: "ClusterIP", ports: [{ name: "hbone-15008", port: 15008 }] } });
    expect(manifests.deployment).toMatchObject({
      spec: { template: { metadata: { labels: { "gateway.istio.io/managed": "istio.io-mesh-controller", "gateway.networking.k8s.io/gateway-class-name": "istio-waypoint", "istio.io/dataplane-mode": "none" } } } },
    });
  });
});

describe("ambient telemetry", () => {
  const { samples } = run(ambientSnapshot());

  it("reports L7 for the waypoint-served service only from the waypoint, with the client and the chosen backend", () => {
    const waypoint = samples.filter((s) => s.name === REQUESTS && s.labels["reporter"] === "waypoint");
    expect(waypoint.length).toBeGreaterThan(0);
    for (const sample of waypoint) {
      expect(Object.keys(sample.labels).sort()).toEqual([...HTTP_STANDARD_LABELS].sort());
      expect(["shop-web", "buyer"]).toContain(sample.labels["source_workload"]);
      expect(["cart-v1", "cart-v2"]).toContain(sample.labels["destination_workload"]);
      expect(sample.labels).toMatchObject({ destination_canonical_service: "cart", connection_security_policy: "mutual_tls" });
      expect(sample.labels["destination_service"]).toBe(`${sample.labels["destination_workload"]}.ambient-shop.svc.cluster.local`);
    }
    // No Envoy sits beside an ambient pod, so nothing reports L7 as the destination there.
    expect(sumWhere(samples, REQUESTS, { reporter: "destination", destination_workload_namespace: "ambient-shop" })).toBe(0);
    expect(sumWhere(samples, REQUESTS, { reporter: "source", source_workload: "shop-web" })).toBe(0);
  });

  it("splits cart 90/10 behind the waypoint, as its HTTPRoute says", () => {
    const v1 = sumWhere(samples, REQUESTS, { reporter: "waypoint", destination_workload: "cart-v1" });
    const v2 = sumWhere(samples, REQUESTS, { reporter: "waypoint", destination_workload: "cart-v2" });
    expect(v2 / (v1 + v2)).toBeGreaterThan(0.05);
    expect(v2 / (v1 + v2)).toBeLessThan(0.15);
  });

  it("counts each request once per reporter: the sidecar client's and ztunnel's counts equal the waypoint's", () => {
    const buyerSent = sumWhere(samples, REQUESTS, { reporter: "source", source_workload: "buyer" });
    expect(buyerSent).toBeGreaterThan(0);
    expect(sumWhere(samples, REQUESTS, { reporter: "waypoint", source_workload: "buyer" })).toBe(buyerSent);
    // The sidecar's upstream is the waypoint, at the Service it addressed.
    expect(sumWhere(samples, REQUESTS, { reporter: "source", source_workload: "buyer", destination_workload: "waypoint", destination_service: "cart.ambient-shop.svc.cluster.local" })).toBe(buyerSent);
    // shop-web has no sidecar: its node's ztunnel counts one connection per request to the waypoint.
    const webThroughWaypoint = sumWhere(samples, REQUESTS, { reporter: "waypoint", source_workload: "shop-web" });
    expect(webThroughWaypoint).toBeGreaterThan(0);
    expect(sumWhere(samples, OPENED, { reporter: "source", source_workload: "shop-web", destination_workload: "waypoint", destination_service_name: "cart" })).toBe(webThroughWaypoint);
    // The backend's ztunnel sees the waypoint as its peer, once per attempt that reached it.
    expect(sumWhere(samples, OPENED, { reporter: "destination", source_workload: "waypoint", destination_canonical_service: "cart" })).toBe(webThroughWaypoint + buyerSent);
  });

  it("reports the no-waypoint service only at L4, from ztunnel, with mutual TLS between mesh pods", () => {
    expect(samples.filter((s) => s.name.startsWith("istio_request") && s.labels["destination_service_name"] === "ledger")).toEqual([]);
    const fromWeb = samples.filter((s) => s.name === SENT && s.labels["source_workload"] === "shop-web" && s.labels["destination_service_name"] === "ledger");
    expect(new Set(fromWeb.map((s) => s.labels["reporter"]))).toEqual(new Set(["source", "destination"]));
    for (const sample of fromWeb) expect(sample.labels).toMatchObject({ connection_security_policy: "mutual_tls", request_protocol: "tcp", destination_workload: "ledger-v1" });
    expect(sumWhere(samples, SENT, { source_workload: "shop-web", destination_service_name: "ledger" })).toBeGreaterThan(0);
    // legacy-report opted out: only ledger's ztunnel sees it, in plaintext, without peer identity.
    const plaintext = samples.filter((s) => s.name === OPENED && s.labels["destination_service_name"] === "ledger" && s.labels["source_workload"] === "unknown");
    expect(plaintext.map((s) => [s.labels["reporter"], s.labels["connection_security_policy"], s.labels["source_principal"]])).toEqual([["destination", "unknown", "unknown"]]);
  });

  it("applies a fault only where the waypoint is in the path", () => {
    const withFaults = run(ambientSnapshot((objects) => {
      // A GAMMA route would win over the VirtualService: take cart's away so the fault governs it.
      if (objects.gatewayApi) objects.gatewayApi.httpRoutes = [];
      faultOn("cart")(objects);
      faultOn("ledger")(objects);
    })).samples;
    const aborted = sumWhere(withFaults, REQUESTS, { reporter: "waypoint", response_code: "503", response_flags: "FI" });
    expect(aborted).toBeGreaterThan(0);
    // Every request to cart passes the waypoint (aborted ones are answered there), about half aborted.
    const allCart = withFaults.filter((s) => s.name === REQUESTS && s.labels["reporter"] === "waypoint").reduce((sum, s) => sum + s.value, 0);
    expect(aborted / allCart).toBeGreaterThan(0.4);
    expect(aborted / allCart).toBeLessThan(0.6);
    // ledger has no waypoint: shop-web's ztunnel forwards at L4 and every connection reaches ledger.
    const ledgerBefore = sumWhere(samples, OPENED, { reporter: "destination", source_workload: "shop-web", destination_workload: "ledger-v1" });
    const ledgerAfter = sumWhere(withFaults, OPENED, { reporter: "destination", source_workload: "shop-web", destination_workload: "ledger-v1" });
    expect(ledgerAfter).toBeGreaterThan(ledgerBefore * 0.8);
  });
});
