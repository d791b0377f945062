import { describeRule } from "../test-support";
import { serviceAssociationRule } from "./service-association";

const deployment = `
apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { istio-injection: enabled } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec: { selector: { matchLabels: { app: web } }, template: { metadata: { labels: { app: web } }, spec: { containers: [{ name: app }] } } }
`;

function service(name: string, port: string): string {
  return `
---
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: shop }
spec: { selector: { app: web }, ports: [${port}] }
`;
}

describeRule(serviceAssociationRule, [
  { name: "one port with two protocols", yaml: deployment + service("web-http", "{ name: http, port: 8080 }") + service("web-tcp", "{ name: tcp, port: 8080 }"), findings: ["IST0116 Deployment shop/web spec.template.metadata.labels"] },
  {
    name: "one targetPort behind two service ports",
    yaml: deployment + service("web-a", "{ name: http, port: 80, targetPort: 8080 }") + service("web-b", "{ name: http, port: 81, targetPort: 8080 }"),
    findings: ["IST0137 Deployment shop/web spec.template.metadata.labels"],
  },
  { name: "consistent services pass", yaml: deployment + service("web-a", "{ name: http, port: 80, targetPort: 8080 }") + service("web-b", "{ name: grpc, port: 90 }"), findings: [] },
]);
