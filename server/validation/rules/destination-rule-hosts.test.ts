import { describeRule } from "../test-support";
import { destinationRuleHostsRule } from "./destination-rule-hosts";

const service = `
apiVersion: v1
kind: Service
metadata: { name: reviews, namespace: bookinfo }
spec: { selector: { app: reviews }, ports: [{ name: http, port: 9080 }] }
---
apiVersion: v1
kind: Pod
metadata: { name: reviews-v1-abc, namespace: bookinfo, labels: { app: reviews, version: v1 } }
spec: { nodeName: node-a, containers: [{ name: app }] }
---
apiVersion: v1
kind: Node
metadata: { name: node-a, labels: { topology.kubernetes.io/zone: zone-a } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: reviews-v2, namespace: bookinfo }
spec: { selector: { matchLabels: { app: reviews, version: v2 } }, template: { metadata: { labels: { app: reviews, version: v2 } }, spec: { containers: [{ name: app }] } } }
`;

describeRule(destinationRuleHostsRule, [
  {
    name: "subsets selecting pods (or pod templates, or node topology) pass; a subset selecting none is reported",
    yaml: `${service}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews, namespace: bookinfo }
spec:
  host: reviews
  subsets:
  - { name: v1, labels: { version: v1 } }
  - { name: v2, labels: { version: v2 } }
  - { name: zone-a, labels: { topology.kubernetes.io/zone: zone-a } }
  - { name: v3, labels: { version: v3 } }
`,
    findings: ["IST0173 DestinationRule bookinfo/reviews spec.subsets[3].labels"],
  },
  {
    name: "a host that is neither a Service nor a ServiceEntry",
    yaml: `${service}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ratings, namespace: bookinfo }
spec: { host: ratings }
`,
    findings: ["IST0174 DestinationRule bookinfo/ratings spec.host"],
  },
]);
