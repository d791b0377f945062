import { describe, expect, it } from "vitest";
import { virtualServiceSchema } from "./istioObjects";
import { defaultRouteIndex, findServiceVirtualService, referencedSubsets } from "./virtualService";

const REVIEWS = { namespace: "bookinfo", service: "reviews" };
const vs = (name: string, spec: Record<string, unknown>, namespace = "bookinfo") => virtualServiceSchema.parse({ metadata: { name, namespace }, spec });

describe("findServiceVirtualService", () => {
  it("takes the mesh-bound one whose hosts name the service, the one named after it first", () => {
    const found = findServiceVirtualService([vs("a-reviews", { hosts: ["reviews.bookinfo.svc.cluster.local"] }), vs("reviews", { hosts: ["reviews"] }), vs("edge", { hosts: ["reviews"], gateways: ["gw"] })], REVIEWS);
    expect(found?.metadata.name).toBe("reviews");
  });

  it("leaves alone hosts that do not name the service as Istio reads them: dotted short names and wildcards", () => {
    expect(findServiceVirtualService([vs("half", { hosts: ["reviews.bookinfo"] }), vs("wild", { hosts: ["*.bookinfo.svc.cluster.local"] })], REVIEWS)).toBeUndefined();
  });
});

describe("defaultRouteIndex", () => {
  it("counts destinations only when their host names the service", () => {
    expect(defaultRouteIndex(vs("reviews", { hosts: ["reviews"], http: [{ route: [{ destination: { host: "reviews", subset: "v1" } }] }] }), REVIEWS)).toBe(0);
    expect(defaultRouteIndex(vs("reviews", { hosts: ["reviews"], http: [{ route: [{ destination: { host: "reviews.bookinfo", subset: "v1" } }] }] }), REVIEWS)).toBe(-1);
  });
});

describe("referencedSubsets", () => {
  it("keeps subsets named by routes, mirror, mirrors and TCP routes of the service", () => {
    const routed = vs("reviews", {
      hosts: ["reviews"],
      http: [{ route: [{ destination: { host: "reviews", subset: "v1" } }], mirror: { host: "reviews", subset: "shadow" }, mirrors: [{ destination: { host: "reviews", subset: "mirrored" } }] }],
      tcp: [{ route: [{ destination: { host: "reviews.bookinfo.svc.cluster.local", subset: "tcp" } }] }],
      tls: [{ route: [{ destination: { host: "ratings", subset: "other-service" } }] }],
    });
    expect([...referencedSubsets(routed, REVIEWS)].sort()).toEqual(["mirrored", "shadow", "tcp", "v1"]);
  });
});
