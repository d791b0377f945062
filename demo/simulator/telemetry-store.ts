/**
 * Istio's standard metrics for every simulated proxy, kept as plain counters and bucket arrays
 * and rendered in the Prometheus text format. prom-client's per-observation API would cost one
 * call per request; here a tick adds whole bucket counts at once.
 * https://prometheus.io/docs/instrumenting/exposition_formats/
 */
import {
  BYTE_BUCKETS,
  DEFAULT_CLUSTER,
  DURATION_BUCKETS_MS,
  HTTP_METRICS,
  HTTP_STANDARD_LABELS,
  TCP_METRICS,
  TCP_STANDARD_LABELS,
  UNKNOWN,
  spiffePrincipal,
  type HttpLabelName,
  type IstioLabels,
} from "./istio-labels";
import type { BucketSample } from "./latency";
import type { RequestProtocol, Workload } from "./mesh";
import { inMesh } from "./ambient";

/** `waypoint`: an ambient waypoint proxy reporting the requests it routed (Istio's reporter label). */
export type Reporter = "source" | "destination" | "waypoint";

/** The Service a request was addressed to (destination_service*). */
export interface ServiceRef {
  host: string;
  name: string;
  namespace: string;
}

export interface PeerReport {
  reporter: Reporter;
  /** Undefined: the peer is outside the mesh or was never reached (labels become `unknown`). */
  source: Workload | undefined;
  destination: Workload | undefined;
  service: ServiceRef;
  /** Istio mTLS was used on the connection; principals are only known then. */
  mutualTls: boolean;
  /** Reported by this node's ztunnel instead of an Envoy (ambient L4). */
  ztunnelNode?: string;
  /** The waypoint reporting (reporter `waypoint`); its own series, scraped from its pods. */
  waypoint?: Workload;
}

export interface HttpRecord extends PeerReport {
  protocol: Exclude<RequestProtocol, "tcp">;
  responseCode: number;
  responseFlags: string;
  count: number;
  duration: BucketSample;
  requestBytes?: BucketSample;
  responseBytes?: BucketSample;
  /** The DestinationRule subset the client routed to: part of Envoy's cluster name in access logs, not a metric label. */
  subset?: string;
  /**
   * %RESPONSE_CODE_DETAILS% when the reporting proxy answered itself for a reason its flags do not
   * say (an RBAC denial: `rbac_access_denied_matched_policy[…]`). Access logs only, not a metric label.
   */
  responseCodeDetails?: string;
}

export interface TcpRecord extends PeerReport {
  responseFlags: string;
  connections: number;
  sentBytes: number;
  receivedBytes: number;
}

interface HttpSeries {
  labels: string;
  /** The reporting proxy (reportingProxy()): whose pods' scrape targets carry the series. */
  owner: string;
  requests: number;
  durationCounts: Float64Array;
  durationSum: number;
  requestBytesCounts: Float64Array;
  requestBytesSum: number;
  responseBytesCounts: Float64Array;
  responseBytesSum: number;
  bytesCount: number;
}

