/**
 * One tick of mesh traffic, computed in aggregate: the edge rate enters at the ingress gateway,
 * each workload's served requests turn into calls per its behaviour, routing splits them, and
 * every hop is reported by the proxies that would see it, with Istio's labels.
 */
import { behaviourFor, type CallGraphModel } from "./call-graph";
import { withInjectedErrors } from "./injected-errors";
import { logNormalCdf, logNormalFromQuantiles, type LogNormal } from "./latency";
import { serviceFqdn } from "@/lib/istio/host";
import { EXTERNAL_CLIENT, servicesOfWorkload, syntheticGateway, type MeshSnapshot, type Workload } from "./mesh";
import type { TrafficPolicy } from "./mesh-schemas";
import { OutlierDetector, outlierSettingsOf, type OutlierSettings } from "./outlier";
import { LOCAL_REPLY_LATENCY, PROXY_OVERHEAD_MS, ProxyReporter, type BehaviourModel, type Cohort, type WaypointHop } from "./proxy-reports";
import { createRandom, stochasticRound, type Random } from "./random";
import {
  isRetriableStatus,
  resolveHttpRoute,
  resolveTcpRoute,
  type Branch,
  type Mirror,
  type RequestAttributes,
  type RouteDecision,
} from "./routing";
import { dependencyDelay, type DependencyDelay } from "./dependency-delay";
import { connectionOutcome, type ConnectionOutcome } from "./security";
import { authorizeInbound, RBAC_DENIED_FLAGS, RBAC_DENIED_STATUS, type AuthorizationOutcome } from "./authorization";
import { openTcpConnections } from "./tcp-traffic";
import { inMesh, ztunnelReports } from "./ambient";
import { TelemetryStore, type HttpRecord, type ServiceRef } from "./telemetry-store";
import { resolveGatewayApiRoute } from "./gateway-routing";
import { gatewayServiceName } from "@/lib/gatewayApi/conditions";

export interface TrafficOptions {
  /** Requests per second arriving at the ingress gateway from outside the mesh. */
  edgeRps: number;
  /** Share of requests that carry `end-user: jason` (Bookinfo's logged-in user). */
  jasonShare: number;
  seed: number;
  /** Also keep istio_request_bytes / istio_response_bytes (off in scale mode to bound series). */
  byteHistograms?: boolean;
  /** Random wobble of rates and latencies; 0 makes ticks differ only by sampling noise. */
  variation?: number;
}

interface RequestClass {
  share: number;
  headers: Record<string, string>;
}

/** Requests served per workload in one hop, split by request class. */
type Inflow = Map<string, { workload: Workload; perClass: number[] }>;

/** Bounds the hop count so a routing loop cannot spin forever. */
const MAX_HOPS = 16;
export interface TickSummary {
  edgeRequests: number;
  hops: number;
}

export class TrafficEngine {
  readonly store: TelemetryStore;
  private snapshot: MeshSnapshot;
  private readonly random: Random;
  private readonly reporter: ProxyReporter;
  private readonly outliers = new OutlierDetector();
  private readonly routes = new Map<string, RouteDecision | undefined>();
  private readonly connections = new Map<string, ConnectionOutcome>();
  private readonly authorizations = new Map<string, AuthorizationOutcome>();
  private readonly behaviours = new Map<string, BehaviourModel>();
  private readonly outlierSettings = new Map<string, OutlierSettings | undefined>();
  private readonly latencyWobble = new Map<string, number>();
  private readonly dependencyDelays = new Map<string, DependencyDelay>();
  private readonly gatewayServices = new Map<string, ServiceRef>();
  private edgeWobble = 1;
  private nowMs = 0;
  private classes: RequestClass[] = [];

  constructor(
    private readonly model: CallGraphModel,
    snapshot: MeshSnapshot,
    private options: TrafficOptions,
  ) {
    this.snapshot = snapshot;
    this.random = createRandom(options.seed);
    this.store = new TelemetryStore({ byteHistograms: options.byteHistograms ?? true });
    this.reporter = new ProxyReporter(this.random, this.store, options.byteHistograms ?? true);
    this.setOptions({});
  }

  /** The mesh the engine currently routes over. */
  get mesh(): MeshSnapshot {
    return this.snapshot;
  }

