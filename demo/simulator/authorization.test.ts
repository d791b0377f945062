import { describe, expect, it } from "vitest";
import { BOOKINFO_MODEL } from "./call-graph";
import { authorizeInbound, rbacResponseDetails } from "./authorization";
import type { MeshSnapshot, Workload } from "./mesh";
import type { HttpRecord } from "./telemetry-store";
import { TrafficEngine } from "./traffic-engine";
import { authorizationPolicy, bookinfoSnapshot, peerAuthentication } from "./testing/bookinfo-fixture";
import { parseExposition, sumWhere } from "./testing/exposition";

const PRODUCTPAGE = "cluster.local/ns/bookinfo/sa/bookinfo-productpage";
const onlyProductpage = authorizationPolicy("bookinfo", "reviews-callers", {
  selector: { matchLabels: { app: "reviews" } },
  action: "ALLOW",
  rules: [{ from: [{ source: { principals: [PRODUCTPAGE] } }] }],
});
const denyProductpage = authorizationPolicy("bookinfo", "no-productpage", {
  selector: { matchLabels: { app: "reviews" } },
  action: "DENY",
  rules: [{ to: [{ operation: { methods: ["POST"] } }] }, { from: [{ source: { principals: [PRODUCTPAGE] } }] }],
});
const denyWrites = authorizationPolicy("bookinfo", "read-only", { action: "DENY", rules: [{ to: [{ operation: { methods: ["POST", "PUT", "DELETE"] } }] }] });
const allowNothing = authorizationPolicy("bookinfo", "allow-nothing", { action: "ALLOW" });

function workload(snapshot: MeshSnapshot, key: string): Workload {
  const found = snapshot.workloads.get(key);
  if (!found) throw new Error(`no workload ${key}`);
  return found;
}

describe("enforcement at the server-side proxy (Envoy's RBAC filter)", () => {
  const cases: Array<{ name: string; snapshot: MeshSnapshot; source: string; server: string; mutualTls: boolean; method?: string; details: string | null }> = [
    { name: "no policy: allowed", snapshot: bookinfoSnapshot(), source: "bookinfo/productpage-v1", server: "bookinfo/reviews-v1", mutualTls: true, details: null },
    { name: "ALLOW naming the caller's principal: allowed", snapshot: bookinfoSnapshot({ authorizationPolicies: [onlyProductpage] }), source: "bookinfo/productpage-v1", server: "bookinfo/reviews-v2", mutualTls: true, details: null },
    { name: "ALLOW not naming the caller: 403, no policy matched", snapshot: bookinfoSnapshot({ authorizationPolicies: [onlyProductpage] }), source: "bookinfo/reviews-v2", server: "bookinfo/reviews-v1", mutualTls: true, details: "rbac_access_denied_matched_policy[none]" },
    { name: "ALLOW by principal, plain text: no identity, 403", snapshot: bookinfoSnapshot({ authorizationPolicies: [onlyProductpage] }), source: "bookinfo/productpage-v1", server: "bookinfo/reviews-v1", mutualTls: false, details: "rbac_access_denied_matched_policy[none]" },
    { name: "ALLOW selecting another workload: allowed", snapshot: bookinfoSnapshot({ authorizationPolicies: [onlyProductpage] }), source: "bookinfo/productpage-v1", server: "bookinfo/details-v1", mutualTls: true, details: null },
    { name: "DENY matching the caller: 403 naming the policy", snapshot: bookinfoSnapshot({ authorizationPolicies: [denyProductpage] }), source: "bookinfo/productpage-v1", server: "bookinfo/reviews-v3", mutualTls: true, details: "rbac_access_denied_matched_policy[ns[bookinfo]-policy[no-productpage]-rule[1]]" },
    { name: "DENY wins over ALLOW", snapshot: bookinfoSnapshot({ authorizationPolicies: [onlyProductpage, denyProductpage] }), source: "bookinfo/productpage-v1", server: "bookinfo/reviews-v1", mutualTls: true, details: "rbac_access_denied_matched_policy[ns[bookinfo]-policy[no-productpage]-rule[1]]" },
    { name: "DENY on methods the request does not use: allowed", snapshot: bookinfoSnapshot({ authorizationPolicies: [denyWrites] }), source: "bookinfo/productpage-v1", server: "bookinfo/details-v1", mutualTls: true, details: null },
    { name: "DENY on the request's method: 403", snapshot: bookinfoSnapshot({ authorizationPolicies: [denyWrites] }), source: "bookinfo/productpage-v1", server: "bookinfo/details-v1", mutualTls: true, method: "POST", details: "rbac_access_denied_matched_policy[ns[bookinfo]-policy[read-only]-rule[0]]" },
    { name: "ALLOW without rules allows nothing", snapshot: bookinfoSnapshot({ authorizationPolicies: [allowNothing] }), source: "bookinfo/productpage-v1", server: "bookinfo/ratings-v1", mutualTls: true, details: "rbac_access_denied_matched_policy[none]" },
  ];
  it.each(cases)("$name", ({ snapshot, source, server, mutualTls, method, details }) => {
    const outcome = authorizeInbound(snapshot, workload(snapshot, source), workload(snapshot, server), mutualTls, { method: method ?? "GET", path: "/reviews/0", port: 9080 });
    expect(outcome.allowed ? null : outcome.responseCodeDetails).toBe(details);
  });

  it("formats Istio's Envoy policy names", () => {
    expect(rbacResponseDetails(undefined)).toBe("rbac_access_denied_matched_policy[none]");
    expect(rbacResponseDetails({ namespace: "ns1", name: "p", action: "DENY", rule: 2 })).toBe("rbac_access_denied_matched_policy[ns[ns1]-policy[p]-rule[2]]");
  });
});

