/**
 * What the proxies on either side of a hop write down: the client sidecar (reporter=source)
 * counts each request once with its final outcome; the server sidecar (reporter=destination)
 * counts every attempt that reached it. A side without a proxy reports nothing.
 */
import type { WorkloadBehaviour } from "./call-graph";
import { BYTE_BUCKETS, DURATION_BUCKETS_MS } from "./istio-labels";
import { logNormalFromQuantiles, sampleIntoBuckets, type BucketSample, type LogNormal } from "./latency";
import type { Workload } from "./mesh";
import { inMesh } from "./ambient";
import type { Random } from "./random";
import type { HttpRecord, Reporter, ServiceRef, TelemetryStore } from "./telemetry-store";

/** A workload's behaviour with its distributions prepared. */
export interface BehaviourModel {
  behaviour: Omit<WorkloadBehaviour, "app">;
  duration: LogNormal;
  requestSize: LogNormal;
  responseSize: LogNormal;
}

/** Requests of one hop that share their added time. */
export interface Cohort {
  count: number;
  /** Time the server spends waiting on slow dependencies. */
  serverShift: number;
  /** Fault delay injected by the client proxy. */
  clientShift: number;
}

export interface ServedHop {
  source: Workload;
  server: Workload;
  service: ServiceRef;
  mutualTls: boolean;
  protocol: "http" | "grpc";
  duration: LogNormal;
  budget: number | undefined;
  cohort: Cohort;
  model: BehaviourModel;
  /** The subset the client's route chose, if any. */
  subset?: string;
  /** The ambient waypoint in the path: it reports the server side (reporter `waypoint`). */
  waypoint?: WaypointHop;
}

/** A waypoint in a request's path, and the Service the client addressed (what the client reports). */
export interface WaypointHop {
  proxy: Workload;
  addressed: ServiceRef;
}

/** How a report is sampled and who is in the path. */
export interface ReportOptions {
  limit?: number;
  shift?: number;
  /**
   * The waypoint the request went through: the server side's report is the waypoint's (reporter
   * `waypoint`, the client in source_*, the backend in destination_*), and a client sidecar's
   * upstream peer is the waypoint, reached at the Service it addressed.
   */
  waypoint?: WaypointHop;
}

export const LOCAL_REPLY_LATENCY = logNormalFromQuantiles(0.2, 1.5);
/** What a client-side proxy adds on top of the server's time. */
export const PROXY_OVERHEAD_MS = 0.4;

export class ProxyReporter {
  /** Sees every HTTP report the metrics get, so access logs sample exactly what Prometheus counts. */
  accessLogTap: ((record: HttpRecord) => void) | undefined;

  constructor(
    private readonly random: Random,
    private readonly store: TelemetryStore,
    private readonly byteHistograms: boolean,
  ) {}

  /** Reports `count` requests on the server (every attempt) and, when final, on the client. */
  reportBoth(hop: ServedHop, code: number, flags: string, count: number, final: boolean): void {
    if (count <= 0) return;
    const { source, server, service, mutualTls, protocol, duration, budget, cohort, model, waypoint } = hop;
    const serverOptions = { limit: budget, shift: cohort.serverShift, waypoint };
    const serverSample = this.report("destination", source, server, service, mutualTls, code, flags === "URX" ? "-" : flags, count, duration, serverOptions, model, protocol, hop.subset);
    if (!final || !source.hasProxy) return;
    if (cohort.clientShift === 0 && serverSample) {
      // Same requests, seen a little later by the client: reuse the server's buckets.
      this.record({
        reporter: "source", source, destination: waypoint?.proxy ?? server, service: waypoint?.addressed ?? service, mutualTls, protocol, responseCode: code, responseFlags: flags, count,
        duration: { counts: serverSample.duration.counts, sum: serverSample.duration.sum + count * PROXY_OVERHEAD_MS },
        requestBytes: serverSample.requestBytes, responseBytes: serverSample.responseBytes, subset: hop.subset,
      });
      return;
    }
    const clientOptions = { limit: budget, shift: cohort.serverShift + cohort.clientShift + PROXY_OVERHEAD_MS, waypoint };
    this.report("source", source, server, service, mutualTls, code, flags, count, duration, clientOptions, model, protocol, hop.subset);
  }

  /** Records one report if the reporting side has a proxy; returns what was sampled. */
  report(
    reporter: Reporter,
    source: Workload | undefined,
    destination: Workload | undefined,
    service: ServiceRef,
    mutualTls: boolean,
    code: number,
    flags: string,
    count: number,
    duration: LogNormal,
    sampleOptions: ReportOptions,
    sizes?: BehaviourModel,
    protocol: "http" | "grpc" = "http",
    subset?: string,
    localReply?: { responseCodeDetails: string },
  ): { duration: BucketSample; requestBytes?: BucketSample; responseBytes?: BucketSample } | undefined {
    if (count <= 0) return undefined;
    const { waypoint } = sampleOptions;
    if (waypoint && reporter === "destination") reporter = "waypoint";
    else if (waypoint && reporter === "source") {
      destination = waypoint.proxy;
      service = waypoint.addressed;
    }
    const reporterProxy = reporter === "waypoint" ? waypoint?.proxy : reporter === "source" ? source : destination;
    if (!reporterProxy?.hasProxy) return undefined;
    const durationSample = sampleIntoBuckets(this.random, duration, DURATION_BUCKETS_MS, count, { limit: sampleOptions.limit, shift: sampleOptions.shift });
    const withBytes = this.byteHistograms && sizes !== undefined;
    const requestBytes = withBytes ? sampleIntoBuckets(this.random, sizes.requestSize, BYTE_BUCKETS, count) : undefined;
    const responseBytes = withBytes
      ? code >= 200 && code < 400
        ? sampleIntoBuckets(this.random, sizes.responseSize, BYTE_BUCKETS, count)
        : sampleIntoBuckets(this.random, logNormalFromQuantiles(90, 200), BYTE_BUCKETS, count)
      : undefined;
    this.record({
      reporter, source, destination, service, mutualTls, protocol,
      ...(reporter === "waypoint" && waypoint ? { waypoint: waypoint.proxy } : {}),
      responseCode: code, responseFlags: flags, count, duration: durationSample, requestBytes, responseBytes,
      ...(subset !== undefined ? { subset } : {}),
      ...(localReply ? { responseCodeDetails: localReply.responseCodeDetails } : {}),
    });
    return { duration: durationSample, requestBytes, responseBytes };
  }

  /** A reply Envoy makes itself (no route, fault abort, no healthy upstream): client side only. */
  localReply(source: Workload, service: ServiceRef, protocol: "http" | "grpc", code: number, flag: string, count: number, subset?: string, waypoint?: WaypointHop): void {
    if (waypoint) {
      // The waypoint answers itself (fault abort, no route, no healthy backend): it reports it, and
      // a client sidecar sees the waypoint's answer.
      this.report("destination", source, undefined, service, inMesh(source), code, flag, count, LOCAL_REPLY_LATENCY, { waypoint }, undefined, protocol, subset);
      this.report("source", source, undefined, service, false, code, flag, count, LOCAL_REPLY_LATENCY, { waypoint, shift: PROXY_OVERHEAD_MS }, undefined, protocol, subset);
      return;
    }
    this.report("source", source, undefined, service, false, code, flag, count, LOCAL_REPLY_LATENCY, {}, undefined, protocol, subset);
  }

  private record(record: HttpRecord): void {
    this.store.recordHttp(record);
    this.accessLogTap?.(record);
  }
}
