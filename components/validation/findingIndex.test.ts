import { describe, expect, it } from "vitest";
import type { Finding } from "@/lib/validation/finding";
import { findingHref, indexFindings } from "./findingIndex";

const subsetMissing: Finding = {
  code: "IST0101",
  severity: "error",
  message: 'Referenced subset not found: "v2"',
  object: { kind: "VirtualService", namespace: "mesh-lab", name: "catalog" },
  path: "spec.http[0].route[1].destination.subset",
};
const portName: Finding = { code: "IST0118", severity: "info", message: "Port web names no protocol", object: { kind: "Service", namespace: "mesh-lab", name: "legacy" }, path: "spec.ports[0].name" };
const gatewayPort: Finding = { code: "IST0162", severity: "warning", message: "Port 8080 unreachable", object: { kind: "VirtualService", namespace: "mesh-lab", name: "catalog" }, path: "" };

describe("finding index", () => {
  const index = indexFindings([subsetMissing, portName, gatewayPort]);

  it("gives each object its worst severity, and valid when it has no finding", () => {
    expect(index.statusOf("VirtualService", "mesh-lab", "catalog")).toBe("error");
    expect(index.statusOf("Service", "mesh-lab", "legacy")).toBe("info");
    expect(index.statusOf("Service", "mesh-lab", "web")).toBe("valid");
    expect(index.of("VirtualService", "mesh-lab", "catalog")).toHaveLength(2);
  });

  it("counts findings per namespace by severity", () => {
    expect(index.countsIn("mesh-lab")).toEqual({ error: 1, warning: 1, info: 1 });
    expect(index.countsIn("bookinfo")).toEqual({ error: 0, warning: 0, info: 0 });
  });

  it("links Istio config at the field, and services and deployments to their pages", () => {
    expect(findingHref(subsetMissing)).toBe("/istio/mesh-lab/VirtualService/catalog?field=spec.http%5B0%5D.route%5B1%5D.destination.subset");
    expect(findingHref(portName)).toBe("/services/mesh-lab/legacy");
    expect(findingHref({ ...portName, object: { kind: "Pod", namespace: "mesh-lab", name: "legacy-abc" } })).toBeUndefined();
    expect(findingHref({ ...portName, object: { kind: "Deployment", namespace: "ambient-lab", name: "notes" } })).toBe("/workloads/ambient-lab/notes");
    expect(findingHref({ ...portName, object: { kind: "Namespace", namespace: "", name: "ambient-lab" } })).toBe("/?namespaces=ambient-lab");
  });

  it("links Gateway API findings by the console's kind keys, cluster-scoped ones under the cluster segment", () => {
    expect(findingHref({ ...subsetMissing, object: { kind: "HTTPRoute", namespace: "mesh-lab", name: "reports" }, path: "spec.rules[0].backendRefs[0].name" })).toBe(
      "/istio/mesh-lab/HTTPRoute/reports?field=spec.rules%5B0%5D.backendRefs%5B0%5D.name",
    );
    expect(findingHref({ ...subsetMissing, object: { kind: "K8sGateway", namespace: "storefront", name: "storefront-gateway" }, path: "" })).toBe("/istio/storefront/K8sGateway/storefront-gateway");
    expect(findingHref({ ...subsetMissing, object: { kind: "GatewayClass", namespace: "", name: "istio" }, path: "" })).toBe("/istio/_cluster/GatewayClass/istio");
  });
});
