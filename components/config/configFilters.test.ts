import { describe, expect, it } from "vitest";
import { filterConfigRows, parseConfigFilters, writeConfigFilters } from "./configFilters";

const rows = [
  { kind: "VirtualService", name: "catalog", status: "error" as const },
  { kind: "DestinationRule", name: "catalog", status: "valid" as const },
  { kind: "Gateway", name: "lab-gateway", status: "error" as const },
  { kind: "VirtualService", name: "reviews", status: null },
];

describe("Istio config list filters", () => {
  it("read kind, name and status from the URL, ignoring values that are not one of them", () => {
    expect(parseConfigFilters(new URLSearchParams("kind=Gateway&q=lab&status=error"))).toEqual({ kind: "Gateway", text: "lab", status: "error" });
    expect(parseConfigFilters(new URLSearchParams("kind=Secret&status=broken"))).toEqual({ kind: "", text: "", status: "" });
    // The Gateway API kinds filter by their console keys; the API kind "Gateway" stays Istio's.
    expect(parseConfigFilters(new URLSearchParams("kind=HTTPRoute")).kind).toBe("HTTPRoute");
    expect(parseConfigFilters(new URLSearchParams("kind=K8sGateway")).kind).toBe("K8sGateway");
  });

  it("keep the rest of the URL and drop empty filters", () => {
    const next = writeConfigFilters(new URLSearchParams("namespaces=mesh-lab&kind=Gateway"), { kind: "", text: "cat", status: "valid" });
    expect(next.toString()).toBe("namespaces=mesh-lab&q=cat&status=valid");
  });

  it("show only the rows that match every filter", () => {
    expect(filterConfigRows(rows, { kind: "VirtualService", text: "", status: "" }).map((row) => row.name)).toEqual(["catalog", "reviews"]);
    expect(filterConfigRows(rows, { kind: "", text: "CAT", status: "" })).toHaveLength(2);
    expect(filterConfigRows(rows, { kind: "", text: "", status: "error" }).map((row) => row.kind)).toEqual(["VirtualService", "Gateway"]);
  });
});