interface TcpSeries {
  labels: string;
  owner: string;
  opened: number;
  closed: number;
  sent: number;
  received: number;
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

/**
 * The full standard label set for one report. `connection_security_policy` is known only to
 * the server side: the client reports `unknown`.
 */
export function istioLabels(report: PeerReport, protocol: RequestProtocol, responseCode: number | undefined, responseFlags: string): IstioLabels {
  const { destination, service } = report;
  // Without a reached destination there was no connection, so no identities were exchanged.
  // A waypoint's report is about the HBONE connection it accepted from the client, reached backend or not.
  const mutualTls = report.mutualTls && (destination !== undefined || report.reporter === "waypoint");
  // Peer labels come from Istio's metadata exchange (or ztunnel's workload discovery, for an ambient
  // client), which needs the source side in the mesh.
  const source = inMesh(report.source) ? report.source : undefined;
  const destinationName = destination?.name ?? UNKNOWN;
  return {
    reporter: report.reporter,
    source_workload: source?.name ?? UNKNOWN,
    source_workload_namespace: source?.namespace ?? UNKNOWN,
    source_principal: source && mutualTls ? spiffePrincipal(source.namespace, source.serviceAccount) : UNKNOWN,
    source_app: source?.app ?? UNKNOWN,
    source_version: source?.version ?? UNKNOWN,
    source_canonical_service: source?.canonicalService ?? UNKNOWN,
    source_canonical_revision: source?.canonicalRevision ?? UNKNOWN,
    source_cluster: source ? DEFAULT_CLUSTER : UNKNOWN,
    destination_workload: destinationName,
    destination_workload_namespace: destination?.namespace ?? UNKNOWN,
    destination_principal:
      destination && mutualTls ? spiffePrincipal(destination.namespace, destination.serviceAccount) : UNKNOWN,
    destination_app: destination?.app ?? UNKNOWN,
    destination_version: destination?.version ?? UNKNOWN,
    destination_service: service.host,
    destination_service_name: service.name,
    destination_service_namespace: service.namespace,
    destination_canonical_service: destination?.canonicalService ?? UNKNOWN,
    destination_canonical_revision: destination?.canonicalRevision ?? UNKNOWN,
    destination_cluster: destination ? DEFAULT_CLUSTER : UNKNOWN,
    request_protocol: protocol,
    response_code: responseCode === undefined ? "" : String(responseCode),
    grpc_response_status: protocol === "grpc" && responseCode !== undefined ? (responseCode === 200 ? "0" : "2") : "",
    response_flags: responseFlags,
    connection_security_policy: securityPolicy(report, mutualTls),
  };
}

/**
 * An Envoy client does not know the server's policy (`unknown`); ztunnel knows its HBONE tunnels are
 * mutual TLS on both sides, and knows no other policy than `unknown`.
 */
function securityPolicy(report: PeerReport, mutualTls: boolean): string {
  if (report.ztunnelNode !== undefined) return mutualTls ? "mutual_tls" : UNKNOWN;
  if (report.reporter === "source") return UNKNOWN;
  return mutualTls ? "mutual_tls" : "none";
}

/** Whose scrape target carries a report: `ztunnel@<node>` or the reporting proxy's workload key. */
export function reportingProxy(report: PeerReport): string | undefined {
  if (report.ztunnelNode !== undefined) return ztunnelOwner(report.ztunnelNode);
  if (report.reporter === "waypoint") return report.waypoint?.key;
  return (report.reporter === "source" ? report.source : report.destination)?.key;
}

export function ztunnelOwner(node: string): string {
  return `ztunnel@${node}`;
}

function renderLabels(labels: IstioLabels, names: readonly HttpLabelName[]): string {
  return names.map((name) => `${name}="${escapeLabelValue(labels[name])}"`).join(",");
}

function reportKey(report: PeerReport, extra: string): string {
  return `${report.reporter}\u0001${report.ztunnelNode ?? ""}\u0001${report.waypoint?.key ?? ""}\u0001${report.source?.key ?? ""}\u0001${report.destination?.key ?? ""}\u0001${report.service.host}\u0001${report.mutualTls ? 1 : 0}\u0001${extra}`;
}

const CHUNK_SIZE = 1 << 16;

export class TelemetryStore {
  private readonly http = new Map<string, HttpSeries>();
  private readonly tcp = new Map<string, TcpSeries>();
  private readonly httpByOwner = new Map<string, HttpSeries[]>();
  private readonly tcpByOwner = new Map<string, TcpSeries[]>();

  constructor(private readonly options: { byteHistograms: boolean } = { byteHistograms: true }) {}

  get seriesCount(): { http: number; tcp: number } {
    return { http: this.http.size, tcp: this.tcp.size };
  }

  recordHttp(record: HttpRecord): void {
    if (record.count <= 0) return;
    const key = reportKey(record, `${record.protocol}\u0001${record.responseCode}\u0001${record.responseFlags}`);
    let series = this.http.get(key);
    if (!series) {
      const labels = istioLabels(record, record.protocol, record.responseCode, record.responseFlags);
      series = {
        labels: renderLabels(labels, HTTP_STANDARD_LABELS),
        owner: reportingProxy(record) ?? UNKNOWN,
        requests: 0,
        durationCounts: new Float64Array(DURATION_BUCKETS_MS.length + 1),
        durationSum: 0,
        requestBytesCounts: new Float64Array(BYTE_BUCKETS.length + 1),
        requestBytesSum: 0,
        responseBytesCounts: new Float64Array(BYTE_BUCKETS.length + 1),
        responseBytesSum: 0,
        bytesCount: 0,
      };
      this.http.set(key, series);
      pushTo(this.httpByOwner, series.owner, series);
    }
    series.requests += record.count;
    addCounts(series.durationCounts, record.duration.counts);
    series.durationSum += record.duration.sum;
    if (this.options.byteHistograms && record.requestBytes && record.responseBytes) {
      addCounts(series.requestBytesCounts, record.requestBytes.counts);
      series.requestBytesSum += record.requestBytes.sum;
      addCounts(series.responseBytesCounts, record.responseBytes.counts);
      series.responseBytesSum += record.responseBytes.sum;
      series.bytesCount += record.count;
    }
  }

  recordTcp(record: TcpRecord): void {
    if (record.connections <= 0) return;
    const key = reportKey(record, `tcp\u0001${record.responseFlags}`);
    let series = this.tcp.get(key);
    if (!series) {
      const labels = istioLabels(record, "tcp", undefined, record.responseFlags);
      series = { labels: renderLabels(labels, TCP_STANDARD_LABELS), owner: reportingProxy(record) ?? UNKNOWN, opened: 0, closed: 0, sent: 0, received: 0 };
      this.tcp.set(key, series);
      pushTo(this.tcpByOwner, series.owner, series);
    }
    series.opened += record.connections;
    series.closed += record.connections;
    series.sent += record.sentBytes;
    series.received += record.receivedBytes;
  }

