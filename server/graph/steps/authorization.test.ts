import { describe, expect, it } from "vitest";
import { edgeId, nodeId } from "@/lib/graph/model";
import { normalizePolicies } from "@/lib/istio/authorizationPolicy";
import { bookinfoRequests, bookinfoTcp, details, productpage, requestSample, reviewsV1, reviewsV2, ratings, securitySample, type Workload } from "../testing/bookinfoSamples";
import { buildTrafficMap } from "../trafficMap";
import { appendDeniedRequests, appendPolicyDenials } from "./authorization";

const edge = (from: string, to: string) => edgeId(nodeId("workload", "bookinfo", from), nodeId("service", "bookinfo", to), "http");
const principal = (sa: string) => `spiffe://cluster.local/ns/bookinfo/sa/${sa}`;
const withPrincipal = (from: Workload, to: Workload, service: string, sa: string | null) => {
  const sample = securitySample(from, to, service, 1, sa ? "mutual_tls" : "none");
  return { ...sample, metric: { ...sample.metric, source_principal: sa ? principal(sa) : "unknown" } };
};
const policy = (name: string, spec: unknown) => ({ metadata: { namespace: "bookinfo", name }, spec });
const workloads = [reviewsV1, reviewsV2, ratings, details].map((w) => ({ namespace: w.namespace, name: w.workload, app: w.app, version: w.version, labels: { app: w.app, version: w.version } }));

describe("appendDeniedRequests", () => {
  const requests = [
    ...bookinfoRequests(),
    requestSample(reviewsV2, ratings, "ratings", 0.4, { code: "403" }),
    // A 403 with a flag is not the RBAC filter's (it sets none): here a fault abort.
    requestSample(reviewsV2, ratings, "ratings", 0.1, { code: "403", flags: "FI" }),
  ];
  const map = appendDeniedRequests(buildTrafficMap({ requests, tcpBytes: bookinfoTcp() }, "workload"));

  it("counts 403s without a response flag as denied, on every edge of their path", () => {
    expect(map.edges.get(edge("reviews-v2", "ratings"))?.deniedRps).toBeCloseTo(0.4);
    expect(map.edges.get(edgeId(nodeId("service", "bookinfo", "ratings"), nodeId("workload", "bookinfo", "ratings-v1"), "http"))?.deniedRps).toBeCloseTo(0.4);
  });

  it("leaves edges without denials alone", () => {
    expect(map.edges.get(edge("reviews-v3", "ratings"))?.deniedRps).toBeUndefined();
    expect(map.edges.get(edge("productpage-v1", "details"))?.deniedRps).toBeUndefined();
  });
});

describe("appendPolicyDenials", () => {
  const map = buildTrafficMap({ requests: bookinfoRequests(), tcpBytes: bookinfoTcp() }, "workload");
  const security = [
    withPrincipal(productpage, reviewsV1, "reviews", "bookinfo-productpage"),
    withPrincipal(reviewsV2, ratings, "ratings", "bookinfo-reviews"),
    withPrincipal(productpage, details, "details", null),
  ];
  const cases: Array<{ name: string; policies: unknown[]; marked: Record<string, { policies: string[]; uncertain: boolean } | undefined> }> = [
    { name: "no policy marks nothing", policies: [], marked: { "productpage-v1>reviews": undefined, "reviews-v2>ratings": undefined } },
    {
      name: "ALLOW admitting productpage only: reviews' callers pass, ratings' are denied",
      policies: [
        policy("reviews-callers", { selector: { matchLabels: { app: "reviews" } }, rules: [{ from: [{ source: { principals: ["cluster.local/ns/bookinfo/sa/bookinfo-productpage"] } }] }] }),
        policy("ratings-callers", { selector: { matchLabels: { app: "ratings" } }, rules: [{ from: [{ source: { principals: ["cluster.local/ns/bookinfo/sa/bookinfo-productpage"] } }] }] }),
      ],
      marked: { "productpage-v1>reviews": undefined, "reviews-v2>ratings": { policies: ["bookinfo/ratings-callers"], uncertain: false } },
    },
    {
      name: "DENY naming the caller marks its edge with the policy",
      policies: [policy("no-reviews", { action: "DENY", rules: [{ from: [{ source: { principals: ["cluster.local/ns/bookinfo/sa/bookinfo-reviews"] } }] }] })],
      marked: { "productpage-v1>reviews": undefined, "reviews-v2>ratings": { policies: ["bookinfo/no-reviews"], uncertain: false } },
    },
    {
      name: "plain text has no principal, so an ALLOW by namespace denies it",
      policies: [policy("details-callers", { selector: { matchLabels: { app: "details" } }, rules: [{ from: [{ source: { namespaces: ["bookinfo"] } }] }] })],
      marked: { "productpage-v1>details": { policies: ["bookinfo/details-callers"], uncertain: false } },
    },
    {
      name: "an ALLOW by path cannot be checked from metrics: the mark is uncertain",
      policies: [policy("ratings-paths", { selector: { matchLabels: { app: "ratings" } }, rules: [{ to: [{ operation: { paths: ["/ratings/*"] } }] }] })],
      marked: { "reviews-v2>ratings": { policies: ["bookinfo/ratings-paths"], uncertain: true } },
    },
  ];
  it.each(cases)("$name", ({ policies, marked }) => {
    const result = appendPolicyDenials(map, security, { policies: normalizePolicies(policies), workloads });
    for (const [path, expected] of Object.entries(marked)) {
      const [from = "", to = ""] = path.split(">");
      const denial = result.edges.get(edge(from, to))?.policyDenial;
      if (expected === undefined) expect(denial).toBeUndefined();
      else expect(denial).toMatchObject(expected);
    }
  });
});
