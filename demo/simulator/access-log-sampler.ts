/**
 * Turns a tick's proxy reports into container log lines. Every HTTP report the metrics get also
 * passes through `observe`; at the end of the tick `drain` draws a bounded number of requests per
 * proxy from those reports, weighted by their counts, so the lines show the same response codes
 * and flags Prometheus shows (a 503 FI for a fault abort, NR, UH, UT, URX…), and writes each as
 * an Envoy access-log line in that pod's `istio-proxy`. An inbound request also gives one line
 * in the application's container. Cost stays bounded: at most `perProxyPerSecond` lines per
 * proxy and `maxLinesPerTick` in all.
 */
import { behaviourFor, type CallGraphModel } from "./call-graph";
import { serviceFqdn } from "@/lib/istio/host";
import { formatAccessLog, inboundCluster, isLocalReply, outboundCluster, responseCodeDetails, type AccessLogEntry } from "./access-log";
import { RBAC_DENIED_BODY_BYTES } from "./authorization";
import { DURATION_BUCKETS_MS } from "./istio-labels";
import type { BucketSample } from "./latency";
import type { MeshSnapshot, Workload } from "./mesh";
import type { PodInfo } from "./pod-directory";
import { stochasticRound, type Random } from "./random";
import type { HttpRecord } from "./telemetry-store";

/** What the emulator's POST /emulator/pod-logs takes, one per line. */
export interface PodLogEntry {
  namespace: string;
  pod: string;
  container: string;
  time: string;
  line: string;
}

export interface SamplerLimits {
  /** Access-log lines per proxy (pod) per second, at most. */
  perProxyPerSecond: number;
  /** Lines (access and application) per tick, at most, whatever the mesh's size. */
  maxLinesPerTick: number;
}

export const DEFAULT_SAMPLER_LIMITS: SamplerLimits = { perProxyPerSecond: 5, maxLinesPerTick: 1000 };

/** Body sizes of Envoy's own replies (`fault filter abort`, `no healthy upstream`…). */
const LOCAL_REPLY_BYTES: Readonly<Record<string, number>> = { FI: 18, NR: 0, UH: 19, UF: 91, UC: 95, UT: 24, DC: 0 };
/** Where requests from outside the mesh come from (documentation range, RFC 5737). */
const EXTERNAL_CLIENT_IP = "203.0.113.7";
const EXTERNAL_USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const MESH_USER_AGENT = "Go-http-client/1.1";
/** Istio's inbound listener connects to the app from this address. */
const INBOUND_PASSTHROUGH_IP = "127.0.0.6";

interface ProxyReports {
  workload: Workload;
  records: HttpRecord[];
  total: number;
}

export interface DrainContext {
  nowMs: number;
  tickMs: number;
  mesh: MeshSnapshot;
  podsOf: (workloadKey: string) => readonly PodInfo[];
}

export class AccessLogSampler {
  private pending = new Map<string, ProxyReports>();
  private readonly uris = new Map<string, string>();

  constructor(
    private readonly random: Random,
    private readonly model: CallGraphModel,
    private readonly limits: SamplerLimits = DEFAULT_SAMPLER_LIMITS,
  ) {}

  /** Called with every HTTP report of the tick (see ProxyReporter.accessLogTap). */
  observe(record: HttpRecord): void {
    // Waypoints keep no access log in the demo: their reports are metrics only.
    if (record.count <= 0 || record.reporter === "waypoint") return;
    const proxy = record.reporter === "source" ? record.source : record.destination;
    if (!proxy?.hasProxy) return;
    // A gateway logs one line per request, on its way out; its inbound report is metrics only.
    if (proxy.isGateway && record.reporter === "destination") return;
    let reports = this.pending.get(proxy.key);
    if (!reports) {
      reports = { workload: proxy, records: [], total: 0 };
      this.pending.set(proxy.key, reports);
    }
    reports.records.push(record);
    reports.total += record.count;
  }

