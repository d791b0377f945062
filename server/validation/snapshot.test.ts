import { describe, expect, it } from "vitest";
import { snapshotFromObjects } from "./snapshot";

describe("snapshotFromObjects", () => {
  it("sorts objects by kind, expands Lists, skips kinds it does not read and keeps malformed ones apart", () => {
    const snapshot = snapshotFromObjects([
      { apiVersion: "v1", kind: "List", items: [{ apiVersion: "v1", kind: "Service", metadata: { name: "b", namespace: "shop" }, spec: { ports: [] } }] },
      { apiVersion: "v1", kind: "Service", metadata: { name: "a", namespace: "shop" }, spec: { ports: [{ port: 80 }] } },
      { apiVersion: "networking.istio.io/v1alpha3", kind: "EnvoyFilter", metadata: { name: "f", namespace: "shop" } },
      { apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway", metadata: { name: "edge", namespace: "shop" }, spec: { listeners: [] } },
      { apiVersion: "networking.istio.io/v1", kind: "VirtualService", metadata: { name: "bad", namespace: "shop" }, spec: { hosts: 42 } },
      "not an object",
    ]);
    expect(snapshot.list("Service").map((s) => s.ref.name)).toEqual(["a", "b"]);
    expect(snapshot.list("KubernetesGateway").map((g) => g.ref)).toEqual([{ kind: "K8sGateway", namespace: "shop", name: "edge" }]);
    expect(snapshot.list("Gateway")).toEqual([]);
    expect(snapshot.list("VirtualService")).toEqual([]);
    expect(snapshot.invalidObjects().map((i) => `${i.ref.kind} ${i.path}`)).toEqual(["VirtualService spec.hosts"]);
  });

  it("reads mesh settings from the istio ConfigMap and indexes services by FQDN", () => {
    const snapshot = snapshotFromObjects([
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "istio", namespace: "istio-system" }, data: { mesh: "rootNamespace: mesh-root\ndefaultServiceExportTo: ['.']" } },
      { apiVersion: "v1", kind: "Service", metadata: { name: "reviews", namespace: "bookinfo" }, spec: { ports: [] } },
    ]);
    expect(snapshot.settings.rootNamespace).toBe("mesh-root");
    expect(snapshot.servicesByFqdn("reviews.bookinfo.svc.cluster.local").map((s) => s.ref.name)).toEqual(["reviews"]);
    expect(snapshot.visibleServices("reviews.bookinfo.svc.cluster.local", "other")).toEqual([]);
    expect(snapshot.visibleServices("reviews.bookinfo.svc.cluster.local", "bookinfo")).toHaveLength(1);
  });

  it("fills a default namespace only when asked", () => {
    const raw = { apiVersion: "v1", kind: "Service", metadata: { name: "web" }, spec: { ports: [] } };
    expect(snapshotFromObjects([raw]).list("Service")[0]?.ref.namespace).toBe("");
    expect(snapshotFromObjects([raw], { defaultNamespace: "default" }).list("Service")[0]?.ref.namespace).toBe("default");
  });
});
