import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { yamlOf } from "./apply";
import { CREATED_BY_LABEL, type VirtualService } from "./istioObjects";
import { faultInjection, mirroring, requestRouting, timeouts, trafficShift } from "./routeWizards";
import { REVIEWS, sampleMissing, sampleVirtualService } from "./testObjects";
import { configuredWeights, referencedSubsets, withoutConsoleRoutes } from "./virtualService";

/** A reviews VirtualService someone wrote by hand, with things the wizards do not manage. */
function handWritten(): VirtualService {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "VirtualService",
    metadata: { name: "reviews", namespace: "bookinfo", resourceVersion: "12", labels: { team: "books" }, annotations: { "owner.example.com/ticket": "BOOK-1" } },
    spec: {
      hosts: ["reviews", "reviews-preview"],
      exportTo: ["."],
      http: [
        { name: "preview", match: [{ authority: { exact: "reviews-preview" } }], route: [{ destination: { host: "reviews-preview" } }] },
        { name: "jason", match: [{ headers: { "end-user": { exact: "jason" } } }], route: [{ destination: { host: "reviews", subset: "v2" } }] },
        { name: "main", timeout: "3s", route: [{ destination: { host: "reviews", subset: "v1", port: { number: 9080 } } }] },
      ],
    },
  };
}

describe("traffic shifting", () => {
  it("creates a reviews VirtualService with an 80/20 split when there is none, marked as the console's", () => {
    const vs = trafficShift(undefined, REVIEWS, { v1: 80, v2: 20, v3: 0 });
    expect(parse(yamlOf(vs)!)).toEqual({
      apiVersion: "networking.istio.io/v1",
      kind: "VirtualService",
      metadata: { name: "reviews", namespace: "bookinfo", labels: { [CREATED_BY_LABEL]: "mesh-console" } },
      spec: {
        hosts: ["reviews"],
        http: [
          {
            name: "mesh-console-default",
            route: [
              { destination: { host: "reviews", subset: "v1" }, weight: 80 },
              { destination: { host: "reviews", subset: "v2" }, weight: 20 },
            ],
          },
        ],
      },
    });
  });

  it("moves Istio's Bookinfo 80/20 sample to 50/50 in place", () => {
    if (sampleMissing()) return;
    const sample = sampleVirtualService("virtual-service-reviews-80-20.yaml")!;
    const vs = trafficShift(sample, REVIEWS, { v1: 50, v2: 50 });
    expect(configuredWeights(sample, REVIEWS)).toEqual({ v1: 80, v2: 20 });
    expect(vs.spec.http).toHaveLength(1);
    expect(vs.spec.http![0]!.route).toEqual([
      { destination: { host: "reviews", subset: "v1" }, weight: 50 },
      { destination: { host: "reviews", subset: "v2" }, weight: 50 },
    ]);
    expect(vs.metadata.labels?.[CREATED_BY_LABEL]).toBeUndefined();
  });

  it("splits the sample's catch-all route and leaves its jason rule alone", () => {
    if (sampleMissing()) return;
    const sample = sampleVirtualService("virtual-service-reviews-jason-v2-v3.yaml")!;
    const vs = trafficShift(sample, REVIEWS, { v1: 90, v3: 10 });
    expect(vs.spec.http![0]).toEqual(sample.spec.http![0]);
    expect(configuredWeights(vs, REVIEWS)).toEqual({ v1: 90, v3: 10 });
  });

  it("keeps other hosts' routes, unrelated fields, labels, annotations and destination ports", () => {
    const before = handWritten();
    const vs = trafficShift(before, REVIEWS, { v1: 75, v2: 25 });
    expect(vs.metadata.labels).toEqual({ team: "books" });
    expect(vs.metadata.annotations).toEqual({ "owner.example.com/ticket": "BOOK-1" });
    expect(vs.spec.exportTo).toEqual(["."]);
    expect(vs.spec.hosts).toEqual(["reviews", "reviews-preview"]);
    expect(vs.spec.http!.slice(0, 2)).toEqual(before.spec.http!.slice(0, 2));
    expect(vs.spec.http![2]).toEqual({
      name: "main",
      timeout: "3s",
      route: [
        { destination: { host: "reviews", subset: "v1", port: { number: 9080 } }, weight: 75 },
        { destination: { host: "reviews", subset: "v2", port: { number: 9080 } }, weight: 25 },
      ],
    });
    expect(before.spec.http![2]!.route).toHaveLength(1);
  });
});

