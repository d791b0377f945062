import { describeRule } from "../test-support";
import { workloadLabelsRule } from "./workload-labels";

describeRule(workloadLabelsRule, [
  {
    name: "templates and standalone pods need app and version; controller-owned pods, system namespaces and the mesh's own workloads are skipped",
    yaml: `
apiVersion: apps/v1
kind: Deployment
metadata: { name: no-version, namespace: shop }
spec: { selector: { matchLabels: { app: web } }, template: { metadata: { labels: { app: web } }, spec: { containers: [{ name: app }] } } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: labelled, namespace: shop }
spec: { selector: { matchLabels: { app.kubernetes.io/name: api } }, template: { metadata: { labels: { app.kubernetes.io/name: api, app.kubernetes.io/version: "2" } }, spec: { containers: [{ name: app }] } } }
---
apiVersion: v1
kind: Pod
metadata: { name: bare, namespace: shop }
spec: { containers: [{ name: app }] }
---
apiVersion: v1
kind: Pod
metadata: { name: owned, namespace: shop, ownerReferences: [{ kind: ReplicaSet, name: web-abc }] }
spec: { containers: [{ name: app }] }
---
apiVersion: v1
kind: Pod
metadata: { name: coredns, namespace: kube-system }
spec: { containers: [{ name: app }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: bookinfo-gateway-istio, namespace: shop }
spec: { selector: { matchLabels: { gateway.networking.k8s.io/gateway-name: bookinfo-gateway } }, template: { metadata: { labels: { gateway.networking.k8s.io/gateway-name: bookinfo-gateway } }, spec: { containers: [{ name: istio-proxy }] } } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: istiod-canary, namespace: istio-canary }
spec: { selector: { matchLabels: { app: istiod } }, template: { metadata: { labels: { app: istiod, istio.io/rev: canary } }, spec: { containers: [{ name: discovery }] } } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: canonical, namespace: shop }
spec: { selector: { matchLabels: { app: api } }, template: { metadata: { labels: { app: api, service.istio.io/canonical-revision: "3" } }, spec: { containers: [{ name: app }] } } }
`,
    findings: ["MC1007 Deployment shop/no-version spec.template.metadata.labels", "MC1007 Pod shop/bare metadata.labels"],
  },
]);
