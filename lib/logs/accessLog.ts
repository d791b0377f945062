/**
 * Envoy access-log lines, as Istio's sidecars write them, parsed into the columns the log table
 * shows. Two encodings (MeshConfig `accessLogEncoding`,
 * https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/#MeshConfig-AccessLogEncoding):
 *
 * - TEXT, Istio's default format (`EnvoyTextLogFormat` in istio/istio `pilot/pkg/model/telemetry_logging.go`,
 *   shown at https://istio.io/latest/docs/tasks/observability/logs/access-log/):
 *   `[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE%
 *   %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS%
 *   "%UPSTREAM_TRANSPORT_FAILURE_REASON%" %BYTES_RECEIVED% %BYTES_SENT% %DURATION%
 *   %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%"
 *   "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%" %UPSTREAM_CLUSTER_RAW%
 *   %UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS%
 *   %REQUESTED_SERVER_NAME% %ROUTE_NAME%`. Envoy writes `-` for a value that is not set. Older
 *   Istio releases lack the two "details" fields; the parser accepts any number of unquoted fields
 *   between the flags and the quoted transport failure reason, and ignores what follows the cluster.
 * - JSON, Istio's default keys (the same operators, named `start_time`, `method`, `path`,
 *   `protocol`, `response_code`, `response_flags`, `upstream_cluster`, `upstream_host`, `duration`,
 *   `authority`, …). Envoy writes numbers for numeric operators and null for unset ones.
 *
 * A line that is neither stays plain text (`parseAccessLogLine` answers null).
 */
import { z } from "zod";
import { namespaceOfServiceHost } from "@/lib/istio/host";
import { splitResponseFlags } from "./responseFlags";

export interface UpstreamCluster {
  /** `outbound|9080|v1|reviews.bookinfo.svc.cluster.local`: the proxy called out; `inbound|…`: it received. */
  direction: "inbound" | "outbound";
  port: number | null;
  subset: string | null;
  /** The host part: a Service's FQDN for outbound, often empty for inbound. */
  host: string | null;
  /** The Kubernetes Service the host names, when it is `name.namespace.svc.cluster.local`. */
  service: { name: string; namespace: string } | null;
}

export interface AccessLogEntry {
  encoding: "text" | "json";
  startTime: string | null;
  method: string | null;
  path: string | null;
  protocol: string | null;
  /** 0 means Envoy never sent a response (the caller went away); null when absent (TCP). */
  responseCode: number | null;
  responseFlags: string[];
  responseCodeDetails: string | null;
  durationMs: number | null;
  requestId: string | null;
  authority: string | null;
  upstreamHost: string | null;
  upstreamClusterName: string | null;
  upstreamCluster: UpstreamCluster | null;
}

function unset(value: string | null | undefined): string | null {
  return value === undefined || value === null || value === "" || value === "-" ? null : value;
}

function numberOrNull(value: string | number | null | undefined): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  const text = unset(value);
  if (text === null || !/^-?\d+(\.\d+)?$/.test(text)) return null;
  return Number(text);
}

/**
 * Istio's cluster names: `direction|port|subset|host` (istio/istio `pkg/config/model` BuildSubsetKey).
 * Other clusters (`PassthroughCluster`, `BlackHoleCluster`, `InboundPassthroughCluster…`) are kept by
 * name only.
 */
export function parseUpstreamCluster(name: string | null): UpstreamCluster | null {
  if (!name) return null;
  const parts = name.split("|");
  if (parts.length !== 4) return null;
  const [direction, port, subset, host] = parts as [string, string, string, string];
  if (direction !== "inbound" && direction !== "outbound") return null;
  const hostName = unset(host);
  const namespace = hostName ? namespaceOfServiceHost(hostName) : undefined;
  return {
    direction,
    port: numberOrNull(port),
    subset: unset(subset),
    host: hostName,
    service: hostName && namespace ? { name: hostName.split(".")[0] as string, namespace } : null,
  };
}

