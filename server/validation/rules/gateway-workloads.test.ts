import { describeRule } from "../test-support";
import { gatewayWorkloadsRule } from "./gateway-workloads";

const workload = `
apiVersion: v1
kind: Pod
metadata: { name: edge-1, namespace: edge, labels: { app: edge-gateway } }
spec: { containers: [{ name: istio-proxy }] }
---
apiVersion: v1
kind: Service
metadata: { name: edge, namespace: edge }
spec: { selector: { app: edge-gateway }, ports: [{ name: http2, port: 80, targetPort: 8080 }] }
`;

function gateway(selector: string, ports: number[]): string {
  return `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: gw, namespace: shop }
spec:
  selector: { ${selector} }
  servers:
${ports.map((p) => `  - { port: { number: ${p}, name: http-${p}, protocol: HTTP }, hosts: ["*"] }`).join("\n")}
`;
}

describeRule(gatewayWorkloadsRule, [
  { name: "a selector no pod carries", yaml: `${workload}\n---\n${gateway("app: typo", [80])}`, findings: ["IST0101 Gateway shop/gw spec.selector"] },
  {
    name: "ports reachable as service port or targetPort pass, others are reported",
    yaml: `${workload}\n---\n${gateway("app: edge-gateway", [80, 8080, 9000])}`,
    findings: ["IST0162 Gateway shop/gw spec.servers[2].port.number"],
  },
  {
    name: "the assumed default ingress gateway serves istio: ingressgateway offline (ports 80/443)",
    yaml: gateway("istio: ingressgateway", [80, 8443, 15443]),
    options: { assumeDefaultIngressGateway: true },
    findings: ["IST0162 Gateway shop/gw spec.servers[2].port.number"],
  },
]);
