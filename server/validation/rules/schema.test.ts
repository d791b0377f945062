import { describeRule } from "../test-support";
import { schemaRule } from "./schema";

describeRule(schemaRule, [
  {
    name: "a malformed object is reported at the offending field; well-formed ones are not",
    yaml: `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: broken, namespace: shop }
spec: { hosts: [web], http: [{ route: [{ destination: { host: web }, weight: "fifty" }] }] }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: no-host, namespace: shop }
spec: { subsets: [] }
---
apiVersion: v1
kind: Service
metadata: { name: fine, namespace: shop }
spec: { ports: [{ name: http, port: 80 }] }
`,
    findings: ["IST0106 DestinationRule shop/no-host spec.host", "IST0106 VirtualService shop/broken spec.http[0].route[0].weight"],
  },
]);
