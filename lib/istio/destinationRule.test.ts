import { describe, expect, it } from "vitest";
import { destinationRuleSchema, normalizedDestinationRuleSchema, subsetVersions } from "./destinationRule";

const rule = (namespace: string, host: string, subsets: Array<{ name: string; labels?: Record<string, string> | null }>, name = host) =>
  destinationRuleSchema.parse({ metadata: { name, namespace }, spec: { host, subsets } });

const reviews = { namespace: "bookinfo", service: "reviews" };

describe("destinationRuleSchema (as written)", () => {
  it("keeps what it does not know and adds nothing that was absent", () => {
    const written = { apiVersion: "networking.istio.io/v1", kind: "DestinationRule", metadata: { name: "reviews" }, spec: { host: "reviews", trafficPolicy: { loadBalancer: { simple: "LEAST_REQUEST" } }, exportTo: ["."] } };
    expect(destinationRuleSchema.parse(written)).toEqual(written);
  });
});

describe("normalizedDestinationRuleSchema (read only)", () => {
  it("reads null subsets and labels as empty and insists on a host", () => {
    const parsed = normalizedDestinationRuleSchema.parse({ metadata: { name: "x" }, spec: { host: "reviews", subsets: [{ name: "v1", labels: null }] } });
    expect(parsed.spec.subsets).toEqual([{ name: "v1", labels: {} }]);
    expect(parsed.spec.exportTo).toEqual([]);
    expect(normalizedDestinationRuleSchema.safeParse({ metadata: { name: "x" }, spec: { host: "" } }).success).toBe(false);
  });
});

describe("subsetVersions", () => {
  it("maps subsets to version labels from the rules that name the service, merged", () => {
    const versions = subsetVersions(
      [
        rule("bookinfo", "reviews", [{ name: "v1", labels: { version: "v1" } }]),
        rule("bookinfo", "reviews.bookinfo.svc.cluster.local", [{ name: "canary", labels: { version: "v3" } }], "reviews-canary"),
        rule("bookinfo", "ratings", [{ name: "v9", labels: { version: "v9" } }]),
        rule("bookinfo", "reviews", [{ name: "nolabel", labels: null }], "unlabelled"),
      ],
      reviews,
    );
    expect(Object.fromEntries(versions)).toEqual({ v1: "v1", canary: "v3" });
  });

  it("follows Istio: a dotted host is fully qualified, and rules elsewhere do not count", () => {
    const versions = subsetVersions(
      [rule("bookinfo", "reviews.bookinfo", [{ name: "v2", labels: { version: "v2" } }]), rule("other", "reviews.bookinfo.svc.cluster.local", [{ name: "v3", labels: { version: "v3" } }])],
      reviews,
    );
    expect(versions.size).toBe(0);
  });
});
