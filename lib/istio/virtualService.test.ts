import { describe, expect, it } from "vitest";
import { destinationUses, gatewayRefs, isMeshBound, normalizedVirtualServiceSchema, virtualServiceSchema } from "./virtualService";

const reviews = {
  apiVersion: "networking.istio.io/v1",
  kind: "VirtualService",
  metadata: { name: "reviews", namespace: "bookinfo", annotations: null },
  spec: {
    hosts: ["reviews"],
    gateways: ["mesh", "bookinfo-gateway", "istio-system/shared"],
    http: [
      {
        name: "canary",
        match: [{ headers: { "end-user": { exact: "jason" } } }],
        route: [{ destination: { host: "reviews", subset: "v2" } }],
        mirror: { host: "reviews", subset: "shadow" },
        mirrors: [{ destination: { host: "ratings" } }],
        retries: { attempts: 3 },
      },
      { route: [{ destination: { host: "reviews", subset: "v1" }, weight: 80 }, { destination: { host: "reviews", subset: "v3" }, weight: 20 }] },
    ],
    tcp: [{ route: [{ destination: { host: "mongodb", port: { number: 27017 } } }] }],
  },
};

describe("virtualServiceSchema (as written)", () => {
  it("keeps what it does not know and adds nothing that was absent", () => {
    const parsed = virtualServiceSchema.parse(reviews);
    expect(JSON.parse(JSON.stringify(parsed))).toEqual(JSON.parse(JSON.stringify(reviews)));
    const bare = virtualServiceSchema.parse({ metadata: { name: "x" }, spec: {} });
    expect(bare.spec).toEqual({});
  });
});

describe("normalizedVirtualServiceSchema (read only)", () => {
  it("reads absent and null lists as empty", () => {
    const parsed = normalizedVirtualServiceSchema.parse({ metadata: { name: "x" }, spec: { hosts: null, http: [{ route: null }] } });
    expect(parsed.spec).toMatchObject({ hosts: [], gateways: [], exportTo: [], tcp: [], tls: [] });
    expect(parsed.spec.http[0]).toMatchObject({ match: [], route: [], mirrors: [] });
  });

  it("reads every object the as-written schema reads, with the same hosts and destinations", () => {
    const written = virtualServiceSchema.parse(reviews);
    const normalized = normalizedVirtualServiceSchema.parse(written);
    expect(normalized.spec.hosts).toEqual(written.spec.hosts);
    expect(normalized.spec.gateways).toEqual(written.spec.gateways);
    expect(normalized.spec.http.map((route) => route.route.map((entry) => entry.destination?.subset))).toEqual(written.spec.http?.map((route) => route.route?.map((entry) => entry.destination.subset)));
  });
});

describe("destinationUses", () => {
  it("lists routes, mirror, mirrors and TCP/TLS routes with their field paths", () => {
    const uses = destinationUses(normalizedVirtualServiceSchema.parse(reviews).spec);
    expect(uses.map((use) => `${use.path} ${use.destination?.host}/${use.destination?.subset ?? ""}${use.mirror ? " mirror" : ""}`)).toEqual([
      "spec.http[0].route[0].destination reviews/v2",
      "spec.http[0].mirror reviews/shadow mirror",
      "spec.http[0].mirrors[0].destination ratings/ mirror",
      "spec.http[1].route[0].destination reviews/v1",
      "spec.http[1].route[1].destination reviews/v3",
      "spec.tcp[0].route[0].destination mongodb/",
    ]);
  });
});

describe("gateways", () => {
  it("binds to the mesh with no gateways or with `mesh` listed", () => {
    expect(isMeshBound(undefined)).toBe(true);
    expect(isMeshBound([])).toBe(true);
    expect(isMeshBound(["mesh", "gw"])).toBe(true);
    expect(isMeshBound(["gw"])).toBe(false);
  });

  it("names gateways in the VirtualService's namespace unless qualified", () => {
    expect(gatewayRefs(reviews.spec.gateways, "bookinfo")).toEqual([
      { namespace: "bookinfo", name: "bookinfo-gateway", index: 1 },
      { namespace: "istio-system", name: "shared", index: 2 },
    ]);
  });
});
