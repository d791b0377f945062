/**
 * istiod's `GET /debug/syncz` and the sync rules `istioctl proxy-status` applies to it.
 *
 * The JSON is istiod's SyncStatus, one entry per proxy connected to that istiod; per xDS type
 * `resources[typeUrl]` holds the nonce last sent, the nonce last ACKed and the last NACK's message
 * (Istio 1.18+); older istiods only fill `cluster_sent`/`cluster_acked`, `listener_…`, `route_…`,
 * `endpoint_…`, `extensionconfig_…`.
 * https://github.com/istio/istio/blob/master/pilot/pkg/xds/debug.go (SyncStatus)
 *
 * The status per type, as istiod's status generator computes it (pilot/pkg/xds/statusgen.go
 * debugSyncStatus) and istioctl prints it (istioctl/pkg/writer/pilot/status.go):
 *   a NACK message          → ERROR (cleared by the next ACK)
 *   nothing sent            → NOT SENT (IGNORED for ztunnel, which subscribes to other types)
 *   sent nonce == ACKed one → SYNCED
 *   otherwise               → STALE ("Never Acknowledged" when nothing was ever ACKed)
 *   a type not subscribed   → IGNORED
 */
import { z } from "zod";
import { XDS_SHORT_TYPES, type ProxySync, type XdsShortType, type XdsTypeSync } from "@/lib/api/proxyStatus";

const TYPE_URL_PREFIX = "type.googleapis.com/";

/** istiod's type URLs (pkg/model/xds.go) and the legacy field prefix of each. */
export const XDS_TYPE_URLS: Record<XdsShortType, { typeUrl: string; legacy: string }> = {
  CDS: { typeUrl: `${TYPE_URL_PREFIX}envoy.config.cluster.v3.Cluster`, legacy: "cluster" },
  LDS: { typeUrl: `${TYPE_URL_PREFIX}envoy.config.listener.v3.Listener`, legacy: "listener" },
  EDS: { typeUrl: `${TYPE_URL_PREFIX}envoy.config.endpoint.v3.ClusterLoadAssignment`, legacy: "endpoint" },
  RDS: { typeUrl: `${TYPE_URL_PREFIX}envoy.config.route.v3.RouteConfiguration`, legacy: "route" },
  ECDS: { typeUrl: `${TYPE_URL_PREFIX}envoy.config.core.v3.TypedExtensionConfig`, legacy: "extensionconfig" },
};

const resourceStatusSchema = z.object({
  sent: z.string().optional(),
  acked: z.string().optional(),
  sentTime: z.string().optional(),
  lastError: z.string().optional(),
});
type ResourceStatus = z.infer<typeof resourceStatusSchema>;

export const synczEntrySchema = z
  .object({
    cluster_id: z.string().optional(),
    proxy: z.string(),
    proxy_type: z.string().optional(),
    istio_version: z.string().optional(),
    resources: z.record(z.string(), resourceStatusSchema).optional(),
  })
  // The legacy `<type>_sent` / `<type>_acked` strings, read below by name.
  .catchall(z.unknown());
export type SynczEntry = z.infer<typeof synczEntrySchema>;

export const synczSchema = z.array(synczEntrySchema);

/** Go's zero time.Time, which istiod marshals for a type never sent. */
const ZERO_TIME = "0001-01-01T00:00:00Z";

export function xdsTypeSync(type: string, typeUrl: string, resource: ResourceStatus | undefined, proxyType: string): XdsTypeSync {
  const lastSent = resource?.sentTime && resource.sentTime !== ZERO_TIME ? resource.sentTime : null;
  const base = { type, typeUrl, lastSent, neverAcknowledged: false, error: null };
  if (!resource) return { ...base, status: "IGNORED" };
  if (resource.lastError) return { ...base, status: "ERROR", error: resource.lastError };
  const sent = resource.sent ?? "";
  const acked = resource.acked ?? "";
  if (sent === "") return { ...base, status: proxyType === "ztunnel" ? "IGNORED" : "NOT SENT" };
  if (sent === acked) return { ...base, status: "SYNCED" };
  return { ...base, status: "STALE", neverAcknowledged: acked === "" };
}

