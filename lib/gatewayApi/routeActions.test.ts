import { describe, expect, it } from "vitest";
import {
  applyGrpcRule,
  applyHeaderFilter,
  applyHttpRule,
  modifiedPath,
  parseGatewayDurationMs,
  ruleTimeouts,
  weightedBackends,
  type BackendKey,
  type BackendResolution,
  type RequestFacts,
} from "./routeActions";
import type { IHTTPBackendRef, IHTTPRouteRule } from "./types";

const existing = new Set(["storefront/catalog-v1", "storefront/catalog-v2"]);
const resolve = (backend: BackendKey): BackendResolution<string> =>
  existing.has(`${backend.namespace}/${backend.name}`) ? { ok: true, target: backend.name } : { ok: false, reason: `Service ${backend.namespace}/${backend.name} not found` };

const summary = (refs: IHTTPBackendRef[] | undefined) =>
  weightedBackends(refs, "storefront", resolve).map((s) => [s.kind === "backend" ? s.target : `${s.status}`, s.share]);

describe("weighted backends", () => {
  it.each<[string, IHTTPBackendRef[] | undefined, Array<[string, number]>]>([
    ["80/20", [{ name: "catalog-v1", weight: 80 }, { name: "catalog-v2", weight: 20 }], [["catalog-v1", 0.8], ["catalog-v2", 0.2]]],
    ["weights need not sum to 100", [{ name: "catalog-v1", weight: 3 }, { name: "catalog-v2", weight: 1 }], [["catalog-v1", 0.75], ["catalog-v2", 0.25]]],
    ["default weight 1", [{ name: "catalog-v1" }, { name: "catalog-v2" }], [["catalog-v1", 0.5], ["catalog-v2", 0.5]]],
    ["weight 0 gets nothing", [{ name: "catalog-v1", weight: 100 }, { name: "catalog-v2", weight: 0 }], [["catalog-v1", 1]]],
    ["all zero answers 500", [{ name: "catalog-v1", weight: 0 }, { name: "catalog-v2", weight: 0 }], [["500", 1]]],
    ["no backends answer 500", undefined, [["500", 1]]],
    ["a missing Service answers 500 for its share", [{ name: "catalog-v1", weight: 1 }, { name: "catalog-v9", weight: 1 }], [["catalog-v1", 0.5], ["500", 0.5]]],
  ])("%s", (_name, refs, expected) => {
    expect(summary(refs)).toEqual(expected);
  });

  it("applies the CRD defaults to a backendRef (group \"\", kind Service, the route's namespace)", () => {
    const [share] = weightedBackends([{ name: "catalog-v1", port: 8080 }], "storefront", (b) => ({ ok: true, target: b }));
    expect(share).toMatchObject({ kind: "backend", target: { group: "", kind: "Service", namespace: "storefront", name: "catalog-v1", port: 8080, weight: 1 } });
  });
});

describe("durations and timeouts", () => {
  it.each<[string, number | undefined]>([
    ["10s", 10_000],
    ["500ms", 500],
    ["1h30m", 5_400_000],
    ["1m1s1ms", 61_001],
    ["0s", 0],
    ["1.5s", undefined],
    ["10", undefined],
  ])("%s", (text, ms) => {
    expect(parseGatewayDurationMs(text)).toBe(ms);
  });

  it("reads request and backendRequest; a zero duration disables the timeout", () => {
    expect(ruleTimeouts({ timeouts: { request: "2s", backendRequest: "500ms" } })).toEqual({ requestMs: 2000, backendRequestMs: 500 });
    expect(ruleTimeouts({ timeouts: { request: "0s" } })).toEqual({});
    expect(ruleTimeouts({})).toEqual({});
  });
});

