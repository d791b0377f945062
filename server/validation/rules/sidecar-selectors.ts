import { formatSelector, isEmptySelector, selectorMatches } from "../labels";
import { FindingSink, type Rule } from "../rule";
import { hasIstioProxy, type MeshSnapshot } from "../snapshot";

/**
 * Each workload gets at most one Sidecar: the one selecting it, else the namespace's selector-less
 * one (https://istio.io/latest/docs/reference/config/networking/sidecar/). Two candidates at either
 * level make the choice undefined; a selector matching nothing configures nothing; in an ambient
 * namespace no sidecar proxy reads the resource at all.
 */

const ambientLabel = "istio.io/dataplane-mode";

function isAmbientNamespace(snapshot: MeshSnapshot, namespace: string): boolean {
  const labels = snapshot.namespaceObject(namespace)?.metadata.labels;
  if (!labels || labels[ambientLabel] !== "ambient") return false;
  return labels["istio-injection"] !== "enabled" && labels["istio.io/rev"] === undefined;
}

export const sidecarSelectorsRule: Rule = {
  id: "sidecar-selectors",
  description: "Sidecar resources select workloads unambiguously.",
  reads: ["Sidecar", "Pod", "Namespace"],
  codes: ["IST0101", "IST0110", "IST0111", "IST0167"],
  istioAnalyzers: ["sidecar.SelectorAnalyzer"],
  check(snapshot) {
    const sink = new FindingSink();
    const namespaces = new Set(snapshot.list("Sidecar").map((sidecar) => sidecar.ref.namespace));
    for (const namespace of namespaces) {
      const sidecars = snapshot.inNamespace("Sidecar", namespace);
      const pods = snapshot.inNamespace("Pod", namespace);
      const ambient = isAmbientNamespace(snapshot, namespace);
      const withoutSelector = sidecars.filter((s) => isEmptySelector(s.spec.workloadSelector?.labels));
      if (withoutSelector.length > 1) {
        const names = withoutSelector.map((s) => s.ref.name).sort();
        for (const sidecar of withoutSelector) {
          sink.report("IST0111", sidecar, "spec", `Sidecars ${names.join(", ")} in namespace ${namespace} all lack a workload selector; which one applies is undefined.`);
        }
      }
      for (const sidecar of withoutSelector) {
        if (ambient) sink.report("IST0167", sidecar, "", `Namespace ${namespace} uses the ambient data plane, where no sidecar proxy reads this Sidecar.`);
      }
      const claims = new Map<string, string[]>();
      for (const sidecar of sidecars) {
        const selector = sidecar.spec.workloadSelector?.labels;
        if (!selector || isEmptySelector(selector)) continue;
        const selected = pods.filter((pod) => selectorMatches(selector, pod.metadata.labels));
        if (selected.length === 0) {
          sink.report("IST0101", sidecar, "spec.workloadSelector.labels", `Referenced selector not found: "${formatSelector(selector)}" (no pod in namespace ${namespace} has these labels)`);
          continue;
        }
        if (ambient || selected.every((pod) => pod.metadata.annotations["ambient.istio.io/redirection"] === "enabled" && !hasIstioProxy(pod.spec))) {
          sink.report("IST0167", sidecar, "spec.workloadSelector", "The selected pods run in ambient mode, without a sidecar proxy to read this Sidecar.");
        }
        for (const pod of selected) claims.set(pod.ref.name, [...(claims.get(pod.ref.name) ?? []), sidecar.ref.name]);
      }
      const reported = new Set<string>();
      for (const [podName, names] of claims) {
        if (names.length < 2) continue;
        for (const name of names) {
          if (reported.has(name)) continue;
          reported.add(name);
          const sidecar = sidecars.find((s) => s.ref.name === name);
          if (sidecar) {
            sink.report("IST0110", sidecar, "spec.workloadSelector", `Sidecars ${[...names].sort().join(", ")} in namespace ${namespace} all select pod ${podName}; which one applies is undefined.`);
          }
        }
      }
    }
    return sink.findings;
  },
};