function shortTypeOf(typeUrl: string): string {
  const known = XDS_SHORT_TYPES.find((type) => XDS_TYPE_URLS[type].typeUrl === typeUrl);
  return known ?? typeUrl.replace(TYPE_URL_PREFIX, "");
}

/** Per type, from `resources` when istiod sends it, else from the legacy fields. */
function resourcesOf(entry: SynczEntry): Map<string, ResourceStatus> {
  if (entry.resources) return new Map(Object.entries(entry.resources));
  const legacy = new Map<string, ResourceStatus>();
  for (const type of XDS_SHORT_TYPES) {
    const { typeUrl, legacy: prefix } = XDS_TYPE_URLS[type];
    const sent = entry[`${prefix}_sent`];
    const acked = entry[`${prefix}_acked`];
    // Before `resources`, istiod reported the four core types for every proxy (empty = not sent).
    if (type === "ECDS" && sent === undefined) continue;
    legacy.set(typeUrl, { sent: typeof sent === "string" ? sent : "", acked: typeof acked === "string" ? acked : "" });
  }
  return legacy;
}

/** `<pod>.<namespace>`: the pod name has no dots, the namespace none either (DNS labels). */
export function splitProxyId(id: string): { pod: string; namespace: string } {
  const dot = id.lastIndexOf(".");
  return dot < 0 ? { pod: id, namespace: "" } : { pod: id.slice(0, dot), namespace: id.slice(dot + 1) };
}

export type ProxySyncCore = Omit<ProxySync, "workload" | "app" | "version">;

/** One syncz entry read with istioctl's rules; core types first in istioctl's order, then others. */
export function proxySyncOf(entry: SynczEntry, istiod: string): ProxySyncCore {
  const proxyType = entry.proxy_type ?? "sidecar";
  const resources = resourcesOf(entry);
  const types: XdsTypeSync[] = XDS_SHORT_TYPES.map((type) => xdsTypeSync(type, XDS_TYPE_URLS[type].typeUrl, resources.get(XDS_TYPE_URLS[type].typeUrl), proxyType));
  const extra = [...resources.keys()].filter((url) => !XDS_SHORT_TYPES.some((type) => XDS_TYPE_URLS[type].typeUrl === url)).sort();
  for (const url of extra) types.push(xdsTypeSync(shortTypeOf(url), url, resources.get(url), proxyType));
  const { pod, namespace } = splitProxyId(entry.proxy);
  return {
    id: entry.proxy,
    pod,
    namespace,
    proxyType,
    clusterId: entry.cluster_id ?? "",
    istioVersion: entry.istio_version ?? "",
    istiod,
    types,
    outOfSync: types.some((type) => type.status === "STALE" || type.status === "ERROR"),
  };
}

/**
 * The answers of every istiod merged: a proxy reconnecting to another replica can briefly be listed
 * by both; the entry whose last push is newest is the live connection.
 */
export function mergeIstiodAnswers(answers: ReadonlyArray<{ istiod: string; entries: readonly SynczEntry[] }>): ProxySyncCore[] {
  const byId = new Map<string, ProxySyncCore>();
  const newest = (proxy: ProxySyncCore) => proxy.types.reduce((latest, type) => (type.lastSent && type.lastSent > latest ? type.lastSent : latest), "");
  for (const { istiod, entries } of answers) {
    for (const entry of entries) {
      const proxy = proxySyncOf(entry, istiod);
      const known = byId.get(proxy.id);
      if (!known || newest(proxy) > newest(known)) byId.set(proxy.id, proxy);
    }
  }
  return [...byId.values()].sort((a, b) => a.namespace.localeCompare(b.namespace) || a.pod.localeCompare(b.pod));
}
