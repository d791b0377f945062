import { describe, expect, it } from "vitest";
import { resolveHttpRoute, resolveTcpRoute, type Branch, type RequestAttributes } from "./routing";
import { bookinfoSnapshot, destinationRule, reviewsSubsets, virtualService } from "./testing/bookinfo-fixture";
import type { MeshSnapshot, Workload } from "./mesh";

const REVIEWS = "reviews.bookinfo.svc.cluster.local";
const anonymous: RequestAttributes = { uri: "/reviews/0", method: "GET", headers: {} };
const jason: RequestAttributes = { uri: "/reviews/0", method: "GET", headers: { "end-user": "jason" } };

function productpage(snapshot: MeshSnapshot): Workload {
  const workload = snapshot.workloads.get("bookinfo/productpage-v1");
  if (!workload) throw new Error("fixture lacks productpage-v1");
  return workload;
}

function upstreamVersions(branches: Branch[]): Array<[string[], number]> {
  return branches.map((b) => [b.kind === "upstream" ? b.endpoints.map((w) => w.version) : [b.responseFlag], b.share]);
}

describe("routing without a VirtualService", () => {
  it("spreads traffic over every version behind the Service", () => {
    const snapshot = bookinfoSnapshot();
    const decision = resolveHttpRoute(snapshot, productpage(snapshot), REVIEWS, anonymous);
    expect(upstreamVersions(decision?.branches ?? [])).toEqual([[["v1", "v2", "v3"], 1]]);
    expect(decision?.retry.attempts).toBe(2);
  });

  it("leaves hosts outside the mesh alone", () => {
    const snapshot = bookinfoSnapshot();
    expect(resolveHttpRoute(snapshot, productpage(snapshot), "example.com", anonymous)).toBeUndefined();
  });
});

describe("weighted routes over subsets", () => {
  it("splits 80/20 between reviews v1 and v2", () => {
    const snapshot = bookinfoSnapshot({
      destinationRules: [reviewsSubsets()],
      virtualServices: [
        virtualService("reviews", {
          hosts: ["reviews"],
          http: [{ route: [{ destination: { host: "reviews", subset: "v1" }, weight: 80 }, { destination: { host: "reviews", subset: "v2" }, weight: 20 }] }],
        }),
      ],
    });
    const decision = resolveHttpRoute(snapshot, productpage(snapshot), REVIEWS, anonymous);
    expect(upstreamVersions(decision?.branches ?? [])).toEqual([[["v1"], 0.8], [["v2"], 0.2]]);
  });

  it("reads a dotted host as fully qualified, as istiod does: `reviews.bookinfo` names no Service", () => {
    const snapshot = bookinfoSnapshot({
      destinationRules: [reviewsSubsets()],
      virtualServices: [virtualService("reviews", { hosts: ["reviews.bookinfo"], http: [{ route: [{ destination: { host: "reviews", subset: "v1" } }] }] })],
    });
    expect(resolveHttpRoute(snapshot, productpage(snapshot), REVIEWS, anonymous)?.virtualService).toBeUndefined();
    const toHalfQualified = bookinfoSnapshot({
      virtualServices: [virtualService("reviews", { hosts: ["reviews"], http: [{ route: [{ destination: { host: "reviews.bookinfo" } }] }] })],
    });
    const [branch] = resolveHttpRoute(toHalfQualified, productpage(toHalfQualified), REVIEWS, anonymous)?.branches ?? [];
    expect(branch).toMatchObject({ kind: "local-reply", responseFlag: "NR", host: "reviews.bookinfo" });
  });

  it("answers 503 NR for a subset no DestinationRule defines", () => {
    const snapshot = bookinfoSnapshot({
      destinationRules: [reviewsSubsets()],
      virtualServices: [virtualService("reviews", { hosts: ["reviews"], http: [{ route: [{ destination: { host: "reviews", subset: "v9" } }] }] })],
    });
    const [branch] = resolveHttpRoute(snapshot, productpage(snapshot), REVIEWS, anonymous)?.branches ?? [];
    expect(branch).toMatchObject({ kind: "local-reply", responseCode: 503, responseFlag: "NR" });
    expect(branch?.kind === "local-reply" && branch.reason).toContain('no subset "v9"');
  });

  it("answers 503 NR when the host has no DestinationRule at all", () => {
    const snapshot = bookinfoSnapshot({
      virtualServices: [virtualService("reviews", { hosts: ["reviews"], http: [{ route: [{ destination: { host: "reviews", subset: "v1" } }] }] })],
    });
    const [branch] = resolveHttpRoute(snapshot, productpage(snapshot), REVIEWS, anonymous)?.branches ?? [];
    expect(branch).toMatchObject({ kind: "local-reply", responseCode: 503, responseFlag: "NR" });
  });

  it("answers 503 UH for a subset that selects no running workload", () => {
    const snapshot = bookinfoSnapshot({
      destinationRules: [destinationRule("reviews", { host: "reviews", subsets: [{ name: "v4", labels: { version: "v4" } }] })],
      virtualServices: [virtualService("reviews", { hosts: ["reviews"], http: [{ route: [{ destination: { host: "reviews", subset: "v4" } }] }] })],
    });
    const [branch] = resolveHttpRoute(snapshot, productpage(snapshot), REVIEWS, anonymous)?.branches ?? [];
    expect(branch).toMatchObject({ kind: "local-reply", responseCode: 503, responseFlag: "UH" });
  });
});

