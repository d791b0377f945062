import { describe, expect, it } from "vitest";
import { authorizationDecision, authorizationPolicySchema, evaluateRequest, matchesValue, namespaceOfPrincipal, normalizePolicies, principalOf, type AuthorizationRequest } from "./authorizationPolicy";

const reviews = { namespace: "bookinfo", labels: { app: "reviews", version: "v2" }, services: ["reviews"] };
const productpage = "spiffe://cluster.local/ns/bookinfo/sa/bookinfo-productpage";
const sleep = "cluster.local/ns/tools/sa/sleep";

function policy(name: string, spec: Record<string, unknown>, namespace = "bookinfo") {
  return { apiVersion: "security.istio.io/v1", kind: "AuthorizationPolicy", metadata: { name, namespace }, spec };
}

const allowProductpage = policy("allow-productpage", { selector: { matchLabels: { app: "reviews" } }, action: "ALLOW", rules: [{ from: [{ source: { principals: ["cluster.local/ns/bookinfo/sa/bookinfo-productpage"] } }] }] });

describe("matching values", () => {
  it.each([
    ["abc", "abc", true],
    ["abc", "abcd", false],
    ["abc*", "abcd", true],
    ["*bcd", "abcd", true],
    ["*", "x", true],
    ["*", undefined, false],
    ["*", "", false],
  ] as const)("%s against %s → %s", (pattern, value, expected) => {
    expect(matchesValue(pattern, value)).toBe(expected);
  });

  it("reads principals and their namespaces", () => {
    expect(principalOf(productpage)).toBe("cluster.local/ns/bookinfo/sa/bookinfo-productpage");
    expect(principalOf("unknown")).toBeUndefined();
    expect(namespaceOfPrincipal(sleep)).toBe("tools");
  });
});

describe("authorizationDecision", () => {
  const cases: { name: string; policies: unknown[]; request: AuthorizationRequest; allowed: boolean; decidedBy?: string; uncertain?: boolean; reason?: RegExp }[] = [
    { name: "no policy: allowed", policies: [], request: { sourcePrincipal: sleep }, allowed: true, reason: /no ALLOW policy applies/ },
    { name: "the allowed principal", policies: [allowProductpage], request: { sourcePrincipal: productpage }, allowed: true, decidedBy: "allow-productpage" },
    { name: "another principal", policies: [allowProductpage], request: { sourcePrincipal: sleep }, allowed: false, reason: /no ALLOW policy matches caller cluster.local\/ns\/tools\/sa\/sleep/ },
    { name: "plain text never matches principals", policies: [allowProductpage], request: {}, allowed: false, reason: /without an mTLS identity/ },
    {
      name: "namespaces come from the certificate, not the claimed namespace",
      policies: [policy("ns", { rules: [{ from: [{ source: { namespaces: ["bookinfo"] } }] }] })],
      request: { sourceNamespace: "bookinfo" },
      allowed: false,
    },
    { name: "namespace match", policies: [policy("ns", { rules: [{ from: [{ source: { namespaces: ["book*"] } }] }] })], request: { sourcePrincipal: productpage }, allowed: true },
    { name: "selector that does not select the workload", policies: [policy("other", { selector: { matchLabels: { app: "ratings" } }, rules: [] })], request: { sourcePrincipal: sleep }, allowed: true },
    { name: "policy in another namespace", policies: [policy("elsewhere", {}, "tools")], request: { sourcePrincipal: sleep }, allowed: true },
    { name: "allow-nothing (no rules) in the root namespace", policies: [policy("deny-all", {}, "istio-system")], request: { sourcePrincipal: productpage }, allowed: false },
    { name: "an empty rule allows all", policies: [policy("allow-all", { rules: [{}] })], request: {}, allowed: true, decidedBy: "allow-all" },
    {
      name: "DENY wins over ALLOW",
      policies: [allowProductpage, policy("deny-get", { action: "DENY", rules: [{ to: [{ operation: { methods: ["GET"] } }] }] })],
      request: { sourcePrincipal: productpage, method: "get" },
      allowed: false,
      decidedBy: "deny-get",
    },
    { name: "DENY without rules does nothing", policies: [policy("deny", { action: "DENY" })], request: {}, allowed: true },
    {
      name: "notPrincipals * denies plain text",
      policies: [policy("deny-plaintext", { action: "DENY", rules: [{ from: [{ source: { notPrincipals: ["*"] } }] }] })],
      request: {},
      allowed: false,
      decidedBy: "deny-plaintext",
    },
    {
      name: "a method the metrics do not carry: the rule does not match, and says so",
      policies: [policy("get-only", { rules: [{ to: [{ operation: { methods: ["GET"] } }] }] })],
      request: { sourcePrincipal: productpage },
      allowed: false,
      uncertain: true,
      reason: /to.operation.methods, which the console cannot check/,
    },
    { name: "paths and ports when known", policies: [policy("p", { rules: [{ to: [{ operation: { paths: ["/api/*"], ports: ["9080"] } }] }] })], request: { path: "/api/v1", port: 9080 }, allowed: true },
    { name: "notPaths", policies: [policy("p", { rules: [{ to: [{ operation: { notPaths: ["/admin*"] } }] }] })], request: { path: "/admin/x" }, allowed: false },
    {
      name: "when source.namespace",
      policies: [policy("w", { rules: [{ when: [{ key: "source.namespace", values: ["tools"] }] }] })],
      request: { sourcePrincipal: sleep },
      allowed: true,
    },
    {
      name: "when on a header cannot be checked",
      policies: [policy("w", { rules: [{ when: [{ key: "request.headers[x-user]", values: ["a"] }] }] })],
      request: { sourcePrincipal: sleep },
      allowed: false,
      uncertain: true,
      reason: /when request.headers\[x-user\]/,
    },
    { name: "targetRefs to the workload's Service (waypoint)", policies: [policy("wp", { targetRefs: [{ kind: "Service", group: "", name: "reviews" }], rules: [] })], request: { sourcePrincipal: sleep }, allowed: false },
    { name: "targetRefs to another Service", policies: [policy("wp", { targetRefs: [{ kind: "Service", group: "", name: "ratings" }], rules: [] })], request: { sourcePrincipal: sleep }, allowed: true },
    {
      name: "CUSTOM defers to its provider",
      policies: [policy("ext", { action: "CUSTOM", provider: { name: "opa" }, rules: [{}] })],
      request: {},
      allowed: true,
      uncertain: true,
      reason: /external authorizer/,
    },
    { name: "AUDIT never decides", policies: [policy("audit", { action: "AUDIT", rules: [{}] })], request: {}, allowed: true },
  ];

  it.each(cases)("$name", ({ policies, request, allowed, decidedBy, uncertain, reason }) => {
    const decision = evaluateRequest(policies, reviews, request);
    expect(decision.allowed).toBe(allowed);
    if (decidedBy) expect(decision.policy?.name).toBe(decidedBy);
    if (uncertain !== undefined) expect(decision.uncertain ?? false).toBe(uncertain);
    if (reason) expect(decision.reason).toMatch(reason);
  });

  it("skips objects that are not policies", () => {
    expect(normalizePolicies([{ nope: true }, allowProductpage])).toHaveLength(1);
    expect(authorizationDecision(normalizePolicies([allowProductpage]), { namespace: "bookinfo", labels: { app: "ratings" } }, {}).allowed).toBe(true);
  });

  it("the written schema keeps unknown fields", () => {
    const written = { ...allowProductpage, spec: { ...allowProductpage.spec, provider: { name: "x" } } };
    expect(authorizationPolicySchema.parse(written)).toEqual(written);
  });
});
