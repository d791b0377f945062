/**
 * Istio's ambient data plane as the simulator plays it: which workloads ztunnel captures, which
 * waypoint serves a Service, and what the ztunnels on either side of a connection report. Pure.
 * https://istio.io/latest/docs/ambient/usage/add-workloads/
 * https://istio.io/latest/docs/ambient/usage/waypoint/
 */
import type { ServiceRef, TcpRecord } from "./telemetry-store";
import type { GatewayObject } from "./gateway-api-schemas";
import type { ServiceObject } from "./mesh-schemas";
import type { Workload } from "./mesh";
import { ambientRequested, WAYPOINT_GATEWAY_CLASS, waypointEnrolment, waypointServes, waypointTrafficType } from "@/lib/istio/ambient";

/** The node a pod lands on when its spec names none (the emulator's only default node). */
export const DEFAULT_NODE = "demo-worker";

/**
 * ztunnel captures a pod as lib/istio/ambient.ts reads the labels; pods with a sidecar and
 * gateway/waypoint proxies are never captured: they carry their own Envoy. A waypoint is known by
 * the labels istiod puts on its pods (gateway-deployment.ts).
 */
export function dataplaneOf(
  podLabels: Readonly<Record<string, string>>,
  isGateway: boolean,
  sidecar: boolean,
  namespaceLabels: Readonly<Record<string, string>> | undefined,
): { ambient: boolean; isWaypoint: boolean } {
  const isWaypoint = podLabels["gateway.networking.k8s.io/gateway-class-name"] === WAYPOINT_GATEWAY_CLASS || podLabels["gateway.istio.io/managed"] === "istio.io-mesh-controller";
  if (isGateway || sidecar) return { ambient: false, isWaypoint };
  return { ambient: ambientRequested(namespaceLabels ?? {}, podLabels).requested, isWaypoint };
}

/** Whether a workload takes part in the mesh: a sidecar or gateway Envoy, or ztunnel. */
export function inMesh(workload: Workload | undefined): boolean {
  return workload !== undefined && (workload.hasProxy || workload.ambient === true);
}

/**
 * The waypoint serving a Service: the one its enrolment names (lib/istio/ambient.ts), if that is a
 * Gateway of class `istio-waypoint` that takes service traffic and istiod has deployed its proxy;
 * otherwise nothing serves the Service at L7.
 */
export function waypointOfService(
  service: ServiceObject,
  namespaces: ReadonlyMap<string, Readonly<Record<string, string>>>,
  gateways: readonly GatewayObject[],
  workloads: ReadonlyMap<string, Workload>,
): Workload | undefined {
  const namespace = service.metadata.namespace ?? "default";
  const enrolment = waypointEnrolment(service.metadata.labels ?? {}, namespaces.get(namespace) ?? {}, namespace);
  if (!enrolment) return undefined;
  const gateway = gateways.find((g) => g.metadata?.name === enrolment.name && (g.metadata.namespace ?? "default") === enrolment.namespace);
  if (!gateway || gateway.spec.gatewayClassName !== WAYPOINT_GATEWAY_CLASS) return undefined;
  const trafficType = waypointTrafficType(gateway.metadata?.labels ?? {});
  if (!trafficType || !waypointServes(trafficType, "service")) return undefined;
  // istiod names a waypoint's Deployment after its Gateway, without a class suffix.
  return workloads.get(`${enrolment.namespace}/${enrolment.name}`);
}

export interface ConnectionLeg {
  /** The connecting side: an ambient pod, a sidecar, a waypoint, or undefined from outside the mesh. */
  client: Workload | undefined;
  /** The accepting side: the pod the connection lands on (a waypoint for the first leg through one). */
  server: Workload;
  /** The Service the connection was addressed to. */
  service: ServiceRef;
  connections: number;
  /** Response direction (what the server sent). */
  sentBytes: number;
  /** Request direction. */
  receivedBytes: number;
}

/**
 * What ztunnel reports for one leg: the client's node's ztunnel as `source` when the client is
 * captured, the server's node's as `destination` when the server is. HBONE between mesh peers is
 * mutual TLS on both sides; plaintext from outside the mesh is `unknown` (ztunnel knows no other
 * policy). A waypoint or sidecar end reports its own (Envoy) metrics, never ztunnel's.
 */
export function ztunnelReports(leg: ConnectionLeg): TcpRecord[] {
  if (leg.connections <= 0) return [];
  const mutualTls = inMesh(leg.client) && inMesh(leg.server);
  const records: TcpRecord[] = [];
  const common = {
    source: leg.client,
    destination: leg.server,
    service: leg.service,
    mutualTls,
    responseFlags: "-",
    connections: leg.connections,
    sentBytes: leg.sentBytes,
    receivedBytes: leg.receivedBytes,
  };
  if (leg.client?.ambient) records.push({ ...common, reporter: "source", ztunnelNode: leg.client.node ?? DEFAULT_NODE });
  if (leg.server.ambient) records.push({ ...common, reporter: "destination", ztunnelNode: leg.server.node ?? DEFAULT_NODE });
  return records;
}