  /** Every HTTP report the proxies make from now on also goes to `tap` (access logs); undefined stops it. */
  tapProxyReports(tap: ((record: HttpRecord) => void) | undefined): void {
    this.reporter.accessLogTap = tap;
  }

  /** New config or endpoints: routing is re-resolved from the next tick on. */
  setSnapshot(snapshot: MeshSnapshot): void {
    this.snapshot = snapshot;
    this.routes.clear();
    this.connections.clear();
    this.authorizations.clear();
    this.behaviours.clear();
    this.outlierSettings.clear();
    this.dependencyDelays.clear();
    this.gatewayServices.clear();
  }

  setOptions(options: Partial<TrafficOptions>): void {
    this.options = { ...this.options, ...options };
    const jason = Math.min(1, Math.max(0, this.options.jasonShare));
    this.classes = [
      { share: jason, headers: { "end-user": "jason" } },
      { share: 1 - jason, headers: {} },
    ];
    this.routes.clear();
    this.dependencyDelays.clear();
  }

  tick(nowMs: number, durationMs: number): TickSummary {
    this.nowMs = nowMs;
    const variation = this.options.variation ?? 1;
    this.edgeWobble = clamp(this.edgeWobble + 0.03 * variation * this.random.normal(), 1 - 0.15 * variation, 1 + 0.15 * variation);
    for (const [key, value] of this.latencyWobble) {
      this.latencyWobble.set(key, clamp(value + 0.04 * variation * this.random.normal(), 1 - 0.25 * variation, 1 + 0.25 * variation));
    }

    const { gatewayNamespace, gatewayWorkload } = this.model.entry;
    const gateway = this.snapshot.workloads.get(`${gatewayNamespace}/${gatewayWorkload}`) ?? syntheticGateway(gatewayNamespace, gatewayWorkload);
    const edgeRequests = this.random.poisson((this.options.edgeRps * durationMs * this.edgeWobble) / 1000);
    let inflow: Inflow = new Map();
    const targets = this.model.entry.targets;
    const perTarget = this.random.multinomial(edgeRequests, targets.map((t) => t.share));
    targets.forEach((target, index) => {
      const count = perTarget[index] ?? 0;
      const host = serviceFqdn(target.service, target.namespace);
      const perClass = this.random.multinomial(count, this.classes.map((c) => c.share));
      perClass.forEach((n, classIndex) => {
        if (n === 0) return;
        if (target.via === "direct") {
          this.callHttp(EXTERNAL_CLIENT, host, "http", target.uri, classIndex, n, inflow);
          return;
        }
        const outcomes = new Map<string, number>();
        this.callHttp(gateway, host, "http", target.uri, classIndex, n, inflow, outcomes);
        this.reportEdge(gateway, host, outcomes);
      });
    });

    for (const ingress of this.model.entry.gatewayApi) {
      const gatewayObject = this.snapshot.gatewayApi.gateways.find((g) => g.metadata?.name === ingress.gateway && g.metadata.namespace === ingress.namespace);
      // Until istiod has deployed the gateway there is nothing to connect to.
      const gatewayWorkload = gatewayObject && this.snapshot.workloads.get(`${ingress.namespace}/${gatewayServiceName(gatewayObject)}`);
      if (!gatewayWorkload || gatewayWorkload.replicas === 0) continue;
      const count = this.random.poisson((ingress.requestsPerSecond * durationMs * this.edgeWobble) / 1000);
      const perClass = this.random.multinomial(count, this.classes.map((c) => c.share));
      perClass.forEach((n, classIndex) => {
        if (n === 0) return;
        const outcomes = new Map<string, number>();
        this.callHttp(gatewayWorkload, ingress.hostname, "http", ingress.uri, classIndex, n, inflow, outcomes);
        const firstUpstream = this.route(gatewayWorkload, ingress.hostname, ingress.uri, classIndex, false)?.branches.find((b) => b.kind === "upstream");
        this.reportEdge(gatewayWorkload, firstUpstream?.host ?? ingress.hostname, outcomes);
      });
    }

    // Clients whose Deployment is absent draw nothing, so they leave every other figure as it was.
    for (const client of this.model.entry.clients) {
      const source = this.snapshot.workloads.get(`${client.namespace}/${client.workload}`);
      if (!source || source.replicas === 0) continue;
      const n = this.random.poisson((client.requestsPerSecond * durationMs) / 1000);
      if (n > 0) this.callHttp(source, serviceFqdn(client.service, client.serviceNamespace ?? client.namespace), "http", client.uri, this.classes.length - 1, n, inflow);
    }

    let hops = 0;
    while (inflow.size > 0 && hops < MAX_HOPS) {
      const next: Inflow = new Map();
      for (const { workload, perClass } of inflow.values()) this.serveCalls(workload, perClass, next);
      inflow = next;
      hops++;
    }
    return { edgeRequests, hops };
  }

