import { describe, expect, it } from "vitest";
import {
  compareHttpMatches,
  hostnameMatches,
  httpMatchMatches,
  meshRoutesFor,
  parseGrpcPath,
  pathPrefixMatches,
  routeTargetsParent,
  selectGrpcRule,
  selectHttpRule,
  type GRPCRouteLike,
  type HTTPRouteLike,
  type RouteParent,
} from "./routeMatching";
import type { IHTTPRouteMatch, IHTTPRouteRule } from "./types";

const request = (path: string, extra: { host?: string; method?: string; headers?: Record<string, string> } = {}) => ({
  host: extra.host ?? "shop.example.com",
  path,
  method: extra.method ?? "GET",
  headers: extra.headers ?? {},
});

function route(name: string, rules: IHTTPRouteRule[], extra: { namespace?: string; hostnames?: string[]; created?: string } = {}): HTTPRouteLike {
  return {
    metadata: { name, namespace: extra.namespace ?? "storefront", creationTimestamp: extra.created ?? "2026-01-01T00:00:00Z" },
    spec: { parentRefs: [{ name: "storefront-gateway" }], hostnames: extra.hostnames, rules },
  };
}

const to = (name: string) => [{ name, port: 8080 }];

describe("hostname matching", () => {
  it.each([
    ["shop.example.com", "shop.example.com", true],
    ["shop.example.com", "SHOP.example.com:8080", true],
    ["*.example.com", "shop.example.com", true],
    ["*.example.com", "a.b.example.com", true],
    ["*.example.com", "example.com", false],
    ["*.example.com", "shop.example.org", false],
    ["shop.example.com", "api.example.com", false],
  ])("%s against %s: %s", (pattern, host, expected) => {
    expect(hostnameMatches(pattern, host)).toBe(expected);
  });
});

describe("path matching", () => {
  it.each([
    ["/abc", "/abc", true],
    ["/abc", "/abc/", true],
    ["/abc", "/abc/def", true],
    ["/abc", "/abcd", false],
    ["/abc/", "/abc", true],
    ["/", "/anything", true],
  ])("PathPrefix %s on %s: %s", (prefix, path, expected) => {
    expect(pathPrefixMatches(prefix, path)).toBe(expected);
  });

  it.each<[IHTTPRouteMatch, string, boolean]>([
    [{ path: { type: "Exact", value: "/cart" } }, "/cart", true],
    [{ path: { type: "Exact", value: "/cart" } }, "/cart/", false],
    [{ path: { type: "Exact", value: "/cart" } }, "/cart?x=1", true],
    [{ path: { type: "RegularExpression", value: "/items/[0-9]+" } }, "/items/42", true],
    [{ path: { type: "RegularExpression", value: "/items/[0-9]+" } }, "/items/42/x", false],
    [{ path: { type: "RegularExpression", value: "(" } }, "/(", false],
    [{ method: "POST" }, "/", false],
    [{ headers: [{ name: "End-User", value: "jason" }] }, "/", true],
    [{ headers: [{ name: "end-user", value: "jas.*", type: "RegularExpression" }] }, "/", true],
    [{ headers: [{ name: "x-missing", value: "" }] }, "/", false],
    [{ queryParams: [{ name: "v", value: "2" }] }, "/p?v=2", true],
    [{ queryParams: [{ name: "V", value: "2" }] }, "/p?v=2", false],
  ])("%j on %s: %s", (match, path, expected) => {
    expect(httpMatchMatches(match, request(path, { headers: { "end-user": "jason" } }))).toBe(expected);
  });

  it("defaults a match without a path to PathPrefix /", () => {
    expect(httpMatchMatches({}, request("/x/y"))).toBe(true);
    expect(httpMatchMatches(undefined, request("/x/y"))).toBe(true);
  });
});

