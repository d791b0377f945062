/**
 * One Envoy access-log entry and the two encodings Istio configures for `istio-proxy`: the
 * default TEXT format and the JSON one (MeshConfig `accessLogEncoding: JSON`). Field order and
 * names follow Istio's EnvoyTextLogFormat / EnvoyJSONLogFormatIstio.
 * https://istio.io/latest/docs/tasks/observability/logs/access-log/#default-access-log-format
 * https://github.com/istio/istio/blob/master/pilot/pkg/model/telemetry_logging.go
 */

export interface AccessLogEntry {
  startMs: number;
  method: string;
  path: string;
  /** `HTTP/1.1`, `HTTP/2`. */
  protocol: string;
  /** 0 when no response was sent (e.g. the downstream went away, flag DC). */
  responseCode: number;
  /** Envoy's short flags (`-`, `FI`, `NR`, `UH`, `UF`, `UT`, `URX`, `DC`, `UC`…). */
  responseFlags: string;
  responseCodeDetails: string;
  bytesReceived: number;
  bytesSent: number;
  durationMs: number;
  /** x-envoy-upstream-service-time; absent for local replies. */
  upstreamServiceTimeMs?: number;
  xForwardedFor?: string;
  userAgent?: string;
  requestId: string;
  authority: string;
  upstreamHost?: string;
  /** `outbound|9080|v1|reviews.bookinfo.svc.cluster.local`, `inbound|9080||`; absent without a route. */
  upstreamCluster?: string;
  upstreamLocalAddress?: string;
  downstreamLocalAddress: string;
  downstreamRemoteAddress: string;
  requestedServerName?: string;
  routeName?: string;
  connectionTerminationDetails?: string;
  upstreamTransportFailureReason?: string;
}

export type AccessLogEncoding = "TEXT" | "JSON";

/**
 * %RESPONSE_CODE_DETAILS% for the outcomes the simulator produces: what Envoy writes when it
 * answers itself, `via_upstream` when the answer came from the upstream.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_conn_man/response_code_details
 */
export function responseCodeDetails(responseCode: number, responseFlags: string): string {
  switch (responseFlags) {
    case "FI":
      return "fault_filter_abort";
    case "NR":
      return "route_not_found";
    case "UH":
      return "no_healthy_upstream";
    case "UF":
      return "upstream_reset_before_response_started{connection_failure}";
    case "UC":
      return "upstream_reset_before_response_started{connection_termination}";
    case "UT":
      return "upstream_response_timeout";
    case "DC":
      return "downstream_remote_disconnect";
    default:
      return responseCode === 0 ? "-" : "via_upstream";
  }
}

/** Whether Envoy itself produced the response, so no upstream answered (no upstream service time). */
export function isLocalReply(responseFlags: string): boolean {
  return ["FI", "NR", "UH", "UF", "UC", "UT", "DC"].includes(responseFlags);
}

/** Envoy's cluster names as istiod builds them: `outbound|PORT|SUBSET|HOST`, `inbound|PORT||`. */
export function outboundCluster(port: number, subset: string | undefined, host: string): string {
  return `outbound|${port}|${subset ?? ""}|${host}`;
}

export function inboundCluster(port: number): string {
  return `inbound|${port}||`;
}

/** Envoy's default %START_TIME% format: `%Y-%m-%dT%H:%M:%S.%3fZ`, UTC. */
export function formatStartTime(ms: number): string {
  return new Date(ms).toISOString();
}

const dash = (value: string | number | undefined): string => (value === undefined || value === "" ? "-" : String(value));

/** Istio's default TEXT format, without the trailing newline (the container runtime's line). */
export function formatAccessLogText(entry: AccessLogEntry): string {
  return (
    `[${formatStartTime(entry.startMs)}] "${entry.method} ${entry.path} ${entry.protocol}" ${entry.responseCode} ${entry.responseFlags} ` +
    `${entry.responseCodeDetails} ${dash(entry.connectionTerminationDetails)} "${dash(entry.upstreamTransportFailureReason)}" ` +
    `${entry.bytesReceived} ${entry.bytesSent} ${Math.round(entry.durationMs)} ${dash(entry.upstreamServiceTimeMs === undefined ? undefined : Math.round(entry.upstreamServiceTimeMs))} ` +
    `"${dash(entry.xForwardedFor)}" "${dash(entry.userAgent)}" "${entry.requestId}" "${entry.authority}" "${dash(entry.upstreamHost)}" ` +
    `${dash(entry.upstreamCluster)} ${dash(entry.upstreamLocalAddress)} ${entry.downstreamLocalAddress} ${entry.downstreamRemoteAddress} ` +
    `${dash(entry.requestedServerName)} ${dash(entry.routeName)}`
  );
}

/**
 * Istio's JSON format: Envoy writes numbers for the numeric operators, `null` for unset values,
 * and x-envoy-upstream-service-time as the header's string. Keys in alphabetical order.
 */
export function formatAccessLogJson(entry: AccessLogEntry): string {
  const orNull = (value: string | undefined) => (value === undefined || value === "" ? null : value);
  const record: Record<string, string | number | null> = {
    authority: entry.authority,
    bytes_received: entry.bytesReceived,
    bytes_sent: entry.bytesSent,
    connection_termination_details: orNull(entry.connectionTerminationDetails),
    downstream_local_address: entry.downstreamLocalAddress,
    downstream_remote_address: entry.downstreamRemoteAddress,
    duration: Math.round(entry.durationMs),
    method: entry.method,
    path: entry.path,
    protocol: entry.protocol,
    request_id: entry.requestId,
    requested_server_name: orNull(entry.requestedServerName),
    response_code: entry.responseCode,
    response_code_details: entry.responseCodeDetails,
    response_flags: entry.responseFlags,
    route_name: orNull(entry.routeName),
    start_time: formatStartTime(entry.startMs),
    upstream_cluster: orNull(entry.upstreamCluster),
    upstream_host: orNull(entry.upstreamHost),
    upstream_local_address: orNull(entry.upstreamLocalAddress),
    upstream_service_time: entry.upstreamServiceTimeMs === undefined ? null : String(Math.round(entry.upstreamServiceTimeMs)),
    upstream_transport_failure_reason: orNull(entry.upstreamTransportFailureReason),
    user_agent: orNull(entry.userAgent),
    x_forwarded_for: orNull(entry.xForwardedFor),
  };
  return JSON.stringify(record);
}

export function formatAccessLog(entry: AccessLogEntry, encoding: AccessLogEncoding): string {
  return encoding === "JSON" ? formatAccessLogJson(entry) : formatAccessLogText(entry);
}
