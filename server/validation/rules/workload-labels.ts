import { versionOfPodLabels } from "@/server/telemetry/version";
import { meshRoleOf } from "@/server/telemetry/systemWorkloads";
import { kubernetesSystemNamespaces } from "../protocols";
import { FindingSink, type Rule } from "../rule";

/**
 * Istio's telemetry names workloads by their canonical service and revision, read from the `app` /
 * `app.kubernetes.io/name` / `service.istio.io/canonical-name` labels and the version labels
 * (server/telemetry/version.ts); without them the traffic graph and per-version metrics lose the
 * workload (https://istio.io/latest/docs/ops/deployment/application-requirements/#pod-labels).
 * The mesh's own workloads (istiod, ztunnel, gateways, waypoints) are not applications and are
 * not asked for them, wherever they run.
 */
function missingLabels(name: string, labels: Readonly<Record<string, string>>): string[] {
  if (meshRoleOf(name, labels) !== "application") return [];
  const missing: string[] = [];
  if (!labels.app && !labels["app.kubernetes.io/name"] && !labels["service.istio.io/canonical-name"]) missing.push("app");
  if (versionOfPodLabels(labels) === null) missing.push("version");
  return missing;
}

export const workloadLabelsRule: Rule = {
  id: "workload-labels",
  description: "Workloads carry app and version labels.",
  reads: ["Deployment", "Pod", "ConfigMap"],
  codes: ["MC1007"],
  check(snapshot) {
    const sink = new FindingSink();
    const root = snapshot.settings.rootNamespace;
    const skip = (namespace: string) => kubernetesSystemNamespaces.has(namespace) || namespace === root;
    for (const deployment of snapshot.list("Deployment")) {
      if (skip(deployment.ref.namespace)) continue;
      const missing = missingLabels(deployment.ref.name, deployment.spec.template.metadata.labels);
      if (missing.length > 0) sink.report("MC1007", deployment, "spec.template.metadata.labels", `Pod template lacks the ${missing.join(" and ")} label${missing.length > 1 ? "s" : ""}; telemetry cannot name this workload${missing.includes("version") ? " or its version" : ""}.`);
    }
    for (const pod of snapshot.list("Pod")) {
      // Pods created by a controller are covered by their controller's template.
      if (skip(pod.ref.namespace) || pod.metadata.ownerReferences.length > 0) continue;
      const missing = missingLabels(pod.ref.name, pod.metadata.labels);
      if (missing.length > 0) sink.report("MC1007", pod, "metadata.labels", `Pod lacks the ${missing.join(" and ")} label${missing.length > 1 ? "s" : ""}; telemetry cannot name this workload${missing.includes("version") ? " or its version" : ""}.`);
    }
    return sink.findings;
  },
};
