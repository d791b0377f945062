import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { nodeMetricsQueries, nodeScope, parseNodeMetricsRequest } from "./nodeMetrics";
import { queryReads } from "@/server/prometheus/pinnedNamespaces";
import { RAW_METRICS } from "@/server/telemetry";

const parse = (query: string) => parseNodeMetricsRequest(new URL(`http://console.test/api/graph/node-metrics?${query}`));

describe("node metrics", () => {
  it("charts what a versioned app received, counted at its callers and, for callers outside the mesh, at itself", () => {
    const request = parse("kind=versionedApp&namespace=bookinfo&name=reviews&version=v2&window=10m");
    expect(request.windowSeconds).toBe(600);
    const scope = nodeScope(request);
    expect(scope.direction).toBe("inbound");
    const queries = nodeMetricsQueries(scope.scopes, RAW_METRICS, 30);
    expect(queries.requests).toContain('reporter="source",destination_workload_namespace="bookinfo",destination_canonical_service="reviews",destination_canonical_revision="v2"');
    expect(queries.requests).toContain('reporter="destination",source_workload="unknown",destination_workload_namespace="bookinfo",destination_canonical_service="reviews",destination_canonical_revision="v2"');
    // Failed as everywhere else: 5xx or no response, a response flag, a failed gRPC call.
    expect(queries.errors).toContain('response_code=~"5..|0|"');
    expect(queries.errors).toContain('response_flags!~"-|"');
    expect(queries.errors).toContain('grpc_response_status!~"0|-|"');
    expect(queries.p95).toContain("histogram_quantile(0.95, sum by (le)");
  });

  it("charts what a gateway sent, since nothing inside the mesh reports calls into it", () => {
    expect(nodeScope(parse("kind=gateway&namespace=istio-system&name=istio-ingressgateway")).direction).toBe("outbound");
  });

  it("refuses a name or version that is not one, before any query is built", () => {
    expect(() => parse(`kind=service&namespace=bookinfo&name=${encodeURIComponent('x"} or vector(1) #')}`)).toThrow(ZodError);
    expect(() => parse(`kind=versionedApp&namespace=bookinfo&name=reviews&version=${encodeURIComponent("v2\"}")}`)).toThrow(ZodError);
    expect(parse("kind=external&namespace=&name=PassthroughCluster").name).toBe("PassthroughCluster");
  });

  it("keeps a hostile name inside its string literal even if one got past parsing", () => {
    const scope = nodeScope({ kind: "service", namespace: "bookinfo", name: 'x"} or vector(1) #', version: null, windowSeconds: 300, graphNamespaces: [] });
    const { requests } = nodeMetricsQueries(scope.scopes, RAW_METRICS, 30);
    expect(requests).toContain('destination_service_name="x\\"} or vector(1) #"');
    // The only "vector(1)" in the query is the one inside the literal (once per inbound selector).
    expect(requests.replaceAll('"x\\"} or vector(1) #"', '"X"')).not.toContain("vector(1)");
  });

  it("rejects unknown nodes and bad windows", () => {
    expect(() => parse("kind=unknown&namespace=unknown&name=unknown")).toThrow(ZodError);
    expect(() => parse("kind=service&namespace=bookinfo&name=reviews&window=forever")).toThrow(/window/);
  });

  /** The namespaces each selector of the node's three queries is pinned to (what namespaceAccess checks). */
  const pinsOf = (query: string) => {
    const queries = nodeMetricsQueries(nodeScope(parse(query)).scopes, RAW_METRICS, 30);
    return [...new Set(Object.values(queries).flatMap((promql) => queryReads(promql).selectors.map((pins) => JSON.stringify(pins))))];
  };

  it.each([
    ["kind=service&namespace=bookinfo&name=reviews", [["bookinfo"]]],
    ["kind=workload&namespace=bookinfo&name=reviews-v2", [["bookinfo"]]],
    ["kind=app&namespace=bookinfo&name=reviews", [["bookinfo"]]],
    ["kind=versionedApp&namespace=bookinfo&name=reviews&version=v2", [["bookinfo"]]],
    ["kind=gateway&namespace=istio-system&name=istio-ingressgateway", [["istio-system"]]],
    ["kind=gateway&namespace=istio-system&name=istio-ingressgateway&namespaces=bookinfo", [["istio-system"], ["bookinfo"]]],
    ["kind=external&namespace=bookinfo&name=api.example.com", [["bookinfo"]]],
    ["kind=external&namespace=&name=PassthroughCluster&namespaces=bookinfo", [["bookinfo"]]],
    ["kind=external&namespace=istio-system&name=api.example.com&namespaces=bookinfo,mesh-lab", [["istio-system"], ["bookinfo", "mesh-lab"]]],
  ])("pins every query of %s to the node's namespace (or the graph's)", (query, pins) => {
    expect(pinsOf(query)).toEqual([JSON.stringify(pins)]);
  });

  it("leaves an external host with no namespace and no callers' namespaces unpinned: its figures add up every namespace's callers", () => {
    expect(pinsOf("kind=external&namespace=&name=PassthroughCluster")).toEqual(["[]"]);
  });
});
