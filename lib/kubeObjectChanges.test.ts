import { describe, expect, it } from "vitest";
import { changedOnlyInStatus } from "./kubeObjectChanges";

const read = {
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "HTTPRoute",
  metadata: { name: "catalog", namespace: "storefront", resourceVersion: "41", generation: 3, labels: { app: "catalog" }, managedFields: [{ manager: "console" }] },
  spec: { rules: [{ backendRefs: [{ name: "catalog-v1", weight: 80 }] }] },
  status: { parents: [{ controllerName: "istio.io/gateway-controller", conditions: [{ type: "Accepted", observedGeneration: 2 }] }] },
};

describe("changedOnlyInStatus", () => {
  it("counts a status write, with its new resourceVersion and field manager, as status only", () => {
    const current = structuredClone(read);
    current.metadata.resourceVersion = "42";
    current.metadata.managedFields.push({ manager: "pilot-discovery" });
    current.status.parents[0]!.conditions[0]!.observedGeneration = 3;
    expect(changedOnlyInStatus(read, current)).toBe(true);
    expect(changedOnlyInStatus(read, { ...read, status: undefined })).toBe(true);
  });

  it("counts any change to the spec, labels, annotations or generation as more than status", () => {
    const weight = structuredClone(read);
    weight.spec.rules[0]!.backendRefs[0]!.weight = 70;
    expect(changedOnlyInStatus(read, weight)).toBe(false);
    expect(changedOnlyInStatus(read, { ...read, metadata: { ...read.metadata, labels: { app: "catalog", "changed-by": "kubectl" } } })).toBe(false);
    expect(changedOnlyInStatus(read, { ...read, metadata: { ...read.metadata, annotations: { note: "x" } } })).toBe(false);
    expect(changedOnlyInStatus(read, { ...read, metadata: { ...read.metadata, generation: 4 } })).toBe(false);
    expect(changedOnlyInStatus(read, { ...read, metadata: { ...read.metadata, deletionTimestamp: "2026-12-07T00:00:00Z" } })).toBe(false);
  });
});
