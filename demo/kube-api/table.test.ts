import { describe, expect, it } from "vitest";
import type { KubeObject } from "./object";
import { RESOURCE_TYPES } from "./resources";
import { evaluateColumnPath, toTable } from "./table";

const gatewayType = RESOURCE_TYPES.find((t) => t.group === "gateway.networking.k8s.io" && t.kind === "Gateway");

const gateway: KubeObject = {
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "Gateway",
  metadata: { name: "storefront-gateway", namespace: "storefront", uid: "u", resourceVersion: "1", creationTimestamp: "2026-01-01T00:00:00Z" },
  spec: { gatewayClassName: "istio" },
  status: {
    addresses: [{ type: "IPAddress", value: "10.0.0.7" }, { type: "Hostname", value: "storefront-gateway-istio.storefront.svc.cluster.local" }],
    conditions: [{ type: "Accepted", status: "True" }, { type: "Programmed", status: "False" }],
  },
};

describe("printer columns", () => {
  it("read the JSONPath forms CRDs use: fields, [*], [n] and [?(@.k==\"v\")]", () => {
    expect(evaluateColumnPath(gateway, ".spec.gatewayClassName")).toEqual(["istio"]);
    expect(evaluateColumnPath(gateway, ".status.addresses[*].value")).toEqual(["10.0.0.7", "storefront-gateway-istio.storefront.svc.cluster.local"]);
    expect(evaluateColumnPath(gateway, ".status.addresses[1].type")).toEqual(["Hostname"]);
    expect(evaluateColumnPath(gateway, '.status.conditions[?(@.type=="Programmed")].status')).toEqual(["False"]);
    expect(evaluateColumnPath(gateway, ".status.listeners[*].name")).toEqual([]);
  });

  it("print a Gateway as kubectl shows it with the Gateway API's CRDs", () => {
    const table = toTable(gatewayType!, [gateway], "None", {});
    expect(table.columnDefinitions.map((c) => c.name)).toEqual(["Name", "Class", "Address", "Programmed", "Age"]);
    // The first address only, as kube-apiserver prints a column with several results.
    expect(table.rows[0]?.cells.slice(0, 4)).toEqual(["storefront-gateway", "istio", "10.0.0.7", "False"]);
    const fresh = toTable(gatewayType!, [{ ...gateway, status: undefined }], "None", {});
    expect(fresh.rows[0]?.cells.slice(0, 4)).toEqual(["storefront-gateway", "istio", null, null]);
  });
});