describe("precedence", () => {
  it("orders exact over the longest prefix over regex, then method, headers, query", () => {
    const ordered: IHTTPRouteMatch[] = [
      { path: { type: "Exact", value: "/a" } },
      { path: { type: "PathPrefix", value: "/a/b" } },
      { path: { type: "PathPrefix", value: "/a" }, method: "GET" },
      { path: { type: "PathPrefix", value: "/a" }, headers: [{ name: "x", value: "1" }, { name: "y", value: "1" }] },
      { path: { type: "PathPrefix", value: "/a" }, headers: [{ name: "x", value: "1" }] },
      { path: { type: "PathPrefix", value: "/a" }, queryParams: [{ name: "q", value: "1" }] },
      { path: { type: "PathPrefix", value: "/a" } },
      { path: { type: "RegularExpression", value: "/a.*" } },
    ];
    const shuffled = [...ordered].reverse();
    expect(shuffled.sort(compareHttpMatches)).toEqual(ordered);
  });

  it("picks the exact path of a younger route over a prefix of an older one", () => {
    const older = route("older", [{ matches: [{ path: { type: "PathPrefix", value: "/cart" } }], backendRefs: to("a") }], { created: "2026-01-01T00:00:00Z" });
    const younger = route("younger", [{ matches: [{ path: { type: "Exact", value: "/cart" } }], backendRefs: to("b") }], { created: "2026-02-01T00:00:00Z" });
    expect(selectHttpRule([older, younger], request("/cart"))?.route).toBe(younger);
    expect(selectHttpRule([older, younger], request("/cart/1"))?.route).toBe(older);
  });

  it("breaks ties by the oldest route, then namespace/name, then rule order", () => {
    const same = { matches: [{ path: { type: "PathPrefix" as const, value: "/" } }], backendRefs: to("x") };
    const b = route("b", [same], { created: "2026-01-01T00:00:00Z" });
    const a = route("a", [same], { created: "2026-03-01T00:00:00Z" });
    expect(selectHttpRule([a, b], request("/"))?.route).toBe(b);
    const a2 = route("a", [same]);
    const b2 = route("b", [same]);
    expect(selectHttpRule([b2, a2], request("/"))?.route).toBe(a2);
    const twoRules = route("r", [{ ...same, backendRefs: to("first") }, { ...same, backendRefs: to("second") }]);
    expect(selectHttpRule([twoRules], request("/"))?.ruleIndex).toBe(0);
  });

  it("prefers a more specific hostname and does not fall back to a wildcard route", () => {
    const wildcard = route("wild", [{ backendRefs: to("w") }], { hostnames: ["*.example.com"] });
    const exact = route("exact", [{ matches: [{ path: { type: "Exact", value: "/only" } }], backendRefs: to("e") }], { hostnames: ["shop.example.com"] });
    expect(selectHttpRule([wildcard, exact], request("/only"))?.route).toBe(exact);
    expect(selectHttpRule([wildcard, exact], request("/other"))).toBeUndefined();
    expect(selectHttpRule([wildcard, exact], request("/other", { host: "api.example.com" }))?.route).toBe(wildcard);
    expect(selectHttpRule([exact], request("/only", { host: "api.example.com" }))).toBeUndefined();
  });

  it("ignores hostnames for mesh routes", () => {
    const mesh = route("catalog", [{ backendRefs: to("catalog-v1") }], { hostnames: ["elsewhere.example.com"] });
    expect(selectHttpRule([mesh], request("/", { host: "catalog.storefront.svc.cluster.local" }), { ignoreHostnames: true })?.route).toBe(mesh);
  });

  it("takes a rule without matches as matching every request", () => {
    const r = route("r", [{ matches: [{ path: { type: "Exact", value: "/x" } }] }, { backendRefs: to("all") }]);
    const choice = selectHttpRule([r], request("/y"));
    expect(choice?.ruleIndex).toBe(1);
    expect(choice?.matchIndex).toBe(-1);
  });
});

