/**
 * Plays istiod's side of config distribution: every change is pushed to the connected proxies
 * (pilot_xds_pushes, pilot_proxy_convergence_time), and config Envoy would refuse is NACKed
 * (pilot_total_xds_rejects) while the proxies keep their last accepted config.
 *
 * The reject case simulated: a VirtualService `regex` match that RE2 cannot compile (lookaround,
 * backreferences). Envoy rejects the RDS update; each sidecar sends a NACK.
 * https://istio.io/latest/docs/reference/commands/pilot-discovery/#metrics
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { MeshSnapshot } from "./mesh";
import { parseDurationMs, type DestinationRuleObject, type HttpMatch, type VirtualServiceObject } from "./mesh-schemas";
import { re2Problem } from "./re2";
import type { Random } from "./random";

export const XDS_TYPES = ["cds", "eds", "lds", "rds"] as const;
export type XdsType = (typeof XDS_TYPES)[number];

/** istiod's buckets for pilot_proxy_convergence_time, in seconds. */
export const CONVERGENCE_BUCKETS_S = [0.1, 0.5, 1, 3, 5, 10, 20, 30];

/** The proxy version reported on pilot_xds. */
export const PROXY_VERSION = "1.24.2";

export interface ConfigProblem {
  object: string;
  reason: string;
  /** True when the proxies would NACK it (counted in pilot_total_xds_rejects). */
  envoyRejects: boolean;
}

function matchProblems(match: HttpMatch, where: string): string[] {
  const patterns: Array<[string, string | undefined]> = [
    [`${where}.uri.regex`, match.uri?.regex],
    [`${where}.method.regex`, match.method?.regex],
    ...Object.entries(match.headers ?? {}).map(([name, m]): [string, string | undefined] => [`${where}.headers.${name}.regex`, m.regex]),
    ...Object.entries(match.withoutHeaders ?? {}).map(([name, m]): [string, string | undefined] => [`${where}.withoutHeaders.${name}.regex`, m.regex]),
  ];
  return patterns.flatMap(([field, pattern]) => {
    const problem = pattern === undefined ? undefined : re2Problem(pattern);
    return problem ? [`${field}: ${problem}`] : [];
  });
}

function durationProblems(fields: Array<[string, string | undefined]>): string[] {
  return fields.flatMap(([field, value]) => {
    if (value === undefined) return [];
    try {
      parseDurationMs(value, field);
      return [];
    } catch (error) {
      return [(error as Error).message];
    }
  });
}

export function virtualServiceProblem(vs: VirtualServiceObject): ConfigProblem | undefined {
  const object = `VirtualService ${vs.metadata.namespace ?? "default"}/${vs.metadata.name}`;
  const routes = vs.spec.http ?? [];
  const regexProblems = routes.flatMap((route, r) => (route.match ?? []).flatMap((m, i) => matchProblems(m, `spec.http[${r}].match[${i}]`)));
  if (regexProblems.length > 0) return { object, reason: regexProblems.join("; "), envoyRejects: true };
  const durations = durationProblems(
    routes.flatMap((route, r): Array<[string, string | undefined]> => [
      [`spec.http[${r}].timeout`, route.timeout],
      [`spec.http[${r}].retries.perTryTimeout`, route.retries?.perTryTimeout],
      [`spec.http[${r}].fault.delay.fixedDelay`, route.fault?.delay?.fixedDelay],
    ]),
  );
  return durations.length > 0 ? { object, reason: durations.join("; "), envoyRejects: false } : undefined;
}

export function destinationRuleProblem(dr: DestinationRuleObject): ConfigProblem | undefined {
  const object = `DestinationRule ${dr.metadata.namespace ?? "default"}/${dr.metadata.name}`;
  const policies = [
    ["spec.trafficPolicy", dr.spec.trafficPolicy] as const,
    ...(dr.spec.subsets ?? []).map((s, i) => [`spec.subsets[${i}].trafficPolicy`, s.trafficPolicy] as const),
  ];
  const problems = durationProblems(
    policies.flatMap(([where, policy]): Array<[string, string | undefined]> => [
      [`${where}.outlierDetection.baseEjectionTime`, policy?.outlierDetection?.baseEjectionTime],
      [`${where}.outlierDetection.interval`, policy?.outlierDetection?.interval],
    ]),
  );
  return problems.length > 0 ? { object, reason: problems.join("; "), envoyRejects: false } : undefined;
}

/**
 * Sidecars, gateways and waypoints (one connection per pod), plus one ztunnel per node once the
 * mesh has ambient workloads (ztunnel runs as a DaemonSet on every node).
 */
export function connectedProxies(snapshot: MeshSnapshot): number {
  let proxies = 0;
  let ambient = false;
  const nodes = new Set<string>();
  for (const workload of snapshot.workloads.values()) {
    if (workload.hasProxy) proxies += workload.replicas;
    if (workload.ambient) ambient = true;
    if (workload.node !== undefined && workload.replicas > 0) nodes.add(workload.node);
  }
  return ambient ? proxies + nodes.size : proxies;
}

function keyOf(object: { metadata: { namespace?: string; name: string } }): string {
  return `${object.metadata.namespace ?? "default"}/${object.metadata.name}`;
}

export class IstiodSimulation {
  readonly registry = new Registry();
  private readonly pushes = new Counter({ name: "pilot_xds_pushes", help: "Pilot build and send errors for lds, rds, cds and eds.", labelNames: ["type"], registers: [this.registry] });
  private readonly rejects = new Counter({ name: "pilot_total_xds_rejects", help: "Total number of XDS responses from pilot rejected by proxy.", labelNames: ["type"], registers: [this.registry] });
  private readonly convergence = new Histogram({ name: "pilot_proxy_convergence_time", help: "Delay in seconds between config change and a proxy receiving all required configuration.", buckets: CONVERGENCE_BUCKETS_S, registers: [this.registry] });
  private readonly connected = new Gauge({ name: "pilot_xds", help: "Number of endpoints connected to this pilot using XDS.", labelNames: ["version"], registers: [this.registry] });