  /** The tick's lines, oldest first; forgets the tick's reports. */
  drain(context: DrainContext): PodLogEntry[] {
    const pending = this.pending;
    this.pending = new Map();
    const entries: PodLogEntry[] = [];
    const seconds = context.tickMs / 1000;
    for (const reports of pending.values()) {
      const pods = context.podsOf(reports.workload.key).filter((pod) => pod.hasProxy);
      if (pods.length === 0) continue;
      const wanted = Math.min(reports.total, stochasticRound(this.random, this.limits.perProxyPerSecond * seconds * pods.length));
      for (let i = 0; i < wanted && entries.length < this.limits.maxLinesPerTick; i++) {
        const record = this.pickRecord(reports);
        const pod = this.pick(pods);
        this.writeRequest(record, reports.workload, pod, context, entries);
      }
      if (entries.length >= this.limits.maxLinesPerTick) break;
    }
    return entries.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  }

  private writeRequest(record: HttpRecord, proxy: Workload, pod: PodInfo, context: DrainContext, out: PodLogEntry[]): void {
    const durationMs = this.sampleDuration(record.duration);
    const tickStart = context.nowMs - context.tickMs;
    const endMs = tickStart + this.random.next() * context.tickMs;
    const startMs = endMs - durationMs;
    const service = context.mesh.services.get(record.service.host);
    const port = service?.port ?? 80;
    const host = record.service.host;
    const path = this.uriOf(record.source, host);
    // An RBAC denial is the server proxy's own answer although Envoy sets no flag for it.
    const local = isLocalReply(record.responseFlags) || record.responseCodeDetails !== undefined;
    const grpc = record.protocol === "grpc";
    const fromOutside = !record.source || !record.source.hasProxy || record.source.isGateway;
    const peer = (workload: Workload | undefined) => (workload ? this.pickOptional(context.podsOf(workload.key)) : undefined);
    const bytesSent = record.responseCodeDetails?.startsWith("rbac_access_denied") ? RBAC_DENIED_BODY_BYTES : local ? (LOCAL_REPLY_BYTES[record.responseFlags] ?? 0) : this.sampleBytes(record.responseBytes, 300);
    const common = {
      startMs,
      method: grpc ? "POST" : "GET",
      path,
      protocol: grpc ? "HTTP/2" : "HTTP/1.1",
      responseCode: record.responseCode,
      responseFlags: record.responseFlags,
      responseCodeDetails: record.responseCodeDetails ?? responseCodeDetails(record.responseCode, record.responseFlags),
      bytesReceived: grpc ? this.sampleBytes(record.requestBytes, 30) : 0,
      bytesSent,
      durationMs,
      ...(local ? {} : { upstreamServiceTimeMs: Math.max(0, durationMs - 1) }),
      // The gateway forwards the outside client's headers; requests that start inside the mesh carry the app's client.
      userAgent: proxy.isGateway || fromOutside ? EXTERNAL_USER_AGENT : MESH_USER_AGENT,
      requestId: this.uuid(),
      authority: `${record.service.name}:${port}`,
      routeName: "default",
    };
    let entry: AccessLogEntry;
    if (record.reporter === "source") {
      const server = peer(record.destination);
      const noCluster = record.responseFlags === "NR";
      entry = {
        ...common,
        ...(proxy.isGateway ? { xForwardedFor: EXTERNAL_CLIENT_IP } : {}),
        ...(server && !local ? { upstreamHost: `${server.ip}:${port}`, upstreamLocalAddress: `${pod.ip}:${this.ephemeralPort()}` } : {}),
        ...(noCluster ? {} : { upstreamCluster: outboundCluster(port, record.subset, host) }),
        downstreamLocalAddress: proxy.isGateway ? `${pod.ip}:8080` : `${service?.clusterIP ?? "10.96.0.1"}:${port}`,
        downstreamRemoteAddress: proxy.isGateway ? `${EXTERNAL_CLIENT_IP}:${this.ephemeralPort()}` : `${pod.ip}:${this.ephemeralPort()}`,
      };
    } else {
      // The direct peer: the client's sidecar or the gateway; a client without a proxy is outside.
      const client = record.source?.hasProxy ? peer(record.source) : undefined;
      entry = {
        ...common,
        ...(record.source?.isGateway ? { xForwardedFor: EXTERNAL_CLIENT_IP } : {}),
        // A reply the inbound proxy made itself (RBAC) never reached the app.
        ...(local ? {} : { upstreamHost: `${pod.ip}:${port}`, upstreamLocalAddress: `${INBOUND_PASSTHROUGH_IP}:${this.ephemeralPort()}` }),
        upstreamCluster: inboundCluster(port),
        downstreamLocalAddress: `${pod.ip}:${port}`,
        downstreamRemoteAddress: `${client?.ip ?? EXTERNAL_CLIENT_IP}:${this.ephemeralPort()}`,
        // The client's SNI names the cluster it dialled (istio-peer-exchange over mTLS).
        ...(record.mutualTls ? { requestedServerName: `outbound_.${port}_.${record.subset ?? ""}_.${host}` } : {}),
      };
    }
    const time = new Date(Math.max(endMs, startMs)).toISOString();
    out.push({ namespace: pod.namespace, pod: pod.name, container: "istio-proxy", time, line: formatAccessLog(entry, pod.accessLogEncoding) });
    // The application logs the requests it answered (a disconnect gets no answer).
    if (record.reporter === "destination" && pod.appContainer && record.responseCode !== 0 && !local && out.length < this.limits.maxLinesPerTick) {
      out.push({ namespace: pod.namespace, pod: pod.name, container: pod.appContainer, time, line: applicationLine(common.method, path, record.responseCode, durationMs) });
    }
  }