describe("match conditions", () => {
  const jasonRoutes = (match: unknown) =>
    bookinfoSnapshot({
      destinationRules: [reviewsSubsets()],
      virtualServices: [
        virtualService("reviews", {
          hosts: ["reviews"],
          http: [
            { match: [match], route: [{ destination: { host: "reviews", subset: "v2" } }] },
            { route: [{ destination: { host: "reviews", subset: "v3" } }] },
          ],
        }),
      ],
    });
  const versionFor = (snapshot: MeshSnapshot, request: RequestAttributes) => {
    const [branch] = resolveHttpRoute(snapshot, productpage(snapshot), REVIEWS, request)?.branches ?? [];
    return branch?.kind === "upstream" ? branch.subset : undefined;
  };

  it.each([
    ["exact", { headers: { "end-user": { exact: "jason" } } }],
    ["prefix", { headers: { "end-user": { prefix: "jas" } } }],
    ["regex", { headers: { "end-user": { regex: "ja.o[nm]" } } }],
  ])("routes jason to v2 with a header %s match, others to v3", (_kind, match) => {
    const snapshot = jasonRoutes(match);
    expect(versionFor(snapshot, jason)).toBe("v2");
    expect(versionFor(snapshot, anonymous)).toBe("v3");
  });

  it("matches a regex against the whole value, as Envoy's RE2 full match does", () => {
    const snapshot = jasonRoutes({ headers: { "end-user": { regex: "jas" } } });
    expect(versionFor(snapshot, jason)).toBe("v3");
  });

  it("matches uri prefixes and exact paths", () => {
    expect(versionFor(jasonRoutes({ uri: { prefix: "/reviews" } }), anonymous)).toBe("v2");
    expect(versionFor(jasonRoutes({ uri: { exact: "/reviews" } }), anonymous)).toBe("v3");
  });

  it("answers 404 NR when no route matches", () => {
    const snapshot = bookinfoSnapshot({
      destinationRules: [reviewsSubsets()],
      virtualServices: [
        virtualService("reviews", {
          hosts: ["reviews"],
          http: [{ match: [{ headers: { "end-user": { exact: "jason" } } }], route: [{ destination: { host: "reviews", subset: "v2" } }] }],
        }),
      ],
    });
    const [branch] = resolveHttpRoute(snapshot, productpage(snapshot), REVIEWS, anonymous)?.branches ?? [];
    expect(branch).toMatchObject({ kind: "local-reply", responseCode: 404, responseFlag: "NR" });
  });
});

