import { describe, expect, it } from "vitest";
import { decideRoutingApi } from "./routingApi";

describe("decideRoutingApi", () => {
  it.each([
    ["no routing: the configured default", {}, { api: "virtualservice", choosable: true }],
    ["no routing: the configured default, Gateway API", { configuredDefault: "gateway-api" }, { api: "gateway-api", choosable: true }],
    ["no routing: the person's choice over the default", { requested: "gateway-api" }, { api: "gateway-api", choosable: true }],
    ["a VirtualService routes it", { virtualService: "reviews" }, { api: "virtualservice", choosable: false }],
    ["an HTTPRoute routes it", { httpRoute: "reviews" }, { api: "gateway-api", choosable: false }],
  ] as const)("%s", (_case, input, expected) => {
    expect(decideRoutingApi({ service: "reviews", configuredDefault: "virtualservice", ...input })).toEqual(expected);
  });

  it("edits the HTTPRoute when both route the service, and says why", () => {
    const decision = decideRoutingApi({ service: "reviews", virtualService: "reviews-vs", httpRoute: "reviews", configuredDefault: "virtualservice" });
    expect(decision.api).toBe("gateway-api");
    expect(decision.note).toMatch(/Istio uses the HTTPRoute/);
  });

  it.each([
    [{ httpRoute: "reviews", requested: "virtualservice" }, /routed by HTTPRoute reviews/],
    [{ virtualService: "reviews", requested: "gateway-api" }, /routed by VirtualService reviews/],
  ] as const)("refuses the API not in force: %j", (input, message) => {
    expect(decideRoutingApi({ service: "reviews", configuredDefault: "virtualservice", ...input }).refusal).toMatch(message);
  });
});
