import { describe, expect, it } from "vitest";
import { parseAccessLogLine, parseUpstreamCluster, type AccessLogEntry } from "./accessLog";

type Expected = Partial<AccessLogEntry>;

// Lines in Istio's default TEXT format, as a sidecar writes them (fields: see the module comment).
const TEXT_CASES: { name: string; line: string; expected: Expected }[] = [
  {
    name: "a successful outbound call",
    line: '[2026-12-07T03:10:11.123Z] "GET /reviews/0 HTTP/1.1" 200 - via_upstream - "-" 0 358 12 11 "-" "Mozilla/5.0" "4bc9a2b1-8f0e-9a4c-a7c3-1d8f6e1e0f21" "reviews:9080" "10.244.0.17:9080" outbound|9080|v1|reviews.bookinfo.svc.cluster.local 10.244.0.12:50238 10.96.14.3:9080 10.244.0.12:41320 - default',
    expected: {
      encoding: "text",
      startTime: "2026-12-07T03:10:11.123Z",
      method: "GET",
      path: "/reviews/0",
      protocol: "HTTP/1.1",
      responseCode: 200,
      responseFlags: [],
      responseCodeDetails: "via_upstream",
      durationMs: 12,
      requestId: "4bc9a2b1-8f0e-9a4c-a7c3-1d8f6e1e0f21",
      authority: "reviews:9080",
      upstreamHost: "10.244.0.17:9080",
      upstreamClusterName: "outbound|9080|v1|reviews.bookinfo.svc.cluster.local",
      upstreamCluster: { direction: "outbound", port: 9080, subset: "v1", host: "reviews.bookinfo.svc.cluster.local", service: { name: "reviews", namespace: "bookinfo" } },
    },
  },
  {
    name: "an abort injected by a VirtualService fault",
    line: '[2026-12-07T03:10:12.000Z] "GET /ratings/0 HTTP/1.1" 503 FI fault_filter_abort - "-" 0 18 0 - "-" "Mozilla/5.0" "0a1b" "ratings:9080" "-" outbound|9080||ratings.bookinfo.svc.cluster.local - 10.96.20.1:9080 10.244.0.17:40012 - -',
    expected: { responseCode: 503, responseFlags: ["FI"], responseCodeDetails: "fault_filter_abort", durationMs: 0, upstreamHost: null, upstreamCluster: { direction: "outbound", port: 9080, subset: null, host: "ratings.bookinfo.svc.cluster.local", service: { name: "ratings", namespace: "bookinfo" } } },
  },
  {
    name: "several flags, no healthy upstream and the retry limit",
    line: '[2026-12-07T03:10:13.5Z] "POST /api/v1/orders HTTP/2" 503 UH,URX no_healthy_upstream - "-" 120 19 3 - "-" "grpc-go/1.60" "id-1" "orders.shop:8080" "-" outbound|8080||orders.shop.svc.cluster.local - 10.96.1.1:8080 10.244.1.5:33000 - default',
    expected: { method: "POST", path: "/api/v1/orders", protocol: "HTTP/2", responseFlags: ["UH", "URX"], upstreamCluster: { direction: "outbound", port: 8080, subset: null, host: "orders.shop.svc.cluster.local", service: { name: "orders", namespace: "shop" } } },
  },
  {
    name: "an inbound request the local app answered",
    line: '[2026-12-07T03:10:14.000Z] "GET /productpage HTTP/1.1" 200 - via_upstream - "-" 0 5183 48 47 "10.0.0.1" "curl/8.5.0" "id-2" "productpage.bookinfo:9080" "10.244.0.9:9080" inbound|9080|| 127.0.0.6:51903 10.244.0.9:9080 10.244.0.3:37770 outbound_.9080_._.productpage.bookinfo.svc.cluster.local default',
    expected: { responseCode: 200, durationMs: 48, upstreamCluster: { direction: "inbound", port: 9080, subset: null, host: null, service: null } },
  },
  {
    name: "the caller went away before a response (code 0, DC)",
    line: '[2026-12-07T03:10:15.000Z] "GET /slow HTTP/1.1" 0 DC downstream_remote_disconnect - "-" 0 0 30001 - "-" "curl/8.5.0" "id-3" "slow:80" "10.244.0.20:80" outbound|80||slow.default.svc.cluster.local 10.244.0.12:50000 10.96.0.50:80 10.244.0.12:41000 - default',
    expected: { responseCode: 0, responseFlags: ["DC"], durationMs: 30001 },
  },
  {
    name: "a TCP connection (no method, path or code)",
    line: '[2026-12-07T03:10:16.000Z] "- - -" 0 - - - "-" 1530 12840 23001 - "-" "-" "-" "-" "10.244.0.30:3306" outbound|3306||mysql.db.svc.cluster.local 10.244.0.12:40222 10.96.3.3:3306 10.244.0.12:40220 - -',
    expected: { method: null, path: null, protocol: null, responseCode: 0, responseFlags: [], requestId: null, authority: null, upstreamHost: "10.244.0.30:3306" },
  },
  {
    name: "an older Istio format without the two details fields",
    line: '[2020-11-25T21:26:18.409Z] "GET /status/418 HTTP/1.1" 418 - "-" 0 135 4 4 "-" "curl/7.73.0-DEV" "84961386" "httpbin:8000" "10.44.1.27:80" outbound|8000||httpbin.foo.svc.cluster.local 10.44.1.23:37652 10.0.45.184:8000 10.44.1.23:46520 - default',
    expected: { responseCode: 418, responseCodeDetails: null, durationMs: 4, upstreamCluster: { direction: "outbound", port: 8000, subset: null, host: "httpbin.foo.svc.cluster.local", service: { name: "httpbin", namespace: "foo" } } },
  },
  {
    name: "a path with a query string and an unknown-to-us cluster name",
    line: '[2026-12-07T03:10:17.000Z] "GET /search?q=a%20b&page=2 HTTP/1.1" 404 NR route_not_found - "-" 0 0 0 - "-" "curl" "id-4" "api.example.com" "-" PassthroughCluster - - 10.244.0.12:1 - -',
    expected: { path: "/search?q=a%20b&page=2", responseCode: 404, responseFlags: ["NR"], upstreamClusterName: "PassthroughCluster", upstreamCluster: null },
  },
];

