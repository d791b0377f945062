import { describe, expect, it } from "vitest";
import { describeParentRef, reportedStatusOf } from "./reportedStatus";

const accepted = (type: string, status = "True", reason = type) => ({ type, status, reason, message: "", lastTransitionTime: "2026-01-01T00:00:00Z" });

describe("reportedStatusOf", () => {
  it("reads a route accepted by every parent as ok", () => {
    const route = {
      metadata: { namespace: "storefront" },
      status: { parents: [{ parentRef: { group: "", kind: "Service", name: "catalog", port: 8080 }, controllerName: "istio.io/gateway-controller", conditions: [accepted("Accepted"), accepted("ResolvedRefs")] }] },
    };
    const status = reportedStatusOf("HTTPRoute", route);
    expect(status.state).toBe("ok");
    expect(status.summary).toBe("Accepted, ResolvedRefs");
    expect(status.groups[0]?.subject).toBe("parent Service storefront/catalog:8080");
  });

  it("names the first failing condition and its reason", () => {
    const route = {
      metadata: { namespace: "storefront" },
      status: {
        parents: [
          { parentRef: { name: "storefront-gateway", sectionName: "http" }, conditions: [accepted("Accepted", "False", "NotAllowedByListeners"), accepted("ResolvedRefs", "False", "BackendNotFound")] },
        ],
      },
    };
    const status = reportedStatusOf("HTTPRoute", route);
    expect(status.state).toBe("problem");
    expect(status.summary).toBe("Accepted False: NotAllowedByListeners (+1 more)");
    expect(status.groups[0]?.failing.map((condition) => condition.reason)).toEqual(["NotAllowedByListeners", "BackendNotFound"]);
  });

  it("counts a missing required condition as a problem", () => {
    const gateway = { status: { conditions: [accepted("Accepted")] } };
    const status = reportedStatusOf("Gateway", gateway);
    expect(status.state).toBe("problem");
    expect(status.summary).toBe("Programmed Unknown: NotReported");
  });

  it("checks every listener of a Gateway", () => {
    const gateway = { status: { conditions: [accepted("Accepted"), accepted("Programmed")], listeners: [{ name: "http", attachedRoutes: 1, conditions: [accepted("Accepted"), accepted("Programmed", "False", "Invalid")] }] } };
    const status = reportedStatusOf("Gateway", gateway);
    expect(status.state).toBe("problem");
    expect(status.groups.map((entry) => entry.subject)).toEqual(["Gateway", "listener http"]);
  });

  it("says when nothing has been reported yet", () => {
    expect(reportedStatusOf("HTTPRoute", { spec: {} }).state).toBe("pending");
    expect(reportedStatusOf("GatewayClass", { status: { conditions: [] } }).state).toBe("pending");
  });
});

describe("describeParentRef", () => {
  it("defaults to a Gateway in the route's namespace", () => {
    expect(describeParentRef({ name: "gw" }, "shop")).toBe("Gateway shop/gw");
    expect(describeParentRef({ name: "gw", namespace: "ingress", sectionName: "https" }, "shop")).toBe("Gateway ingress/gw (listener https)");
  });
});
