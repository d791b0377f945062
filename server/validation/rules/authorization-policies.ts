import { formatSelector, isEmptySelector } from "../labels";
import { kindNames } from "../objects";
import { FindingSink, type Rule } from "../rule";
import type { MeshSnapshot } from "../snapshot";

/**
 * An AuthorizationPolicy applies to the workloads its selector picks in its namespace (or the whole
 * mesh from the root namespace); one that picks none does nothing. Source namespaces and principals
 * name things that should exist (https://istio.io/latest/docs/reference/config/security/authorization-policy/).
 */

/** Istio's namespace patterns: exact, `*`, `prefix*` or `*suffix`. */
function namespacePatternMatches(pattern: string, namespace: string): boolean {
  if (pattern === "*") return true;
  if (pattern.startsWith("*")) return namespace.endsWith(pattern.slice(1));
  if (pattern.endsWith("*")) return namespace.startsWith(pattern.slice(0, -1));
  return pattern === namespace;
}

/** `<trust-domain>/ns/<namespace>/sa/<name>` without wildcards, as a (namespace, account) pair. */
function principalAccount(principal: string, trustDomain: string): { namespace: string; account: string } | undefined {
  if (principal.includes("*")) return undefined;
  const match = /^([^/]+)\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(principal);
  if (!match || (match[1] !== trustDomain && match[1] !== "cluster.local")) return undefined;
  return { namespace: match[2] as string, account: match[3] as string };
}

function workloadsInScope(snapshot: MeshSnapshot, namespace: string, selector: Readonly<Record<string, string>> | undefined): number {
  const root = snapshot.settings.rootNamespace;
  const scope = namespace === root ? undefined : namespace;
  if (!selector || isEmptySelector(selector)) return scope === undefined ? snapshot.workloads().length : snapshot.workloadsIn(scope).length;
  return snapshot.selectWorkloads(selector, scope).length;
}

export const authorizationPoliciesRule: Rule = {
  id: "authorization-policies",
  description: "AuthorizationPolicies select workloads and name existing namespaces and service accounts.",
  // Source namespaces are checked against every namespace any object lives in, so every kind matters.
  reads: kindNames,
  codes: ["IST0101", "IST0127", "MC1008"],
  istioAnalyzers: ["authz.AuthorizationPoliciesAnalyzer"],
  check(snapshot) {
    const sink = new FindingSink();
    const root = snapshot.settings.rootNamespace;
    const trustDomain = snapshot.settings.trustDomain;
    const namespaces = [...snapshot.knownNamespaces()];
    for (const policy of snapshot.list("AuthorizationPolicy")) {
      const namespace = policy.ref.namespace;
      const targeted = policy.spec.targetRef !== undefined || policy.spec.targetRefs.length > 0;
      const selector = policy.spec.selector?.matchLabels;
      const meshWide = namespace === root && (!selector || isEmptySelector(selector));
      if (!targeted && !meshWide && workloadsInScope(snapshot, namespace, selector) === 0) {
        const what = selector && !isEmptySelector(selector) ? formatSelector(selector) : `any workload in namespace ${namespace}`;
        sink.report("IST0127", policy, selector ? "spec.selector.matchLabels" : "", `No workload matches this policy (${what}), so it has no effect.`);
      }
      policy.spec.rules.forEach((rule, i) => {
        rule.from.forEach((from, j) => {
          for (const field of ["namespaces", "notNamespaces"] as const) {
            from.source[field].forEach((pattern, k) => {
              if (namespaces.some((ns) => namespacePatternMatches(pattern, ns))) return;
              sink.report("IST0101", policy, `spec.rules[${i}].from[${j}].source.${field}[${k}]`, `Referenced namespace not found: "${pattern}"`);
            });
          }
          for (const field of ["principals", "notPrincipals"] as const) {
            from.source[field].forEach((principal, k) => {
              const account = principalAccount(principal, trustDomain);
              if (!account || snapshot.serviceAccountExists(account.namespace, account.account)) return;
              sink.report(
                "MC1008",
                policy,
                `spec.rules[${i}].from[${j}].source.${field}[${k}]`,
                `Principal "${principal}" names service account ${account.namespace}/${account.account}, which does not exist and no workload runs as.`,
              );
            });
          }
        });
      });
    }
    return sink.findings;
  },
};