  /** Traffic from outside the mesh: only the gateway sees it, as the destination. */
  private reportEdge(gateway: Workload, targetHost: string, outcomes: Map<string, number>): void {
    let service = this.gatewayServices.get(gateway.key);
    if (!service) {
      service = servicesOfWorkload(this.snapshot, gateway)[0] ?? { host: serviceFqdn(gateway.name, gateway.namespace), name: gateway.name, namespace: gateway.namespace };
      this.gatewayServices.set(gateway.key, service);
    }
    const target = this.snapshot.services.get(targetHost);
    const targetBehaviour = target?.endpoints[0] ? this.behaviourOf(target.endpoints[0]) : undefined;
    for (const [outcome, count] of outcomes) {
      const [code, flags] = outcome.split(" ");
      const duration = targetBehaviour?.duration ?? LOCAL_REPLY_LATENCY;
      // The gateway's answer takes what the target took plus about a millisecond of its own.
      this.reporter.report("destination", undefined, gateway, service, false, Number(code), flags ?? "-", count, duration, { shift: 1 }, targetBehaviour);
    }
  }

  private serveCalls(workload: Workload, perClass: number[], next: Inflow): void {
    const model = this.behaviourOf(workload);
    for (const call of model.behaviour.calls) {
      const host = serviceFqdn(call.service, call.namespace ?? workload.namespace);
      const protocol = call.protocol ?? this.snapshot.services.get(host)?.protocol ?? "http";
      perClass.forEach((served, classIndex) => {
        const n = stochasticRound(this.random, served * call.callsPerRequest);
        if (n === 0) return;
        if (protocol === "tcp") this.callTcp(workload, host, n, next);
        else this.callHttp(workload, host, protocol, call.uri, classIndex, n, next);
      });
    }
  }

  private route(source: Workload, host: string, uri: string, classIndex: number, tcp: boolean): RouteDecision | undefined {
    const key = `${source.key}\u0001${host}\u0001${uri}\u0001${tcp ? "tcp" : classIndex}`;
    if (this.routes.has(key)) return this.routes.get(key);
    const grpc = this.snapshot.services.get(host)?.protocol === "grpc";
    // gRPC calls are HTTP/2 POSTs to /package.Service/Method.
    const request: RequestAttributes = { uri, method: grpc ? "POST" : "GET", headers: this.classes[classIndex]?.headers ?? {} };
    const decision = tcp ? resolveTcpRoute(this.snapshot, source, host) : this.resolveHttp(source, host, request, grpc);
    this.routes.set(key, decision);
    return decision;
  }

  /**
   * Who routes an HTTP request decides what applies. A Service with a waypoint is routed by the
   * waypoint for every client in the mesh (ambient pods and sidecars alike), so its HTTPRoutes,
   * VirtualServices, faults and retries apply there. An ambient client without a waypoint in the
   * path has only ztunnel, which forwards L4: straight to the Service's endpoints, no weights, no
   * retries, no DestinationRule.
   * https://istio.io/latest/docs/ambient/usage/l7-features/
   */
  private resolveHttp(source: Workload, host: string, request: RequestAttributes, grpc: boolean): RouteDecision | undefined {
    const protocol = grpc ? "grpc" : "http";
    const waypoint = this.snapshot.services.get(host)?.waypoint;
    if (waypoint && inMesh(source) && !source.isGateway && source.key !== waypoint.key) {
      const decision = resolveGatewayApiRoute(this.snapshot, waypoint, host, request, protocol) ?? resolveHttpRoute(this.snapshot, waypoint, host, request);
      return decision && { ...decision, waypoint };
    }
    const decision = resolveGatewayApiRoute(this.snapshot, source, host, request, protocol) ?? resolveHttpRoute(this.snapshot, source, host, request);
    if (!decision || !source.ambient) return decision;
    return {
      host: decision.host,
      branches: decision.branches.map((branch) => (branch.kind === "upstream" ? { ...branch, trafficPolicy: {} } : branch)),
      retry: { attempts: 0, retryOn: new Set() },
    };
  }

