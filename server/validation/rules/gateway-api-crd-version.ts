import { FindingSink, type Rule } from "../rule";

/**
 * istiod does not watch a Gateway API CRD older than the bundle version it was built against (the
 * CRD's `gateway.networking.k8s.io/bundle-version` annotation), so objects of that kind are silently
 * ignored. The minimums are Istio's (`pkg/config/schema/gatewayapi`); same check as its
 * `k8sgateway.CRDVersionAnalyzer`.
 */

const BUNDLE_VERSION_ANNOTATION = "gateway.networking.k8s.io/bundle-version";

const minimumBundleVersions: Readonly<Record<string, readonly [number, number, number]>> = {
  "grpcroutes.gateway.networking.k8s.io": [1, 1, 0],
  "backendtlspolicies.gateway.networking.k8s.io": [1, 4, 0],
  "tlsroutes.gateway.networking.k8s.io": [1, 5, 0],
};

interface Version {
  readonly core: readonly [number, number, number];
  /** As semver prints it: no leading `v`. */
  readonly text: string;
}

/** `v1.4.1`, `1.5.0-rc.1` → numbers and text; undefined when not a version. */
export function parseBundleVersion(value: string): Version | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.exec(value.trim());
  if (!match) return undefined;
  const core = [Number(match[1]), Number(match[2]), Number(match[3])] as const;
  return { core, text: `${core.join(".")}${match[4] ?? ""}${match[5] ?? ""}` };
}

function lessThan(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  }
  return false;
}

export const gatewayApiCrdVersionRule: Rule = {
  id: "gateway-api-crd-version",
  description: "Gateway API CRDs are at least the version istiod reads.",
  reads: ["CustomResourceDefinition"],
  codes: ["IST0176"],
  istioAnalyzers: ["k8sgateway.CRDVersionAnalyzer"],
  check(snapshot) {
    const sink = new FindingSink();
    for (const crd of snapshot.list("CustomResourceDefinition")) {
      const minimum = minimumBundleVersions[crd.ref.name];
      const annotation = crd.metadata.annotations[BUNDLE_VERSION_ANNOTATION];
      if (!minimum || annotation === undefined) continue;
      const installed = parseBundleVersion(annotation);
      // Pre-releases count as their release: 1.5.0-rc.1 satisfies a minimum of 1.5.0.
      if (!installed || !lessThan(installed.core, minimum)) continue;
      sink.report(
        "IST0176",
        crd,
        "metadata.annotations",
        `Gateway API CRD "${crd.ref.name}" is at version "${installed.text}" but Istio requires at least "${minimum.join(".")}"; resources of this kind will not be processed. Upgrade the Gateway API CRDs to satisfy the minimum version.`,
      );
    }
    return sink.findings;
  },
};
