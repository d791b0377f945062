import { MESH_ROOT_NAMESPACE } from "@/lib/istio/rootNamespace";
import { selectorMatches } from "../labels";
import { FindingSink, type Rule } from "../rule";

/**
 * Pods istiod deploys for a Kubernetes Gateway carry `gateway.networking.k8s.io/gateway-name`.
 * A policy that picks them with a label `selector` does nothing there: Istio applies policies to
 * such gateways only through `targetRefs` naming the Gateway
 * (https://istio.io/latest/docs/tasks/traffic-management/ingress/gateway-api/#using-policies).
 * Same check as Istio's `k8sgateway.SelectorAnalyzer`, for the kinds it covers.
 */

const GATEWAY_NAME_LABEL = "gateway.networking.k8s.io/gateway-name";

const policyKinds = ["AuthorizationPolicy", "RequestAuthentication", "Telemetry", "WasmPlugin"] as const;

export const gatewayApiSelectorsRule: Rule = {
  id: "gateway-api-selectors",
  description: "Policies do not select Kubernetes Gateway pods by label.",
  reads: [...policyKinds, "Pod"],
  codes: ["IST0166"],
  istioAnalyzers: ["k8sgateway.SelectorAnalyzer"],
  check(snapshot) {
    const sink = new FindingSink();
    const root = snapshot.settings.rootNamespace || MESH_ROOT_NAMESPACE;
    for (const kind of policyKinds) {
      for (const policy of snapshot.list(kind)) {
        const labels = policy.spec.selector?.matchLabels ?? {};
        const targeted = policy.spec.targetRef !== undefined || policy.spec.targetRefs.length > 0;
        if (Object.keys(labels).length === 0 || targeted) continue;
        // A policy in the root namespace applies in every namespace.
        const pods = policy.ref.namespace === root ? snapshot.list("Pod") : snapshot.inNamespace("Pod", policy.ref.namespace);
        const gateways = new Set<string>();
        for (const pod of pods) {
          const gatewayName = pod.metadata.labels[GATEWAY_NAME_LABEL];
          if (gatewayName && selectorMatches(labels, pod.metadata.labels)) gateways.add(gatewayName);
        }
        for (const gatewayName of [...gateways].sort()) {
          sink.report("IST0166", policy, "spec.selector", `Ineffective selector on Kubernetes Gateway ${gatewayName}. Use the TargetRef field instead.`);
        }
      }
    }
    return sink.findings;
  },
};
