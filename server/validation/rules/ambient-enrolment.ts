import {
  ambientRequested,
  DATAPLANE_MODE_LABEL,
  NO_WAYPOINT,
  SIDECAR_INJECT_OVERRIDE,
  sidecarInjectionRequested,
  USE_WAYPOINT_LABEL,
  WAYPOINT_FOR_LABEL,
  WAYPOINT_GATEWAY_CLASS,
} from "@/lib/istio/ambient";
import { dataPlaneOf, isAmbientService, labelPath, namespaceLabels, podSubjects, type PodSubject } from "../ambient";
import { kubernetesSystemNamespaces } from "../protocols";
import { FindingSink, type Rule } from "../rule";
import { hasIstioProxy, type MeshSnapshot } from "../snapshot";

/**
 * Ambient enrolment as the labels say it (https://istio.io/latest/docs/ambient/usage/add-workloads/):
 * a pod that asks for a sidecar and for ambient capture gets the sidecar, and ztunnel then leaves it
 * alone, so one of the two labels is a mistake; waypoint labels mean something only to ambient
 * (`istio.io/use-waypoint` on captured namespaces, Services and pods, `istio.io/waypoint-for` on a
 * waypoint Gateway) and are silently ignored anywhere else. A namespace carrying both the injection
 * and the ambient label is the injection rule's (IST0123); here each workload is judged by what
 * reaches its pods.
 */

/** The pods istiod deploys for a Gateway (a waypoint among them) carry its name; their labels are istiod's, not a person's. */
const GATEWAY_NAME_LABEL = "gateway.networking.k8s.io/gateway-name";

function isGatewayDeployed(labels: Readonly<Record<string, string>>): boolean {
  return labels[GATEWAY_NAME_LABEL] !== undefined;
}

/** The pods in words, with the verbs that agree with them. */
function podsOf(subject: PodSubject): { readonly who: string; readonly ask: string; readonly are: string } {
  return subject.object.kind === "Deployment"
    ? { who: `The pods of Deployment ${subject.ref.name}`, ask: "ask", are: "are" }
    : { who: `Pod ${subject.ref.name}`, ask: "asks", are: "is" };
}

function checkSidecarAndAmbient(snapshot: MeshSnapshot, sink: FindingSink, subject: PodSubject): void {
  const nsLabels = namespaceLabels(snapshot, subject.namespace);
  const ambient = ambientRequested(nsLabels, subject.labels);
  if (!ambient.requested) return;
  const injection = sidecarInjectionRequested(nsLabels, subject.labels, subject.annotations);
  const proxy = hasIstioProxy(subject.podSpec);
  if (!injection.requested && !proxy) return;
  const ambientWhy = ambient.source === "object" ? `${DATAPLANE_MODE_LABEL}=ambient on the pods` : `namespace ${subject.namespace}'s ${DATAPLANE_MODE_LABEL}=ambient`;
  const sidecarWhy = proxy
    ? "an istio-proxy container"
    : injection.source === "object"
      ? `${SIDECAR_INJECT_OVERRIDE}: "true" on the pods`
      : `namespace ${subject.namespace}'s sidecar injection label`;
  // Point at the workload's own label; when both come from the namespace, the namespace's finding says it.
  let path: string;
  if (ambient.source === "object") path = labelPath(subject.metadataPath, "labels", DATAPLANE_MODE_LABEL);
  else if (injection.requested && injection.source === "object" && injection.field) path = labelPath(subject.metadataPath, injection.field, SIDECAR_INJECT_OVERRIDE);
  else if (proxy) path = subject.metadataPath === "metadata" ? "spec.containers" : "spec.template.spec.containers";
  else return;
  sink.report(
    "MC1013",
    subject.object,
    path,
    `${podsOf(subject).who} ${podsOf(subject).ask} for a sidecar (${sidecarWhy}) and for ambient capture (${ambientWhy}): the sidecar wins and ztunnel does not capture ${subject.object.kind === "Deployment" ? "them" : "it"}. Keep one: remove ${SIDECAR_INJECT_OVERRIDE} or set ${DATAPLANE_MODE_LABEL}=none on the pods.`,
  );
}

function checkUseWaypointOutsideAmbient(snapshot: MeshSnapshot, sink: FindingSink, subject: PodSubject): void {
  const own = subject.labels[USE_WAYPOINT_LABEL];
  if (own === undefined || own === "" || own === NO_WAYPOINT || isGatewayDeployed(subject.labels)) return;
  const plane = dataPlaneOf(snapshot, subject);
  if (plane === "ambient") return;
  const why =
    plane === "sidecar"
      ? "a sidecar, not ztunnel, carries their traffic"
      : subject.labels[DATAPLANE_MODE_LABEL] === "none"
        ? `ztunnel does not capture them (${DATAPLANE_MODE_LABEL}=none opts them out of ambient)`
        : "ztunnel does not capture them (neither they nor their namespace are in ambient mode)";
  const pods = podsOf(subject);
  sink.report("MC1014", subject.object, labelPath(subject.metadataPath, "labels", USE_WAYPOINT_LABEL), `${pods.who} ${pods.are} labelled ${USE_WAYPOINT_LABEL}=${own}, but ${why}; the label has no effect.`);
}

