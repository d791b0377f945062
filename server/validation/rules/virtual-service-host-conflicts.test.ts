import { describeRule } from "../test-support";
import { virtualServiceHostConflictsRule } from "./virtual-service-host-conflicts";

function vs(name: string, namespace: string, hosts: string[], extra = ""): string {
  return `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  hosts: [${hosts.map((h) => `"${h}"`).join(", ")}]
${extra}
---`;
}

describeRule(virtualServiceHostConflictsRule, [
  {
    name: "a short name and its FQDN in another namespace conflict; each VirtualService is reported once",
    yaml: vs("reviews", "bookinfo", ["reviews"]) + vs("reviews-canary", "ops", ["reviews.bookinfo.svc.cluster.local", "reviews"]),
    findings: ["IST0109 VirtualService bookinfo/reviews spec.hosts[0]", "IST0109 VirtualService ops/reviews-canary spec.hosts[0]"],
  },
  {
    name: "gateway-only VirtualServices and disjoint exportTo do not conflict",
    yaml:
      vs("a", "team-a", ["api.example.com"], '  exportTo: ["."]') +
      vs("b", "team-b", ["api.example.com"], '  exportTo: ["."]') +
      vs("c", "team-c", ["api.example.com"], "  gateways: [edge]"),
    findings: [],
  },
  {
    name: "a wildcard covering another host conflicts",
    yaml: vs("wide", "web", ["*.example.com"]) + vs("narrow", "web", ["shop.example.com"]),
    findings: ["IST0109 VirtualService web/narrow spec.hosts[0]", "IST0109 VirtualService web/wide spec.hosts[0]"],
  },
]);
