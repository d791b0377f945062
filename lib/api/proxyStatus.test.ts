import { describe, expect, it } from "vitest";
import { outOfSyncByNamespace, outOfSyncNodeIds, type ProxySync } from "./proxyStatus";

function proxy(namespace: string, workload: string, outOfSync: boolean, app: string | null = null, version: string | null = null): ProxySync {
  return { id: `${workload}-1.${namespace}`, pod: `${workload}-1`, namespace, workload, app, version, proxyType: "sidecar", clusterId: "Kubernetes", istioVersion: "1.24.2", istiod: "istiod-a", types: [], outOfSync };
}

describe("outOfSyncByNamespace", () => {
  it("counts the proxies out of sync per namespace", () => {
    expect([...outOfSyncByNamespace([proxy("lab", "a", true), proxy("lab", "b", true), proxy("shop", "c", false)])]).toEqual([["lab", 2]]);
  });
});

describe("outOfSyncNodeIds", () => {
  const proxies = [proxy("lab", "legacy-v1", true, "legacy", "v1"), proxy("lab", "web-v1", false, "web", "v1")];
  it.each([
    ["a workload by its workload name", { id: "w", kind: "workload", namespace: "lab", name: "legacy-v1", version: null, workload: "legacy-v1" }, true],
    ["an app by its app name", { id: "a", kind: "app", namespace: "lab", name: "legacy", version: null, workload: null }, true],
    ["a versioned app of another version", { id: "v", kind: "versionedApp", namespace: "lab", name: "legacy", version: "v2", workload: null }, false],
    ["a node whose proxies are in sync", { id: "s", kind: "workload", namespace: "lab", name: "web-v1", version: null, workload: "web-v1" }, false],
    ["a service (no pods)", { id: "svc", kind: "service", namespace: "lab", name: "legacy", version: null, workload: null }, false],
    ["the same name in another namespace", { id: "o", kind: "workload", namespace: "shop", name: "legacy-v1", version: null, workload: "legacy-v1" }, false],
  ])("%s", (_, node, expected) => {
    expect(outOfSyncNodeIds([node], proxies).has(node.id)).toBe(expected);
  });
});
