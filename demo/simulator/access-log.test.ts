import { describe, expect, it } from "vitest";
import { formatAccessLogJson, formatAccessLogText, inboundCluster, isLocalReply, outboundCluster, responseCodeDetails, type AccessLogEntry } from "./access-log";

const START = Date.parse("2025-01-02T03:04:05.678Z");
const REVIEWS = "reviews.bookinfo.svc.cluster.local";

/** productpage's sidecar calling reviews v1, the way the sampler fills an entry. */
function outbound(code: number, flags: string, overrides: Partial<AccessLogEntry> = {}): AccessLogEntry {
  const local = isLocalReply(flags);
  return {
    startMs: START,
    method: "GET",
    path: "/reviews/0",
    protocol: "HTTP/1.1",
    responseCode: code,
    responseFlags: flags,
    responseCodeDetails: responseCodeDetails(code, flags),
    bytesReceived: 0,
    bytesSent: local ? 19 : 358,
    durationMs: 12.4,
    ...(local ? {} : { upstreamServiceTimeMs: 11.6, upstreamHost: "10.244.0.12:9080", upstreamLocalAddress: "10.244.0.9:41234" }),
    userAgent: "Go-http-client/1.1",
    requestId: "4a7b0c2e-1d3f-4e5a-9b8c-0123456789ab",
    authority: "reviews:9080",
    ...(flags === "NR" ? {} : { upstreamCluster: outboundCluster(9080, "v1", REVIEWS) }),
    downstreamLocalAddress: "10.96.0.20:9080",
    downstreamRemoteAddress: "10.244.0.9:51000",
    routeName: "default",
    ...overrides,
  };
}

const PREFIX = '[2025-01-02T03:04:05.678Z] "GET /reviews/0 HTTP/1.1"';
const TAIL_UPSTREAM = '"-" "Go-http-client/1.1" "4a7b0c2e-1d3f-4e5a-9b8c-0123456789ab" "reviews:9080" "10.244.0.12:9080"';
const TAIL_LOCAL = '"-" "Go-http-client/1.1" "4a7b0c2e-1d3f-4e5a-9b8c-0123456789ab" "reviews:9080" "-"';
const CLUSTER = `outbound|9080|v1|${REVIEWS}`;

describe("Istio's default TEXT access-log format", () => {
  it.each([
    ["200 via the upstream", 200, "-", `${PREFIX} 200 - via_upstream - "-" 0 358 12 12 ${TAIL_UPSTREAM} ${CLUSTER} 10.244.0.9:41234 10.96.0.20:9080 10.244.0.9:51000 - default`],
    ["500 from the app after retries", 500, "URX", `${PREFIX} 500 URX via_upstream - "-" 0 358 12 12 ${TAIL_UPSTREAM} ${CLUSTER} 10.244.0.9:41234 10.96.0.20:9080 10.244.0.9:51000 - default`],
    ["fault abort", 503, "FI", `${PREFIX} 503 FI fault_filter_abort - "-" 0 19 12 - ${TAIL_LOCAL} ${CLUSTER} - 10.96.0.20:9080 10.244.0.9:51000 - default`],
    ["no route (missing subset)", 503, "NR", `${PREFIX} 503 NR route_not_found - "-" 0 19 12 - ${TAIL_LOCAL} - - 10.96.0.20:9080 10.244.0.9:51000 - default`],
    ["no healthy upstream", 503, "UH", `${PREFIX} 503 UH no_healthy_upstream - "-" 0 19 12 - ${TAIL_LOCAL} ${CLUSTER} - 10.96.0.20:9080 10.244.0.9:51000 - default`],
    ["connection failure", 503, "UF", `${PREFIX} 503 UF upstream_reset_before_response_started{connection_failure} - "-" 0 19 12 - ${TAIL_LOCAL} ${CLUSTER} - 10.96.0.20:9080 10.244.0.9:51000 - default`],
    ["route timeout", 504, "UT", `${PREFIX} 504 UT upstream_response_timeout - "-" 0 19 12 - ${TAIL_LOCAL} ${CLUSTER} - 10.96.0.20:9080 10.244.0.9:51000 - default`],
  ])("%s", (_name, code, flags, line) => {
    expect(formatAccessLogText(outbound(code, flags))).toBe(line);
  });

  it("writes an inbound line with the inbound cluster and the mTLS SNI", () => {
    const line = formatAccessLogText(
      outbound(200, "-", {
        upstreamCluster: inboundCluster(9080),
        upstreamLocalAddress: "127.0.0.6:40000",
        downstreamLocalAddress: "10.244.0.12:9080",
        requestedServerName: `outbound_.9080_.v1_.${REVIEWS}`,
      }),
    );
    expect(line).toMatch(/ inbound\|9080\|\| 127\.0\.0\.6:40000 10\.244\.0\.12:9080 10\.244\.0\.9:51000 outbound_\.9080_\.v1_\.reviews\.bookinfo\.svc\.cluster\.local default$/);
  });
});

describe("Istio's JSON access-log format", () => {
  it("types numbers, leaves unset values null and keeps the upstream service time a string", () => {
    const json = JSON.parse(formatAccessLogJson(outbound(200, "-"))) as Record<string, unknown>;
    expect(json).toMatchObject({
      start_time: "2025-01-02T03:04:05.678Z",
      method: "GET",
      path: "/reviews/0",
      response_code: 200,
      response_flags: "-",
      response_code_details: "via_upstream",
      bytes_sent: 358,
      duration: 12,
      upstream_service_time: "12",
      upstream_cluster: CLUSTER,
      x_forwarded_for: null,
      requested_server_name: null,
    });
    expect(Object.keys(json)).toHaveLength(24);
    expect(JSON.parse(formatAccessLogJson(outbound(503, "FI")))).toMatchObject({ response_flags: "FI", upstream_service_time: null, upstream_host: null });
  });
});
