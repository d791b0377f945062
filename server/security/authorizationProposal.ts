/**
 * An ALLOW AuthorizationPolicy proposed from the traffic a workload received, and a preview of what
 * it would do to that traffic. Pure: the observed callers and the policies come in, the proposal
 * goes out (server/security/authorization.ts reads them).
 *
 * - The policy admits exactly the identities seen: the callers' mTLS principals
 *   (`cluster.local/ns/NS/sa/SA`, SPIFFE IDs without `spiffe://`), or their namespaces.
 * - Istio's standard metrics carry no method, path or port (https://istio.io/latest/docs/reference/config/metrics/#labels),
 *   so the proposal cannot narrow rules to what was seen at L7; it says so instead.
 * - Callers seen without a principal (plain text, outside the mesh, no sidecar) cannot be matched
 *   by principal or namespace (both come from the peer certificate): the preview marks their
 *   requests as denied, with counts, never drops them.
 * - Every caller is evaluated with lib/istio/authorizationPolicy.ts under the policies in force now
 *   and under the same ones with the proposal, so DENY and mesh-wide policies are accounted for.
 */
import { stringify } from "yaml";
import {
  AUTHORIZATION_POLICY,
  authorizationDecision,
  namespaceOfPrincipal,
  normalizePolicies,
  principalOf,
  type AuthorizationDecision,
  type AuthorizationPolicy,
  type AuthorizationWorkload,
} from "@/lib/istio/authorizationPolicy";
import type { AuthorizationGranularity, AuthorizationProposal, CallerPreview } from "@/lib/api/security";
import { CREATED_BY_LABEL, CREATED_BY_VALUE } from "@/server/routing/istioObjects";

/** Fewer requests than this in the window, and the proposal says the evidence is thin. */
export const MIN_EVIDENCE_REQUESTS = 100;
const MAX_NAME_LENGTH = 253;

/** One caller as the workload's own proxy reported it (reporter="destination"). */
export interface ObservedCaller {
  readonly sourcePrincipal: string;
  readonly sourceWorkload: string;
  readonly sourceNamespace: string;
  readonly protocol: string;
  /** Requests in the window (a rate times the window: an estimate, not a count). */
  readonly requests: number;
}

export interface ProposalInput {
  readonly workload: AuthorizationWorkload & { readonly name: string; readonly selector: Readonly<Record<string, string>> };
  readonly granularity: AuthorizationGranularity;
  readonly windowSeconds: number;
  readonly observed: readonly ObservedCaller[];
  /** The AuthorizationPolicies of the workload's namespace and the root namespace, as read. */
  readonly policies: readonly unknown[];
}

/** The name of the policy the console proposes for a workload (one per workload, replaced on re-apply). */
export function proposedPolicyName(workload: string): string {
  return `mesh-console-allow-${workload}`.slice(0, MAX_NAME_LENGTH).replace(/[-.]+$/, "");
}

/** The sources the policy admits: sorted, unique, only from callers with an mTLS identity. */
export function admittedSources(observed: readonly ObservedCaller[], granularity: AuthorizationGranularity): string[] {
  const values = observed.flatMap((caller) => {
    const principal = principalOf(caller.sourcePrincipal);
    if (!principal) return [];
    const value = granularity === "principals" ? principal : namespaceOfPrincipal(principal);
    return value ? [value] : [];
  });
  return [...new Set(values)].sort();
}

/** The ALLOW policy admitting `sources`; without sources it allows nothing, as Istio reads a policy without rules. */
export function buildAllowPolicy(workload: ProposalInput["workload"], granularity: AuthorizationGranularity, sources: readonly string[]): AuthorizationPolicy {
  const source = granularity === "principals" ? { principals: [...sources] } : { namespaces: [...sources] };
  return {
    apiVersion: `${AUTHORIZATION_POLICY.group}/${AUTHORIZATION_POLICY.version}`,
    kind: "AuthorizationPolicy",
    metadata: { name: proposedPolicyName(workload.name), namespace: workload.namespace, labels: { [CREATED_BY_LABEL]: CREATED_BY_VALUE } },
    spec: {
      selector: { matchLabels: { ...workload.selector } },
      action: "ALLOW",
      ...(sources.length > 0 ? { rules: [{ from: [{ source }] }] } : {}),
    },
  };
}

export function policyYaml(policy: AuthorizationPolicy): string {
  return stringify(policy, { lineWidth: 0 });
}

