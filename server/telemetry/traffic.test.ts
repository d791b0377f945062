import { describe, expect, it } from "vitest";
import { selector } from "@/server/prometheus/promql";
import { bothWays, failedShare, namespaceInboundScopes, rateOver, scopeRate, targetScopes } from "./traffic";
import { canonicalRevisionOf, versionLabel, versionOfPodLabels, versionOfSeries } from "./version";

const reviews = { kind: "service", namespace: "bookinfo", name: "reviews" } as const;

describe("inbound and outbound traffic", () => {
  it("counts a service's inbound traffic at the callers plus what only it sees from outside the mesh", () => {
    expect(targetScopes(reviews, "inbound").map(selector)).toEqual([
      '{reporter="source",destination_service_name="reviews",destination_service_namespace="bookinfo"}',
      '{reporter="destination",source_workload="unknown",destination_service_name="reviews",destination_service_namespace="bookinfo"}',
      '{reporter="waypoint",destination_service_name="reviews",destination_service_namespace="bookinfo"}',
    ]);
  });

  it("counts a workload's outbound traffic where it leaves, or at the waypoint that forwards it", () => {
    expect(targetScopes({ kind: "workload", namespace: "bookinfo", name: "productpage-v1" }, "outbound").map(selector)).toEqual([
      '{reporter="source",source_workload="productpage-v1",source_workload_namespace="bookinfo"}',
      '{reporter="waypoint",source_workload="productpage-v1",source_workload_namespace="bookinfo"}',
    ]);
  });

  it("lets a waypoint's report of a caller and service stand for the caller's own, whatever either answered", () => {
    const rate = scopeRate("istio_requests_total", [{ label: "reporter", equals: "source" }, { label: "destination_service_namespace", equals: "shop" }], 60, [{ label: "response_code", pattern: "5..", matches: true }]);
    expect(rate).toBe(
      '(rate({__name__="istio_requests_total",reporter="source",destination_service_namespace="shop",response_code=~"5.."}[60s]) unless on (source_workload, source_workload_namespace, destination_service_name, destination_service_namespace) rate({__name__="istio_requests_total",reporter="waypoint",destination_service_namespace="shop"}[60s]))',
    );
    // The waypoint's and the destination's own reports stand alone.
    expect(scopeRate("m", [{ label: "reporter", equals: "waypoint" }], 60)).toBe('rate({__name__="m",reporter="waypoint"}[60s])');
  });

  it("refuses outbound traffic for a service, which sends none", () => {
    expect(() => targetScopes(reviews, "outbound")).toThrow(/sends no traffic of its own/);
  });

  it("pins a list's selectors to its namespaces by the label the list groups by", () => {
    expect(namespaceInboundScopes("workload", ["a", "b"]).map(selector)).toEqual([
      '{reporter="source",destination_workload_namespace=~"a|b"}',
      '{reporter="destination",source_workload="unknown",destination_workload_namespace=~"a|b"}',
      '{reporter="waypoint",destination_workload_namespace=~"a|b"}',
    ]);
  });
});

describe("rates", () => {
  it("unites the scopes' rates, to be summed by the caller", () => {
    expect(rateOver("istio_requests_total", [[{ label: "reporter", equals: "destination" }, { label: "source_workload", equals: "w" }]], 60)).toBe('rate({__name__="istio_requests_total",reporter="destination",source_workload="w"}[60s])');
    expect(rateOver("m", [[{ label: "reporter", equals: "destination" }], [{ label: "reporter", equals: "waypoint" }]], 60)).toBe('(rate({__name__="m",reporter="destination"}[60s]) or rate({__name__="m",reporter="waypoint"}[60s]))');
    expect(() => rateOver("m", [[]], 1.5)).toThrow(/positive whole number/);
  });

  it("writes a failed share that is zero with traffic and absent without", () => {
    expect(failedShare("R", "F", ["v"])).toBe("(sum by (v) (F) or sum by (v) (R) * 0) / sum by (v) (R)");
  });

  it("adds two rates per label set, each written once so Prometheus computes it once", () => {
    const query = bothWays("sum by (v) (rate(a[1m]))", "sum by (v) (rate(b[1m]))", ["v"]);
    expect(query).toBe('sum by (v) (label_replace(sum by (v) (rate(a[1m])), "mesh_console_side", "first", "", "") or label_replace(sum by (v) (rate(b[1m])), "mesh_console_side", "second", "", ""))');
    expect(query.split("rate(a[1m])")).toHaveLength(2);
    expect(query.split("rate(b[1m])")).toHaveLength(2);
  });
});

describe("versions", () => {
  it("names a version by Istio's canonical revision on the side the figure looks at", () => {
    expect(versionLabel("inbound")).toBe("destination_canonical_revision");
    expect(versionOfSeries({ source_canonical_revision: "v2" }, "outbound")).toBe("v2");
    expect(versionOfSeries({ destination_canonical_revision: "unknown", destination_version: "v1" }, "inbound")).toBeNull();
  });

  it("reads a pod's version label as Istio does: canonical-revision, then app.kubernetes.io/version, then version", () => {
    expect(versionOfPodLabels({ version: "v1", "app.kubernetes.io/version": "1.2.0" })).toBe("1.2.0");
    expect(versionOfPodLabels({ version: "v1", "service.istio.io/canonical-revision": "canary" })).toBe("canary");
    expect(versionOfPodLabels({ version: "v1" })).toBe("v1");
    expect(versionOfPodLabels({ app: "x" })).toBeNull();
    expect(canonicalRevisionOf({ app: "x" })).toBe("latest");
  });
});
