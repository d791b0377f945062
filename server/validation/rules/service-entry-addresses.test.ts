import { describeRule } from "../test-support";
import { serviceEntryAddressesRule } from "./service-entry-addresses";

function entry(name: string, spec: string): string {
  return `
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: ${name}, namespace: shop }
spec:
  hosts: [db.example.com]
${spec}
`;
}

const cases = entry("tcp", "  ports: [{ number: 5432, name: tcp, protocol: TCP }]") + entry("no-protocol", "  ports: [{ number: 5432, name: db }]") + entry("with-address", "  addresses: [10.0.0.5]\n  ports: [{ number: 5432, name: tcp, protocol: tcp }]") + entry("https", "  ports: [{ number: 443, name: https, protocol: HTTPS }]");

describeRule(serviceEntryAddressesRule, [
  { name: "TCP or protocol-less ports without addresses", yaml: cases, findings: ["IST0134 ServiceEntry shop/no-protocol spec.ports[0].protocol", "IST0134 ServiceEntry shop/tcp spec.ports[0].protocol"] },
  {
    name: "DNS auto-allocation in the mesh config makes addresses unnecessary",
    yaml: cases,
    options: { meshConfig: { defaultServiceExportTo: [], defaultVirtualServiceExportTo: [], defaultDestinationRuleExportTo: [], defaultConfig: { proxyMetadata: { ISTIO_META_DNS_CAPTURE: "true", ISTIO_META_DNS_AUTO_ALLOCATE: "true" } } } },
    findings: [],
  },
]);
