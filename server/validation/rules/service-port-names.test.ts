import { describeRule } from "../test-support";
import { servicePortNamesRule } from "./service-port-names";

function service(name: string, namespace: string, ports: string, extra = ""): string {
  return `
---
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: ${namespace} }
spec:
${extra}  ports: ${ports}
`;
}

describeRule(servicePortNamesRule, [
  {
    name: "protocol-prefixed names and appProtocol pass; bare and unnamed ports are reported",
    yaml: service("web", "shop", "[{ name: http-web, port: 80 }, { name: grpc, port: 90 }, { name: metrics, port: 9090, appProtocol: http }, { name: admin, port: 8080 }, { port: 7000 }]"),
    findings: ["IST0118 Service shop/web spec.ports[3].name", "IST0118 Service shop/web spec.ports[4]"],
  },
  { name: "Kubernetes system namespaces are left alone", yaml: service("dns", "kube-system", "[{ name: dns, port: 53 }]"), findings: [] },
  {
    name: "ExternalName services need an application protocol name (TCP is not enough)",
    yaml: service("ext-tcp", "shop", "[{ name: tcp, port: 443 }]", "  type: ExternalName\n  externalName: api.example.com\n") + service("ext-https", "shop", "[{ name: https, port: 443 }]", "  type: ExternalName\n  externalName: api.example.com\n"),
    findings: ["IST0150 Service shop/ext-tcp spec.ports[0].name"],
  },
]);
