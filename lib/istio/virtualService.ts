/**
 * VirtualService: its schemas and the rules every reader shares (validation, routing wizards, the
 * graph, detail pages). https://istio.io/latest/docs/reference/config/networking/virtual-service/
 *
 * Two readings of the same fields, kept side by side so they change together:
 * - `virtualServiceSchema`, as written: absent fields stay absent and unknown fields pass through,
 *   because a wizard edits a few fields and must hand every other field (its own or a newer
 *   Istio's) back to the API server unchanged;
 * - `normalizedVirtualServiceSchema`, for readers that only look: absent, null and empty lists all
 *   read as `[]`, so the validation rules need no guard at every step.
 * Host names in either resolve with lib/istio/host.ts.
 */
import { z } from "zod";
import { istioKindInfo } from "@/lib/istioKinds";
import { list, metadataSchema, portNumber, section, writtenMetadataSchema } from "./fields";

export const VIRTUAL_SERVICE = istioKindInfo("VirtualService");

/** The reserved gateway name for the sidecars of the mesh. */
export const MESH_GATEWAY = "mesh";

// ---- As written (read-modify-write) -------------------------------------------------------

const writtenDestinationSchema = z.looseObject({ host: z.string(), subset: z.string().optional() });
export const routeDestinationSchema = z.looseObject({ destination: writtenDestinationSchema, weight: z.number().optional() });
export const httpRouteSchema = z.looseObject({
  name: z.string().optional(),
  match: z.array(z.record(z.string(), z.unknown())).optional(),
  route: z.array(routeDestinationSchema).optional(),
});

export const virtualServiceSchema = z.looseObject({
  apiVersion: z.string().default("networking.istio.io/v1"),
  kind: z.literal("VirtualService").default("VirtualService"),
  metadata: writtenMetadataSchema,
  spec: z.looseObject({
    hosts: z.array(z.string()).optional(),
    gateways: z.array(z.string()).optional(),
    http: z.array(httpRouteSchema).optional(),
  }),
});

export type VirtualService = z.infer<typeof virtualServiceSchema>;
export type HttpRoute = z.infer<typeof httpRouteSchema>;
export type RouteDestination = z.infer<typeof routeDestinationSchema>;

// ---- Normalized (read only) -----------------------------------------------------------------

const hostList = list(z.string());

export const destinationSchema = section({
  host: z.string().optional(),
  subset: z.string().optional(),
  port: section({ number: portNumber.optional() }),
});
export type Destination = z.infer<typeof destinationSchema>;

const normalizedRouteDestinationSchema = section({
  destination: destinationSchema.optional(),
  weight: z.number().int().optional(),
});

const stringMatchSchema = section({ exact: z.string().optional(), prefix: z.string().optional(), regex: z.string().optional() });

/** Matches stay loose: duplicate detection compares them whole. */
const httpMatchSchema = section({
  name: z.string().optional(),
  uri: stringMatchSchema.optional(),
  method: stringMatchSchema.optional(),
  headers: z.preprocess((v) => v ?? {}, z.record(z.string(), z.unknown())),
});
export type HttpMatch = z.infer<typeof httpMatchSchema>;

const percentSchema = z.number().optional();

const normalizedHttpRouteSchema = section({
  name: z.string().optional(),
  match: list(httpMatchSchema),
  route: list(normalizedRouteDestinationSchema),
  mirror: destinationSchema.optional(),
  mirrors: list(section({ destination: destinationSchema.optional() })),
  mirror_percent: z.number().optional(),
  mirrorPercent: z.number().optional(),
  fault: section({
    delay: section({ percent: percentSchema }).optional(),
    abort: section({ percent: percentSchema }).optional(),
  }).optional(),
  corsPolicy: section({ allowOrigin: list(z.string()) }).optional(),
});
export type NormalizedHttpRoute = z.infer<typeof normalizedHttpRouteSchema>;

const l4RouteSchema = section({
  match: list(z.looseObject({})),
  route: list(normalizedRouteDestinationSchema),
});
export type L4Route = z.infer<typeof l4RouteSchema>;

export const normalizedVirtualServiceSchema = z.looseObject({
  metadata: metadataSchema,
  spec: section({
    hosts: hostList,
    gateways: hostList,
    exportTo: list(z.string()),
    http: list(normalizedHttpRouteSchema),
    tcp: list(l4RouteSchema),
    tls: list(l4RouteSchema),
  }),
});
export type NormalizedVirtualService = z.infer<typeof normalizedVirtualServiceSchema>;

// ---- Rules -----------------------------------------------------------------------------------

/**
 * A VirtualService with no `gateways` applies to sidecars only; otherwise it applies to the mesh
 * only if `mesh` is listed (https://istio.io/latest/docs/reference/config/networking/virtual-service/#VirtualService-gateways).
 */
export function isMeshBound(gateways: readonly string[] | null | undefined): boolean {
  return !gateways || gateways.length === 0 || gateways.includes(MESH_GATEWAY);
}

export interface GatewayRef {
  readonly namespace: string;
  readonly name: string;
  /** Position in `spec.gateways`. */
  readonly index: number;
}

/** The Gateways a VirtualService in `namespace` binds to (`mesh` excluded); `name` alone means the VirtualService's namespace. */
export function gatewayRefs(gateways: readonly string[] | null | undefined, namespace: string): GatewayRef[] {
  const refs: GatewayRef[] = [];
  (gateways ?? []).forEach((entry, index) => {
    if (entry === MESH_GATEWAY) return;
    const slash = entry.indexOf("/");
    refs.push(slash < 0 ? { namespace, name: entry, index } : { namespace: entry.slice(0, slash), name: entry.slice(slash + 1), index });
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

/** Every destination a VirtualService sends (or mirrors: `mirror` and `mirrors`) traffic to, over HTTP, TCP and TLS routes. */
export function destinationUses(spec: NormalizedVirtualService["spec"]): DestinationUse[] {
  const uses: DestinationUse[] = [];
  spec.http.forEach((route, i) => {
    route.route.forEach((entry, j) => {
      uses.push({ destination: entry.destination, path: `spec.http[${i}].route[${j}].destination`, routeKind: "http", mirror: false });
    });
    if (route.mirror) uses.push({ destination: route.mirror, path: `spec.http[${i}].mirror`, routeKind: "http", mirror: true });
    route.mirrors.forEach((entry, j) => {
      if (entry.destination) uses.push({ destination: entry.destination, path: `spec.http[${i}].mirrors[${j}].destination`, routeKind: "http", mirror: true });
    });
  });
  for (const routeKind of ["tcp", "tls"] as const) {
    spec[routeKind].forEach((route, i) => {
      route.route.forEach((entry, j) => {
        uses.push({ destination: entry.destination, path: `spec.${routeKind}[${i}].route[${j}].destination`, routeKind, mirror: false });
      });
    });
  }
  return uses;
}
