import { describe, expect, it } from "vitest";
import { summarizeDeployment } from "./objects";
import { summarizePod } from "./pods";

/** A Deployment of one pod with `podLabels`, and that pod with or without the Envoy sidecar. */
function deploymentWithPod(name: string, podLabels: Record<string, string>, sidecar: boolean) {
  const deployment = { metadata: { name, namespace: "istio-system" }, spec: { replicas: 1, selector: { matchLabels: podLabels }, template: { metadata: { labels: podLabels } } }, status: { readyReplicas: 1 } };
  const containers = [{ name: "main", image: "main:1" }, ...(sidecar ? [{ name: "istio-proxy", image: "docker.io/istio/proxyv2:1.24.2" }] : [])];
  const pod = summarizePod({ metadata: { name: `${name}-abc`, namespace: "istio-system", labels: podLabels }, spec: { containers } });
  return summarizeDeployment(deployment, [pod]);
}

describe("summarizeDeployment", () => {
  it("tells istiod, which runs no sidecar, as the control plane with the revision Istio reports", () => {
    expect(deploymentWithPod("istiod", { app: "istiod", istio: "pilot" }, false)).toMatchObject({ meshRole: "control-plane", version: "latest", podCount: 1, sidecarPods: 0 });
  });

  it("tells an ingress gateway as a gateway", () => {
    expect(deploymentWithPod("istio-ingressgateway", { app: "istio-ingressgateway", istio: "ingressgateway" }, true)).toMatchObject({ meshRole: "gateway", sidecarPods: 1, proxyVersions: ["1.24.2"] });
  });

  it("leaves an application without a version label without a version", () => {
    expect(deploymentWithPod("reviews", { app: "reviews" }, false)).toMatchObject({ meshRole: "application", version: null, sidecarPods: 0 });
  });
});
