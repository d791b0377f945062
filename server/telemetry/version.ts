/**
 * Which version of a workload a series or a pod belongs to: Istio's canonical revision. Istio
 * names it from the pod's labels, the first one set of `service.istio.io/canonical-revision`,
 * `app.kubernetes.io/version` and `version`, else "latest", and reports it on every request as
 * `source_canonical_revision` / `destination_canonical_revision`
 * (https://istio.io/latest/docs/ops/configuration/telemetry/monitoring-multicluster-prometheus/#canonical-service-and-revision,
 * https://istio.io/latest/docs/ops/deployment/application-requirements/#pod-labels).
 * The graph, the charts by version and the canary verdict all split traffic by it, and the
 * console reads pods' versions by the same rule, so a node's pods and its traffic agree.
 */
import type { Direction } from "./traffic";

/** The pod labels Istio reads a canonical revision from, first one set wins. */
export const VERSION_POD_LABELS = ["service.istio.io/canonical-revision", "app.kubernetes.io/version", "version"] as const;

/** What Istio reports for a workload with none of VERSION_POD_LABELS. */
export const DEFAULT_CANONICAL_REVISION = "latest";

/** The label telling versions apart on the side of the traffic a figure looks at. */
export function versionLabel(direction: Direction): "destination_canonical_revision" | "source_canonical_revision" {
  return direction === "inbound" ? "destination_canonical_revision" : "source_canonical_revision";
}

/** The version a series' labels name on one side, or null when Istio did not know it. */
export function versionOfSeries(labels: Readonly<Record<string, string>>, direction: Direction): string | null {
  const value = labels[versionLabel(direction)];
  return value && value !== "unknown" ? value : null;
}

/** The version label a pod (template) carries, or null when it has none (Istio then reports "latest"). */
export function versionOfPodLabels(labels: Readonly<Record<string, string>>): string | null {
  for (const label of VERSION_POD_LABELS) if (labels[label]) return labels[label];
  return null;
}

/** The canonical revision Istio reports for a pod with these labels ("latest" without any version label). */
export function canonicalRevisionOf(labels: Readonly<Record<string, string>>): string {
  return versionOfPodLabels(labels) ?? DEFAULT_CANONICAL_REVISION;
}
