import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { nodeMetricsQueries, nodeScope, parseNodeMetricsRequest } from "./nodeMetrics";
import { RAW_METRICS } from "./recordingRules";

const parse = (query: string) => parseNodeMetricsRequest(new URL(`http://console.test/api/graph/node-metrics?${query}`));

describe("node metrics", () => {
  it("charts what a versioned app received, as its own proxies reported it", () => {
    const request = parse("kind=versionedApp&namespace=bookinfo&name=reviews&version=v2&window=10m");
    expect(request.windowSeconds).toBe(600);
    const scope = nodeScope(request);
    expect(scope.direction).toBe("inbound");
    const queries = nodeMetricsQueries(scope.matchers, RAW_METRICS, 30);
    expect(queries.requests).toContain('reporter="destination",destination_workload_namespace="bookinfo",destination_canonical_service="reviews",destination_canonical_revision="v2"');
    expect(queries.errors).toContain('response_code=~"5..|0"');
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
    const scope = nodeScope({ kind: "service", namespace: "bookinfo", name: 'x"} or vector(1) #', version: null, windowSeconds: 300 });
    const { requests } = nodeMetricsQueries(scope.matchers, RAW_METRICS, 30);
    expect(requests).toContain('destination_service_name="x\\"} or vector(1) #"');
    // The only "vector(1)" in the query is the one inside the literal.
    expect(requests.split("vector(1)")).toHaveLength(2);
  });

  it("rejects unknown nodes and bad windows", () => {
    expect(() => parse("kind=unknown&namespace=unknown&name=unknown")).toThrow(ZodError);
    expect(() => parse("kind=service&namespace=bookinfo&name=reviews&window=forever")).toThrow(/window/);
  });
});