function checkWaypointForOutsideWaypoint(sink: FindingSink, target: Parameters<FindingSink["report"]>[1], labels: Readonly<Record<string, string>>, path: string, what: string): void {
  const value = labels[WAYPOINT_FOR_LABEL];
  if (value === undefined || isGatewayDeployed(labels)) return;
  sink.report(
    "MC1014",
    target,
    path,
    `${WAYPOINT_FOR_LABEL}=${value} is read only on a waypoint (a Gateway of class ${WAYPOINT_GATEWAY_CLASS}); on ${what} it has no effect. To enrol it, use ${USE_WAYPOINT_LABEL}.`,
  );
}

export const ambientEnrolmentRule: Rule = {
  id: "ambient-enrolment",
  description: "Workloads choose one data plane, and waypoint labels sit where ambient reads them.",
  reads: ["Namespace", "Pod", "Deployment", "Service", "KubernetesGateway", "ConfigMap"],
  codes: ["MC1013", "MC1014"],
  check(snapshot) {
    const sink = new FindingSink();
    const root = snapshot.settings.rootNamespace;
    const skip = (namespace: string) => kubernetesSystemNamespaces.has(namespace) || namespace === root;
    for (const subject of podSubjects(snapshot)) {
      if (skip(subject.namespace)) continue;
      checkSidecarAndAmbient(snapshot, sink, subject);
      checkUseWaypointOutsideAmbient(snapshot, sink, subject);
      checkWaypointForOutsideWaypoint(sink, subject.object, subject.labels, labelPath(subject.metadataPath, "labels", WAYPOINT_FOR_LABEL), podsOf(subject).who.replace(/^The/, "the"));
    }
    for (const namespace of snapshot.list("Namespace")) {
      const name = namespace.ref.name;
      if (skip(name)) continue;
      const labels = namespace.metadata.labels;
      checkWaypointForOutsideWaypoint(sink, namespace, labels, labelPath("metadata", "labels", WAYPOINT_FOR_LABEL), `Namespace ${name}`);
      const use = labels[USE_WAYPOINT_LABEL];
      if (use === undefined || use === "" || use === NO_WAYPOINT || labels[DATAPLANE_MODE_LABEL] === "ambient") continue;
      // Pods that opt into ambient on their own still inherit the namespace's waypoint.
      if (podSubjects(snapshot).some((subject) => subject.namespace === name && dataPlaneOf(snapshot, subject) === "ambient")) continue;
      sink.report(
        "MC1014",
        namespace,
        labelPath("metadata", "labels", USE_WAYPOINT_LABEL),
        `Namespace ${name} is labelled ${USE_WAYPOINT_LABEL}=${use} but is not in ambient mode (no ${DATAPLANE_MODE_LABEL}=ambient) and none of its pods are; the label has no effect.`,
      );
    }
    for (const service of snapshot.list("Service")) {
      if (skip(service.ref.namespace) || isGatewayDeployed(service.metadata.labels)) continue;
      const labels = service.metadata.labels;
      checkWaypointForOutsideWaypoint(sink, service, labels, labelPath("metadata", "labels", WAYPOINT_FOR_LABEL), `Service ${service.ref.name}`);
      const use = labels[USE_WAYPOINT_LABEL];
      if (use === undefined || use === "" || use === NO_WAYPOINT || isAmbientService(snapshot, service)) continue;
      sink.report(
        "MC1014",
        service,
        labelPath("metadata", "labels", USE_WAYPOINT_LABEL),
        `Service ${service.ref.name} is labelled ${USE_WAYPOINT_LABEL}=${use}, but none of its pods are in ambient mode; ztunnel never sees its traffic, so the label has no effect.`,
      );
    }
    for (const gateway of snapshot.list("KubernetesGateway")) {
      if (gateway.spec.gatewayClassName === WAYPOINT_GATEWAY_CLASS) continue;
      checkWaypointForOutsideWaypoint(sink, gateway, gateway.metadata.labels, labelPath("metadata", "labels", WAYPOINT_FOR_LABEL), `Gateway ${gateway.ref.name} of class ${gateway.spec.gatewayClassName ?? "(none)"}`);
    }
    return sink.findings;
  },
};
