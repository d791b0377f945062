import {
  USE_WAYPOINT_LABEL,
  USE_WAYPOINT_NAMESPACE_LABEL,
  WAYPOINT_FOR_LABEL,
  WAYPOINT_GATEWAY_CLASS,
  waypointEnrolment,
  waypointServes,
  type WaypointEnrolment,
} from "@/lib/istio/ambient";
import { labelPath, lookUpWaypoint, namespaceLabels, podSubjects } from "../ambient";
import type { Labels } from "../labels";
import { message, mention } from "../mentions";
import { kubernetesSystemNamespaces } from "../protocols";
import { FindingSink, type Rule } from "../rule";
import type { MeshSnapshot } from "../snapshot";

/**
 * `istio.io/use-waypoint` names a Gateway of class `istio-waypoint`, looked up in the namespace
 * `istio.io/use-waypoint-namespace` names or else the enrolled object's own. The waypoint's
 * `istio.io/waypoint-for` (default `service`) says which traffic it takes: addressed to Services,
 * to pods, both (`all`) or none. A name that resolves to nothing, or to a waypoint that does not take
 * the enrolled object's traffic, leaves that traffic on ztunnel with no L7 at all, silently.
 * https://istio.io/latest/docs/ambient/usage/waypoint/#configure-a-pod-to-use-a-specific-waypoint
 * The finding sits on the object that carries the label (a namespace's label, not each inheritor).
 */

type Enrolled = "namespace" | "service" | "workload";

interface Subject {
  readonly target: Parameters<FindingSink["report"]>[1];
  readonly describe: string;
  readonly labels: Labels;
  readonly namespace: string;
  readonly metadataPath: string;
  readonly enrolled: Enrolled;
}

function waypointMention(namespace: string, name: string) {
  return mention("waypoint", [{ kind: "K8sGateway", namespace, name }]);
}

function checkEnrolment(snapshot: MeshSnapshot, sink: FindingSink, subject: Subject, enrolment: WaypointEnrolment): void {
  const path = labelPath(subject.metadataPath, "labels", USE_WAYPOINT_LABEL);
  const lookup = lookUpWaypoint(snapshot, enrolment);
  if (lookup.status === "missing") {
    const elsewhere = lookup.elsewhere.filter((namespace) => namespace !== enrolment.namespace);
    if (!enrolment.namespaceExplicit && elsewhere.length > 0) {
      sink.report(
        "MC1015",
        subject.target,
        path,
        message`${subject.describe} uses waypoint "${enrolment.name}", which is looked up in namespace ${enrolment.namespace} and is not there; ${waypointMention(elsewhere[0] ?? "", enrolment.name)} is in another namespace: add ${USE_WAYPOINT_NAMESPACE_LABEL}=${elsewhere[0] ?? ""} beside the label.`,
      );
      return;
    }
    sink.report(
      "MC1015",
      subject.target,
      enrolment.namespaceExplicit ? labelPath(subject.metadataPath, "labels", USE_WAYPOINT_NAMESPACE_LABEL) : path,
      `${subject.describe} uses waypoint "${enrolment.name}" in namespace ${enrolment.namespace}, but no Gateway of that name exists there; its traffic gets no L7 processing.`,
    );
    return;
  }
  if (lookup.status === "not-a-waypoint") {
    sink.report(
      "MC1015",
      subject.target,
      path,
      message`${subject.describe} uses ${mention("Gateway", [lookup.gateway.ref])} as a waypoint, but its class is ${lookup.gateway.spec.gatewayClassName ?? "(none)"}, not ${WAYPOINT_GATEWAY_CLASS}; it is not a waypoint.`,
    );
    return;
  }
  const waypoint = waypointMention(lookup.gateway.ref.namespace, lookup.gateway.ref.name);
  const written = lookup.gateway.metadata.labels[WAYPOINT_FOR_LABEL] ?? "service (the default)";
  if (!lookup.type) {
    sink.report("MC1016", subject.target, path, message`${waypoint} has ${WAYPOINT_FOR_LABEL}=${written}, which Istio does not know (service, workload, all or none); it takes no traffic for ${subject.describe.replace(/^The /, "the ")}.`);
    return;
  }
  const needs: readonly ("service" | "workload")[] = subject.enrolled === "namespace" ? ["service", "workload"] : [subject.enrolled];
  // A namespace's waypoint is fine if it takes either kind of traffic; a Service or pod needs its own kind.
  if (needs.some((kind) => waypointServes(lookup.type!, kind))) return;
  const takes = lookup.type === "none" ? "takes no traffic at all" : `takes only traffic addressed to ${lookup.type === "service" ? "Services" : "pods directly (workload)"}`;
  const fix =
    subject.enrolled === "namespace"
      ? "set it to service, workload or all on the waypoint"
      : subject.enrolled === "service"
        ? "set it to service or all on the waypoint"
        : "set it to workload or all on the waypoint, or enrol a Service of these pods instead";
  sink.report("MC1016", subject.target, path, message`${subject.describe} uses ${waypoint}, whose ${WAYPOINT_FOR_LABEL}=${written} ${takes}, so this traffic bypasses it: ${fix}.`);
}

export const ambientWaypointsRule: Rule = {
  id: "ambient-waypoints",
  description: "istio.io/use-waypoint names an existing waypoint that takes the enrolled traffic.",
  reads: ["Namespace", "Pod", "Deployment", "Service", "KubernetesGateway"],
  codes: ["MC1015", "MC1016"],
  check(snapshot) {
    const sink = new FindingSink();
    const skip = (namespace: string) => kubernetesSystemNamespaces.has(namespace);
    const subjects: Subject[] = [];
    for (const namespace of snapshot.list("Namespace")) {
      if (skip(namespace.ref.name)) continue;
      subjects.push({ target: namespace, describe: `Namespace ${namespace.ref.name}`, labels: namespace.metadata.labels, namespace: namespace.ref.name, metadataPath: "metadata", enrolled: "namespace" });
    }
    for (const service of snapshot.list("Service")) {
      if (skip(service.ref.namespace)) continue;
      subjects.push({ target: service, describe: `Service ${service.ref.name}`, labels: service.metadata.labels, namespace: service.ref.namespace, metadataPath: "metadata", enrolled: "service" });
    }
    for (const pod of podSubjects(snapshot)) {
      if (skip(pod.namespace)) continue;
      const describe = pod.object.kind === "Deployment" ? `The pod template of Deployment ${pod.ref.name}` : `Pod ${pod.ref.name}`;
      subjects.push({ target: pod.object, describe, labels: pod.labels, namespace: pod.namespace, metadataPath: pod.metadataPath, enrolled: "workload" });
    }
    for (const subject of subjects) {
      // Only the object that carries the label: what it inherits is judged on its namespace.
      if (subject.enrolled !== "namespace" && subject.labels[USE_WAYPOINT_LABEL] === undefined) continue;
      const enrolment = waypointEnrolment(subject.labels, subject.enrolled === "namespace" ? {} : namespaceLabels(snapshot, subject.namespace), subject.namespace);
      if (enrolment) checkEnrolment(snapshot, sink, subject, enrolment);
    }
    return sink.findings;
  },
};
