import { describeRule } from "../test-support";
import { destinationRuleTlsRule } from "./destination-rule-tls";

function rule(name: string, spec: string): string {
  return `
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ${name}, namespace: shop }
spec:
  host: db.example.com
${spec}
`;
}

describeRule(destinationRuleTlsRule, [
  {
    name: "SIMPLE/MUTUAL without caCertificates at rule and port level",
    yaml: rule("rule-level", "  trafficPolicy: { tls: { mode: SIMPLE } }") + rule("port-level", "  trafficPolicy: { portLevelSettings: [{ port: { number: 443 }, tls: { mode: MUTUAL, clientCertificate: /c, privateKey: /k } }] }"),
    findings: ["IST0129 DestinationRule shop/port-level spec.trafficPolicy.portLevelSettings[0].tls", "IST0128 DestinationRule shop/rule-level spec.trafficPolicy.tls"],
  },
  {
    name: "caCertificates, ISTIO_MUTUAL, or a credentialName with a workloadSelector verify the server",
    yaml:
      rule("ca", "  trafficPolicy: { tls: { mode: SIMPLE, caCertificates: /ca.pem } }") +
      rule("istio", "  trafficPolicy: { tls: { mode: ISTIO_MUTUAL } }") +
      rule("credential", "  workloadSelector: { matchLabels: { app: egress } }\n  trafficPolicy: { tls: { mode: SIMPLE, credentialName: db-ca } }"),
    findings: [],
  },
]);