  private serviceRef(host: string): ServiceRef {
    const service = this.snapshot.services.get(host);
    if (service) return service;
    const [name = host, namespace = "unknown"] = host.split(".");
    return { host, name, namespace };
  }

  private callHttp(
    source: Workload,
    host: string,
    protocol: "http" | "grpc",
    uri: string,
    classIndex: number,
    n: number,
    inflow: Inflow,
    outcomes?: Map<string, number>,
  ): void {
    const decision = this.route(source, host, uri, classIndex, false);
    if (!decision) return;
    const split = decision.branches.length === 1 ? [n] : this.random.multinomial(n, decision.branches.map((b) => b.share));
    decision.branches.forEach((branch, index) => {
      let count = split[index] ?? 0;
      if (count === 0) return;
      const service = this.serviceRef(branch.host);
      const waypoint = this.waypointHop(decision);
      if (branch.kind === "local-reply") {
        this.localReply(source, service, protocol, branch.responseCode, branch.responseFlag, count, outcomes, branch.subset, waypoint);
        return;
      }
      const fault = decision.fault;
      if (fault && fault.abortShare > 0) {
        const aborted = this.random.binomial(count, fault.abortShare);
        this.localReply(source, service, protocol, fault.abortStatus, "FI", aborted, outcomes, branch.subset, waypoint);
        count -= aborted;
      }
      if (count === 0) return;
      if (decision.mirror) this.mirror(source, decision.mirror, protocol, uri, classIndex, this.random.binomial(count, decision.mirror.share), inflow);
      const healthy = this.outliers.healthyEndpoints(branch.cluster, branch.endpoints.filter((w) => w.replicas > 0), this.nowMs);
      if (healthy.length === 0) {
        this.localReply(source, service, protocol, 503, "UH", count, outcomes, branch.subset, waypoint);
        return;
      }
      const perEndpoint = healthy.length === 1 ? [count] : this.random.multinomial(count, healthy.map((w) => w.replicas));
      healthy.forEach((workload, endpointIndex) => {
        const served = perEndpoint[endpointIndex] ?? 0;
        if (served === 0) return;
        const delayed = fault && fault.delayShare > 0 ? this.random.binomial(served, fault.delayShare) : 0;
        this.serveHttp(source, branch, workload, service, protocol, uri, decision, served, delayed, classIndex, inflow, outcomes);
        this.ztunnelLegs(source, host, service, workload, served, waypoint);
      });
    });
  }

