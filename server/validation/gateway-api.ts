import type { GatewayApiRoute, GatewayApiWorld } from "@/lib/gatewayApi/references";
import type { IGateway, IGatewayClass, IListener, IReferenceGrant } from "@/lib/gatewayApi/types";
import { routeKindNames, type MeshObject, type RouteKindName } from "./objects";
import type { MeshSnapshot } from "./snapshot";

/**
 * The snapshot's Gateway API objects in the shapes `lib/gatewayApi/references.ts` resolves, so the
 * validation rules judge attachment and references exactly as the simulator writes status.
 */

function listenerOf(listener: MeshObject<"KubernetesGateway">["spec"]["listeners"][number]): IListener {
  const mode = listener.tls?.mode;
  return {
    name: listener.name ?? "",
    port: listener.port ?? 0,
    protocol: listener.protocol ?? "",
    ...(listener.hostname ? { hostname: listener.hostname } : {}),
    ...(mode === "Terminate" || mode === "Passthrough" ? { tls: { mode } } : {}),
    ...(listener.allowedRoutes ? { allowedRoutes: listener.allowedRoutes } : {}),
  };
}

function gatewayOf(gateway: MeshObject<"KubernetesGateway">): IGateway {
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "Gateway",
    metadata: { name: gateway.ref.name, namespace: gateway.ref.namespace, labels: gateway.metadata.labels },
    spec: { gatewayClassName: gateway.spec.gatewayClassName ?? "", listeners: gateway.spec.listeners.map(listenerOf) },
  };
}

function gatewayClassOf(gatewayClass: MeshObject<"GatewayClass">): IGatewayClass {
  return { apiVersion: "gateway.networking.k8s.io/v1", kind: "GatewayClass", metadata: { name: gatewayClass.ref.name }, spec: { controllerName: gatewayClass.spec.controllerName } };
}

function referenceGrantOf(grant: MeshObject<"ReferenceGrant">): IReferenceGrant {
  return { apiVersion: "gateway.networking.k8s.io/v1", kind: "ReferenceGrant", metadata: { name: grant.ref.name, namespace: grant.ref.namespace }, spec: { from: grant.spec.from, to: grant.spec.to } };
}

export type RouteObject = MeshObject<RouteKindName>;

/** Every route of every Gateway API route kind, in kind order then key order. */
export function routeObjects(snapshot: MeshSnapshot): RouteObject[] {
  return routeKindNames.flatMap((kind) => [...snapshot.list(kind)] as RouteObject[]);
}

export function routeOf(route: RouteObject): GatewayApiRoute {
  return {
    kind: route.kind,
    metadata: { name: route.ref.name, namespace: route.ref.namespace },
    spec: { parentRefs: route.spec.parentRefs, hostnames: route.spec.hostnames, rules: route.spec.rules },
  };
}

export const gatewayApiReads = ["KubernetesGateway", "GatewayClass", "ReferenceGrant", "Service", "Namespace", "ServiceEntry"] as const;

export function gatewayApiWorld(snapshot: MeshSnapshot): GatewayApiWorld {
  return snapshot.memo("gatewayApiWorld", gatewayApiReads, () => ({
    gateways: snapshot.list("KubernetesGateway").map(gatewayOf),
    gatewayClasses: snapshot.list("GatewayClass").map(gatewayClassOf),
    services: snapshot.list("Service").map((service) => ({ metadata: { name: service.ref.name, namespace: service.ref.namespace }, spec: { ports: service.spec.ports } })),
    namespaces: snapshot.list("Namespace").map((namespace) => ({ metadata: { name: namespace.ref.name, labels: namespace.metadata.labels } })),
    referenceGrants: snapshot.list("ReferenceGrant").map(referenceGrantOf),
    serviceEntries: snapshot.list("ServiceEntry").map((entry) => ({ metadata: { name: entry.ref.name, namespace: entry.ref.namespace }, spec: { hosts: entry.spec.hosts } })),
  }));
}
