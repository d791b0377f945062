import { describe, expect, it } from "vitest";
import type { Finding } from "@/lib/validation/finding";
import { buildTrafficMap } from "../trafficMap";
import { bookinfoRequests, bookinfoTcp } from "../testing/bookinfoSamples";
import { appendConfigBadges } from "./configBadges";

const map = () => buildTrafficMap({ requests: bookinfoRequests(), tcpBytes: bookinfoTcp() }, "versionedApp");
const serviceNode = (result: ReturnType<typeof map>, name: string) => [...result.nodes.values()].find((node) => node.kind === "service" && node.name === name);

const reviewsVs = {
  metadata: { name: "reviews", namespace: "bookinfo" },
  spec: { hosts: ["reviews"], http: [{ fault: { abort: { httpStatus: 503, percentage: { value: 10 } } }, route: [{ destination: { host: "reviews" } }] }, { timeout: "2s", mirror: { host: "reviews" }, route: [{ destination: { host: "reviews" } }] }] },
};
const ratingsDr = { metadata: { name: "ratings-cb", namespace: "bookinfo" }, spec: { host: "ratings.bookinfo.svc.cluster.local", subsets: [{ name: "v1", trafficPolicy: { outlierDetection: { consecutive5xxErrors: 1 } } }] } };

describe("config badges", () => {
  it("badges the services whose config routes, breaks, faults, mirrors or times out their traffic, naming the objects", () => {
    const result = appendConfigBadges(map(), { virtualServices: [reviewsVs], destinationRules: [ratingsDr, { metadata: { name: "plain", namespace: "bookinfo" }, spec: { host: "details" } }] });
    const reviews = serviceNode(result, "reviews");
    expect(reviews?.config?.map((badge) => badge.badge).sort()).toEqual(["faultInjection", "mirroring", "timeoutsRetries", "virtualService"]);
    expect(reviews?.config?.find((badge) => badge.badge === "faultInjection")?.objects).toEqual([{ kind: "VirtualService", namespace: "bookinfo", name: "reviews" }]);
    expect(serviceNode(result, "ratings")?.config).toEqual([{ badge: "circuitBreaker", objects: [{ kind: "DestinationRule", namespace: "bookinfo", name: "ratings-cb" }] }]);
    // A DestinationRule without connection pool or outlier detection is no circuit breaker.
    expect(serviceNode(result, "details")?.config).toBeUndefined();
  });

  it("counts a gateway's VirtualService only for the services it routes to, not every host its '*' covers", () => {
    const ingress = { metadata: { name: "bookinfo", namespace: "bookinfo" }, spec: { hosts: ["*"], gateways: ["bookinfo-gateway"], http: [{ route: [{ destination: { host: "productpage" } }] }] } };
    const result = appendConfigBadges(map(), { virtualServices: [ingress], destinationRules: [] });
    expect(serviceNode(result, "productpage")?.config).toEqual([{ badge: "virtualService", objects: [{ kind: "VirtualService", namespace: "bookinfo", name: "bookinfo" }] }]);
    expect(serviceNode(result, "reviews")?.config).toBeUndefined();
  });

  it("does not badge a service of another namespace with the same name", () => {
    const elsewhere = { ...reviewsVs, metadata: { name: "reviews", namespace: "staging" } };
    expect(serviceNode(appendConfigBadges(map(), { virtualServices: [elsewhere], destinationRules: [] }), "reviews")?.config).toBeUndefined();
  });

  it("badges HTTPRoute backends, in the route's namespace unless the backendRef names another", () => {
    const route = { metadata: { name: "bookinfo-route", namespace: "bookinfo" }, spec: { rules: [{ backendRefs: [{ name: "productpage", port: 9080 }, { name: "ratings", namespace: "other" }] }] } };
    const result = appendConfigBadges(map(), { virtualServices: [], destinationRules: [], httpRoutes: [route] });
    expect(serviceNode(result, "productpage")?.config).toEqual([{ badge: "httpRoute", objects: [{ kind: "HTTPRoute", namespace: "bookinfo", name: "bookinfo-route" }] }]);
    expect(serviceNode(result, "ratings")?.config).toBeUndefined();
  });

  it("counts findings on the node's config objects by severity", () => {
    const finding = (severity: Finding["severity"], name: string): Finding => ({ code: "IST0101", severity, message: "m", object: { kind: "VirtualService", namespace: "bookinfo", name }, path: "" });
    const result = appendConfigBadges(map(), { virtualServices: [reviewsVs], destinationRules: [], findings: [finding("error", "reviews"), finding("warning", "reviews"), finding("error", "details")] });
    expect(serviceNode(result, "reviews")?.config?.find((badge) => badge.badge === "findings")).toEqual({ badge: "findings", objects: [{ kind: "VirtualService", namespace: "bookinfo", name: "reviews" }], errors: 1, warnings: 1 });
  });

  it("marks nodes whose pods run without the sidecar, and skips objects that do not parse", () => {
    const base = map();
    const [id, node] = [...base.nodes].find(([, candidate]) => candidate.kind === "versionedApp") ?? [];
    if (!id || !node) throw new Error("no versioned app node in the sample");
    base.nodes.set(id, { ...node, hasSidecar: false });
    const result = appendConfigBadges(base, { virtualServices: [{ spec: "broken" }], destinationRules: [null] });
    expect(result.nodes.get(id)?.config).toEqual([{ badge: "missingSidecar", objects: [] }]);
  });
});
