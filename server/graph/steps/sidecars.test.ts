import { describe, expect, it } from "vitest";
import { nodeId } from "@/lib/graph/model";
import { inventoryPod } from "../inventory";
import { details, productpage, requestSample } from "../testing/bookinfoSamples";
import { buildTrafficMap } from "../trafficMap";
import { appendSidecars } from "./sidecars";

function pod(name: string, app: string, version: string, containers: string[]) {
  return inventoryPod({
    metadata: { name: `${name}-5d7f9c-abcde`, namespace: "bookinfo", labels: { app, version, "pod-template-hash": "5d7f9c" }, ownerReferences: [{ kind: "ReplicaSet", name: `${name}-5d7f9c` }] },
    spec: { containers: containers.map((container) => ({ name: container })) },
  });
}

describe("appendSidecars", () => {
  const map = buildTrafficMap({ requests: [requestSample(productpage, details, "details", 1)], tcpBytes: [] }, "workload");

  it("reads the workload behind a pod from its ReplicaSet, as Istio names it", () => {
    expect(pod("productpage-v1", "productpage", "v1", ["productpage"]).workload).toBe("productpage-v1");
  });

  it("marks workloads whose pods run istio-proxy, and those that do not", () => {
    const pods = [pod("productpage-v1", "productpage", "v1", ["productpage", "istio-proxy"]), pod("details-v1", "details", "v1", ["details"])];
    const withSidecars = appendSidecars(map, pods);
    expect(withSidecars.nodes.get(nodeId("workload", "bookinfo", "productpage-v1"))?.hasSidecar).toBe(true);
    expect(withSidecars.nodes.get(nodeId("workload", "bookinfo", "details-v1"))?.hasSidecar).toBe(false);
    expect(withSidecars.nodes.get(nodeId("service", "bookinfo", "details"))?.hasSidecar).toBeNull();
  });

  it("does not ask the control plane for a sidecar it runs without by design", () => {
    const istiod = { ...requestSample(productpage, details, "details", 1), metric: { ...requestSample(productpage, details, "details", 1).metric, destination_workload: "istiod", destination_workload_namespace: "bookinfo" } };
    const controlPlane = buildTrafficMap({ requests: [istiod], tcpBytes: [] }, "workload");
    expect(appendSidecars(controlPlane, [pod("istiod", "istiod", "", ["discovery"])]).nodes.get(nodeId("workload", "bookinfo", "istiod"))?.hasSidecar).toBeNull();
  });

  it("counts an app as meshed only when every pod has the proxy", () => {
    const appMap = buildTrafficMap({ requests: [requestSample(productpage, details, "details", 1)], tcpBytes: [] }, "app");
    const pods = [pod("details-v1", "details", "v1", ["details", "istio-proxy"]), pod("details-v2", "details", "v2", ["details"])];
    expect(appendSidecars(appMap, pods).nodes.get(nodeId("app", "bookinfo", "details"))?.hasSidecar).toBe(false);
  });
});
