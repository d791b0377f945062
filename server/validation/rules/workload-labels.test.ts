import { describeRule } from "../test-support";
import { workloadLabelsRule } from "./workload-labels";

describeRule(workloadLabelsRule, [
  {
    name: "templates and standalone pods need app and version; controller-owned pods and system namespaces are skipped",
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
`,
    findings: ["MC1007 Deployment shop/no-version spec.template.metadata.labels", "MC1007 Pod shop/bare metadata.labels"],
  },
]);