  private serveHttp(
    source: Workload,
    branch: Extract<Branch, { kind: "upstream" }>,
    server: Workload,
    service: ServiceRef,
    protocol: "http" | "grpc",
    uri: string,
    decision: RouteDecision,
    served: number,
    delayed: number,
    classIndex: number,
    inflow: Inflow,
    outcomes: Map<string, number> | undefined,
  ): void {
    const waypoint = this.waypointHop(decision);
    // Behind a waypoint, the connection that reaches the server is the waypoint's.
    const connection = this.connection(waypoint?.proxy ?? source, branch.trafficPolicy, server);
    if (connection.kind === "refused") {
      // The server proxy drops the connection during the handshake: only the client reports.
      this.reporter.report("source", source, server, service, false, 503, "UC", served, LOCAL_REPLY_LATENCY, { waypoint }, undefined, protocol, branch.subset);
      tally(outcomes, 503, "UC", served);
      return;
    }
    const mutualTls = connection.mutualTls;
    const authorization = this.authorization(source, server, mutualTls, service, protocol, uri);
    if (!authorization.allowed) {
      // The server proxy's RBAC filter answers 403 before the app sees the request: both
      // proxies report it, and the app serves nothing, so nothing flows on from here.
      const denied = { responseCodeDetails: authorization.responseCodeDetails };
      this.reporter.report("destination", source, server, service, mutualTls, RBAC_DENIED_STATUS, RBAC_DENIED_FLAGS, served, LOCAL_REPLY_LATENCY, { waypoint }, undefined, protocol, branch.subset, denied);
      this.reporter.report("source", source, server, service, mutualTls, RBAC_DENIED_STATUS, RBAC_DENIED_FLAGS, served, LOCAL_REPLY_LATENCY, { shift: PROXY_OVERHEAD_MS, waypoint }, undefined, protocol, branch.subset);
      tally(outcomes, RBAC_DENIED_STATUS, RBAC_DENIED_FLAGS, served);
      return;
    }
    const model = this.behaviourOf(server);
    const duration = this.wobbled(server, model.duration);
    const { behaviour } = model;
    const retry = decision.retry;
    const limit = minDefined(retry.perTryTimeoutMs, decision.timeoutMs);
    const cutRetriable = retry.perTryTimeoutMs !== undefined && (retry.retryOn.has("5xx") || retry.retryOn.has("gateway-error") || retry.retryOn.has("reset"));
    const errorRetriable = isRetriableStatus(retry, behaviour.errorCode);
    const delayMs = decision.fault?.delayMs ?? 0;
    const settings = this.outlierSettingsFor(branch.cluster, branch.trafficPolicy);
    let attemptsServed = 0;
    let serverErrors = 0;

    for (const cohort of this.cohorts(server, served, delayed, delayMs)) {
      // The route timeout runs from when the router starts; a fault delay injected before it
      // does not count, a slow upstream of the server does.
      const budget = limit === undefined ? undefined : limit - cohort.serverShift;
      const cutShare = budget === undefined ? 0 : budget <= 0 ? 1 : 1 - logNormalCdf(duration, budget);
      let remaining = cohort.count;
      for (let attempt = 0; attempt <= retry.attempts && remaining > 0; attempt++) {
        const last = attempt === retry.attempts;
        const cut = cutShare > 0 ? this.random.binomial(remaining, cutShare) : 0;
        const errors = this.random.binomial(remaining - cut, behaviour.errorRate);
        const ok = remaining - cut - errors;
        attemptsServed += remaining;
        if (behaviour.errorCode >= 500) serverErrors += errors;
        serverErrors += cut;

        const served = { source, server, service, mutualTls, protocol, duration, budget, cohort, model, subset: branch.subset, waypoint };
        this.reporter.reportBoth(served, 200, "-", ok, true);
        const errorsFinal = last || !errorRetriable;
        const errorFlags = errorsFinal && attempt > 0 && errorRetriable ? "URX" : "-";
        this.reporter.reportBoth(served, behaviour.errorCode, errorFlags, errors, errorsFinal);
        if (ok > 0) tally(outcomes, 200, "-", ok);
        if (errorsFinal && errors > 0) tally(outcomes, behaviour.errorCode, errorFlags, errors);

        if (cut > 0 && limit !== undefined) {
          // The client gives up: 504 UT at the client; the server sees its downstream go away.
          const cutFinal = last || !cutRetriable;
          const atLimit = logNormalFromQuantiles(limit, limit * 1.001);
          this.reporter.report("destination", source, server, service, mutualTls, 0, "DC", cut, atLimit, { waypoint }, model, protocol);
          if (cutFinal) {
            this.reporter.report("source", source, server, service, mutualTls, 504, "UT", cut, atLimit, { shift: cohort.clientShift + PROXY_OVERHEAD_MS, waypoint }, model, protocol, branch.subset);
            tally(outcomes, 504, "UT", cut);
          }
        }
        remaining = (errorRetriable && !last ? errors : 0) + (cutRetriable && !last ? cut : 0);
      }
    }
    addInflow(inflow, server, classIndex, attemptsServed, this.classes.length);
    if (settings) {
      this.outliers.observe(branch.cluster, settings, branch.endpoints, server, attemptsServed, serverErrors, this.nowMs, this.random);
    }
  }

