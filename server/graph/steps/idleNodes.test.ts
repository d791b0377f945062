import { describe, expect, it } from "vitest";
import { nodeId } from "@/lib/graph/model";
import { gateway, productpage, requestSample } from "../testing/bookinfoSamples";
import { buildTrafficMap } from "../trafficMap";
import { appendIdleNodes } from "./idleNodes";

const inventory = {
  workloads: [
    { namespace: "bookinfo", name: "productpage-v1", app: "productpage", version: "v1", labels: {} },
    { namespace: "bookinfo", name: "reviews-v4", app: "reviews", version: "v4", labels: {} },
  ],
  services: [
    { namespace: "bookinfo", name: "productpage" },
    { namespace: "bookinfo", name: "reviews" },
  ],
  pods: [],
};

describe("appendIdleNodes", () => {
  const traffic = [requestSample(gateway, productpage, "productpage", 5)];

  it("adds deployed versions and services without traffic as idle nodes", () => {
    const map = appendIdleNodes(buildTrafficMap({ requests: traffic, tcpBytes: [] }, "versionedApp"), inventory);
    expect(map.nodes.get(nodeId("versionedApp", "bookinfo", "reviews", "v4"))).toMatchObject({ isIdle: true, health: "no-traffic" });
    expect(map.nodes.get(nodeId("service", "bookinfo", "reviews"))?.isIdle).toBe(true);
    expect(map.nodes.get(nodeId("versionedApp", "bookinfo", "productpage", "v1"))?.isIdle).toBe(false);
  });

  it("adds only services to the service graph", () => {
    const map = appendIdleNodes(buildTrafficMap({ requests: traffic, tcpBytes: [] }, "service"), inventory);
    expect([...map.nodes.values()].filter((node) => node.isIdle).map((node) => node.id)).toEqual([nodeId("service", "bookinfo", "reviews")]);
  });
});