describe("filters", () => {
  const incoming: RequestFacts = { scheme: "http", host: "shop.example.com", port: 80, path: "/shop/cart?x=1", headers: { "x-keep": "a", "x-drop": "b" } };
  const prefixMatch = { path: { type: "PathPrefix" as const, value: "/shop" } };

  it("modifies request headers: set replaces, add appends, remove deletes", () => {
    expect(applyHeaderFilter({ "X-Keep": "a", "x-drop": "b" }, { set: [{ name: "X-Keep", value: "z" }], add: [{ name: "x-keep", value: "y" }], remove: ["X-Drop"] })).toEqual({ "x-keep": "z,y" });
  });

  it.each([
    [{ type: "ReplaceFullPath", replaceFullPath: "/v2" }, "/v2?x=1"],
    [{ type: "ReplacePrefixMatch", replacePrefixMatch: "/store" }, "/store/cart?x=1"],
    [{ type: "ReplacePrefixMatch", replacePrefixMatch: "/" }, "/cart?x=1"],
  ])("rewrites the path with %j", (modifier, expected) => {
    expect(modifiedPath("/shop/cart?x=1", modifier, prefixMatch)).toBe(expected);
  });

  it("redirects with 302 by default and calls no backend", () => {
    const rule: IHTTPRouteRule = { filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https" } }], backendRefs: [{ name: "catalog-v1" }] };
    const outcome = applyHttpRule(rule, prefixMatch, "storefront", incoming, resolve);
    expect(outcome).toEqual({ kind: "redirect", redirect: { statusCode: 302, location: "https://shop.example.com/shop/cart?x=1" } });
    const moved = applyHttpRule({ filters: [{ type: "RequestRedirect", requestRedirect: { statusCode: 301, hostname: "new.example.com", port: 8080 } }] }, prefixMatch, "storefront", incoming, resolve);
    expect(moved.kind === "redirect" && moved.redirect).toEqual({ statusCode: 301, location: "http://new.example.com:8080/shop/cart?x=1" });
  });

  it("forwards the rewritten request, with mirrors by percent or fraction, and the split", () => {
    const rule: IHTTPRouteRule = {
      filters: [
        { type: "RequestHeaderModifier", requestHeaderModifier: { add: [{ name: "x-canary", value: "1" }], remove: ["x-drop"] } },
        { type: "URLRewrite", urlRewrite: { hostname: "catalog.internal", path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/api" } } },
        { type: "RequestMirror", requestMirror: { backendRef: { name: "catalog-v2", port: 8080 }, percent: 25 } },
        { type: "RequestMirror", requestMirror: { backendRef: { name: "catalog-v1", port: 8080 }, fraction: { numerator: 1, denominator: 8 } } },
        { type: "ResponseHeaderModifier", responseHeaderModifier: { set: [{ name: "cache-control", value: "no-store" }] } },
      ],
      backendRefs: [{ name: "catalog-v1", weight: 9 }, { name: "catalog-v2", weight: 1 }],
      timeouts: { request: "3s" },
    };
    const outcome = applyHttpRule(rule, prefixMatch, "storefront", incoming, resolve);
    if (outcome.kind !== "forward") throw new Error("expected forward");
    expect(outcome.request).toMatchObject({ host: "catalog.internal", path: "/api/cart?x=1", headers: { "x-keep": "a", "x-canary": "1" } });
    expect(outcome.request.headers).not.toHaveProperty("x-drop");
    expect(outcome.mirrors.map((m) => [m.backend.name, m.share])).toEqual([["catalog-v2", 0.25], ["catalog-v1", 0.125]]);
    expect(outcome.backends.map((b) => b.share)).toEqual([0.9, 0.1]);
    expect(outcome.responseHeaders?.set?.[0]?.name).toBe("cache-control");
    expect(outcome.timeouts).toEqual({ requestMs: 3000 });
  });

  it("mirrors everything when neither percent nor fraction is given", () => {
    const outcome = applyGrpcRule({ filters: [{ type: "RequestMirror", requestMirror: { backendRef: { name: "catalog-v2" } } }], backendRefs: [{ name: "catalog-v1" }] }, "storefront", incoming, resolve);
    expect(outcome.mirrors[0]?.share).toBe(1);
    expect(outcome.backends).toHaveLength(1);
  });
});
