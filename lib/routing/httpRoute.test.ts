import { describe, expect, it } from "vitest";
import type { IHTTPRoute } from "@/lib/gatewayApi/types";
import {
  findServiceHttpRoute,
  gatewayDuration,
  httpRouteMatch,
  httpRouteWeights,
  mirrorOnHttpRoute,
  newHttpRoute,
  referencedVersionServices,
  routeRequestsOnHttpRoute,
  setHttpRouteTimeout,
  shiftHttpRouteWeights,
  versionOfBackend,
  versionService,
  withoutConsoleRules,
} from "./httpRoute";

const target = { namespace: "storefront", service: "catalog", port: 8080 };
const ref = { namespace: "storefront", service: "catalog" };

function catalogRoute(): IHTTPRoute {
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: { name: "catalog", namespace: "storefront", resourceVersion: "7", annotations: { owner: "team-a" } },
    spec: {
      parentRefs: [{ group: "", kind: "Service", name: "catalog", port: 8080 }],
      rules: [
        {
          matches: [{ headers: [{ name: "x-beta", value: "1" }] }],
          backendRefs: [{ name: "catalog-v2", port: 8080 }],
        },
        {
          timeouts: { request: "3s" },
          filters: [{ type: "RequestHeaderModifier", requestHeaderModifier: { add: [{ name: "x-via", value: "mesh" }] } }],
          backendRefs: [
            { name: "catalog-v1", port: 8080, weight: 80 },
            { name: "catalog-v2", port: 8080, weight: 20, filters: [{ type: "ResponseHeaderModifier", responseHeaderModifier: { add: [{ name: "x-canary", value: "yes" }] } }] },
          ],
        },
      ],
    },
  };
}

describe("findServiceHttpRoute", () => {
  const route = (name: string, parent: Record<string, unknown>, created = "2026-01-01T00:00:00Z"): IHTTPRoute => ({
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: { name, namespace: "storefront", creationTimestamp: created },
    spec: { parentRefs: [{ name: "catalog", ...parent }] },
  });
  it.each([
    ["a Service parent with the core group", [route("r", { group: "", kind: "Service" })], "r"],
    ["a Gateway parent (the default group and kind) is ingress, not mesh routing", [route("r", {})], undefined],
    ["a parent named kind Service in the gateway group is not the Service", [route("r", { group: "gateway.networking.k8s.io", kind: "Service" })], undefined],
    ["the route named after the service wins", [route("a", { group: "", kind: "Service" }, "2020-01-01T00:00:00Z"), route("catalog", { group: "", kind: "Service" })], "catalog"],
    ["else the oldest", [route("b", { group: "", kind: "Service" }, "2026-01-01T00:00:00Z"), route("a", { group: "", kind: "Service" }, "2027-01-01T00:00:00Z")], "b"],
    ["a parent in another namespace", [route("r", { group: "", kind: "Service", namespace: "other" })], undefined],
  ])("%s", (_case, routes, expected) => {
    expect(findServiceHttpRoute(routes, ref)?.metadata?.name).toBe(expected);
  });
});

describe("httpRouteWeights", () => {
  it.each([
    ["the default rule's percents", catalogRoute(), { v1: 80, v2: 20 }],
    ["no route", undefined, null],
    [
      "relative weights shown as percents",
      { ...catalogRoute(), spec: { rules: [{ backendRefs: [{ name: "catalog-v1", port: 8080, weight: 3 }, { name: "catalog-v2", port: 8080, weight: 1 }] }] } },
      { v1: 75, v2: 25 },
    ],
    ["an absent weight counts 1", { ...catalogRoute(), spec: { rules: [{ backendRefs: [{ name: "catalog-v1", port: 8080 }] }] } }, { v1: 100 }],
    ["the parent Service as a backend is not a split by version", { ...catalogRoute(), spec: { rules: [{ backendRefs: [{ name: "catalog", port: 8080 }] }] } }, null],
    ["only matched rules: no default split", { ...catalogRoute(), spec: { rules: [catalogRoute().spec.rules![0]!] } }, null],
  ])("%s", (_case, route, expected) => {
    expect(httpRouteWeights(route as IHTTPRoute | undefined, ref)).toEqual(expected);
  });
});

describe("shiftHttpRouteWeights", () => {
  it("writes the weights and leaves every other field as it was", () => {
    const before = catalogRoute();
    const after = shiftHttpRouteWeights(before, target, { v1: 50, v2: 50 });
    const expected = catalogRoute();
    expected.spec.rules![1]!.backendRefs![0]!.weight = 50;
    expected.spec.rules![1]!.backendRefs![1]!.weight = 50;
    expect(after).toEqual(expected);
    expect(before).toEqual(catalogRoute());
  });

  it("adds a backend for a version the route did not name yet", () => {
    const after = shiftHttpRouteWeights(catalogRoute(), target, { v1: 60, v2: 30, v3: 10 });
    expect(after.spec.rules![1]!.backendRefs).toEqual([
      { name: "catalog-v1", port: 8080, weight: 60 },
      expect.objectContaining({ name: "catalog-v2", weight: 30, filters: expect.any(Array) }),
      { name: "catalog-v3", port: 8080, weight: 10 },
    ]);
    expect(httpRouteWeights(after, ref)).toEqual({ v1: 60, v2: 30, v3: 10 });
  });

  it("gives a new route a default rule", () => {
    const after = shiftHttpRouteWeights(newHttpRoute(target, { "mesh-console.io/created-by": "mesh-console" }), target, { v1: 90, v2: 10 });
    expect(after.spec.parentRefs).toEqual([{ group: "", kind: "Service", name: "catalog", port: 8080 }]);
    expect(after.spec.rules).toEqual([{ name: "mesh-console-default", backendRefs: [{ name: "catalog-v1", port: 8080, weight: 90 }, { name: "catalog-v2", port: 8080, weight: 10 }] }]);
  });
});

