import { describeRule } from "../test-support";
import { serviceEntryProtocolsRule } from "./service-entry-protocols";

function entry(name: string, namespace: string, protocol: string, exportTo = ""): string {
  return `
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  hosts: [api.example.com]
  ports: [{ number: 8443, name: p, protocol: ${protocol} }]
${exportTo}
`;
}

describeRule(serviceEntryProtocolsRule, [
  { name: "one host and port with two protocols", yaml: entry("a", "shop", "HTTP") + entry("b", "shop", "HTTPS"), findings: ["IST0177 ServiceEntry shop/a spec.ports", "IST0177 ServiceEntry shop/b spec.ports"] },
  { name: "same protocol, or entries never visible together", yaml: entry("a", "shop", "HTTPS", '  exportTo: ["."]') + entry("b", "shop", "https", '  exportTo: ["."]') + entry("c", "x", "HTTP", '  exportTo: ["."]') + entry("d", "y", "TCP", '  exportTo: ["."]'), findings: [] },
]);
