import type { Destination } from "./objects/istio";
import type { VirtualServiceObject } from "./objects";

/** What the rules need to know about a VirtualService beyond its fields. */

export const meshGateway = "mesh";

/**
 * A VirtualService with no `gateways` applies to sidecars only; otherwise it applies to the mesh
 * only if `mesh` is listed (https://istio.io/latest/docs/reference/config/networking/virtual-service/#VirtualService-gateways).
 */
export function isMeshBound(vs: VirtualServiceObject): boolean {
  return vs.spec.gateways.length === 0 || vs.spec.gateways.includes(meshGateway);
}

export interface GatewayRef {
  readonly namespace: string;
  readonly name: string;
  readonly index: number;
}

/** The Gateways a VirtualService binds to (`mesh` excluded); `name` alone means the VirtualService's namespace. */
export function gatewayRefs(vs: VirtualServiceObject): GatewayRef[] {
  const refs: GatewayRef[] = [];
  vs.spec.gateways.forEach((entry, index) => {
    if (entry === meshGateway) return;
    const slash = entry.indexOf("/");
    refs.push(slash < 0 ? { namespace: vs.ref.namespace, name: entry, index } : { namespace: entry.slice(0, slash), name: entry.slice(slash + 1), index });
  });
  return refs;
}

export type RouteKind = "http" | "tcp" | "tls";

export interface DestinationUse {
  /** Undefined for a route entry that has no destination at all. */
  readonly destination: Destination | undefined;
  /** Path of the destination field, e.g. `spec.http[0].route[1].destination`. */
  readonly path: string;
  readonly routeKind: RouteKind;
  /** Mirrors copy traffic; they do not carry the request, so port disambiguation does not apply. */
  readonly mirror: boolean;
}

/** Every destination a VirtualService sends (or mirrors) traffic to. */
export function destinationUses(vs: VirtualServiceObject): DestinationUse[] {
  const uses: DestinationUse[] = [];
  vs.spec.http.forEach((route, i) => {
    route.route.forEach((entry, j) => {
      uses.push({ destination: entry.destination, path: `spec.http[${i}].route[${j}].destination`, routeKind: "http", mirror: false });
    });
    if (route.mirror) uses.push({ destination: route.mirror, path: `spec.http[${i}].mirror`, routeKind: "http", mirror: true });
    route.mirrors.forEach((entry, j) => {
      if (entry.destination) uses.push({ destination: entry.destination, path: `spec.http[${i}].mirrors[${j}].destination`, routeKind: "http", mirror: true });
    });
  });
  for (const routeKind of ["tcp", "tls"] as const) {
    vs.spec[routeKind].forEach((route, i) => {
      route.route.forEach((entry, j) => {
        uses.push({ destination: entry.destination, path: `spec.${routeKind}[${i}].route[${j}].destination`, routeKind, mirror: false });
      });
    });
  }
  return uses;
}

/** JSON with sorted keys, so two matches written in a different key order compare equal. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
