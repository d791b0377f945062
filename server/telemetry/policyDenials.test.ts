import { describe, expect, it } from "vitest";
import { conditionsHold, responseRateOf } from "./failedRequests";
import { isPolicyDenial, POLICY_DENIAL } from "./policyDenials";

const cases: [string, Record<string, string>, boolean][] = [
  ["an RBAC denial: 403, no flag", { request_protocol: "http", response_code: "403", response_flags: "-" }, true],
  ["403 without a flags label", { request_protocol: "http", response_code: "403" }, true],
  ["403 with a response flag is a failure, not a denial", { request_protocol: "http", response_code: "403", response_flags: "UAEX" }, false],
  ["200", { request_protocol: "http", response_code: "200", response_flags: "-" }, false],
  ["404", { request_protocol: "http", response_code: "404", response_flags: "-" }, false],
  ["503", { request_protocol: "http", response_code: "503", response_flags: "-" }, false],
  ["gRPC 403 with status OK", { request_protocol: "grpc", response_code: "403", response_flags: "-", grpc_response_status: "0" }, true],
  ["gRPC 403 with a failed status", { request_protocol: "grpc", response_code: "403", response_flags: "-", grpc_response_status: "7" }, false],
];

describe("policy denials", () => {
  it.each(cases)("%s", (_name, labels, denied) => {
    expect(isPolicyDenial(responseRateOf(labels, 1))).toBe(denied);
    // The PromQL matchers and the predicate say the same, and at most one branch holds.
    expect(POLICY_DENIAL.filter((branch) => conditionsHold(labels, branch)).length).toBe(denied ? 1 : 0);
  });
});