describe("denied requests in the telemetry", () => {
  function run(snapshot: MeshSnapshot) {
    const engine = new TrafficEngine(BOOKINFO_MODEL, snapshot, { edgeRps: 100, jasonShare: 0, seed: 3 });
    const records: HttpRecord[] = [];
    engine.tapProxyReports((record) => records.push(record));
    for (let t = 0; t < 5; t++) engine.tick(t * 1000, 1000);
    return { samples: parseExposition(engine.store.render()), records };
  }

  it("reports 403 with no response flag at both proxies, and the denied server calls nothing", () => {
    const { samples, records } = run(bookinfoSnapshot({ authorizationPolicies: [denyProductpage] }));
    const toReviews = { source_workload: "productpage-v1", destination_service_name: "reviews" };
    for (const reporter of ["source", "destination"]) {
      const all = sumWhere(samples, "istio_requests_total", { ...toReviews, reporter });
      expect(all).toBeGreaterThan(100);
      expect(sumWhere(samples, "istio_requests_total", { ...toReviews, reporter, response_code: "403", response_flags: "-" })).toBe(all);
    }
    expect(sumWhere(samples, "istio_requests_total", { destination_service_name: "ratings" })).toBe(0);
    expect(sumWhere(samples, "istio_requests_total", { source_workload: "productpage-v1", destination_service_name: "details", response_code: "200" })).toBeGreaterThan(100);
    const serverSide = records.find((record) => record.reporter === "destination" && record.responseCode === 403);
    expect(serverSide?.responseCodeDetails).toBe("rbac_access_denied_matched_policy[ns[bookinfo]-policy[no-productpage]-rule[1]]");
  });

  it("keeps callers admitted by an ALLOW policy at 200", () => {
    const { samples } = run(bookinfoSnapshot({ authorizationPolicies: [onlyProductpage] }));
    expect(sumWhere(samples, "istio_requests_total", { reporter: "destination", destination_service_name: "reviews", response_code: "403" })).toBe(0);
    expect(sumWhere(samples, "istio_requests_total", { reporter: "destination", destination_service_name: "reviews" })).toBeGreaterThan(100);
  });

  it("denies plain-text callers an ALLOW policy by principal (mTLS disabled)", () => {
    const { samples } = run(bookinfoSnapshot({ authorizationPolicies: [onlyProductpage], peerAuthentications: [peerAuthentication("bookinfo", "default", { mtls: { mode: "DISABLE" } })] }));
    const toReviews = { reporter: "destination", destination_service_name: "reviews" };
    expect(sumWhere(samples, "istio_requests_total", { ...toReviews, response_code: "403" })).toBe(sumWhere(samples, "istio_requests_total", toReviews));
  });
});
