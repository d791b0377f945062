import { describeRule } from "../test-support";
import { annotationsRule } from "./annotations";

describeRule(annotationsRule, [
  {
    name: "unknown, misplaced, invalid and deprecated annotations",
    yaml: `
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop, annotations: { networking.istio.io/exportto: ".", networking.istio.io/exportTo: "." } }
spec: { ports: [{ name: http, port: 80 }] }
---
apiVersion: v1
kind: Pod
metadata:
  name: web-1
  namespace: shop
  annotations: { readiness.status.sidecar.istio.io/periodSeconds: soon, proxy.istio.io/config: "{}", example.com/owner: me }
spec: { containers: [{ name: app }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop, annotations: { sidecar.istio.io/statsInclusionPrefixes: cluster.outbound } }
spec: { selector: { matchLabels: { app: web } }, template: { metadata: { labels: { app: web } }, spec: { containers: [{ name: app }] } } }
`,
    findings: [
      "IST0107 Deployment shop/web metadata.annotations[\"sidecar.istio.io/statsInclusionPrefixes\"]",
      "IST0135 Deployment shop/web metadata.annotations[\"sidecar.istio.io/statsInclusionPrefixes\"]",
      "IST0125 Pod shop/web-1 metadata.annotations[\"readiness.status.sidecar.istio.io/periodSeconds\"]",
      "IST0108 Service shop/web metadata.annotations[\"networking.istio.io/exportto\"]",
    ],
  },
]);