describe("request routing", () => {
  it("puts header and URI rules, in the chosen order, before the default route", () => {
    const vs = requestRouting(handWritten(), REVIEWS, {
      rules: [
        { match: { on: "header", header: "End-User", type: "exact", value: "alice" }, subset: "v3" },
        { match: { on: "uri", type: "prefix", value: "/beta" }, subset: "v2" },
      ],
      defaultSubset: "v1",
    });
    expect(vs.spec.http!.map((route) => route.name)).toEqual(["preview", "jason", "mesh-console-match-1", "mesh-console-match-2", "main"]);
    expect(vs.spec.http![2]).toEqual({ name: "mesh-console-match-1", match: [{ headers: { "end-user": { exact: "alice" } } }], route: [{ destination: { host: "reviews", subset: "v3" } }] });
    expect(vs.spec.http![3]!.match).toEqual([{ uri: { prefix: "/beta" } }]);
    expect(configuredWeights(vs, REVIEWS)).toEqual({ v1: 100 });
  });

  it("replaces its own rules when run again instead of piling them up", () => {
    const first = requestRouting(handWritten(), REVIEWS, { rules: [{ match: { on: "uri", type: "regex", value: "^/v[0-9]+" }, subset: "v2" }], defaultSubset: "v1" });
    const second = requestRouting(first, REVIEWS, { rules: [], defaultSubset: "v3" });
    expect(second.spec.http!.map((route) => route.name)).toEqual(["preview", "jason", "main"]);
    expect(configuredWeights(second, REVIEWS)).toEqual({ v3: 100 });
  });
});

describe("fault injection, timeouts and mirroring on the default route", () => {
  it("writes delay and abort as Istio's HTTPFaultInjection", () => {
    const vs = faultInjection(trafficShift(undefined, REVIEWS, { v1: 100 }), REVIEWS, { delay: { percentage: 10, fixedDelay: "5s" }, abort: { percentage: 5, httpStatus: 503 } });
    expect(vs.spec.http![0]!.fault).toEqual({ delay: { percentage: { value: 10 }, fixedDelay: "5s" }, abort: { percentage: { value: 5 }, httpStatus: 503 } });
  });

  it("creates a whole-service route for the fault when there is no VirtualService yet", () => {
    const vs = faultInjection(undefined, REVIEWS, { abort: { percentage: 100, httpStatus: 500 } });
    expect(vs.spec.http).toEqual([{ name: "mesh-console-default", route: [{ destination: { host: "reviews" } }], fault: { abort: { percentage: { value: 100 }, httpStatus: 500 } } }]);
  });

  it("sets timeout and retries, keeping the route's destinations", () => {
    const vs = timeouts(handWritten(), REVIEWS, { timeout: "2s", retries: { attempts: 3, perTryTimeout: "500ms", retryOn: ["5xx", "reset"] } });
    expect(vs.spec.http![2]).toMatchObject({ name: "main", timeout: "2s", retries: { attempts: 3, perTryTimeout: "500ms", retryOn: "5xx,reset" }, route: handWritten().spec.http![2]!.route });
  });

  it("mirrors a share of traffic to a subset, and 0 % takes the mirror away", () => {
    const vs = mirroring(handWritten(), REVIEWS, { subset: "v3", percentage: 25 });
    expect(vs.spec.http![2]).toMatchObject({ mirror: { host: "reviews", subset: "v3" }, mirrorPercentage: { value: 25 } });
    expect(referencedSubsets(vs, REVIEWS)).toEqual(new Set(["v2", "v1", "v3"]));
    const off = mirroring(vs, REVIEWS, { subset: "v3", percentage: 0 });
    expect(off.spec.http![2]!.mirror).toBeUndefined();
    expect(off.spec.http![2]!.mirrorPercentage).toBeUndefined();
  });
});

describe("removing what the console created", () => {
  it("deletes a VirtualService the console created", () => {
    expect(withoutConsoleRoutes(trafficShift(undefined, REVIEWS, { v1: 80, v2: 20 }))).toBeNull();
  });

  it("takes only its own routes out of someone else's VirtualService", () => {
    const routed = requestRouting(handWritten(), REVIEWS, { rules: [{ match: { on: "uri", type: "exact", value: "/x" }, subset: "v2" }], defaultSubset: "v1" });
    const removed = withoutConsoleRoutes(routed)!;
    expect(removed.spec.http!.map((route) => route.name)).toEqual(["preview", "jason", "main"]);
    expect(removed.metadata.annotations).toEqual({ "owner.example.com/ticket": "BOOK-1" });
  });
});