  /** The path callers use for a host: the caller's call in the model, else an entry point's. */
  private uriOf(source: Workload | undefined, host: string): string {
    const key = `${source?.key ?? ""}\u0001${host}`;
    let uri = this.uris.get(key);
    if (uri === undefined) {
      const calls = source ? (behaviourFor(this.model, source)?.calls ?? []) : [];
      const call = calls.find((c) => serviceFqdn(c.service, c.namespace ?? source?.namespace ?? "") === host);
      const target = this.model.entry.targets.find((t) => serviceFqdn(t.service, t.namespace) === host);
      uri = call?.uri ?? target?.uri ?? "/";
      this.uris.set(key, uri);
    }
    return uri;
  }

  private pickRecord(reports: ProxyReports): HttpRecord {
    let remaining = this.random.next() * reports.total;
    for (const record of reports.records) {
      remaining -= record.count;
      if (remaining < 0) return record;
    }
    return reports.records[reports.records.length - 1] as HttpRecord;
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.min(items.length - 1, Math.floor(this.random.next() * items.length))] as T;
  }

  private pickOptional<T>(items: readonly T[]): T | undefined {
    return items.length === 0 ? undefined : this.pick(items);
  }

  /** A duration from the same histogram the metrics got: a bucket by its count, uniform inside it. */
  private sampleDuration(sample: BucketSample): number {
    const total = sample.counts.reduce((a, b) => a + b, 0);
    if (total <= 0) return 0;
    let remaining = this.random.next() * total;
    let index = 0;
    for (; index < sample.counts.length - 1; index++) {
      remaining -= sample.counts[index] ?? 0;
      if (remaining < 0) break;
    }
    const lower = index === 0 ? 0 : (DURATION_BUCKETS_MS[index - 1] ?? 0);
    const upper = DURATION_BUCKETS_MS[index] ?? lower * 1.5;
    return lower + this.random.next() * (upper - lower);
  }

  private sampleBytes(sample: BucketSample | undefined, fallback: number): number {
    const count = sample ? sample.counts.reduce((a, b) => a + b, 0) : 0;
    const mean = sample && count > 0 ? sample.sum / count : fallback;
    return Math.max(0, Math.round(mean * (0.8 + 0.4 * this.random.next())));
  }

  private ephemeralPort(): number {
    return 32768 + Math.floor(this.random.next() * 28232);
  }

  /** An x-request-id as Envoy generates it (UUID v4), from the seeded generator so runs repeat. */
  private uuid(): string {
    const hex = (digits: number) => {
      let out = "";
      for (let i = 0; i < digits; i++) out += Math.floor(this.random.next() * 16).toString(16);
      return out;
    };
    const variant = (8 + Math.floor(this.random.next() * 4)).toString(16);
    return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
  }
}

/** What a simulated app prints per request it answered, e.g. `INFO GET /reviews/0 200 12ms`. */
export function applicationLine(method: string, path: string, code: number, durationMs: number): string {
  return `${code >= 500 ? "ERROR" : code >= 400 ? "WARN" : "INFO"} ${method} ${path} ${code} ${Math.max(1, Math.round(durationMs))}ms`;
}