  /**
   * Splits requests into cohorts by added time: a fault delay the client proxy injected
   * (clientShift) and a slow dependency of the server (serverShift, see dependencyDelay).
   */
  private cohorts(server: Workload, served: number, delayed: number, delayMs: number): Cohort[] {
    const dependency = this.dependencyDelay(server);
    const result: Cohort[] = [];
    for (const [count, clientShift] of [[served - delayed, 0], [delayed, delayMs]] as const) {
      if (count <= 0) continue;
      const slow = dependency.share > 0 ? this.random.binomial(count, dependency.share) : 0;
      if (count - slow > 0) result.push({ count: count - slow, serverShift: 0, clientShift });
      if (slow > 0) result.push({ count: slow, serverShift: dependency.shiftMs, clientShift });
    }
    return result;
  }

  private dependencyDelay(workload: Workload): DependencyDelay {
    const dominantClass = this.classes.reduce((best, c, i) => (c.share > (this.classes[best]?.share ?? 0) ? i : best), 0);
    return dependencyDelay(
      {
        callsOf: (w) => this.behaviourOf(w).behaviour.calls,
        protocolOf: (host) => this.snapshot.services.get(host)?.protocol,
        route: (w, host, uri, tcp) => this.route(w, host, uri, dominantClass, tcp),
        memo: this.dependencyDelays,
        maxDepth: MAX_HOPS,
      },
      workload,
      new Set(),
    );
  }

  /** A reply Envoy makes itself (no route, fault abort, no healthy upstream): client side only. */
  private localReply(
    source: Workload,
    service: ServiceRef,
    protocol: "http" | "grpc",
    code: number,
    flag: string,
    count: number,
    outcomes: Map<string, number> | undefined,
    subset?: string,
    waypoint?: WaypointHop,
  ): void {
    this.reporter.localReply(source, service, protocol, code, flag, count, subset, waypoint);
    tally(outcomes, code, flag, count);
  }

  /**
   * ztunnel's L4 view of HTTP requests that reached `server`: one connection per request, through
   * the waypoint as two legs (client → waypoint addressed to the Service called, waypoint → the
   * chosen backend), otherwise one leg. Only captured (ambient) ends report (ambient.ts).
   */
  private waypointHop(decision: RouteDecision): WaypointHop | undefined {
    return decision.waypoint && { proxy: decision.waypoint, addressed: this.serviceRef(decision.host) };
  }

  private ztunnelLegs(source: Workload, host: string, backend: ServiceRef, server: Workload, requests: number, waypoint: WaypointHop | undefined): void {
    if (requests <= 0 || !(source.ambient || server.ambient)) return;
    const { behaviour } = this.behaviourOf(server);
    const receivedBytes = Math.round(requests * behaviour.requestBytes * (0.9 + 0.2 * this.random.next()));
    const sentBytes = Math.round(requests * behaviour.responseBytes * (0.9 + 0.2 * this.random.next()));
    const legs = waypoint
      ? [
          { client: source, server: waypoint.proxy, service: this.serviceRef(host) },
          { client: waypoint.proxy, server, service: backend },
        ]
      : [{ client: source, server, service: backend }];
    for (const leg of legs) {
      for (const record of ztunnelReports({ ...leg, connections: requests, sentBytes, receivedBytes })) this.store.recordTcp(record);
    }
  }

  /**
   * Envoy shadows a share of the route's requests to the mirror cluster and drops the answers.
   * The client proxy does not report shadow requests; the mirror's proxy reports them as its own
   * inbound traffic, addressed to the mirror host.
   */
  private mirror(source: Workload, mirror: Mirror, protocol: "http" | "grpc", uri: string, classIndex: number, count: number, inflow: Inflow): void {
    if (count <= 0) return;
    const endpoints = mirror.endpoints.filter((w) => w.replicas > 0);
    if (endpoints.length === 0) return;
    const split = this.random.multinomial(count, endpoints.map((w) => w.replicas));
    const service = this.serviceRef(mirror.host);
    endpoints.forEach((server, index) => {
      const served = split[index] ?? 0;
      if (served === 0) return;
      const connection = this.connection(source, {}, server);
      if (connection.kind === "refused") return;
      // Shadow requests pass the mirror's RBAC filter like any other; a denied one never reaches the app.
      if (!this.authorization(source, server, connection.mutualTls, service, protocol, uri).allowed) return;
      const model = this.behaviourOf(server);
      const errors = this.random.binomial(served, model.behaviour.errorRate);
      const duration = this.wobbled(server, model.duration);
      this.reporter.report("destination", source, server, service, connection.mutualTls, 200, "-", served - errors, duration, {}, model, protocol);
      this.reporter.report("destination", source, server, service, connection.mutualTls, model.behaviour.errorCode, "-", errors, duration, {}, model, protocol);
      addInflow(inflow, server, classIndex, served, this.classes.length);
    });
  }

