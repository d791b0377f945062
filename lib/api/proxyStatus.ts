/**
 * GET /api/proxy-status: each proxy's xDS sync with istiod, as `istioctl proxy-status` shows it,
 * and the pure read-outs the pages share (stale proxies per namespace, per workload, per graph node).
 */
import { z } from "zod";

/** Envoy's xDS types by istioctl's short names, in istioctl's column order. */
export const XDS_SHORT_TYPES = ["CDS", "LDS", "EDS", "RDS", "ECDS"] as const;
export type XdsShortType = (typeof XDS_SHORT_TYPES)[number];

/**
 * istioctl's words: SYNCED (the last push was ACKed), STALE (sent, not ACKed yet or ever), NOT SENT
 * (subscribed, nothing sent yet), ERROR (the proxy NACKed the last push), IGNORED (not subscribed).
 */
export const XDS_SYNC_STATUSES = ["SYNCED", "STALE", "NOT SENT", "ERROR", "IGNORED"] as const;
export const xdsSyncStatusSchema = z.enum(XDS_SYNC_STATUSES);
export type XdsSyncStatus = z.infer<typeof xdsSyncStatusSchema>;

export const xdsTypeSyncSchema = z.object({
  type: z.string(),
  typeUrl: z.string(),
  status: xdsSyncStatusSchema,
  /** STALE with nothing ever ACKed ("STALE (Never Acknowledged)" in istioctl). */
  neverAcknowledged: z.boolean(),
  lastSent: z.string().nullable(),
  /** Envoy's NACK message, for ERROR. */
  error: z.string().nullable(),
});
export type XdsTypeSync = z.infer<typeof xdsTypeSyncSchema>;

export const proxySyncSchema = z.object({
  /** istiod's proxy id: `<pod>.<namespace>`. */
  id: z.string(),
  pod: z.string(),
  namespace: z.string(),
  /** The pod's workload, app and version as the graph names them; null when the pod is not in the console's cache. */
  workload: z.string().nullable(),
  app: z.string().nullable(),
  version: z.string().nullable(),
  proxyType: z.string(),
  clusterId: z.string(),
  istioVersion: z.string(),
  /** The istiod pod the proxy is connected to. */
  istiod: z.string(),
  types: z.array(xdsTypeSyncSchema),
  /** Some type is STALE or ERROR: the proxy runs config other than istiod's latest. */
  outOfSync: z.boolean(),
});
export type ProxySync = z.infer<typeof proxySyncSchema>;

export const proxyStatusResponseSchema = z.object({
  proxies: z.array(proxySyncSchema),
  /** Each istiod asked, with the reason it did not answer. */
  istiods: z.array(z.object({ name: z.string(), proxies: z.number(), error: z.string().nullable() })),
  readAt: z.string(),
});
export type ProxyStatusResponse = z.infer<typeof proxyStatusResponseSchema>;

/** Proxies out of sync per namespace (namespaces with none are absent). */
export function outOfSyncByNamespace(proxies: readonly ProxySync[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const proxy of proxies) if (proxy.outOfSync) counts.set(proxy.namespace, (counts.get(proxy.namespace) ?? 0) + 1);
  return counts;
}

/** A graph node's identity, as lib/graph/model.ts's GraphNode carries it. */
export interface ProxyNodeRef {
  id: string;
  kind: string;
  namespace: string;
  name: string;
  version: string | null;
  workload: string | null;
}

/**
 * The graph nodes with a proxy out of sync, matched as server/graph/steps/sidecars.ts matches pods:
 * a workload or gateway by workload name, an app by app (else workload) name, a versioned app by
 * app and version.
 */
export function outOfSyncNodeIds(nodes: readonly ProxyNodeRef[], proxies: readonly ProxySync[]): Set<string> {
  const stale = proxies.filter((proxy) => proxy.outOfSync && proxy.workload !== null);
  const ids = new Set<string>();
  for (const node of nodes) {
    const matches = stale.some((proxy) => {
      if (proxy.namespace !== node.namespace) return false;
      const app = proxy.app ?? proxy.workload;
      switch (node.kind) {
        case "workload":
        case "gateway":
          return proxy.workload === (node.workload ?? node.name);
        case "app":
          return app === node.name;
        case "versionedApp":
          return app === node.name && (node.version === null || proxy.version === node.version);
        default:
          return false;
      }
    });
    if (matches) ids.add(node.id);
  }
  return ids;
}