// `[start] "METHOD PATH PROTOCOL" CODE FLAGS <unquoted fields…> "transport failure" IN OUT DURATION
// SERVICE_TIME "xff" "user agent" "request id" "authority" "upstream host" CLUSTER …`
const TEXT_LINE =
  /^\[(?<start>[^\]]+)\] "(?<method>\S+) (?<path>.*?) (?<protocol>[^\s"]+)" (?<code>\d+|-) (?<flags>\S+)(?<between>(?: [^\s"]+)*) "(?<transportFailure>[^"]*)" (?<bytesIn>\S+) (?<bytesOut>\S+) (?<duration>\S+) (?<serviceTime>\S+) "(?<forwardedFor>[^"]*)" "(?<userAgent>[^"]*)" "(?<requestId>[^"]*)" "(?<authority>[^"]*)" "(?<upstreamHost>[^"]*)" (?<cluster>\S+)(?: .*)?$/;

/** The operators the table shows, as the line wrote them (a string, a number, `-`, null or absent). */
interface RawFields {
  start: string | null | undefined;
  method: string | null | undefined;
  path: string | null | undefined;
  protocol: string | null | undefined;
  code: string | number | null | undefined;
  flags: string | null | undefined;
  details: string | null | undefined;
  duration: string | number | null | undefined;
  requestId: string | null | undefined;
  authority: string | null | undefined;
  upstreamHost: string | null | undefined;
  cluster: string | null | undefined;
}

function toEntry(encoding: AccessLogEntry["encoding"], raw: RawFields): AccessLogEntry {
  const clusterName = unset(raw.cluster);
  return {
    encoding,
    startTime: unset(raw.start),
    method: unset(raw.method),
    path: unset(raw.path),
    protocol: unset(raw.protocol),
    responseCode: numberOrNull(raw.code),
    responseFlags: splitResponseFlags(raw.flags),
    responseCodeDetails: unset(raw.details),
    durationMs: numberOrNull(raw.duration),
    requestId: unset(raw.requestId),
    authority: unset(raw.authority),
    upstreamHost: unset(raw.upstreamHost),
    upstreamClusterName: clusterName,
    upstreamCluster: parseUpstreamCluster(clusterName),
  };
}

function parseText(line: string): AccessLogEntry | null {
  const groups = TEXT_LINE.exec(line)?.groups;
  if (!groups) return null;
  const between = (groups.between ?? "").trim().split(" ").filter(Boolean);
  return toEntry("text", {
    start: groups.start,
    method: groups.method,
    path: groups.path,
    protocol: groups.protocol,
    code: groups.code,
    flags: groups.flags,
    details: between[0],
    duration: groups.duration,
    requestId: groups.requestId,
    authority: groups.authority,
    upstreamHost: groups.upstreamHost,
    cluster: groups.cluster,
  });
}

const jsonText = z.string().nullish();
const jsonNumber = z.union([z.number(), z.string()]).nullish();

/** Istio's JSON keys; only what the table shows is read, everything else is allowed and ignored. */
const jsonLineSchema = z.object({
  start_time: jsonText,
  method: jsonText,
  path: jsonText,
  protocol: jsonText,
  response_code: jsonNumber,
  response_flags: jsonText,
  response_code_details: jsonText,
  duration: jsonNumber,
  request_id: jsonText,
  authority: jsonText,
  upstream_host: jsonText,
  upstream_cluster: jsonText,
});

function parseJson(line: string): AccessLogEntry | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  const parsed = jsonLineSchema.safeParse(value);
  if (!parsed.success) return null;
  const fields = parsed.data;
  // An application's own JSON log is not an access log: ask for the fields every access-log line has.
  if (fields.start_time === undefined || fields.response_code === undefined || (fields.upstream_cluster === undefined && fields.method === undefined)) return null;
  return toEntry("json", {
    start: fields.start_time,
    method: fields.method,
    path: fields.path,
    protocol: fields.protocol,
    code: fields.response_code,
    flags: fields.response_flags,
    details: fields.response_code_details,
    duration: fields.duration,
    requestId: fields.request_id,
    authority: fields.authority,
    upstreamHost: fields.upstream_host,
    cluster: fields.upstream_cluster,
  });
}

/** One log line (without the Kubernetes timestamp prefix) as an access-log entry, or null for any other line. */
export function parseAccessLogLine(line: string): AccessLogEntry | null {
  const text = line.trim();
  if (text.startsWith("[")) return parseText(text);
  if (text.startsWith("{")) return parseJson(text);
  return null;
}

