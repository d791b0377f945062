/**
 * The mesh's own workloads, which are not applications: the control plane (istiod, the ambient
 * node proxy ztunnel, the CNI node agent) runs no sidecar by design, and gateways and waypoints
 * ARE Envoy proxies rather than workloads behind one. Neither needs the app/version labels Istio
 * asks of applications (https://istio.io/latest/docs/ops/deployment/application-requirements/#pod-labels),
 * so the graph, the lists and the validation rules must not flag them for a missing sidecar or
 * version label. Gateways also report their traffic as sources only, which is why the graph
 * draws them as gateways (server/graph/trafficMap.ts). Waypoints are told apart from gateways: their
 * request reports stand for their callers' (server/telemetry/traffic.ts).
 */

import type { MeshRole } from "@/lib/mesh";

// The roles are spelled once, in the schema the browser is sent (lib/mesh.ts); this module decides them.
export type { MeshRole };

/** Workload names of Istio's default gateways, as Istio reports them in `*_workload`. */
const GATEWAY_NAME = /(ingress|egress|eastwest)gateway/;

/** `app` / `istio` / `app.kubernetes.io/name` values Istio's charts give the control plane's pods. */
const CONTROL_PLANE_APPS = new Set(["istiod", "pilot", "ztunnel", "istio-cni-node", "istio-cni"]);

/**
 * Labels that mark a gateway or waypoint: Istio's gateway charts (`istio: ingressgateway`), and
 * the deployments Istio creates for Gateway API gateways and waypoints.
 * https://istio.io/latest/docs/tasks/traffic-management/ingress/gateway-api/#automated-deployment
 */
const GATEWAY_LABELS = ["gateway.networking.k8s.io/gateway-name", "gateway.istio.io/managed", "istio.io/gateway-name"] as const;

/** Whether Istio's telemetry names a gateway by this workload name (all the graph knows from a series). */
export function isGatewayWorkloadName(workload: string): boolean {
  return GATEWAY_NAME.test(workload);
}

/**
 * Labels istiod puts on the waypoints it deploys: the mesh controller manages them, and newer
 * releases name the class. https://istio.io/latest/docs/ambient/usage/waypoint/
 */
const WAYPOINT_MARKS: readonly (readonly [string, string])[] = [
  ["gateway.istio.io/managed", "istio.io-mesh-controller"],
  ["gateway.networking.k8s.io/gateway-class-name", "istio-waypoint"],
];

/**
 * What a workload is to the mesh, from its name and its pod (template) labels. `isWaypointGateway`
 * tells, by the Gateway named in `gateway.networking.k8s.io/gateway-name`, whether that Gateway is
 * of the waypoint class, for deployments whose labels do not say so themselves.
 */
export function meshRoleOf(workload: string, labels: Readonly<Record<string, string>>, isWaypointGateway?: (gatewayName: string) => boolean): MeshRole {
  const names = [labels.app, labels.istio, labels["app.kubernetes.io/name"], workload];
  if (names.some((name) => name !== undefined && CONTROL_PLANE_APPS.has(name))) return "control-plane";
  const gatewayName = labels["gateway.networking.k8s.io/gateway-name"];
  if (WAYPOINT_MARKS.some(([label, value]) => labels[label] === value) || (gatewayName !== undefined && isWaypointGateway?.(gatewayName) === true)) return "waypoint";
  if (GATEWAY_LABELS.some((label) => labels[label] !== undefined) || /gateway$/.test(labels.istio ?? "") || isGatewayWorkloadName(workload)) return "gateway";
  return "application";
}
