/**
 * Envoy's response flags (`%RESPONSE_FLAGS%` in an access-log line): the one catalogue of what each
 * short code means, for the log table's tooltips and the graph links. Codes, names and meanings
 * follow Envoy's access-log documentation
 * (https://www.envoyproxy.io/docs/envoy/latest/configuration/observability/access_log/usage#command-operators,
 * "%RESPONSE_FLAGS%"); `edge` says what the flag tells about the edge from this proxy to its
 * upstream, in the mesh's terms, and what to look at next. Envoy joins several flags with ",".
 */

export interface ResponseFlag {
  /** The short code Envoy writes: `UH`, `URX`, … */
  code: string;
  /** Envoy's long name (`%RESPONSE_FLAGS_LONG%`). */
  name: string;
  /** What Envoy did, in one sentence. */
  meaning: string;
  /** What it means for this edge and where to look. */
  edge: string;
}

const CATALOGUE: readonly ResponseFlag[] = [
  { code: "UH", name: "NoHealthyUpstream", meaning: "No healthy upstream host in the upstream cluster (503).", edge: "Every endpoint of the destination is down or ejected: check the destination's pods and outlier detection in its DestinationRule." },
  { code: "UF", name: "UpstreamConnectionFailure", meaning: "The connection to the upstream failed (503).", edge: "The destination's pod did not accept the connection: a wrong port, a crashed container or an mTLS mismatch." },
  { code: "UO", name: "UpstreamOverflow", meaning: "Upstream overflow: circuit breaking refused the request (503).", edge: "The DestinationRule's connection pool limits were reached on this edge." },
  { code: "NR", name: "NoRouteFound", meaning: "No route configured for the request (404), or no matching filter chain for a connection.", edge: "No VirtualService route or listener matches this host and path." },
  { code: "URX", name: "UpstreamRetryLimitExceeded", meaning: "The upstream retry limit (HTTP) or maximum connect attempts (TCP) was reached.", edge: "Every retry the VirtualService allows failed: look at the destination's errors." },
  { code: "NC", name: "NoClusterFound", meaning: "The upstream cluster was not found.", edge: "The route points at a host or subset Envoy does not know: check the DestinationRule's subsets." },
  { code: "DT", name: "DurationTimeout", meaning: "The request or connection exceeded its maximum duration.", edge: "A max duration on this route or connection ended it." },
  { code: "DC", name: "DownstreamConnectionTermination", meaning: "The downstream (calling) connection was closed before the response.", edge: "The caller gave up, often because its own timeout fired while this edge was slow." },
  { code: "LH", name: "FailedLocalHealthCheck", meaning: "The local service failed its health check (503).", edge: "This workload's own container is failing its health check." },
  { code: "UT", name: "UpstreamRequestTimeout", meaning: "The upstream request timed out (504).", edge: "The destination did not answer within the VirtualService's timeout." },
  { code: "LR", name: "LocalReset", meaning: "The connection was reset locally (503).", edge: "Envoy reset the stream itself, e.g. on a protocol error or an overloaded proxy." },
  { code: "UR", name: "UpstreamRemoteReset", meaning: "The upstream reset the connection (503).", edge: "The destination closed the stream mid-request: look at its container's log." },
  { code: "UC", name: "UpstreamConnectionTermination", meaning: "The upstream connection was terminated (503).", edge: "The destination closed the connection, often an idle-timeout mismatch." },
  { code: "DI", name: "DelayInjected", meaning: "The request was delayed by fault injection.", edge: "A VirtualService on this route injects a delay (fault.delay)." },
  { code: "FI", name: "FaultInjected", meaning: "The request was aborted by fault injection with the configured status.", edge: "A VirtualService on this route injects an abort (fault.abort): these failures are configured, not real." },
  { code: "RL", name: "RateLimited", meaning: "The request was rate limited locally (429).", edge: "A local rate limit on this proxy refused the request." },
  { code: "UAEX", name: "UnauthorizedExternalService", meaning: "The external authorization service denied the request.", edge: "An AuthorizationPolicy with a CUSTOM action (ext_authz) refused it." },
  { code: "RLSE", name: "RateLimitServiceError", meaning: "The rate limit service failed, and the request was rejected.", edge: "The rate limit service did not answer; requests are refused while it is down." },
  { code: "IH", name: "InvalidEnvoyRequestHeaders", meaning: "The request carried invalid x-envoy-* headers (400).", edge: "The caller sent malformed x-envoy-* headers." },
  { code: "SI", name: "StreamIdleTimeout", meaning: "The stream idle timeout fired (408 or 504).", edge: "Nothing moved on the stream for the idle timeout." },
  { code: "DPE", name: "DownstreamProtocolError", meaning: "The downstream request had an HTTP protocol error.", edge: "The caller spoke broken HTTP to this proxy." },
  { code: "UPE", name: "UpstreamProtocolError", meaning: "The upstream response had an HTTP protocol error.", edge: "The destination answered broken HTTP, often the wrong protocol for the port's name." },
  { code: "UMSDR", name: "UpstreamMaxStreamDurationReached", meaning: "The upstream request reached its maximum stream duration.", edge: "A max stream duration on this cluster ended the request." },
  { code: "RFCF", name: "ResponseFromCacheFilter", meaning: "The response was served from Envoy's cache.", edge: "Not a failure: the cache answered." },
  { code: "NFCF", name: "NoFilterConfigFound", meaning: "No filter configuration could be fetched from the discovery service (500).", edge: "istiod did not deliver an extension's configuration." },
  { code: "OM", name: "OverloadManagerTerminated", meaning: "The overload manager terminated the request.", edge: "This proxy is overloaded (memory or connections)." },
  { code: "DF", name: "DnsResolutionFailed", meaning: "DNS resolution of the upstream failed.", edge: "The destination's host name does not resolve: check its ServiceEntry." },
  { code: "DO", name: "DropOverload", meaning: "The request was dropped by the drop-overload policy.", edge: "The destination's load assignment asked Envoy to drop this share of requests." },
  { code: "DR", name: "DownstreamRemoteReset", meaning: "The downstream reset the stream.", edge: "The caller reset the stream before it finished." },
  { code: "UDO", name: "UnconditionalDropOverload", meaning: "The request was dropped unconditionally by the drop-overload policy.", edge: "All requests to the destination are being dropped." },
];

const BY_CODE: ReadonlyMap<string, ResponseFlag> = new Map(CATALOGUE.map((flag) => [flag.code, flag]));

export function allResponseFlags(): readonly ResponseFlag[] {
  return CATALOGUE;
}

/** The catalogue entry for a short code; undefined for a code this console does not know (a newer Envoy). */
export function responseFlag(code: string): ResponseFlag | undefined {
  return BY_CODE.get(code);
}

/** `"UH,URX"` → ["UH", "URX"]; `-` (Envoy's "not set") and empty → []. */
export function splitResponseFlags(value: string | null | undefined): string[] {
  if (!value || value === "-") return [];
  return value
    .split(",")
    .map((code) => code.trim())
    .filter((code) => code !== "" && code !== "-");
}

/** A flag as a person reads it: `FI: The request was aborted by fault injection …`; unknown codes say so. */
export function describeResponseFlag(code: string): string {
  const flag = responseFlag(code);
  return flag ? `${flag.code} (${flag.name}): ${flag.meaning} ${flag.edge}` : `${code}: a response flag this console does not know; see Envoy's access-log documentation`;
}
