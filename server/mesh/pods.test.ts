import { describe, expect, it } from "vitest";
import { selectorMatches, summarizePod } from "./pods";

const basePod = {
  metadata: { name: "reviews-v2-abc", namespace: "bookinfo", labels: { app: "reviews", version: "v2" } },
  status: { phase: "Running", containerStatuses: [{ name: "reviews", ready: true, restartCount: 1 }, { name: "istio-proxy", ready: true, restartCount: 2 }] },
};

describe("summarizePod", () => {
  it("finds the sidecar and its proxy version from the image tag", () => {
    const pod = summarizePod({ ...basePod, spec: { containers: [{ name: "reviews", image: "reviews:1" }, { name: "istio-proxy", image: "registry.local:5000/istio/proxyv2:1.24.2" }] } });
    expect(pod).toMatchObject({ hasSidecar: true, proxyVersion: "1.24.2", ready: true, restarts: 3, phase: "Running" });
  });

  it("recognises native sidecars, which run as init containers that keep running", () => {
    const pod = summarizePod({ ...basePod, spec: { containers: [{ name: "reviews" }], initContainers: [{ name: "istio-proxy", image: "proxyv2:1.25.0", restartPolicy: "Always" }] } });
    expect(pod.hasSidecar).toBe(true);
    expect(pod.proxyVersion).toBe("1.25.0");
  });

  it("names the workload Istio reports: the Deployment behind the ReplicaSet, else the owner, else the pod", () => {
    const owned = (kind: string, name: string) => ({ ...basePod, metadata: { ...basePod.metadata, labels: { ...basePod.metadata.labels, "pod-template-hash": "abc" }, ownerReferences: [{ kind, name }] } });
    expect(summarizePod(owned("ReplicaSet", "reviews-v2-abc")).workload).toBe("reviews-v2");
    expect(summarizePod(owned("StatefulSet", "reviews-db")).workload).toBe("reviews-db");
    expect(summarizePod(basePod).workload).toBe("reviews-v2-abc");
  });

  it("does not take an init container named istio-proxy that exits for a sidecar", () => {
    expect(summarizePod({ ...basePod, spec: { containers: [{ name: "reviews" }], initContainers: [{ name: "istio-proxy" }] } }).hasSidecar).toBe(false);
  });

  it("reports a pod without a sidecar", () => {
    expect(summarizePod({ ...basePod, spec: { containers: [{ name: "reviews" }] } }).hasSidecar).toBe(false);
  });
});

describe("selectorMatches", () => {
  it("needs every selector label, and an empty selector selects nothing", () => {
    expect(selectorMatches({ app: "reviews" }, { app: "reviews", version: "v1" })).toBe(true);
    expect(selectorMatches({ app: "reviews", version: "v3" }, { app: "reviews", version: "v1" })).toBe(false);
    expect(selectorMatches({}, { app: "reviews" })).toBe(false);
  });
});
