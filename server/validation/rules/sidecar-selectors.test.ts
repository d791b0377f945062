import { describeRule } from "../test-support";
import { sidecarSelectorsRule } from "./sidecar-selectors";

function sidecar(name: string, namespace: string, selector?: string): string {
  return `
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: { name: ${name}, namespace: ${namespace} }
spec:
${selector ? `  workloadSelector: { labels: { ${selector} } }\n` : ""}  egress: [{ hosts: ["./*"] }]
`;
}

const pods = `
apiVersion: v1
kind: Pod
metadata: { name: reviews-1, namespace: shop, labels: { app: reviews, tier: back } }
spec: { containers: [{ name: app }, { name: istio-proxy }] }
`;

describeRule(sidecarSelectorsRule, [
  { name: "a selector matching no pod of the namespace", yaml: pods + sidecar("ghost", "shop", "app: ghost"), findings: ["IST0101 Sidecar shop/ghost spec.workloadSelector.labels"] },
  {
    name: "two Sidecars selecting one pod, and two without selectors",
    yaml: pods + sidecar("by-app", "shop", "app: reviews") + sidecar("by-tier", "shop", "tier: back") + sidecar("default-1", "shop") + sidecar("default-2", "shop"),
    findings: ["IST0110 Sidecar shop/by-app spec.workloadSelector", "IST0110 Sidecar shop/by-tier spec.workloadSelector", "IST0111 Sidecar shop/default-1 spec", "IST0111 Sidecar shop/default-2 spec"],
  },
  {
    name: "a Sidecar in an ambient namespace has no effect",
    yaml: `
apiVersion: v1
kind: Namespace
metadata: { name: mesh, labels: { istio.io/dataplane-mode: ambient } }
${sidecar("default", "mesh")}`,
    findings: ["IST0167 Sidecar mesh/default"],
  },
]);