// Lines in Istio's JSON encoding (accessLogEncoding: JSON).
const JSON_CASES: { name: string; line: string; expected: Expected }[] = [
  {
    name: "numbers as numbers, unset values as null",
    line: JSON.stringify({
      start_time: "2026-12-07T03:10:18.000Z",
      method: "GET",
      path: "/ratings/0",
      protocol: "HTTP/1.1",
      response_code: 503,
      response_flags: "FI",
      response_code_details: "fault_filter_abort",
      connection_termination_details: null,
      bytes_received: 0,
      bytes_sent: 18,
      duration: 0,
      upstream_service_time: null,
      x_forwarded_for: null,
      user_agent: "Mozilla/5.0",
      request_id: "id-5",
      authority: "ratings:9080",
      upstream_host: null,
      upstream_cluster: "outbound|9080||ratings.bookinfo.svc.cluster.local",
      route_name: "default",
    }),
    expected: { encoding: "json", method: "GET", responseCode: 503, responseFlags: ["FI"], durationMs: 0, upstreamHost: null, requestId: "id-5", upstreamCluster: { direction: "outbound", port: 9080, subset: null, host: "ratings.bookinfo.svc.cluster.local", service: { name: "ratings", namespace: "bookinfo" } } },
  },
  {
    name: "numbers written as strings and '-' for unset",
    line: '{"start_time":"2026-12-07T03:10:19.000Z","method":"GET","path":"/","protocol":"HTTP/2","response_code":"200","response_flags":"-","duration":"7","upstream_host":"10.244.0.9:9080","upstream_cluster":"inbound|9080||","authority":"productpage:9080"}',
    expected: { responseCode: 200, responseFlags: [], durationMs: 7, upstreamHost: "10.244.0.9:9080", upstreamCluster: { direction: "inbound", port: 9080, subset: null, host: null, service: null } },
  },
];

const PLAIN_LINES: { name: string; line: string }[] = [
  { name: "an application's own log line", line: "INFO 2026-12-07 03:10:20 reviews: served 3 reviews" },
  { name: "istio-proxy's own log", line: "2026-12-07T03:10:21.000000Z\tinfo\txdsproxy\tconnected to upstream XDS server: istiod.istio-system.svc:15012" },
  { name: "an application's JSON log", line: '{"level":"info","msg":"started","time":"2026-12-07T03:10:22Z"}' },
  { name: "broken JSON", line: '{"start_time": "2026-12-07T03:10:22Z", "response_code": 200' },
  { name: "a bracketed line that is not Envoy's", line: "[main] starting worker 3" },
  { name: "an empty line", line: "" },
];

describe("parseAccessLogLine", () => {
  it.each(TEXT_CASES)("reads Istio's text format: $name", ({ line, expected }) => {
    const entry = parseAccessLogLine(line);
    expect(entry).not.toBeNull();
    expect(entry).toMatchObject(expected);
  });

  it.each(JSON_CASES)("reads Istio's JSON format: $name", ({ line, expected }) => {
    const entry = parseAccessLogLine(line);
    expect(entry).not.toBeNull();
    expect(entry).toMatchObject(expected);
  });

  it.each(PLAIN_LINES)("leaves other lines as plain text: $name", ({ line }) => {
    expect(parseAccessLogLine(line)).toBeNull();
  });
});

describe("parseUpstreamCluster", () => {
  it.each([
    ["outbound|9080|v2|reviews.bookinfo.svc.cluster.local", { direction: "outbound", port: 9080, subset: "v2", service: { name: "reviews", namespace: "bookinfo" } }],
    ["outbound|443||api.example.com", { direction: "outbound", port: 443, subset: null, host: "api.example.com", service: null }],
    ["inbound|8080||", { direction: "inbound", port: 8080, host: null, service: null }],
  ])("%s", (name, expected) => {
    expect(parseUpstreamCluster(name)).toMatchObject(expected);
  });

  it.each(["PassthroughCluster", "BlackHoleCluster", "sideways|1||x", "", null])("is null for %s", (name) => {
    expect(parseUpstreamCluster(name)).toBeNull();
  });
});