describe("parents", () => {
  const gateway: RouteParent = { kind: "Gateway", namespace: "storefront", name: "storefront-gateway", listener: { name: "http", port: 80, hostname: "shop.example.com" } };
  const withRef = (ref: Record<string, unknown>, namespace = "storefront"): HTTPRouteLike => ({ metadata: { name: "r", namespace }, spec: { parentRefs: [ref as never] } });

  it.each([
    [{ name: "storefront-gateway" }, true],
    [{ name: "storefront-gateway", sectionName: "http" }, true],
    [{ name: "storefront-gateway", sectionName: "https" }, false],
    [{ name: "storefront-gateway", port: 443 }, false],
    [{ name: "storefront-gateway", kind: "Service", group: "" }, false],
    [{ name: "other" }, false],
  ])("gateway parentRef %j: %s", (ref, expected) => {
    expect(routeTargetsParent(withRef(ref), gateway)).toBe(expected);
  });

  it("a parentRef's namespace defaults to the route's", () => {
    expect(routeTargetsParent(withRef({ name: "storefront-gateway" }, "other"), gateway)).toBe(false);
    expect(routeTargetsParent(withRef({ name: "storefront-gateway", namespace: "storefront" }, "other"), gateway)).toBe(true);
  });

  it("GAMMA: a Service parent with group \"\"; its port must match when given; consumer routes win over producer routes", () => {
    const service = { namespace: "storefront", name: "catalog", port: 8080 };
    const producer = withRef({ group: "", kind: "Service", name: "catalog", port: 8080 });
    const wrongPort = withRef({ group: "", kind: "Service", name: "catalog", port: 9090 });
    const consumer = withRef({ group: "", kind: "Service", name: "catalog", namespace: "storefront" }, "shoppers");
    expect(meshRoutesFor([producer, wrongPort, consumer], service, "storefront")).toEqual([producer]);
    expect(meshRoutesFor([producer, consumer], service, "shoppers")).toEqual([consumer]);
    expect(meshRoutesFor([producer, consumer], service, "elsewhere")).toEqual([producer]);
  });
});

describe("GRPCRoute", () => {
  const grpc = (name: string, rules: GRPCRouteLike["spec"] extends infer S ? (S extends { rules?: infer R } ? R : never) : never): GRPCRouteLike => ({
    metadata: { name, namespace: "storefront" },
    spec: { rules },
  });
  const call = (service: string, method: string, headers: Record<string, string> = {}) => ({ host: "inventory", service, method, headers });

  it("matches service and method exactly or by regular expression, longer service first", () => {
    const r = grpc("inventory", [
      { matches: [{ method: { service: "shop.Inventory" } }], backendRefs: to("any-method") },
      { matches: [{ method: { service: "shop.Inventory", method: "Reserve" } }], backendRefs: to("reserve") },
      { matches: [{ method: { type: "RegularExpression", service: "shop\\..*", method: "Get.*" } }], backendRefs: to("getters") },
    ]);
    expect(selectGrpcRule([r], call("shop.Inventory", "Reserve"), { ignoreHostnames: true })?.ruleIndex).toBe(1);
    expect(selectGrpcRule([r], call("shop.Inventory", "List"), { ignoreHostnames: true })?.ruleIndex).toBe(0);
    expect(selectGrpcRule([r], call("shop.Catalog", "GetItem"), { ignoreHostnames: true })?.ruleIndex).toBe(2);
    expect(selectGrpcRule([r], call("other.Catalog", "GetItem"), { ignoreHostnames: true })).toBeUndefined();
  });

  it("counts header matches after service and method", () => {
    const r = grpc("inventory", [
      { matches: [{ method: { service: "shop.Inventory" } }], backendRefs: to("plain") },
      { matches: [{ method: { service: "shop.Inventory" }, headers: [{ name: "x-tier", value: "gold" }] }], backendRefs: to("gold") },
    ]);
    expect(selectGrpcRule([r], call("shop.Inventory", "Get", { "x-tier": "gold" }), { ignoreHostnames: true })?.ruleIndex).toBe(1);
    expect(selectGrpcRule([r], call("shop.Inventory", "Get"), { ignoreHostnames: true })?.ruleIndex).toBe(0);
  });

  it("reads service and method from the gRPC path", () => {
    expect(parseGrpcPath("/shop.Inventory/Reserve")).toEqual({ service: "shop.Inventory", method: "Reserve" });
    expect(parseGrpcPath("/not-grpc")).toBeUndefined();
  });
});
