/**
 * Security views of the mesh. mTLS readiness (`mtlsReadiness`): the traffic each namespace and
 * workload received over the window, by mutual TLS or plaintext, from the person's checked
 * Prometheus client, with the PeerAuthentications, DestinationRules, workloads and Services read
 * with the person's own token; the verdict is pure (mtlsReadiness.ts). Enforcing STRICT and
 * rolling it back: mtlsEnforce.ts.
 */
import type { MtlsReadinessResponse } from "@/lib/api/mtls";
import { readPeerAuthentications, workloadPolicyName, NAMESPACE_POLICY_NAME } from "@/lib/istio/peerAuthentication";
import { MESH_ROOT_NAMESPACE } from "@/lib/istio/rootNamespace";
import { durationSeconds, type TimeWindow } from "@/lib/timeWindows";
import { personPrometheus } from "@/server/auth/namespaceAccess";
import { KubeError } from "@/server/kube";
import { listServices, listWorkloads } from "@/server/mesh/objects";
import { prometheus } from "@/server/prometheus";
import type { PrometheusClient } from "@/server/prometheus/client";
import { rateOver, sharedMetricNames, sumBy, type Scope, type TelemetryMetricNames } from "@/server/telemetry";
import { consolePolicyOf, listDestinationRules, listPeerAuthentications, namespacesToRead } from "./mtlsObjects";
import { MIN_REQUESTS, MIN_TCP_BYTES, namespaceReadiness, securitySamples, type InventoryService, type InventoryWorkload } from "./mtlsReadiness";

export { changeMtls } from "./mtlsEnforce";

const SECURITY_LABELS = ["destination_workload_namespace", "destination_workload", "source_workload", "source_workload_namespace", "connection_security_policy"];

/**
 * What the servers' proxies received over the window, by caller and security policy: destination
 * reports only (the client's report says `unknown`), pinned by the destination's namespace.
 * `rate × seconds` is the window's increase.
 */
export function securityQueries(namespaces: readonly string[], windowSeconds: number, metrics: TelemetryMetricNames): { requests: string; tcpBytes: string } {
  const scope: Scope = [
    { label: "reporter", equals: "destination" },
    { label: "destination_workload_namespace", oneOf: namespaces },
  ];
  const increase = (metric: string) => `${sumBy(SECURITY_LABELS, rateOver(metric, [scope], windowSeconds))} * ${windowSeconds}`;
  return { requests: increase(metrics.requests), tcpBytes: increase(metrics.tcpReceivedBytes) };
}

async function listOrForbidden<T>(read: () => Promise<T[]>): Promise<{ items: T[]; readable: boolean }> {
  try {
    return { items: await read(), readable: true };
  } catch (error) {
    if (error instanceof KubeError && (error.failure === "forbidden" || error.failure === "not-found")) return { items: [], readable: false };
    throw error;
  }
}

export interface MtlsReadinessRequest {
  namespaces: readonly string[];
  window: TimeWindow;
  client?: PrometheusClient;
}

export async function mtlsReadiness(request: MtlsReadinessRequest): Promise<MtlsReadinessResponse> {
  const namespaces = await namespacesToRead(request.namespaces);
  const windowSeconds = durationSeconds(request.window) ?? 300;
  if (namespaces.length === 0) return { window: request.window, minRequests: MIN_REQUESTS, minTcpBytes: MIN_TCP_BYTES, namespaces: [], workloadsWithoutProxy: [], meshPolicyReadable: true };
  const client = request.client ?? personPrometheus(prometheus());
  const queries = securityQueries(namespaces, windowSeconds, await sharedMetricNames());
  const [requestSamples, tcpSamples, workloadList, serviceList, policyLists, ruleLists, meshPolicies] = await Promise.all([
    client.instant(queries.requests),
    client.instant(queries.tcpBytes),
    listWorkloads([...namespaces]),
    listServices([...namespaces]),
    Promise.all(namespaces.map(listPeerAuthentications)),
    Promise.all(namespaces.map(listDestinationRules)),
    namespaces.includes(MESH_ROOT_NAMESPACE) ? Promise.resolve({ items: [], readable: true }) : listOrForbidden(() => listPeerAuthentications(MESH_ROOT_NAMESPACE)),
  ]);
  const workloads: InventoryWorkload[] = workloadList.map((workload) => ({
    namespace: workload.namespace,
    name: workload.name,
    labels: workload.labels,
    hasProxy: workload.podCount > 0 && workload.sidecarPods === workload.podCount,
    application: workload.meshRole === "application",
  }));
  const services: InventoryService[] = serviceList.map((service) => ({ namespace: service.namespace, name: service.name, selector: service.selector }));
  const rawPolicies = [...policyLists.flat(), ...meshPolicies.items];
  const peerAuthentications = readPeerAuthentications(rawPolicies);
  const samples = securitySamples(requestSamples, tcpSamples);
  const destinationRules = ruleLists.flat();
  const policyNamed = (namespace: string, name: string) => rawPolicies.find((raw) => {
    const metadata = (raw as { metadata?: { namespace?: string; name?: string } }).metadata;
    return metadata?.namespace === namespace && metadata.name === name;
  });
  return {
    window: request.window,
    minRequests: MIN_REQUESTS,
    minTcpBytes: MIN_TCP_BYTES,
    namespaces: namespaces.map((namespace) => {
      const own = workloads.filter((workload) => workload.namespace === namespace);
      const workloadPolicies = new Map(own.flatMap((workload) => {
        const policy = consolePolicyOf(policyNamed(namespace, workloadPolicyName(workload.name)));
        return policy ? [[workload.name, policy] as const] : [];
      }));
      return namespaceReadiness({
        namespace,
        rootNamespace: MESH_ROOT_NAMESPACE,
        samples,
        workloads,
        services,
        peerAuthentications,
        destinationRules,
        policies: { namespace: consolePolicyOf(policyNamed(namespace, NAMESPACE_POLICY_NAME)), workloads: workloadPolicies },
      });
    }),
    workloadsWithoutProxy: workloads.filter((workload) => workload.application && !workload.hasProxy).map(({ namespace, name }) => ({ namespace, name })),
    meshPolicyReadable: meshPolicies.readable,
  };
}
