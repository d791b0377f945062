import { authorizationPolicyYaml as policy } from "../fixtures";
import { describeRule } from "../test-support";
import { authorizationPoliciesRule } from "./authorization-policies";

const mesh = `
apiVersion: v1
kind: Namespace
metadata: { name: shop }
---
apiVersion: v1
kind: Namespace
metadata: { name: prod-payments }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: frontend, namespace: shop }
---
apiVersion: v1
kind: Pod
metadata: { name: web-1, namespace: shop, labels: { app: web } }
spec: { serviceAccountName: frontend, containers: [{ name: app }] }
`;

describeRule(authorizationPoliciesRule, [
  {
    name: "selectors matching nothing, and namespace-wide policies in empty namespaces",
    yaml: mesh + policy("web", "shop", "  selector: { matchLabels: { app: web } }") + policy("ghost", "shop", "  selector: { matchLabels: { app: ghost } }") + policy("empty", "lonely", "  action: DENY") + policy("mesh", "istio-system", "  action: ALLOW"),
    findings: ["IST0127 AuthorizationPolicy lonely/empty", "IST0127 AuthorizationPolicy shop/ghost spec.selector.matchLabels"],
  },
  {
    name: "source namespaces (with wildcards) and principals must name things that exist",
    yaml:
      mesh +
      policy(
        "sources",
        "shop",
        `  selector: { matchLabels: { app: web } }
  rules:
  - from:
    - source: { namespaces: ["prod-*", "staging-*"], principals: ["cluster.local/ns/shop/sa/frontend", "cluster.local/ns/shop/sa/backend", "*/ns/other/sa/x"] }`,
      ),
    findings: ["IST0101 AuthorizationPolicy shop/sources spec.rules[0].from[0].source.namespaces[1]", "MC1008 AuthorizationPolicy shop/sources spec.rules[0].from[0].source.principals[1]"],
  },
]);
