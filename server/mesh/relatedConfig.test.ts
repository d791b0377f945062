import { describe, expect, it } from "vitest";
import { relatedConfig } from "./relatedConfig";

const vs = (namespace: string, name: string, spec: unknown) => ({ kind: "VirtualService", metadata: { namespace, name }, spec });
const object = (kind: string, namespace: string, name: string, spec: unknown = {}) => ({ kind, metadata: { namespace, name }, spec });

const istioObjects = [
  vs("bookinfo", "reviews", { hosts: ["reviews"], http: [{ route: [{ destination: { host: "reviews", subset: "v1" } }] }] }),
  vs("bookinfo", "bookinfo", { hosts: ["*"], gateways: ["bookinfo-gateway"], http: [{ route: [{ destination: { host: "productpage" } }] }] }),
  vs("other", "reviews-elsewhere", { hosts: ["reviews.other.svc.cluster.local"] }),
  object("DestinationRule", "bookinfo", "reviews", { host: "reviews.bookinfo.svc.cluster.local" }),
  object("DestinationRule", "bookinfo", "ratings", { host: "ratings" }),
  object("Gateway", "bookinfo", "bookinfo-gateway", { selector: { istio: "ingressgateway" } }),
  object("PeerAuthentication", "istio-system", "default", { mtls: { mode: "STRICT" } }),
  object("PeerAuthentication", "bookinfo", "reviews-permissive", { selector: { matchLabels: { app: "reviews" } } }),
  object("AuthorizationPolicy", "bookinfo", "ratings-only", { selector: { matchLabels: { app: "ratings" } } }),
  object("AuthorizationPolicy", "bookinfo", "deny-all", {}),
];

describe("relatedConfig", () => {
  it("finds the routing, traffic policy and security that apply to reviews", () => {
    const related = relatedConfig({
      serviceHosts: ["reviews.bookinfo.svc.cluster.local"],
      namespace: "bookinfo",
      workloadLabels: [{ app: "reviews", version: "v1" }],
      rootNamespace: "istio-system",
      istioObjects,
    });
    expect(related.map((item) => `${item.kind} ${item.namespace}/${item.name}`)).toEqual([
      "AuthorizationPolicy bookinfo/deny-all",
      "DestinationRule bookinfo/reviews",
      "PeerAuthentication bookinfo/reviews-permissive",
      "PeerAuthentication istio-system/default",
      "VirtualService bookinfo/reviews",
    ]);
  });

  it("includes the gateway a VirtualService binds for the host it routes to", () => {
    const related = relatedConfig({ serviceHosts: ["productpage.bookinfo.svc.cluster.local"], namespace: "bookinfo", workloadLabels: [{ app: "productpage" }], rootNamespace: "istio-system", istioObjects });
    const gateway = related.find((item) => item.kind === "Gateway");
    expect(gateway).toMatchObject({ name: "bookinfo-gateway", reason: "receives traffic for it through VirtualService bookinfo" });
    expect(related.find((item) => item.name === "bookinfo")?.reason).toBe("routes traffic to this host");
  });

  it("reads hosts as Istio does: mirrors count, a dotted name is fully qualified", () => {
    const objects = [
      vs("bookinfo", "shadow", { hosts: ["productpage"], http: [{ route: [{ destination: { host: "productpage" } }], mirrors: [{ destination: { host: "reviews" } }] }] }),
      vs("bookinfo", "half-qualified", { hosts: ["reviews.bookinfo"] }),
      object("DestinationRule", "bookinfo", "half-qualified", { host: "reviews.bookinfo" }),
    ];
    const related = relatedConfig({ serviceHosts: ["reviews.bookinfo.svc.cluster.local"], namespace: "bookinfo", workloadLabels: [], rootNamespace: "istio-system", istioObjects: objects });
    expect(related.map((item) => `${item.kind} ${item.name}: ${item.reason}`)).toEqual(["VirtualService shadow: routes traffic to this host"]);
  });

  it("skips objects it cannot read instead of failing the page", () => {
    expect(() => relatedConfig({ serviceHosts: ["x.y.svc.cluster.local"], namespace: "y", workloadLabels: [], rootNamespace: "istio-system", istioObjects: [null, 42, { kind: "VirtualService" }] })).not.toThrow();
  });

  it("finds an ambient service's waypoint and the policies attached to it or to the Service by targetRefs", () => {
    const objects = [
      object("AuthorizationPolicy", "ambient-shop", "cart-viewers", { targetRefs: [{ kind: "Gateway", group: "gateway.networking.k8s.io", name: "waypoint" }] }),
      object("AuthorizationPolicy", "ambient-shop", "cart-only", { targetRefs: [{ kind: "Service", group: "", name: "cart" }] }),
      object("AuthorizationPolicy", "ambient-shop", "ledger-only", { targetRefs: [{ kind: "Service", group: "", name: "ledger" }] }),
      object("AuthorizationPolicy", "ambient-shop", "ingress-only", { targetRefs: [{ kind: "Gateway", group: "gateway.networking.k8s.io", name: "shop-gateway" }] }),
    ];
    const related = relatedConfig({ serviceHosts: ["cart.ambient-shop.svc.cluster.local"], namespace: "ambient-shop", workloadLabels: [{ app: "cart" }], rootNamespace: "istio-system", istioObjects: objects, serviceNames: ["cart"], waypoints: [{ namespace: "ambient-shop", name: "waypoint" }] });
    expect(related.map((item) => `${item.kind} ${item.name}: ${item.reason}`)).toEqual([
      "AuthorizationPolicy cart-only: targets Service cart (enforced by its waypoint)",
      "AuthorizationPolicy cart-viewers: attached to waypoint waypoint, which serves it",
      "K8sGateway waypoint: waypoint: applies its L7 routing and policies in ambient mode",
    ]);
  });
});
