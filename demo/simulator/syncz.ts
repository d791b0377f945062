/**
 * istiod's `GET /debug/syncz` (its HTTP debug port, 15014): one entry per connected proxy with,
 * per xDS type, the nonce istiod last sent, the nonce the proxy last ACKed and the last NACK's
 * message. `istioctl proxy-status` turns these into SYNCED / STALE / NOT SENT / ERROR.
 * https://github.com/istio/istio/blob/master/pilot/pkg/xds/debug.go (SyncStatus, Syncz)
 *
 * Simulated proxies: every running pod with an `istio-proxy` container (a gateway runs only that
 * container and connects as a `router`). A type istiod never pushed is not sent; a type whose
 * config the proxies NACK (istiod.ts) keeps the previous nonce ACKed and carries Envoy's message;
 * a pod annotated `demo.mesh-console.io/xds-unacked: "RDS,..."` stands for a proxy that stopped
 * answering for those types (e.g. stuck warming), which istiod shows as sent but never ACKed.
 */
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { FORWARD_TO_ANNOTATION } from "../kube-api/portforward";
import { PROXY_VERSION, XDS_TYPES, type XdsType } from "./istiod";

export const XDS_UNACKED_ANNOTATION = "demo.mesh-console.io/xds-unacked";

/** Envoy's type URLs, as istiod keys `resources` (pkg/model/xds.go). */
export const TYPE_URLS: Record<XdsType, string> = {
  cds: "type.googleapis.com/envoy.config.cluster.v3.Cluster",
  eds: "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment",
  lds: "type.googleapis.com/envoy.config.listener.v3.Listener",
  rds: "type.googleapis.com/envoy.config.route.v3.RouteConfiguration",
};

/**
 * ztunnel takes no Envoy config: istiod sends it workloads and services (WDS, pushed with endpoint
 * changes) and authorization policies over delta xDS.
 */
const ZTUNNEL_TYPES = ["eds", "lds"] as const satisfies readonly XdsType[];
const ZTUNNEL_TYPE_URLS: Record<XdsType, string> = {
  ...TYPE_URLS,
  eds: "type.googleapis.com/istio.workload.Address",
  lds: "type.googleapis.com/istio.security.Authorization",
};

/** The legacy per-type fields istiod still fills (`cluster_sent`, `cluster_acked`, …). */
const LEGACY_PREFIX: Record<XdsType, string> = { cds: "cluster", eds: "endpoint", lds: "listener", rds: "route" };

export interface SynczPod {
  name: string;
  namespace: string;
  /** As istiod's NodeType names it: ztunnel and waypoints are their own types. */
  proxyType: "sidecar" | "router" | "waypoint" | "ztunnel";
  /** Types this proxy never ACKs (the annotation above). */
  unacked: ReadonlySet<XdsType>;
}

export interface SyncState {
  sent: ReadonlyMap<XdsType, { count: number; at: Date }>;
  rejected: ReadonlyMap<XdsType, string>;
}

interface ResourceStatus {
  sent?: string;
  acked?: string;
  sentTime?: string;
  lastError?: string;
}

/** istiod's nonces are random UUIDs; the push count keeps them stable for tests. */
function nonceOf(type: XdsType, count: number): string {
  return `${count.toString(16).padStart(8, "0")}-${type}-4000-8000-000000000000`;
}

export function synczEntries(pods: readonly SynczPod[], state: SyncState, clusterId = "Kubernetes"): Array<Record<string, unknown>> {
  return [...pods]
    .sort((a, b) => `${a.name}.${a.namespace}`.localeCompare(`${b.name}.${b.namespace}`))
    .map((pod) => {
      const legacy: Record<string, string> = {};
      const resources: Record<string, ResourceStatus> = {};
      for (const type of pod.proxyType === "ztunnel" ? ZTUNNEL_TYPES : XDS_TYPES) {
        const pushed = state.sent.get(type);
        if (!pushed) {
          resources[pod.proxyType === "ztunnel" ? ZTUNNEL_TYPE_URLS[type] : TYPE_URLS[type]] = {};
          continue;
        }
        const sent = nonceOf(type, pushed.count);
        const previous = pushed.count > 1 ? nonceOf(type, pushed.count - 1) : "";
        const rejected = state.rejected.get(type);
        const acked = pod.unacked.has(type) ? "" : rejected !== undefined ? previous : sent;
        resources[pod.proxyType === "ztunnel" ? ZTUNNEL_TYPE_URLS[type] : TYPE_URLS[type]] = { sent, ...(acked ? { acked } : {}), sentTime: pushed.at.toISOString(), ...(rejected !== undefined && !pod.unacked.has(type) ? { lastError: rejected } : {}) };
        if (pod.proxyType === "ztunnel") continue;
        legacy[`${LEGACY_PREFIX[type]}_sent`] = sent;
        if (acked) legacy[`${LEGACY_PREFIX[type]}_acked`] = acked;
      }
      // Field names and omitempty as istiod's SyncStatus marshals them.
      return { cluster_id: clusterId, proxy: `${pod.name}.${pod.namespace}`, proxy_type: pod.proxyType, istio_version: PROXY_VERSION, ...legacy, resources };
    });
}

interface PodLike {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: { containers?: Array<{ name?: string }> };
  status?: { phase?: string };
}

export function synczPod(pod: PodLike): SynczPod | undefined {
  const containers = pod.spec?.containers ?? [];
  if (pod.status?.phase !== "Running" || !containers.some((c) => c.name === "istio-proxy")) return undefined;
  const unacked = new Set<XdsType>();
  for (const word of (pod.metadata?.annotations?.[XDS_UNACKED_ANNOTATION] ?? "").split(",")) {
    const type = word.trim().toLowerCase();
    if ((XDS_TYPES as readonly string[]).includes(type)) unacked.add(type as XdsType);
  }
  return { name: pod.metadata?.name ?? "", namespace: pod.metadata?.namespace ?? "", proxyType: proxyTypeOf(pod.metadata?.labels ?? {}, containers.length), unacked };
}

function proxyTypeOf(labels: Readonly<Record<string, string>>, containers: number): SynczPod["proxyType"] {
  if (labels["app"] === "ztunnel") return "ztunnel";
  if (labels["gateway.istio.io/managed"] === "istio.io-mesh-controller" || labels["gateway.networking.k8s.io/gateway-class-name"] === "istio-waypoint") return "waypoint";
  return containers === 1 ? "router" : "sidecar";
}

/** Lists the connected proxies' pods when syncz is asked for (istiod knows its connections; the simulator asks Kubernetes). */
export function podLister(kubeconfigPath: string): () => Promise<SynczPod[]> {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(kubeconfigPath);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  return async () => (await core.listPodForAllNamespaces()).items.flatMap((pod) => synczPod(pod as PodLike) ?? []);
}

/**
 * Points the istio-system/istiod Service (and so its pods, see demo/kube-api/service-proxy.ts) at
 * the simulator, which plays istiod's debug port; a mesh without that Service is left alone.
 */
export async function announceIstiodDebug(kubeconfigPath: string, address: string, log: (message: string) => void): Promise<void> {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(kubeconfigPath);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  try {
    const service = await core.readNamespacedService({ name: "istiod", namespace: "istio-system" });
    service.metadata = { ...service.metadata, annotations: { ...service.metadata?.annotations, [FORWARD_TO_ANNOTATION]: address } };
    await core.replaceNamespacedService({ name: "istiod", namespace: "istio-system", body: service });
  } catch (error) {
    log(`istiod's debug endpoint is not reachable through the API server: cannot annotate istio-system/istiod: ${(error as Error).message}`);
  }
}