  private callTcp(source: Workload, host: string, connections: number, inflow: Inflow): void {
    const decision = this.route(source, host, "", 0, true);
    if (!decision) return;
    openTcpConnections(
      {
        random: this.random,
        store: this.store,
        serviceRef: (h) => this.serviceRef(h),
        connection: (client, policy, server) => this.connection(client, policy, server),
        behaviourOf: (w) => this.behaviourOf(w),
        served: (server, count) => addInflow(inflow, server, 0, count, this.classes.length),
      },
      source,
      decision,
      connections,
    );
  }

  private connection(source: Workload, trafficPolicy: TrafficPolicy, server: Workload): ConnectionOutcome {
    const key = `${source.key}\u0001${server.key}\u0001${trafficPolicy.tls?.mode ?? ""}`;
    let outcome = this.connections.get(key);
    if (!outcome) {
      outcome = connectionOutcome(this.snapshot, source, trafficPolicy, server);
      this.connections.set(key, outcome);
    }
    return outcome;
  }

  private authorization(source: Workload, server: Workload, mutualTls: boolean, service: ServiceRef, protocol: "http" | "grpc", uri: string): AuthorizationOutcome {
    const key = `${source.key}\u0001${server.key}\u0001${mutualTls ? 1 : 0}\u0001${service.host}\u0001${uri}`;
    let outcome = this.authorizations.get(key);
    if (!outcome) {
      const port = this.snapshot.services.get(service.host)?.port ?? 80;
      outcome = authorizeInbound(this.snapshot, source, server, mutualTls, { method: protocol === "grpc" ? "POST" : "GET", path: uri, port });
      this.authorizations.set(key, outcome);
    }
    return outcome;
  }

  private outlierSettingsFor(cluster: string, policy: TrafficPolicy): OutlierSettings | undefined {
    if (!this.outlierSettings.has(cluster)) this.outlierSettings.set(cluster, outlierSettingsOf(policy, cluster));
    return this.outlierSettings.get(cluster);
  }

  private behaviourOf(workload: Workload): BehaviourModel {
    let model = this.behaviours.get(workload.key);
    if (!model) {
      const behaviour = withInjectedErrors(behaviourFor(this.model, workload) ?? { ...this.model.fallback, calls: [] }, workload);
      model = {
        behaviour,
        duration: logNormalFromQuantiles(behaviour.latency.medianMs, behaviour.latency.p99Ms),
        requestSize: logNormalFromQuantiles(behaviour.requestBytes, behaviour.requestBytes * 2),
        responseSize: logNormalFromQuantiles(behaviour.responseBytes, behaviour.responseBytes * 2),
      };
      this.behaviours.set(workload.key, model);
    }
    return model;
  }

  private wobbled(workload: Workload, duration: LogNormal): LogNormal {
    let factor = this.latencyWobble.get(workload.key);
    if (factor === undefined) {
      factor = 1;
      this.latencyWobble.set(workload.key, factor);
    }
    return factor === 1 ? duration : { mu: duration.mu + Math.log(factor), sigma: duration.sigma };
  }
}

function addInflow(inflow: Inflow, workload: Workload, classIndex: number, count: number, classCount: number): void {
  if (count <= 0) return;
  let entry = inflow.get(workload.key);
  if (!entry) {
    entry = { workload, perClass: new Array<number>(classCount).fill(0) };
    inflow.set(workload.key, entry);
  }
  entry.perClass[classIndex] = (entry.perClass[classIndex] ?? 0) + count;
}

function tally(outcomes: Map<string, number> | undefined, code: number, flags: string, count: number): void {
  if (!outcomes || count <= 0) return;
  const key = `${code} ${flags}`;
  outcomes.set(key, (outcomes.get(key) ?? 0) + count);
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
