import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { yamlOf } from "./apply";
import { circuitBreaking, withoutConsoleParts, withSubsets } from "./destinationRule";
import { CREATED_SUBSETS_ANNOTATION, MANAGED_POLICY_ANNOTATION } from "./istioObjects";
import { demoDestinationRule, REVIEWS } from "./testObjects";

const outlier = { consecutive5xxErrors: 5, interval: "10s", baseEjectionTime: "30s", maxEjectionPercent: 50 };

describe("subsets for routing", () => {
  it("leaves the demo's reviews DestinationRule alone when it already has the subsets", () => {
    const dr = demoDestinationRule("reviews");
    expect(withSubsets(dr, REVIEWS, ["v1", "v2"])).toBe(dr);
  });

  it("adds a missing subset selecting the version label and records that the console added it", () => {
    const dr = withSubsets(demoDestinationRule("reviews"), REVIEWS, ["v2", "v4"])!;
    expect(dr.spec.subsets!.map((subset) => subset.name)).toEqual(["v1", "v2", "v3", "v4"]);
    expect(dr.spec.subsets![3]).toEqual({ name: "v4", labels: { version: "v4" } });
    expect(dr.metadata.annotations?.[CREATED_SUBSETS_ANNOTATION]).toBe("v4");
  });

  it("creates a DestinationRule when the service has none, and removal deletes it again", () => {
    const dr = withSubsets(undefined, REVIEWS, ["v2", "v1"])!;
    expect(parse(yamlOf(dr)!)).toEqual({
      apiVersion: "networking.istio.io/v1",
      kind: "DestinationRule",
      metadata: { name: "reviews", namespace: "bookinfo", labels: { "mesh-console.io/created-by": "mesh-console" }, annotations: { [CREATED_SUBSETS_ANNOTATION]: "v1,v2" } },
      spec: { host: "reviews", subsets: [{ name: "v1", labels: { version: "v1" } }, { name: "v2", labels: { version: "v2" } }] },
    });
    expect(withoutConsoleParts(dr, new Set())).toBeNull();
  });

  it("on removal keeps added subsets a remaining route still names, and the ones that were there before", () => {
    const dr = withSubsets(demoDestinationRule("reviews"), REVIEWS, ["v4", "v5"])!;
    const removed = withoutConsoleParts(dr, new Set(["v5"]))!;
    expect(removed.spec.subsets!.map((subset) => subset.name)).toEqual(["v1", "v2", "v3", "v5"]);
    expect(removed.metadata.annotations?.[CREATED_SUBSETS_ANNOTATION]).toBe("v5");
  });
});

describe("circuit breaking", () => {
  it("adds connection pool and outlier detection to the demo's reviews DestinationRule, keeping its subsets", () => {
    const dr = circuitBreaking(demoDestinationRule("reviews"), REVIEWS, { connectionPool: { maxConnections: 100, http1MaxPendingRequests: 10, maxRequestsPerConnection: 1 }, outlierDetection: outlier });
    expect(dr.spec.subsets).toEqual(demoDestinationRule("reviews").spec.subsets);
    expect(dr.spec.trafficPolicy).toEqual({
      connectionPool: { tcp: { maxConnections: 100 }, http: { http1MaxPendingRequests: 10, maxRequestsPerConnection: 1 } },
      outlierDetection: outlier,
    });
    expect(dr.metadata.annotations?.[MANAGED_POLICY_ANNOTATION]).toBe("connectionPool,outlierDetection");
  });

  it("keeps TLS and other pool settings already there, and removal takes away only what it added", () => {
    const base = demoDestinationRule("reviews");
    base.spec.trafficPolicy = { tls: { mode: "ISTIO_MUTUAL" }, connectionPool: { http: { idleTimeout: "30s" } } };
    const dr = circuitBreaking(base, REVIEWS, { connectionPool: { http1MaxPendingRequests: 5 }, outlierDetection: outlier });
    expect(dr.spec.trafficPolicy).toEqual({ tls: { mode: "ISTIO_MUTUAL" }, connectionPool: { http: { idleTimeout: "30s", http1MaxPendingRequests: 5 } }, outlierDetection: outlier });
    const removed = withoutConsoleParts(dr, new Set())!;
    expect(removed.spec.trafficPolicy).toEqual({ tls: { mode: "ISTIO_MUTUAL" }, connectionPool: { http: { idleTimeout: "30s", http1MaxPendingRequests: 5 } } });
    expect(removed.spec.subsets).toHaveLength(3);
  });
});
