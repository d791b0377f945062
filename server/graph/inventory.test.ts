import { describe, expect, it } from "vitest";
import type { KubeObject, WatchedResource } from "@/server/kube/informers";
import { inventoryFromCaches } from "./inventory";

function object(kind: string, namespace: string, name: string, rest: Record<string, unknown> = {}): KubeObject {
  return { kind, apiVersion: "v1", metadata: { name, namespace }, ...rest };
}

const cluster: KubeObject[] = [
  object("Deployment", "shop", "cart-v2", { spec: { template: { metadata: { labels: { app: "cart", version: "v2" } } } } }),
  object("Deployment", "other", "hidden", { spec: { template: { metadata: { labels: { app: "hidden" } } } } }),
  object("Service", "shop", "cart"),
  {
    ...object("Pod", "shop", "cart-v2-5d9f-abcde", { spec: { containers: [{ name: "cart" }, { name: "istio-proxy" }] } }),
    metadata: { name: "cart-v2-5d9f-abcde", namespace: "shop", labels: { app: "cart", version: "v2", "pod-template-hash": "5d9f" }, ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "cart-v2-5d9f", uid: "1" }] },
  },
  object("Pod", "shop", "legacy", { spec: { containers: [{ name: "legacy" }] } }),
  object("VirtualService", "shop", "cart", { spec: { hosts: ["cart"] } }),
  object("DestinationRule", "shop", "cart", { spec: { host: "cart" } }),
  object("VirtualService", "other", "hidden"),
  object("AuthorizationPolicy", "shop", "cart-callers", { spec: { selector: { matchLabels: { app: "cart" } }, rules: [{}] } }),
  object("AuthorizationPolicy", "istio-system", "mesh-deny", { spec: { action: "DENY", rules: [{ from: [{ source: { namespaces: ["attic"] } }] }] } }),
  object("AuthorizationPolicy", "other", "hidden", { spec: {} }),
];

const KIND_BY_PLURAL: Record<string, string> = { pods: "Pod", deployments: "Deployment", services: "Service", virtualservices: "VirtualService", destinationrules: "DestinationRule", authorizationpolicies: "AuthorizationPolicy" };
const caches = {
  list: (resource: WatchedResource, namespace?: string) => cluster.filter((item) => item.kind === KIND_BY_PLURAL[resource.plural] && (namespace === undefined || item.metadata.namespace === namespace)),
};

describe("inventoryFromCaches", () => {
  const inventory = inventoryFromCaches(caches, ["shop"]);

  it("names each pod's workload as Istio reports it and says whether it has a sidecar", () => {
    expect(inventory.pods).toEqual([
      { namespace: "shop", workload: "cart-v2", app: "cart", version: "v2", hasSidecar: true },
      // Without a version label Istio reports the revision "latest"; the pod is named the same way.
      { namespace: "shop", workload: "legacy", app: null, version: "latest", hasSidecar: false },
    ]);
  });

  it("takes workloads' app and version from their pod template", () => {
    expect(inventory.workloads).toEqual([{ namespace: "shop", name: "cart-v2", app: "cart", version: "v2", labels: { app: "cart", version: "v2" } }]);
    expect(inventory.services).toEqual([{ namespace: "shop", name: "cart" }]);
  });

  it("reads the namespaces' AuthorizationPolicies and the mesh-wide ones", () => {
    expect(inventory.authorizationPolicies?.map((policy) => `${policy.metadata.namespace}/${policy.metadata.name} ${policy.spec.action}`)).toEqual(["shop/cart-callers ALLOW", "istio-system/mesh-deny DENY"]);
  });

  it("keeps only the namespaces asked for, routing included", () => {
    expect(inventory.routing?.virtualServices.map((item) => (item as KubeObject).metadata.name)).toEqual(["cart"]);
    expect(inventory.routing?.destinationRules).toHaveLength(1);
    expect(inventoryFromCaches(caches, []).pods).toEqual([]);
    expect(inventoryFromCaches(caches, ["shop", "other"]).workloads.map((workload) => workload.name)).toEqual(["cart-v2", "hidden"]);
  });

  it("sees a pod that changed, though it remembers the pods it has read", () => {
    const pod = (containers: string[]) => object("Pod", "shop", "cart-v2-5d9f-abcde", { spec: { containers: containers.map((name) => ({ name })) } });
    const pods: KubeObject[] = [pod(["cart", "istio-proxy"])];
    const changing = { list: (resource: WatchedResource) => (resource.plural === "pods" ? pods : []) };
    expect(inventoryFromCaches(changing, ["shop"]).pods.map((item) => item.hasSidecar)).toEqual([true]);
    expect(inventoryFromCaches(changing, ["shop"]).pods.map((item) => item.hasSidecar)).toEqual([true]);
    // A watch cache holds a new object after an update, as here once the sidecar is gone.
    pods[0] = pod(["cart"]);
    expect(inventoryFromCaches(changing, ["shop"]).pods.map((item) => item.hasSidecar)).toEqual([false]);
  });
});
