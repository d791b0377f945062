import type { StatusCondition } from "../objects/gatewayApi";
import { FindingSink, type Rule } from "../rule";

/**
 * Controllers report trouble in `status.conditions`: istiod on Gateway API objects (a route not
 * Accepted or with unresolved refs, a Gateway not Programmed) and, in ambient mode, on Services,
 * ServiceEntries and AuthorizationPolicies. Istio's `conditions.ConditionAnalyzer` lists which
 * condition types count as negative for which kind; the same table here, with the condition's own
 * reason and message, at the condition's field.
 */

type ReportedKind = "Service" | "ServiceEntry" | "AuthorizationPolicy" | "KubernetesGateway" | "HTTPRoute" | "GRPCRoute" | "TLSRoute" | "TCPRoute";

const gatewayApiNegative = { Accepted: "False", Programmed: "False", ResolvedRefs: "False" } as const;

const negativeStatus: Record<ReportedKind, Readonly<Record<string, string>>> = {
  Service: { "istio.io/WaypointBound": "False" },
  ServiceEntry: { "istio.io/WaypointBound": "False" },
  AuthorizationPolicy: { ZtunnelAccepted: "False", WaypointAccepted: "False" },
  KubernetesGateway: gatewayApiNegative,
  HTTPRoute: gatewayApiNegative,
  GRPCRoute: gatewayApiNegative,
  TLSRoute: gatewayApiNegative,
  TCPRoute: gatewayApiNegative,
};

function isNegative(kind: ReportedKind, condition: StatusCondition): boolean {
  const type = condition.type ?? "";
  if (negativeStatus[kind][type] === condition.status) return true;
  // A policy istiod accepted only in part says so in the reason of a True condition.
  return kind === "AuthorizationPolicy" && type === "WaypointAccepted" && condition.reason === "PartiallyInvalid";
}

function describeCondition(condition: StatusCondition): string {
  return `A condition with a negative status is present: type=${condition.type ?? ""}, reason=${condition.reason ?? ""}, message=${condition.message ?? ""}.`;
}

const directKinds = ["Service", "ServiceEntry", "AuthorizationPolicy", "KubernetesGateway"] as const;
const routeKinds = ["HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute"] as const;

export const negativeConditionsRule: Rule = {
  id: "negative-conditions",
  description: "Objects whose status reports a negative condition (not accepted, not programmed, references not resolved).",
  reads: [...directKinds, ...routeKinds],
  codes: ["IST0171"],
  istioAnalyzers: ["conditions.ConditionAnalyzer"],
  check(snapshot) {
    const sink = new FindingSink();
    for (const kind of directKinds) {
      for (const object of snapshot.list(kind)) {
        object.status.conditions.forEach((condition, index) => {
          if (isNegative(kind, condition)) sink.report("IST0171", object, `status.conditions[${index}]`, describeCondition(condition));
        });
      }
    }
    for (const kind of routeKinds) {
      for (const route of snapshot.list(kind)) {
        route.status.parents.forEach((parent, parentIndex) => {
          parent.conditions.forEach((condition, index) => {
            if (isNegative(kind, condition)) sink.report("IST0171", route, `status.parents[${parentIndex}].conditions[${index}]`, describeCondition(condition));
          });
        });
      }
    }
    return sink.findings;
  },
};
