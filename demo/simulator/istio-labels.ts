/**
 * Istio's standard metrics, their label sets and default buckets, written down once.
 * https://istio.io/latest/docs/reference/config/metrics/
 */

/** Labels every standard HTTP/gRPC request metric carries, in Istio's order. */
export const HTTP_STANDARD_LABELS = [
  "reporter",
  "source_workload",
  "source_workload_namespace",
  "source_principal",
  "source_app",
  "source_version",
  "source_canonical_service",
  "source_canonical_revision",
  "source_cluster",
  "destination_workload",
  "destination_workload_namespace",
  "destination_principal",
  "destination_app",
  "destination_version",
  "destination_service",
  "destination_service_name",
  "destination_service_namespace",
  "destination_canonical_service",
  "destination_canonical_revision",
  "destination_cluster",
  "request_protocol",
  "response_code",
  "grpc_response_status",
  "response_flags",
  "connection_security_policy",
] as const;

/** TCP metrics carry the same peer labels but no response code or gRPC status. */
export const TCP_STANDARD_LABELS = HTTP_STANDARD_LABELS.filter(
  (label) => label !== "response_code" && label !== "grpc_response_status",
);

export type HttpLabelName = (typeof HTTP_STANDARD_LABELS)[number];
export type IstioLabels = Record<HttpLabelName, string>;

/** Istio's default buckets for istio_request_duration_milliseconds. */
export const DURATION_BUCKETS_MS = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000,
  3600000,
] as const;

/**
 * Istio's default buckets for istio_request_bytes / istio_response_bytes: exponential,
 * scale 1, growth factor 10, from 1 byte to 10^8 bytes.
 */
export const BYTE_BUCKETS = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000] as const;

export const HTTP_METRICS = {
  requests: "istio_requests_total",
  duration: "istio_request_duration_milliseconds",
  requestBytes: "istio_request_bytes",
  responseBytes: "istio_response_bytes",
} as const;

export const TCP_METRICS = {
  sentBytes: "istio_tcp_sent_bytes_total",
  receivedBytes: "istio_tcp_received_bytes_total",
  connectionsOpened: "istio_tcp_connections_opened_total",
  connectionsClosed: "istio_tcp_connections_closed_total",
} as const;

/** Istio's default cluster name when none is configured (values.global.multiCluster.clusterName). */
export const DEFAULT_CLUSTER = "Kubernetes";

/** What Istio writes for a peer attribute it could not learn. */
export const UNKNOWN = "unknown";

/** SPIFFE identity of a workload's service account under Istio's default trust domain. */
export function spiffePrincipal(namespace: string, serviceAccount: string): string {
  return `spiffe://cluster.local/ns/${namespace}/sa/${serviceAccount}`;
}
