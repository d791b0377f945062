/**
 * One scrape target per proxy pod, as Prometheus scrapes a real mesh (kubernetes_sd on the pods'
 * `prometheus.io/*` annotations, with `namespace` and `pod` target labels), listed to Prometheus
 * through HTTP service discovery. A pod exposes its proxy's series split across the proxy's pods
 * (TelemetryStore.podChunks); ztunnel's pods expose what their node's ztunnel reported. Pure.
 * https://prometheus.io/docs/prometheus/latest/http_sd/
 */
import { ztunnelOwner } from "./telemetry-store";
import type { PodInfo } from "./pod-directory";

export const POD_METRICS_PREFIX = "/metrics/pods/";

export interface ScrapePod {
  namespace: string;
  name: string;
  /** The reporting proxy whose series the pod serves (TelemetryStore owners). */
  owner: string;
  /** Its place among the owner's pods, and how many there are. */
  index: number;
  count: number;
  app?: string;
}

/**
 * The pods that report telemetry: an Envoy (sidecar, gateway or waypoint: an `istio-proxy`
 * container) reports for its workload, a ztunnel pod for its node. Ambient application pods have
 * no proxy of their own and are not scraped.
 */
export function scrapePods(pods: ReadonlyArray<{ key: string; pod: PodInfo }>): ScrapePod[] {
  const byOwner = new Map<string, PodInfo[]>();
  for (const { key, pod } of pods) {
    const owner = pod.app === "ztunnel" ? ztunnelOwner(pod.node ?? "") : pod.hasProxy ? key : undefined;
    if (owner === undefined) continue;
    const list = byOwner.get(owner) ?? [];
    list.push(pod);
    byOwner.set(owner, list);
  }
  const result: ScrapePod[] = [];
  for (const [owner, list] of byOwner) {
    list.sort((a, b) => (a.name < b.name ? -1 : 1));
    list.forEach((pod, index) => result.push({ namespace: pod.namespace, name: pod.name, owner, index, count: list.length, ...(pod.app ? { app: pod.app } : {}) }));
  }
  return result;
}

/** Prometheus' HTTP SD answer: every pod at the simulator's address, told apart by its metrics path. */
export function httpServiceDiscovery(pods: readonly ScrapePod[], address: string): Array<{ targets: string[]; labels: Record<string, string> }> {
  return pods.map((pod) => ({
    targets: [address],
    labels: {
      __metrics_path__: `${POD_METRICS_PREFIX}${encodeURIComponent(pod.namespace)}/${encodeURIComponent(pod.name)}`,
      namespace: pod.namespace,
      pod: pod.name,
      ...(pod.app ? { app: pod.app } : {}),
    },
  }));
}

/** `/metrics/pods/<namespace>/<pod>` → the pod it names, or undefined. */
export function podOfPath(path: string): { namespace: string; name: string } | undefined {
  if (!path.startsWith(POD_METRICS_PREFIX)) return undefined;
  const parts = path.slice(POD_METRICS_PREFIX.length).split("/");
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  try {
    return { namespace: decodeURIComponent(parts[0]), name: decodeURIComponent(parts[1]) };
  } catch {
    return undefined;
  }
}
