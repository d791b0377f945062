import { describe, expect, it } from "vitest";
import { describeRule, runRule } from "../test-support";
import { gatewayApiSelectorsRule } from "./gateway-api-selectors";

const gatewayPod = `
apiVersion: v1
kind: Pod
metadata: { name: edge-istio-1, namespace: shop, labels: { gateway.networking.k8s.io/gateway-name: edge, app: edge } }
spec: { containers: [{ name: istio-proxy }] }
`;

function policy(kind: string, apiVersion: string, spec: string, namespace = "shop"): string {
  return `${gatewayPod}
---
apiVersion: ${apiVersion}
kind: ${kind}
metadata: { name: p, namespace: ${namespace} }
spec:
${spec}`;
}

describeRule(gatewayApiSelectorsRule, [
  { name: "an AuthorizationPolicy selecting gateway pods by label", yaml: policy("AuthorizationPolicy", "security.istio.io/v1", "  selector: { matchLabels: { app: edge } }"), findings: ["IST0166 AuthorizationPolicy shop/p spec.selector"] },
  { name: "a Telemetry with a targetRef as well is effective", yaml: policy("Telemetry", "telemetry.istio.io/v1", "  selector: { matchLabels: { app: edge } }\n  targetRef: { group: gateway.networking.k8s.io, kind: Gateway, name: edge }"), findings: [] },
  { name: "a WasmPlugin selecting gateway pods", yaml: policy("WasmPlugin", "extensions.istio.io/v1alpha1", "  selector: { matchLabels: { app: edge } }\n  url: oci://example"), findings: ["IST0166 WasmPlugin shop/p spec.selector"] },
  { name: "a selector in another namespace picks nothing there", yaml: policy("RequestAuthentication", "security.istio.io/v1", "  selector: { matchLabels: { app: edge } }", "other"), findings: [] },
  { name: "a policy in the root namespace applies everywhere", yaml: policy("RequestAuthentication", "security.istio.io/v1", "  selector: { matchLabels: { app: edge } }", "istio-system"), findings: ["IST0166 RequestAuthentication istio-system/p spec.selector"] },
]);

describe("gateway-api-selectors messages", () => {
  it("name the Kubernetes Gateway as istioctl does", () => {
    const [finding] = runRule(gatewayApiSelectorsRule, policy("AuthorizationPolicy", "security.istio.io/v1", "  selector: { matchLabels: { app: edge } }"));
    expect(finding?.message).toBe("Ineffective selector on Kubernetes Gateway edge. Use the TargetRef field instead.");
  });
});