function isSamePolicy(policy: unknown, name: string, namespace: string): boolean {
  const metadata = (policy as { metadata?: { name?: unknown; namespace?: unknown } } | null)?.metadata;
  return metadata?.name === name && metadata?.namespace === namespace;
}

function decisionView(decision: AuthorizationDecision): CallerPreview["now"] {
  return { allowed: decision.allowed, reason: decision.reason, policy: decision.policy ? `${decision.policy.namespace}/${decision.policy.name}` : null, uncertain: decision.uncertain ?? false };
}

/** A caller the window never saw, from a namespace none of the callers came from: what the policy would do to a newcomer. */
function newcomerPrincipal(observed: readonly ObservedCaller[]): string {
  const seen = new Set(observed.map((caller) => caller.sourceNamespace));
  let namespace = "not-seen";
  for (let index = 2; seen.has(namespace); index++) namespace = `not-seen-${index}`;
  return `cluster.local/ns/${namespace}/sa/default`;
}

export function proposeAuthorizationPolicy(input: ProposalInput): AuthorizationProposal {
  const { workload, granularity, observed } = input;
  const sources = admittedSources(observed, granularity);
  const policy = buildAllowPolicy(workload, granularity, sources);
  // The proposal replaces an earlier proposal of the console's (same name), and joins every other policy.
  const others = input.policies.filter((existing) => !isSamePolicy(existing, policy.metadata.name, workload.namespace));
  const now = normalizePolicies(input.policies);
  const withProposal = normalizePolicies([...others, policy]);

  const callers: CallerPreview[] = [...observed]
    .sort((a, b) => b.requests - a.requests || a.sourceWorkload.localeCompare(b.sourceWorkload))
    .map((caller) => {
      const request = { sourcePrincipal: caller.sourcePrincipal, sourceNamespace: caller.sourceNamespace };
      const principal = principalOf(caller.sourcePrincipal) ?? null;
      return {
        sourceWorkload: caller.sourceWorkload,
        sourceNamespace: caller.sourceNamespace,
        principal,
        protocol: caller.protocol,
        requests: Math.round(caller.requests),
        now: decisionView(authorizationDecision(now, workload, request)),
        proposed: decisionView(authorizationDecision(withProposal, workload, request)),
      };
    });

  const newlyDenied = callers.filter((caller) => caller.now.allowed && !caller.proposed.allowed);
  const deniedRequests = newlyDenied.reduce((sum, caller) => sum + caller.requests, 0);
  const totalRequests = callers.reduce((sum, caller) => sum + caller.requests, 0);
  const withoutIdentity = callers.filter((caller) => caller.principal === null);
  const newcomer = newcomerPrincipal(observed);

  const notes: string[] = [
    "Istio's standard metrics carry no request method, path or port, so the policy cannot be narrowed to the operations seen; it admits callers by identity for every operation.",
    "Only HTTP and gRPC requests are counted: a caller that opened only TCP connections in the window is not listed and would be denied.",
  ];
  if (totalRequests < MIN_EVIDENCE_REQUESTS) {
    notes.push(`Only ${totalRequests} request${totalRequests === 1 ? "" : "s"} reached this workload in the window (fewer than ${MIN_EVIDENCE_REQUESTS}): callers that call rarely may be missing. Pick a longer window before applying.`);
  }
  if (withoutIdentity.length > 0) {
    const requests = withoutIdentity.reduce((sum, caller) => sum + caller.requests, 0);
    notes.push(
      `${withoutIdentity.length} caller${withoutIdentity.length === 1 ? "" : "s"} (${requests} request${requests === 1 ? "" : "s"}) came without an mTLS identity (plain text, outside the mesh or without a sidecar): no principal or namespace rule can admit them, so the policy would deny them.`,
    );
  }
  if (sources.length === 0) notes.push("No caller with an mTLS identity was seen: the policy would allow nothing (an ALLOW policy without rules denies every request).");

  return {
    namespace: workload.namespace,
    workload: workload.name,
    granularity,
    windowSeconds: input.windowSeconds,
    sources,
    policy,
    yaml: policyYaml(policy),
    callers,
    totalRequests,
    deniesObservedTraffic: newlyDenied.length > 0,
    deniedObserved: { callers: newlyDenied.length, requests: deniedRequests },
    newcomer: { principal: newcomer, ...decisionView(authorizationDecision(withProposal, workload, { sourcePrincipal: newcomer })) },
    notes,
  };
}
