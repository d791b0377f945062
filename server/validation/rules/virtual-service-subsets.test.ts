import { describeRule } from "../test-support";
import { virtualServiceSubsetsRule } from "./virtual-service-subsets";

const reviewsRule = `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews, namespace: bookinfo }
spec:
  host: reviews
  subsets:
  - { name: v1, labels: { version: v1 } }
  - { name: v2, labels: { version: v2 } }
`;

describeRule(virtualServiceSubsetsRule, [
  {
    name: "a subset the DestinationRule defines is fine, a missing one is reported at its field",
    yaml: `${reviewsRule}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: bookinfo }
spec:
  hosts: [reviews]
  http:
  - route:
    - { destination: { host: reviews, subset: v1 }, weight: 50 }
    - { destination: { host: reviews, subset: v4 }, weight: 50 }
`,
    findings: ["IST0101 VirtualService bookinfo/reviews spec.http[0].route[1].destination.subset"],
  },
  {
    name: "an FQDN host finds the rule written with a short host; mirrors are checked too",
    yaml: `${reviewsRule}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: mirror, namespace: bookinfo }
spec:
  hosts: [reviews]
  http:
  - route: [{ destination: { host: reviews.bookinfo.svc.cluster.local, subset: v2 } }]
    mirror: { host: reviews, subset: v9 }
`,
    findings: ["IST0101 VirtualService bookinfo/mirror spec.http[0].mirror.subset"],
  },
  {
    name: "a DestinationRule exported only to its own namespace does not serve other namespaces",
    yaml: `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews, namespace: bookinfo }
spec:
  host: reviews.bookinfo.svc.cluster.local
  exportTo: ["."]
  subsets: [{ name: v1, labels: { version: v1 } }]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: frontend }
spec:
  hosts: [reviews.bookinfo.svc.cluster.local]
  tcp:
  - route: [{ destination: { host: reviews.bookinfo.svc.cluster.local, subset: v1 } }]
`,
    findings: ["IST0101 VirtualService frontend/reviews spec.tcp[0].route[0].destination.subset"],
  },
]);
