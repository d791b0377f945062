import { describeRule } from "../test-support";
import { deprecatedFieldsRule } from "./deprecated-fields";

describeRule(deprecatedFieldsRule, [
  {
    name: "fault percent and Sidecar egressProxy are deprecated; percentage is fine",
    yaml: `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: faults, namespace: shop }
spec:
  hosts: [web]
  http:
  - fault: { delay: { percent: 50, fixedDelay: 1s } }
    route: [{ destination: { host: web } }]
  - fault: { abort: { percentage: { value: 10 }, httpStatus: 503 } }
    route: [{ destination: { host: web } }]
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: { name: default, namespace: shop }
spec: { outboundTrafficPolicy: { mode: REGISTRY_ONLY, egressProxy: { host: proxy } } }
`,
    findings: ["IST0002 Sidecar shop/default spec.outboundTrafficPolicy.egressProxy", "IST0002 VirtualService shop/faults spec.http[0].fault.delay.percent"],
  },
]);
