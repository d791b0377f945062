import { describe, expect, it } from "vitest";
import { describeRule, runRule } from "../test-support";
import { gatewayApiCrdVersionRule, parseBundleVersion } from "./gateway-api-crd-version";

function crd(name: string, version: string | undefined): string {
  const annotations = version === undefined ? "{}" : `{ gateway.networking.k8s.io/bundle-version: ${version} }`;
  return `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: ${name}, annotations: ${annotations} }
spec: { group: gateway.networking.k8s.io, names: { kind: X } }
`;
}

describeRule(gatewayApiCrdVersionRule, [
  { name: "TLSRoute from a bundle older than Istio reads", yaml: crd("tlsroutes.gateway.networking.k8s.io", "v1.4.1"), findings: ["IST0176 CustomResourceDefinition tlsroutes.gateway.networking.k8s.io metadata.annotations"] },
  { name: "TLSRoute at the minimum", yaml: crd("tlsroutes.gateway.networking.k8s.io", "v1.5.0"), findings: [] },
  { name: "a pre-release of the minimum counts as the release", yaml: crd("tlsroutes.gateway.networking.k8s.io", "v1.5.0-rc.1"), findings: [] },
  { name: "GRPCRoute from v1.0.0", yaml: crd("grpcroutes.gateway.networking.k8s.io", "v1.0.0"), findings: ["IST0176 CustomResourceDefinition grpcroutes.gateway.networking.k8s.io metadata.annotations"] },
  { name: "a CRD without a minimum", yaml: crd("httproutes.gateway.networking.k8s.io", "v0.1.0"), findings: [] },
  { name: "no bundle-version annotation", yaml: crd("tlsroutes.gateway.networking.k8s.io", undefined), findings: [] },
]);

describe("gateway-api-crd-version", () => {
  it("prints versions as semver does and says what to do", () => {
    const [finding] = runRule(gatewayApiCrdVersionRule, crd("tlsroutes.gateway.networking.k8s.io", "v1.4.1"));
    expect(finding?.message).toBe(
      'Gateway API CRD "tlsroutes.gateway.networking.k8s.io" is at version "1.4.1" but Istio requires at least "1.5.0"; resources of this kind will not be processed. Upgrade the Gateway API CRDs to satisfy the minimum version.',
    );
  });

  it.each([
    ["v1.4.1", "1.4.1"],
    ["1.5.0-rc.1", "1.5.0-rc.1"],
    ["latest", undefined],
  ])("parses %s", (input, text) => {
    expect(parseBundleVersion(input)?.text).toBe(text);
  });
});
