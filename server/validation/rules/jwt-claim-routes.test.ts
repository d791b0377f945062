import { describeRule } from "../test-support";
import { jwtClaimRoutesRule } from "./jwt-claim-routes";

const base = `
apiVersion: v1
kind: Pod
metadata: { name: ingress-1, namespace: istio-system, labels: { istio: ingressgateway } }
spec: { containers: [{ name: istio-proxy }] }
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: public, namespace: istio-system }
spec: { selector: { istio: ingressgateway }, servers: [{ port: { number: 80, name: http, protocol: HTTP }, hosts: ["*"] }] }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: claims, namespace: shop }
spec:
  hosts: [shop.example.com]
  gateways: [istio-system/public]
  http:
  - match: [{ headers: { "@request.auth.claims.group": { exact: admin } } }]
    route: [{ destination: { host: admin } }]
`;

describeRule(jwtClaimRoutesRule, [
  { name: "claim routing on a gateway without RequestAuthentication", yaml: base, findings: ["IST0149 VirtualService shop/claims spec.http[0].match[0].headers"] },
  {
    name: "a RequestAuthentication selecting the gateway pods makes the claims available",
    yaml: `${base}
---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: { name: jwt, namespace: istio-system }
spec: { selector: { matchLabels: { istio: ingressgateway } }, jwtRules: [{ issuer: "https://issuer.example.com" }] }
`,
    findings: [],
  },
]);
