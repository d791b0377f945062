import { describeRule } from "../test-support";
import { destinationRulePlacementRule } from "./destination-rule-placement";

const rule = (name: string, namespace: string, host: string, extra = "") => `
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  host: ${host}
${extra}
`;

const clientPod = `
apiVersion: v1
kind: Pod
metadata: { name: client, namespace: frontend, labels: { app: client } }
spec: { containers: [{ name: app }] }
`;

describeRule(destinationRulePlacementRule, [
  {
    name: "a rule for another namespace's service in a namespace without workloads is never applied",
    yaml: clientPod + rule("reviews", "config", "reviews.bookinfo.svc.cluster.local"),
    findings: ["MC1004 DestinationRule config/reviews metadata.namespace"],
  },
  {
    name: "rules in the service's namespace, the root namespace, or a client namespace apply",
    yaml: clientPod + rule("home", "bookinfo", "reviews") + rule("root", "istio-system", "reviews.bookinfo.svc.cluster.local") + rule("client", "frontend", "reviews.bookinfo.svc.cluster.local"),
    findings: [],
  },
  {
    name: "a client-namespace rule hidden from its own namespace by exportTo",
    yaml: clientPod + rule("hidden", "frontend", "reviews.bookinfo.svc.cluster.local", '  exportTo: ["bookinfo"]'),
    findings: ["MC1004 DestinationRule frontend/hidden metadata.namespace"],
  },
]);
