import { describeRule } from "../test-support";
import { routeWeightsRule } from "./route-weights";

function vs(routes: string): string {
  return `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: bookinfo }
spec:
  hosts: [reviews]
  http:
${routes}`;
}

describeRule(routeWeightsRule, [
  { name: "weights adding up to 100 pass", yaml: vs("  - route: [{ destination: { host: reviews, subset: v1 }, weight: 90 }, { destination: { host: reviews, subset: v2 }, weight: 10 }]"), findings: [] },
  { name: "a single unweighted destination takes everything", yaml: vs("  - route: [{ destination: { host: reviews } }]"), findings: [] },
  {
    name: "weights adding up to 80 are reported at the route",
    yaml: vs("  - route: [{ destination: { host: reviews, subset: v1 }, weight: 70 }, { destination: { host: reviews, subset: v2 }, weight: 10 }]"),
    findings: ["MC1001 VirtualService bookinfo/reviews spec.http[0].route"],
  },
  {
    name: "several destinations without any weight",
    yaml: vs("  - route: [{ destination: { host: reviews, subset: v1 } }, { destination: { host: reviews, subset: v2 } }]"),
    findings: ["MC1001 VirtualService bookinfo/reviews spec.http[0].route"],
  },
]);
