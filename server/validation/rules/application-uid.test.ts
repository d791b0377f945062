import { describeRule } from "../test-support";
import { applicationUidRule } from "./application-uid";

describeRule(applicationUidRule, [
  {
    name: "pod-level and container-level UID 1337 are reported once per workload; the proxy itself is exempt",
    yaml: `
apiVersion: v1
kind: Pod
metadata: { name: pod-level, namespace: shop }
spec: { securityContext: { runAsUser: 1337 }, containers: [{ name: app, securityContext: { runAsUser: 1337 } }] }
---
apiVersion: v1
kind: Pod
metadata: { name: proxy-only, namespace: shop }
spec: { containers: [{ name: app, securityContext: { runAsUser: 1000 } }, { name: istio-proxy, securityContext: { runAsUser: 1337 } }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec: { selector: { matchLabels: { app: web } }, template: { metadata: { labels: { app: web } }, spec: { containers: [{ name: app, securityContext: { runAsUser: 1337 } }] } } }
`,
    findings: ["IST0144 Deployment shop/web spec.template.spec.containers[0].securityContext.runAsUser", "IST0144 Pod shop/pod-level spec.securityContext.runAsUser"],
  },
]);
