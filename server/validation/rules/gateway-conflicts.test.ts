import { describeRule } from "../test-support";
import { gatewayConflictsRule } from "./gateway-conflicts";

const pod = `
apiVersion: v1
kind: Pod
metadata: { name: ingress-1, namespace: istio-system, labels: { istio: ingressgateway, tier: edge } }
spec: { containers: [{ name: istio-proxy }] }
`;

function gateway(name: string, selector: string, port: number, host: string): string {
  return `
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: ${name}, namespace: istio-system }
spec: { selector: { ${selector} }, servers: [{ port: { number: ${port}, name: p, protocol: HTTP }, hosts: ["${host}"] }] }
`;
}

describeRule(gatewayConflictsRule, [
  {
    name: "same workload, port and host conflict, even with different selectors",
    yaml: pod + gateway("alpha", "istio: ingressgateway", 80, "shop.example.com") + gateway("beta", "tier: edge", 80, "*.example.com"),
    findings: ["IST0145 Gateway istio-system/alpha spec.servers[0]", "IST0145 Gateway istio-system/beta spec.servers[0]"],
  },
  {
    name: "different ports or disjoint hosts do not conflict",
    yaml: pod + gateway("alpha", "istio: ingressgateway", 80, "a.example.com") + gateway("beta", "istio: ingressgateway", 443, "a.example.com") + gateway("gamma", "istio: ingressgateway", 80, "b.example.com"),
    findings: [],
  },
]);
