import { describeRule } from "../test-support";
import { virtualServiceDestinationsRule } from "./virtual-service-destinations";

const services = `
apiVersion: v1
kind: Service
metadata: { name: reviews, namespace: bookinfo }
spec: { selector: { app: reviews }, ports: [{ name: http, port: 9080 }] }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: bookinfo }
spec: { selector: { app: web }, ports: [{ name: http, port: 80 }, { name: https, port: 443 }] }
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: external, namespace: bookinfo }
spec: { hosts: ["*.example.com"], ports: [{ number: 443, name: https, protocol: HTTPS }] }
`;

describeRule(virtualServiceDestinationsRule, [
  {
    name: "known Service and ServiceEntry hosts pass; an unknown host and an empty destination are reported",
    yaml: `${services}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: routes, namespace: bookinfo }
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: { host: reviews }
    - destination: { host: api.example.com }
    - destination: { host: ratings }
    - {}
`,
    findings: ["IST0101 VirtualService bookinfo/routes spec.http[0].route[2].destination.host", "IST0101 VirtualService bookinfo/routes spec.http[0].route[3].destination"],
  },
  {
    name: "a port the Service does not expose, and a multi-port Service without a port",
    yaml: `${services}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ports, namespace: bookinfo }
spec:
  hosts: [web]
  http:
  - route: [{ destination: { host: reviews, port: { number: 8080 } } }]
  - route: [{ destination: { host: web } }]
  - route: [{ destination: { host: web, port: { number: 443 } } }]
`,
    findings: ["IST0101 VirtualService bookinfo/ports spec.http[0].route[0].destination.port.number", "IST0112 VirtualService bookinfo/ports spec.http[1].route[0].destination"],
  },
  {
    name: "a Service exported elsewhere is invisible from the VirtualService's namespace",
    yaml: `
apiVersion: v1
kind: Service
metadata: { name: private, namespace: team-a, annotations: { networking.istio.io/exportTo: "." } }
spec: { ports: [{ name: http, port: 80 }] }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: caller, namespace: team-b }
spec:
  hosts: [private.team-a.svc.cluster.local]
  http: [{ route: [{ destination: { host: private.team-a.svc.cluster.local } }] }]
`,
    findings: ["IST0101 VirtualService team-b/caller spec.http[0].route[0].destination.host"],
  },
  {
    name: "gateway routes without a subset bypass subset routing of the mesh VirtualService",
    yaml: `${services}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ingress, namespace: bookinfo }
spec:
  hosts: [shop.example.com]
  gateways: [shop-gateway]
  http: [{ route: [{ destination: { host: reviews } }] }]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: bookinfo }
spec:
  hosts: [reviews]
  http: [{ route: [{ destination: { host: reviews, subset: v1 } }] }]
`,
    findings: ["IST0140 VirtualService bookinfo/ingress spec.http[0].route[0].destination"],
  },
]);