  private readonly acceptedVirtualServices = new Map<string, VirtualServiceObject>();
  private readonly acceptedDestinationRules = new Map<string, DestinationRuleObject>();
  /** Rejected versions already NACKed, so a resync does not count the same NACK twice. */
  private readonly nackedVersions = new Set<string>();
  /** Per xDS type, why the proxies NACKed the config now in force (cleared once a push is accepted). */
  private rejectedNow = new Map<XdsType, string>();
  /** Per xDS type, how many pushes istiod has sent and when the last one went out: the syncz nonces. */
  private readonly sent = new Map<XdsType, { count: number; at: Date }>();
  private lastConfigSignature = "";
  private lastEndpointSignature = "";
  private proxies = 0;

  constructor(
    private readonly random: Random,
    private readonly log: (message: string) => void = () => {},
  ) {
    for (const type of XDS_TYPES) {
      this.pushes.inc({ type }, 0);
      this.rejects.inc({ type }, 0);
    }
  }

  /**
   * Filters incoming config the way the data plane ends up applying it: objects with a problem
   * are replaced by their last accepted version (or dropped if there was none).
   */
  admit(snapshot: MeshSnapshot): MeshSnapshot {
    this.proxies = connectedProxies(snapshot);
    this.rejectedNow = new Map();
    const virtualServices = this.admitKind(snapshot.virtualServices, this.acceptedVirtualServices, virtualServiceProblem, "rds");
    const destinationRules = this.admitKind(snapshot.destinationRules, this.acceptedDestinationRules, destinationRuleProblem, "cds");
    return { ...snapshot, virtualServices, destinationRules };
  }

  private admitKind<T extends { metadata: { namespace?: string; name: string; resourceVersion?: string } }>(
    incoming: T[],
    accepted: Map<string, T>,
    problemOf: (object: T) => ConfigProblem | undefined,
    xdsType: XdsType,
  ): T[] {
    const present = new Set<string>();
    const result: T[] = [];
    for (const object of incoming) {
      const key = keyOf(object);
      present.add(key);
      const problem = problemOf(object);
      if (!problem) {
        accepted.set(key, object);
        result.push(object);
        continue;
      }
      if (problem.envoyRejects) this.rejectedNow.set(xdsType, `${problem.object}: ${problem.reason}`);
      const version = `${key}@${object.metadata.resourceVersion ?? JSON.stringify(object)}`;
      if (!this.nackedVersions.has(version)) {
        this.nackedVersions.add(version);
        this.log(`${problem.object} not applied: ${problem.reason}${accepted.has(key) ? " (proxies keep the previous version)" : ""}`);
        if (problem.envoyRejects) this.rejects.inc({ type: xdsType }, Math.max(1, this.proxies));
      }
      const previous = accepted.get(key);
      if (previous) result.push(previous);
    }
    for (const key of accepted.keys()) if (!present.has(key)) accepted.delete(key);
    return result;
  }

  /** Pushes what changed to every connected proxy: config → full push; endpoints only → EDS. */
  observe(snapshot: MeshSnapshot): { pushed: XdsType[] } {
    const proxies = connectedProxies(snapshot);
    this.proxies = proxies;
    this.connected.reset();
    this.connected.set({ version: PROXY_VERSION }, proxies);

    const configSignature = JSON.stringify([
      snapshot.virtualServices.map((o) => [keyOf(o), o.spec]),
      snapshot.destinationRules.map((o) => [keyOf(o), o.spec]),
      snapshot.peerAuthentications.map((o) => [keyOf(o), o.spec]),
      snapshot.authorizationPolicies.map((o) => [keyOf(o), o.spec]),
      [...snapshot.services.keys()],
    ]);
    const endpointSignature = JSON.stringify([...snapshot.workloads.values()].map((w) => [w.key, w.replicas, w.labels]));
    let pushed: XdsType[] = [];
    if (configSignature !== this.lastConfigSignature) pushed = [...XDS_TYPES];
    else if (endpointSignature !== this.lastEndpointSignature) pushed = ["eds"];
    this.lastConfigSignature = configSignature;
    this.lastEndpointSignature = endpointSignature;
    if (pushed.length === 0 || proxies === 0) return { pushed };
    const now = new Date();
    for (const type of pushed) this.sent.set(type, { count: (this.sent.get(type)?.count ?? 0) + 1, at: now });

    for (const type of pushed) this.pushes.inc({ type }, proxies);
    // Convergence grows with the number of proxies istiod has to serve; a handful of draws per
    // push keeps the histogram's shape without one observation per proxy.
    const draws = Math.min(proxies, 50);
    const weight = proxies / draws;
    for (let i = 0; i < draws; i++) {
      const seconds = (0.02 + proxies * 0.0004) * Math.exp(0.6 * this.random.normal());
      for (let w = 0; w < Math.round(weight * (i + 1)) - Math.round(weight * i); w++) this.convergence.observe(seconds);
    }
    return { pushed };
  }

  /**
   * What istiod has sent per xDS type (push count as the nonce, time of the last push) and which
   * types the proxies currently NACK, with Envoy's reason: the state behind /debug/syncz (syncz.ts).
   */
  syncState(): { sent: ReadonlyMap<XdsType, { count: number; at: Date }>; rejected: ReadonlyMap<XdsType, string> } {
    return { sent: this.sent, rejected: this.rejectedNow };
  }

  async metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
