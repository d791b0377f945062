import {
  ambientRequested,
  sidecarInjectionRequested,
  WAYPOINT_GATEWAY_CLASS,
  waypointEnrolment,
  waypointServes,
  waypointTrafficType,
  type WaypointEnrolment,
  type WaypointTrafficType,
} from "@/lib/istio/ambient";
import type { ObjectRef } from "@/lib/validation/finding";
import { selectorMatches, type Labels } from "./labels";
import type { MeshObject, ServiceObject } from "./objects";
import type { PodSpec } from "./objects/kube";
import { hasIstioProxy, type MeshSnapshot } from "./snapshot";

/**
 * The ambient facts the rules share, read from a snapshot: which pods are captured by ztunnel, which
 * have a sidecar, and which waypoint (if any) serves a Service or a pod. Label semantics come from
 * lib/istio/ambient.ts; this module looks the named objects up.
 */

/** A Deployment's pod template or a Pod of its own (pods a controller made are its template's). */
export interface PodSubject {
  readonly object: MeshObject<"Deployment"> | MeshObject<"Pod">;
  readonly ref: ObjectRef;
  readonly namespace: string;
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly podSpec: PodSpec;
  /** Where the pod's metadata sits in the object: `spec.template.metadata` or `metadata`. */
  readonly metadataPath: string;
}

export type DataPlane = "sidecar" | "ambient" | "none";

export type WaypointLookup =
  | { readonly status: "found"; readonly gateway: MeshObject<"KubernetesGateway">; readonly type: WaypointTrafficType | undefined }
  | { readonly status: "not-a-waypoint"; readonly gateway: MeshObject<"KubernetesGateway"> }
  /** `elsewhere`: namespaces holding a waypoint of that name, when none is where the label points. */
  | { readonly status: "missing"; readonly elsewhere: readonly string[] };

/** The dotted field path of a label (`metadata.labels.istio.io/use-waypoint`), as the config pages find it. */
export function labelPath(metadataPath: string, field: "labels" | "annotations", key: string): string {
  return `${metadataPath}.${field}.${key}`;
}

export function namespaceLabels(snapshot: MeshSnapshot, namespace: string): Labels {
  return snapshot.namespaceObject(namespace)?.metadata.labels ?? {};
}

export function podSubjects(snapshot: MeshSnapshot): PodSubject[] {
  return snapshot.memo("ambient:podSubjects", ["Deployment", "Pod"], () => {
    const subjects: PodSubject[] = [];
    for (const deployment of snapshot.list("Deployment")) {
      const template = deployment.spec.template;
      subjects.push({
        object: deployment,
        ref: deployment.ref,
        namespace: deployment.ref.namespace,
        labels: template.metadata.labels,
        annotations: template.metadata.annotations,
        podSpec: template.spec,
        metadataPath: "spec.template.metadata",
      });
    }
    for (const pod of snapshot.list("Pod")) {
      if (pod.metadata.ownerReferences.length > 0) continue;
      subjects.push({ object: pod, ref: pod.ref, namespace: pod.ref.namespace, labels: pod.metadata.labels, annotations: pod.metadata.annotations, podSpec: pod.spec, metadataPath: "metadata" });
    }
    return subjects;
  });
}

/** A pod with a sidecar (injected, or asked for) is never captured by ztunnel, whatever its ambient labels. */
export function dataPlaneOf(snapshot: MeshSnapshot, subject: PodSubject): DataPlane {
  const nsLabels = namespaceLabels(snapshot, subject.namespace);
  if (hasIstioProxy(subject.podSpec) || sidecarInjectionRequested(nsLabels, subject.labels, subject.annotations).requested) return "sidecar";
  return ambientRequested(nsLabels, subject.labels).requested ? "ambient" : "none";
}

/** The Gateway an enrolment names, whether it is a waypoint, and where else one of that name is when it is not there. */
export function lookUpWaypoint(snapshot: MeshSnapshot, enrolment: WaypointEnrolment): WaypointLookup {
  const gateway = snapshot.find("KubernetesGateway", enrolment.namespace, enrolment.name);
  if (gateway) {
    if (gateway.spec.gatewayClassName !== WAYPOINT_GATEWAY_CLASS) return { status: "not-a-waypoint", gateway };
    return { status: "found", gateway, type: waypointTrafficType(gateway.metadata.labels) };
  }
  const elsewhere = snapshot
    .list("KubernetesGateway")
    .filter((candidate) => candidate.ref.name === enrolment.name && candidate.spec.gatewayClassName === WAYPOINT_GATEWAY_CLASS)
    .map((candidate) => candidate.ref.namespace)
    .sort();
  return { status: "missing", elsewhere };
}

/** The waypoint that takes traffic addressed to this Service, if one is named, exists and covers services. */
export function serviceWaypoint(snapshot: MeshSnapshot, service: ServiceObject): MeshObject<"KubernetesGateway"> | undefined {
  const enrolment = waypointEnrolment(service.metadata.labels, namespaceLabels(snapshot, service.ref.namespace), service.ref.namespace);
  if (!enrolment) return undefined;
  const lookup = lookUpWaypoint(snapshot, enrolment);
  return lookup.status === "found" && lookup.type && waypointServes(lookup.type, "service") ? lookup.gateway : undefined;
}

/** The waypoint that takes traffic addressed to this pod directly, if one is named, exists and covers workloads. */
export function workloadWaypoint(snapshot: MeshSnapshot, subject: PodSubject): MeshObject<"KubernetesGateway"> | undefined {
  const enrolment = waypointEnrolment(subject.labels, namespaceLabels(snapshot, subject.namespace), subject.namespace);
  if (!enrolment) return undefined;
  const lookup = lookUpWaypoint(snapshot, enrolment);
  return lookup.status === "found" && lookup.type && waypointServes(lookup.type, "workload") ? lookup.gateway : undefined;
}

/** The Services in the pod's namespace whose selector picks it. */
export function servicesOf(snapshot: MeshSnapshot, subject: PodSubject): ServiceObject[] {
  return snapshot.inNamespace("Service", subject.namespace).filter((service) => Object.keys(service.spec.selector).length > 0 && selectorMatches(service.spec.selector, subject.labels));
}

/** Pods a Service selects (Deployments' templates and pods of their own). */
export function subjectsOfService(snapshot: MeshSnapshot, service: ServiceObject): PodSubject[] {
  const selector = service.spec.selector;
  if (Object.keys(selector).length === 0) return [];
  return podSubjects(snapshot).filter((subject) => subject.namespace === service.ref.namespace && selectorMatches(selector, subject.labels));
}

/** Whether ztunnel carries a Service's traffic: its pods are ambient, or, with none known, its namespace is. */
export function isAmbientService(snapshot: MeshSnapshot, service: ServiceObject): boolean {
  const subjects = subjectsOfService(snapshot, service);
  if (subjects.length === 0) return ambientRequested(namespaceLabels(snapshot, service.ref.namespace), {}).requested;
  return subjects.some((subject) => dataPlaneOf(snapshot, subject) === "ambient");
}

/**
 * Whether some waypoint handles traffic to this ambient pod: one for the pod itself, or one for a
 * Service that selects it (traffic addressed to that Service passes it).
 */
export function waypointServingPod(snapshot: MeshSnapshot, subject: PodSubject): MeshObject<"KubernetesGateway"> | undefined {
  return workloadWaypoint(snapshot, subject) ?? servicesOf(snapshot, subject).map((service) => serviceWaypoint(snapshot, service)).find((gateway) => gateway !== undefined);
}