describe("route policies", () => {
  it("reads fault abort/delay, timeout, retries and mirror from the matching route", () => {
    const snapshot = bookinfoSnapshot({
      destinationRules: [reviewsSubsets()],
      virtualServices: [
        virtualService("reviews", {
          hosts: ["reviews"],
          http: [
            {
              route: [{ destination: { host: "reviews", subset: "v1" } }],
              fault: { abort: { percentage: { value: 25 }, httpStatus: 500 }, delay: { percentage: { value: 10 }, fixedDelay: "2s" } },
              timeout: "0.5s",
              retries: { attempts: 3, perTryTimeout: "100ms", retryOn: "5xx" },
              mirror: { host: "reviews", subset: "v3" },
              mirrorPercentage: { value: 40 },
            },
          ],
        }),
      ],
    });
    const decision = resolveHttpRoute(snapshot, productpage(snapshot), REVIEWS, anonymous);
    expect(decision?.fault).toEqual({ abortShare: 0.25, abortStatus: 500, delayShare: 0.1, delayMs: 2000 });
    expect(decision?.timeoutMs).toBe(500);
    expect(decision?.retry.attempts).toBe(3);
    expect(decision?.retry.perTryTimeoutMs).toBe(100);
    expect([...(decision?.retry.retryOn ?? [])]).toEqual(["5xx"]);
    expect(decision?.mirror?.share).toBe(0.4);
    expect(decision?.mirror?.endpoints.map((w) => w.name)).toEqual(["reviews-v3"]);
  });

  it("names the field when a duration is malformed", () => {
    const snapshot = bookinfoSnapshot({
      virtualServices: [virtualService("reviews", { hosts: ["reviews"], http: [{ route: [{ destination: { host: "reviews" } }], timeout: "soon" }] })],
    });
    expect(() => resolveHttpRoute(snapshot, productpage(snapshot), REVIEWS, anonymous)).toThrow(/http\[0\]\.timeout.*"soon"/);
  });
});

describe("VirtualService binding", () => {
  const gatewayVs = virtualService("bookinfo", {
    hosts: ["*"],
    gateways: ["bookinfo-gateway"],
    http: [{ match: [{ uri: { exact: "/productpage" } }], route: [{ destination: { host: "productpage", port: { number: 9080 } } }] }],
  });

  it("applies gateway-bound routes to the ingress gateway only", () => {
    const snapshot = bookinfoSnapshot({ virtualServices: [gatewayVs] });
    const gateway = snapshot.workloads.get("istio-system/istio-ingressgateway");
    if (!gateway) throw new Error("fixture lacks the gateway");
    const host = "productpage.bookinfo.svc.cluster.local";
    const viaGateway = resolveHttpRoute(snapshot, gateway, host, { uri: "/productpage", method: "GET", headers: {} });
    expect(viaGateway?.virtualService).toBe("bookinfo/bookinfo");
    const viaSidecar = resolveHttpRoute(snapshot, productpage(snapshot), host, { uri: "/x", method: "GET", headers: {} });
    expect(viaSidecar?.virtualService).toBeUndefined();
  });

  it("routes TCP by the tcp section's weights", () => {
    const snapshot = bookinfoSnapshot({
      destinationRules: [destinationRule("mongodb", { host: "mongodb", subsets: [{ name: "v1", labels: { version: "v1" } }] })],
      virtualServices: [virtualService("mongodb", { hosts: ["mongodb"], tcp: [{ route: [{ destination: { host: "mongodb", subset: "v1" } }] }] })],
    });
    const ratings = snapshot.workloads.get("bookinfo/ratings-v1");
    if (!ratings) throw new Error("fixture lacks ratings");
    const decision = resolveTcpRoute(snapshot, ratings, "mongodb.bookinfo.svc.cluster.local");
    expect(decision?.branches[0]).toMatchObject({ kind: "upstream", subset: "v1" });
  });
});