describe("httpRouteMatch", () => {
  it.each([
    [{ on: "header", header: "end-user", type: "exact", value: "jason" }, { headers: [{ name: "end-user", type: "Exact", value: "jason" }] }],
    [{ on: "header", header: "end-user", type: "prefix", value: "a.b" }, { headers: [{ name: "end-user", type: "RegularExpression", value: "a\\.b.*" }] }],
    [{ on: "header", header: "end-user", type: "regex", value: "j.*" }, { headers: [{ name: "end-user", type: "RegularExpression", value: "j.*" }] }],
    [{ on: "uri", type: "exact", value: "/a" }, { path: { type: "Exact", value: "/a" } }],
    [{ on: "uri", type: "prefix", value: "/api" }, { path: { type: "PathPrefix", value: "/api" } }],
    [{ on: "uri", type: "regex", value: "/v[0-9]+" }, { path: { type: "RegularExpression", value: "/v[0-9]+" } }],
  ] as const)("%j", (match, expected) => {
    expect(httpRouteMatch(match)).toEqual(expected);
  });
});

describe("routeRequestsOnHttpRoute", () => {
  it("adds named match rules, sends the rest to the default version and replaces its own earlier rules", () => {
    const once = routeRequestsOnHttpRoute(catalogRoute(), target, { rules: [{ match: { on: "header", header: "end-user", type: "exact", value: "jason" }, subset: "v2" }], defaultSubset: "v1" });
    const twice = routeRequestsOnHttpRoute(once, target, { rules: [{ match: { on: "uri", type: "prefix", value: "/beta" }, subset: "v2" }], defaultSubset: "v1" });
    expect(twice.spec.rules!.map((rule) => rule.name ?? null)).toEqual([null, "mesh-console-match-1", null]);
    expect(twice.spec.rules![1]).toEqual({ name: "mesh-console-match-1", matches: [{ path: { type: "PathPrefix", value: "/beta" } }], backendRefs: [{ name: "catalog-v2", port: 8080 }] });
    expect(twice.spec.rules![2]!.backendRefs).toEqual([{ name: "catalog-v1", port: 8080 }]);
    expect(twice.spec.rules![2]!.timeouts).toEqual({ request: "3s" });
  });
});

describe("setHttpRouteTimeout", () => {
  it.each([
    ["sets the request timeout", { timeout: "10s" }, { request: "10s" }],
    ["writes fractions as milliseconds", { timeout: "1.5s" }, { request: "1500ms" }],
    ["removes it when none is given", {}, undefined],
  ])("%s", (_case, input, expected) => {
    expect(setHttpRouteTimeout(catalogRoute(), target, input, "v1").spec.rules![1]!.timeouts).toEqual(expected);
  });

  it.each([
    ["250ms", "250ms"],
    ["0.25s", "250ms"],
    ["2m", "2m"],
  ])("gatewayDuration(%s)", (input, expected) => expect(gatewayDuration(input)).toBe(expected));
});

describe("mirrorOnHttpRoute", () => {
  it("adds one RequestMirror filter with a percent, keeps other filters, and 0 removes it", () => {
    const mirrored = mirrorOnHttpRoute(catalogRoute(), target, { subset: "v2", percentage: 25 }, "v1");
    expect(mirrored.spec.rules![1]!.filters).toEqual([
      { type: "RequestHeaderModifier", requestHeaderModifier: { add: [{ name: "x-via", value: "mesh" }] } },
      { type: "RequestMirror", requestMirror: { backendRef: { name: "catalog-v2", port: 8080 }, percent: 25 } },
    ]);
    const moved = mirrorOnHttpRoute(mirrored, target, { subset: "v3", percentage: 5 }, "v1");
    expect(moved.spec.rules![1]!.filters!.filter((filter) => filter.type === "RequestMirror")).toHaveLength(1);
    expect(referencedVersionServices(moved, ref)).toEqual(["catalog-v1", "catalog-v2", "catalog-v3"]);
    expect(mirrorOnHttpRoute(mirrored, target, { subset: "v2", percentage: 0 }, "v1").spec.rules![1]!.filters).toEqual(catalogRoute().spec.rules![1]!.filters);
  });
});

describe("withoutConsoleRules", () => {
  it("keeps the person's rules and answers null when only the console's were left", () => {
    const routed = routeRequestsOnHttpRoute(catalogRoute(), target, { rules: [{ match: { on: "uri", type: "exact", value: "/x" }, subset: "v2" }], defaultSubset: "v1" });
    expect(withoutConsoleRules(routed)!.spec.rules).toHaveLength(2);
    expect(withoutConsoleRules(shiftHttpRouteWeights(newHttpRoute(target, {}), target, { v1: 100 }))).toBeNull();
  });
});

describe("version Services", () => {
  it("select the app and version with the parent's ports", () => {
    expect(versionService({ namespace: "storefront", service: "catalog", app: "catalog", ports: [{ name: "http", port: 8080, targetPort: 8080 }] }, "v3", { "mesh-console.io/created-by": "mesh-console" })).toEqual({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "catalog-v3", namespace: "storefront", labels: { "mesh-console.io/created-by": "mesh-console", app: "catalog", version: "v3" } },
      spec: { selector: { app: "catalog", version: "v3" }, ports: [{ name: "http", port: 8080, targetPort: 8080 }] },
    });
  });
  it.each([
    ["catalog-v2", "v2"],
    ["catalog", undefined],
    ["catalog-", undefined],
    ["web-v1", undefined],
  ])("versionOfBackend(%s)", (name, expected) => expect(versionOfBackend("catalog", name)).toBe(expected));
});
