import { describe, expect, it } from "vitest";
import { evaluateRequest } from "@/lib/istio/authorizationPolicy";
import { RAW_METRICS } from "@/server/telemetry";
import { observedCallersOf, observedCallersQuery } from "./authorization";
import { MIN_EVIDENCE_REQUESTS, proposeAuthorizationPolicy, proposedPolicyName, type ProposalInput } from "./authorizationProposal";

const WINDOW = 600;
const reviewsV2 = { namespace: "bookinfo", name: "reviews-v2", labels: { app: "reviews", version: "v2" }, selector: { app: "reviews", version: "v2" }, services: ["reviews"] };

/** Recorded `sum by (source_principal, source_workload, source_workload_namespace, request_protocol)` rates at reporter="destination". */
function series(principal: string, workload: string, namespace: string, rate: number, protocol = "http") {
  return { metric: { source_principal: principal, source_workload: workload, source_workload_namespace: namespace, request_protocol: protocol }, value: [0, String(rate)] as [number, string] };
}

const productpage = series("spiffe://cluster.local/ns/bookinfo/sa/bookinfo-productpage", "productpage-v1", "bookinfo", 2);
const tester = series("spiffe://cluster.local/ns/tools/sa/tester", "tester", "tools", 0.5);
const ingressPlainText = series("unknown", "unknown", "unknown", 0.1);

function input(samples: ReturnType<typeof series>[], extra: Partial<ProposalInput> = {}): ProposalInput {
  return { workload: reviewsV2, granularity: "principals", windowSeconds: WINDOW, observed: observedCallersOf(samples, WINDOW), policies: [], ...extra };
}

describe("observed callers", () => {
  it("reads the workload's own proxy's reports, pinned to its namespace", () => {
    const query = observedCallersQuery("bookinfo", "reviews-v2", WINDOW, RAW_METRICS);
    expect(query).toContain('reporter="destination"');
    expect(query).toContain('destination_workload="reviews-v2"');
    expect(query).toContain('destination_workload_namespace="bookinfo"');
    expect(query).toContain("sum by (source_principal, source_workload, source_workload_namespace, request_protocol)");
  });

  it("turns rates into requests in the window and drops idle series", () => {
    expect(observedCallersOf([productpage, series("x", "y", "z", 0)], WINDOW)).toEqual([{ sourcePrincipal: productpage.metric.source_principal, sourceWorkload: "productpage-v1", sourceNamespace: "bookinfo", protocol: "http", requests: 1200 }]);
  });
});

describe("proposeAuthorizationPolicy", () => {
  const cases: {
    name: string;
    input: ProposalInput;
    sources: string[];
    denied: { callers: number; requests: number };
    note?: RegExp;
    rules: boolean;
  }[] = [
    { name: "one mesh caller: its principal, nothing denied", input: input([productpage]), sources: ["cluster.local/ns/bookinfo/sa/bookinfo-productpage"], denied: { callers: 0, requests: 0 }, rules: true },
    {
      name: "two callers by namespace",
      input: input([productpage, tester], { granularity: "namespaces" }),
      sources: ["bookinfo", "tools"],
      denied: { callers: 0, requests: 0 },
      rules: true,
    },
    {
      name: "a caller without identity is denied, with counts",
      input: input([productpage, ingressPlainText]),
      sources: ["cluster.local/ns/bookinfo/sa/bookinfo-productpage"],
      denied: { callers: 1, requests: 60 },
      note: /1 caller \(60 requests\) came without an mTLS identity .* would deny them/,
      rules: true,
    },
    { name: "only plain text: allow nothing, said so", input: input([ingressPlainText]), sources: [], denied: { callers: 1, requests: 60 }, note: /would allow nothing/, rules: false },
    { name: "thin evidence", input: input([series("spiffe://cluster.local/ns/bookinfo/sa/a", "a", "bookinfo", 0.01)]), sources: ["cluster.local/ns/bookinfo/sa/a"], denied: { callers: 0, requests: 0 }, note: new RegExp(`fewer than ${MIN_EVIDENCE_REQUESTS}`), rules: true },
    {
      name: "an existing DENY policy is accounted for, not blamed on the proposal",
      input: input([productpage, tester], {
        policies: [{ metadata: { name: "deny-tools", namespace: "bookinfo" }, spec: { action: "DENY", rules: [{ from: [{ source: { namespaces: ["tools"] } }] }] } }],
      }),
      sources: ["cluster.local/ns/bookinfo/sa/bookinfo-productpage", "cluster.local/ns/tools/sa/tester"],
      denied: { callers: 0, requests: 0 },
      rules: true,
    },
  ];

  it.each(cases)("$name", ({ input: proposalInput, sources, denied, note, rules }) => {
    const proposal = proposeAuthorizationPolicy(proposalInput);
    expect(proposal.sources).toEqual(sources);
    expect(proposal.deniedObserved).toEqual(denied);
    expect(proposal.deniesObservedTraffic).toBe(denied.callers > 0);
    if (note) expect(proposal.notes.join("\n")).toMatch(note);
    expect("rules" in proposal.policy.spec).toBe(rules);
    expect(proposal.notes[0]).toMatch(/no request method, path or port/);
  });

  it("writes a labelled ALLOW policy selecting the workload, and a newcomer is denied", () => {
    const proposal = proposeAuthorizationPolicy(input([productpage]));
    expect(proposal.policy.metadata).toMatchObject({ name: proposedPolicyName("reviews-v2"), namespace: "bookinfo", labels: { "mesh-console.io/created-by": "mesh-console" } });
    expect(proposal.policy.spec).toMatchObject({ selector: { matchLabels: { app: "reviews", version: "v2" } }, action: "ALLOW" });
    expect(proposal.yaml).toContain("cluster.local/ns/bookinfo/sa/bookinfo-productpage");
    expect(proposal.newcomer).toMatchObject({ principal: "cluster.local/ns/not-seen/sa/default", allowed: false });
    // What the simulator enforces with the same evaluator: the observed caller keeps passing.
    expect(evaluateRequest([proposal.policy], reviewsV2, { sourcePrincipal: productpage.metric.source_principal }).allowed).toBe(true);
  });

  it("previews each caller now and with the proposal", () => {
    const proposal = proposeAuthorizationPolicy(input([ingressPlainText, productpage]));
    expect(proposal.callers.map((caller) => [caller.sourceWorkload, caller.requests, caller.now.allowed, caller.proposed.allowed])).toEqual([
      ["productpage-v1", 1200, true, true],
      ["unknown", 60, true, false],
    ]);
    expect(proposal.callers[1]!.proposed.reason).toMatch(/without an mTLS identity/);
  });

  it("replaces the console's earlier proposal instead of adding to it", () => {
    const earlier = proposeAuthorizationPolicy(input([tester])).policy;
    const proposal = proposeAuthorizationPolicy(input([productpage], { policies: [earlier] }));
    expect(proposal.callers[0]!.proposed.allowed).toBe(true);
    expect(proposal.newcomer.allowed).toBe(false);
  });
});