  /**
   * Renders every series in the Prometheus text format (version 0.0.4), in chunks, so a large
   * exposition is streamed with backpressure instead of built as one string.
   */
  chunks(): Generator<string> {
    return this.renderSeries([...this.http.values()], [...this.tcp.values()], (value) => value);
  }

  /** The proxies (reportingProxy()) that have reported anything. */
  owners(): string[] {
    return [...new Set([...this.httpByOwner.keys(), ...this.tcpByOwner.keys()])];
  }

  /**
   * What one pod of a reporting proxy exposes, as Prometheus scrapes each pod on a cluster: the
   * proxy's series with every counter split across its `podCount` pods. Pod `podIndex` gets
   * floor((c + k) / n) of a counter c (k = n - 1 - podIndex), so the pods' shares are whole, sum to
   * c exactly, never decrease as c grows, and keep histogram buckets cumulative; sums are shared evenly.
   */
  podChunks(owner: string, podIndex: number, podCount: number): Generator<string> {
    const n = Math.max(1, podCount);
    const k = n - 1 - Math.min(Math.max(0, podIndex), n - 1);
    const share = n === 1 ? (value: number) => value : (value: number, whole = true) => (whole ? Math.floor((value + k) / n) : value / n);
    return this.renderSeries(this.httpByOwner.get(owner) ?? [], this.tcpByOwner.get(owner) ?? [], share);
  }

  private *renderSeries(http: readonly HttpSeries[], tcp: readonly TcpSeries[], share: (value: number, whole?: boolean) => number): Generator<string> {
    let buffer = "";

    buffer += `# HELP ${HTTP_METRICS.requests} Requests handled by an Istio proxy.\n# TYPE ${HTTP_METRICS.requests} counter\n`;
    for (const s of http) {
      buffer += `${HTTP_METRICS.requests}{${s.labels}} ${share(s.requests)}\n`;
      if (buffer.length >= CHUNK_SIZE) {
        yield buffer;
        buffer = "";
      }
    }

    const histograms: Array<[string, string, readonly number[], (s: HttpSeries) => [Float64Array, number, number]]> = [
      [HTTP_METRICS.duration, "Request duration in milliseconds.", DURATION_BUCKETS_MS, (s) => [s.durationCounts, s.durationSum, s.requests]],
    ];
    if (this.options.byteHistograms) {
      histograms.push(
        [HTTP_METRICS.requestBytes, "HTTP request body sizes in bytes.", BYTE_BUCKETS, (s) => [s.requestBytesCounts, s.requestBytesSum, s.bytesCount]],
        [HTTP_METRICS.responseBytes, "HTTP response body sizes in bytes.", BYTE_BUCKETS, (s) => [s.responseBytesCounts, s.responseBytesSum, s.bytesCount]],
      );
    }
    for (const [name, help, bounds, pick] of histograms) {
      buffer += `# HELP ${name} ${help}\n# TYPE ${name} histogram\n`;
      for (const s of http) {
        const [counts, sum, count] = pick(s);
        if (count === 0) continue;
        let cumulative = 0;
        for (let i = 0; i < bounds.length; i++) {
          cumulative += counts[i] ?? 0;
          buffer += `${name}_bucket{${s.labels},le="${bounds[i]}"} ${share(cumulative)}\n`;
        }
        buffer += `${name}_bucket{${s.labels},le="+Inf"} ${share(count)}\n${name}_sum{${s.labels}} ${round(share(sum, false))}\n${name}_count{${s.labels}} ${share(count)}\n`;
        if (buffer.length >= CHUNK_SIZE) {
          yield buffer;
          buffer = "";
        }
      }
    }

    const tcpCounters: Array<[string, string, (s: TcpSeries) => number]> = [
      [TCP_METRICS.sentBytes, "Bytes sent during TCP connections.", (s) => s.sent],
      [TCP_METRICS.receivedBytes, "Bytes received during TCP connections.", (s) => s.received],
      [TCP_METRICS.connectionsOpened, "TCP connections opened.", (s) => s.opened],
      [TCP_METRICS.connectionsClosed, "TCP connections closed.", (s) => s.closed],
    ];
    for (const [name, help, pick] of tcpCounters) {
      buffer += `# HELP ${name} ${help}\n# TYPE ${name} counter\n`;
      for (const s of tcp) buffer += `${name}{${s.labels}} ${share(pick(s))}\n`;
    }
    if (buffer.length > 0) yield buffer;
  }

  /** The whole exposition as one string (tests and small meshes). */
  render(): string {
    return [...this.chunks()].join("");
  }
}

function pushTo<T>(index: Map<string, T[]>, owner: string, series: T): void {
  const list = index.get(owner);
  if (list) list.push(series);
  else index.set(owner, [series]);
}

function addCounts(target: Float64Array, counts: readonly number[]): void {
  for (let i = 0; i < counts.length && i < target.length; i++) target[i] = (target[i] ?? 0) + (counts[i] ?? 0);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
