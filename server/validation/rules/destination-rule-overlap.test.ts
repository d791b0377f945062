import { describeRule } from "../test-support";
import { destinationRuleOverlapRule } from "./destination-rule-overlap";

function rule(name: string, namespace: string, spec: string): string {
  return `
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ${name}, namespace: ${namespace} }
spec:
${spec}
`;
}

describeRule(destinationRuleOverlapRule, [
  {
    name: "two rules for one host in one namespace defining the same subset and both a traffic policy",
    yaml:
      rule("reviews-a", "bookinfo", "  host: reviews\n  trafficPolicy: { loadBalancer: { simple: ROUND_ROBIN } }\n  subsets: [{ name: v1, labels: { version: v1 } }]") +
      rule("reviews-b", "bookinfo", "  host: reviews.bookinfo.svc.cluster.local\n  trafficPolicy: { loadBalancer: { simple: LEAST_REQUEST } }\n  subsets: [{ name: v1, labels: { version: v1 } }, { name: v2, labels: { version: v2 } }]"),
    findings: [
      "MC1002 DestinationRule bookinfo/reviews-a spec.subsets[0].name",
      "MC1003 DestinationRule bookinfo/reviews-a spec.trafficPolicy",
      "MC1002 DestinationRule bookinfo/reviews-b spec.subsets[0].name",
      "MC1003 DestinationRule bookinfo/reviews-b spec.trafficPolicy",
    ],
  },
  {
    name: "rules in different namespaces, or with distinct subsets, do not overlap",
    yaml: rule("a", "bookinfo", "  host: reviews\n  subsets: [{ name: v1, labels: { version: v1 } }]") + rule("b", "bookinfo", "  host: reviews\n  subsets: [{ name: v2, labels: { version: v2 } }]") + rule("c", "other", "  host: reviews.bookinfo.svc.cluster.local\n  subsets: [{ name: v1, labels: { version: v1 } }]"),
    findings: [],
  },
]);
