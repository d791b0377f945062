import { describe, expect, it } from "vitest";
import { queryReads } from "@/server/prometheus/pinnedNamespaces";
import { FAILED_REQUEST, isFailedRequest, narrowSelector, responseRateOf } from "./failedRequests";
import { inboundScopes, rateOver } from "./traffic";

const response = (labels: Record<string, string>) => ({ request_protocol: "http", response_code: "200", grpc_response_status: "", response_flags: "-", ...labels });

describe("isFailedRequest", () => {
  it.each([
    ["a 5xx", { response_code: "503" }, true],
    ["no response at all (code 0)", { response_code: "0", response_flags: "DC" }, true],
    ["a series without a response code", { response_code: "" }, true],
    ["an Envoy response flag on a 4xx (no route)", { response_code: "404", response_flags: "NR" }, true],
    ["an Envoy response flag on a 200 (downstream reset after headers)", { response_code: "200", response_flags: "DR" }, true],
    ["a gRPC call that failed behind HTTP 200", { request_protocol: "grpc", grpc_response_status: "14" }, true],
    ["a gRPC call that succeeded", { request_protocol: "grpc", grpc_response_status: "0" }, false],
    ["an HTTP request that happens to carry a gRPC status", { request_protocol: "http", grpc_response_status: "2" }, false],
    ["a plain 404", { response_code: "404" }, false],
    ["a 200 without flags written as nothing", { response_flags: "" }, false],
  ])("%s → %s", (_case, labels, failed) => {
    expect(isFailedRequest(response(labels))).toBe(failed);
  });

  it("matches exactly one branch for every failed request, so the branches' rates add up without double counting", () => {
    const codes = ["", "0", "200", "404", "503"];
    const flags = ["", "-", "NR", "UH"];
    const statuses = ["", "0", "-", "14"];
    for (const protocol of ["http", "grpc"])
      for (const code of codes)
        for (const flag of flags)
          for (const status of statuses) {
            const labels = { request_protocol: protocol, response_code: code, response_flags: flag, grpc_response_status: status };
            const matching = FAILED_REQUEST.filter((branch) => branch.every((condition) => new RegExp(`^(?:${condition.pattern})$`).test(labels[condition.label]) === condition.matches));
            expect(matching.length, JSON.stringify(labels)).toBe(isFailedRequest(labels) ? 1 : 0);
          }
  });

  it("classifies a sample for health with the same rule", () => {
    expect(responseRateOf(response({ request_protocol: "grpc", grpc_response_status: "14" }), 2)).toEqual({ protocol: "grpc", code: "200", grpcStatus: "14", failed: true, rate: 2 });
  });
});

describe("failed requests in PromQL", () => {
  it("narrows a built selector with quoted constant matchers", () => {
    expect(narrowSelector('{reporter="source"}', FAILED_REQUEST[1] ?? [])).toBe('{reporter="source",response_code!~"5..|0|",response_flags!~"-|"}');
    expect(() => narrowSelector("rate(x)", [])).not.toThrow();
    expect(() => narrowSelector("x", FAILED_REQUEST[0] ?? [])).toThrow(/Not a selector/);
  });

  it("keeps every failed-request selector pinned to the namespaces of the traffic", () => {
    const query = rateOver("istio_requests_total", inboundScopes([{ label: "destination_service_namespace", equals: "bookinfo" }]), 60, FAILED_REQUEST);
    const reads = queryReads(query);
    expect(reads.unparseable).toBe(false);
    // Three reporters (the callers', the destination's for callers outside the mesh, the waypoint's)
    // by three failure branches, and the waypoint's reports the callers' give way to (one per branch).
    expect(reads.selectors).toHaveLength(12);
    for (const pins of reads.selectors) expect(pins).toEqual([["bookinfo"]]);
  });
});
