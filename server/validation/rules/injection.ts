import { kubernetesSystemNamespaces } from "../protocols";
import { FindingSink, type Rule } from "../rule";
import { hasIstioProxy, type MeshSnapshot } from "../snapshot";

/**
 * Sidecar injection is chosen per namespace by `istio-injection=enabled` or `istio.io/rev=<rev>`,
 * and ambient by `istio.io/dataplane-mode=ambient`; combining them is ambiguous. Pods created in an
 * injected namespace should carry `istio-proxy` unless they opt out
 * (https://istio.io/latest/docs/setup/additional-setup/sidecar-injection/#controlling-the-injection-policy).
 */

export const injectionLabel = "istio-injection";
export const revisionLabel = "istio.io/rev";
export const dataplaneModeLabel = "istio.io/dataplane-mode";
export const injectOverride = "sidecar.istio.io/inject";

export function isInjectedNamespace(snapshot: MeshSnapshot, namespace: string): boolean {
  const labels = snapshot.namespaceObject(namespace)?.metadata.labels;
  if (!labels) return false;
  if (labels[injectionLabel] === "disabled") return false;
  return labels[injectionLabel] === "enabled" || labels[revisionLabel] !== undefined;
}

/** Whether a pod or pod template opts out of injection (label or annotation `sidecar.istio.io/inject: "false"`). */
export function optsOutOfInjection(labels: Readonly<Record<string, string>>, annotations: Readonly<Record<string, string>>): boolean {
  return labels[injectOverride] === "false" || annotations[injectOverride] === "false";
}

export const injectionRule: Rule = {
  id: "injection",
  description: "Namespaces and pods are injected as intended.",
  reads: ["Namespace", "Pod", "ConfigMap"],
  codes: ["IST0102", "IST0103", "IST0123", "IST0148"],
  istioAnalyzers: ["injection.Analyzer"],
  check(snapshot) {
    const sink = new FindingSink();
    const root = snapshot.settings.rootNamespace;
    const skip = (namespace: string) => kubernetesSystemNamespaces.has(namespace) || namespace === root;
    for (const namespace of snapshot.list("Namespace")) {
      const name = namespace.ref.name;
      if (skip(name)) continue;
      const labels = namespace.metadata.labels;
      const injection = labels[injectionLabel];
      const modes = [
        injection !== undefined ? `${injectionLabel}=${injection}` : undefined,
        labels[revisionLabel] !== undefined ? `${revisionLabel}=${labels[revisionLabel]}` : undefined,
        labels[dataplaneModeLabel] === "ambient" ? `${dataplaneModeLabel}=ambient` : undefined,
      ].filter((mode) => mode !== undefined);
      if (injection !== "disabled" && modes.length > 1) {
        sink.report("IST0123", namespace, "metadata.labels", `Namespace ${name} has several injection labels (${modes.join(", ")}); keep exactly one.`);
        continue;
      }
      if (modes.length === 0) {
        if (snapshot.settings.injectNamespacesByDefault) {
          sink.report("IST0148", namespace, "metadata.labels", `Namespace ${name} is injected because the sidecar injector enables namespaces by default.`);
        } else {
          sink.report(
            "IST0102",
            namespace,
            "metadata.labels",
            `Namespace ${name} is not labelled for injection: run 'kubectl label namespace ${name} istio-injection=enabled', or label it istio-injection=disabled to say it stays out of the mesh.`,
          );
        }
      }
    }
    for (const pod of snapshot.list("Pod")) {
      const namespace = pod.ref.namespace;
      if (skip(namespace) || !isInjectedNamespace(snapshot, namespace)) continue;
      if (pod.spec.hostNetwork || optsOutOfInjection(pod.metadata.labels, pod.metadata.annotations) || hasIstioProxy(pod.spec)) continue;
      sink.report("IST0103", pod, "spec.containers", `Pod ${pod.ref.name} runs without the istio-proxy sidecar although namespace ${namespace} is injected; restart or redeploy its workload.`);
    }
    return sink.findings;
  },
};
