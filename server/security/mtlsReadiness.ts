/**
 * Whether a namespace or workload is ready for STRICT mutual TLS, from what its proxies reported
 * over a window and the config that applies. Pure: server/security/index.ts reads Prometheus and
 * the API and calls `namespaceReadiness`.
 *
 * Only the server's proxy knows whether a connection was mutual TLS, so the samples are the
 * destination's reports (`reporter="destination"`), by `connection_security_policy`
 * (`mutual_tls` or `none`) and the caller's labels (`source_workload="unknown"` when the proxy
 * could not name the caller). https://istio.io/latest/docs/reference/config/metrics/#labels
 *
 * The verdict is "safe to enforce STRICT" only when no plaintext arrived in the window and the
 * window held enough traffic to judge: at least MIN_REQUESTS HTTP/gRPC requests, or for targets
 * that only speak TCP at least MIN_TCP_BYTES received. A quiet window proves nothing: a nightly
 * job without a proxy would be refused the first time it runs after the change.
 */
import type { ConsolePolicy, DestinationRuleConflict, MtlsVerdict, NamespaceReadiness, PlaintextCaller, TrafficTotals, WorkloadReadiness } from "@/lib/api/mtls";
import { normalizedDestinationRuleSchema, type ClientTls } from "@/lib/istio/destinationRule";
import { hostAppliesToService } from "@/lib/istio/host";
import { effectiveMtls, isStrictEverywhere, type EffectiveMtls, type NormalizedPeerAuthentication } from "@/lib/istio/peerAuthentication";
import type { VectorSample } from "@/server/prometheus/responses";

/** The fewest HTTP/gRPC requests in the window for a verdict of "safe". */
export const MIN_REQUESTS = 100;
/** For targets that receive only TCP: the fewest bytes received in the window. */
export const MIN_TCP_BYTES = 64 * 1024;

const UNKNOWN = "unknown";

/** One destination-reported figure over the window, by caller and security policy. */
export interface SecuritySample {
  destinationNamespace: string;
  destinationWorkload: string;
  sourceWorkload: string | null;
  sourceNamespace: string | null;
  mutualTls: boolean;
  requests: number;
  tcpBytes: number;
}

/**
 * Prometheus samples (requests and TCP bytes received, each summed by the destination and source
 * workload labels and `connection_security_policy`) into SecuritySamples. Series whose policy is
 * neither `mutual_tls` nor `none` (a client's own report) are left out.
 */
export function securitySamples(requests: readonly VectorSample[], tcpBytes: readonly VectorSample[]): SecuritySample[] {
  const read = (sample: VectorSample, unit: "requests" | "tcpBytes"): SecuritySample[] => {
    const labels = sample.metric;
    const policy = labels.connection_security_policy;
    if (policy !== "mutual_tls" && policy !== "none") return [];
    const value = Number(sample.value[1]);
    if (!Number.isFinite(value) || value <= 0) return [];
    const known = (name: string | undefined) => (name && name !== UNKNOWN ? name : null);
    return [
      {
        destinationNamespace: labels.destination_workload_namespace ?? UNKNOWN,
        destinationWorkload: labels.destination_workload ?? UNKNOWN,
        sourceWorkload: known(labels.source_workload),
        sourceNamespace: known(labels.source_workload) ? known(labels.source_workload_namespace) : null,
        mutualTls: policy === "mutual_tls",
        requests: unit === "requests" ? value : 0,
        tcpBytes: unit === "tcpBytes" ? value : 0,
      },
    ];
  };
  return [...requests.flatMap((sample) => read(sample, "requests")), ...tcpBytes.flatMap((sample) => read(sample, "tcpBytes"))];
}

export interface InventoryWorkload {
  namespace: string;
  name: string;
  /** The pod template's labels: what a workload selector matches. */
  labels: Record<string, string>;
  /** Every pod runs an Istio proxy (a workload with no pods counts as having none). */
  hasProxy: boolean;
  /** Only applications are expected to run a proxy (server/telemetry/systemWorkloads.ts). */
  application: boolean;
}

export interface InventoryService {
  namespace: string;
  name: string;
  selector: Record<string, string>;
}

export interface ReadinessInput {
  namespace: string;
  rootNamespace: string;
  samples: readonly SecuritySample[];
  /** Workloads of every namespace read (callers are looked up here). */
  workloads: readonly InventoryWorkload[];
  services: readonly InventoryService[];
  peerAuthentications: readonly NormalizedPeerAuthentication[];
  /** DestinationRules as read (any namespace the person may read). */
  destinationRules: readonly unknown[];
  /** The console's policy for the namespace and for each workload (by name), when there is one. */
  policies: { namespace: ConsolePolicy | null; workloads: ReadonlyMap<string, ConsolePolicy> };
}

export function totalsOf(samples: readonly SecuritySample[]): TrafficTotals {
  const totals: TrafficTotals = { requests: 0, plaintextRequests: 0, tcpBytes: 0, plaintextTcpBytes: 0 };
  for (const sample of samples) {
    totals.requests += sample.requests;
    totals.tcpBytes += sample.tcpBytes;
    if (!sample.mutualTls) {
      totals.plaintextRequests += sample.requests;
      totals.plaintextTcpBytes += sample.tcpBytes;
    }
  }
  return totals;
}

/** The plaintext callers among the samples, one per caller and destination workload, the busiest first. */
export function plaintextCallers(samples: readonly SecuritySample[], workloads: readonly InventoryWorkload[]): PlaintextCaller[] {
  const byKey = new Map<string, PlaintextCaller>();
  for (const sample of samples) {
    if (sample.mutualTls) continue;
    const key = `${sample.sourceNamespace ?? ""}/${sample.sourceWorkload ?? ""}>${sample.destinationNamespace}/${sample.destinationWorkload}`;
    const caller = byKey.get(key) ?? {
      kind: callerKind(sample, workloads),
      sourceWorkload: sample.sourceWorkload,
      sourceNamespace: sample.sourceNamespace,
      destinationWorkload: sample.destinationWorkload,
      destinationNamespace: sample.destinationNamespace,
      requests: 0,
      tcpBytes: 0,
    };
    caller.requests += sample.requests;
    caller.tcpBytes += sample.tcpBytes;
    byKey.set(key, caller);
  }
  return [...byKey.values()].sort((a, b) => b.requests - a.requests || b.tcpBytes - a.tcpBytes || a.destinationWorkload.localeCompare(b.destinationWorkload));
}

function callerKind(sample: SecuritySample, workloads: readonly InventoryWorkload[]): PlaintextCaller["kind"] {
  if (!sample.sourceWorkload) return "unidentified";
  const workload = workloads.find((candidate) => candidate.name === sample.sourceWorkload && candidate.namespace === sample.sourceNamespace);
  return workload && !workload.hasProxy ? "no-proxy" : "meshed";
}

/** The verdict, in order: no proxy, already STRICT, plaintext seen, too little traffic, safe. */
export function verdictOf(totals: TrafficTotals, effective: EffectiveMtls, hasProxy: boolean): { verdict: MtlsVerdict; reason: string } {
  if (!hasProxy) return { verdict: "no-proxy", reason: "No Istio proxy runs in its pods, so no PeerAuthentication applies; inject a proxy first" };
  if (isStrictEverywhere(effective)) return { verdict: "enforced", reason: "Already STRICT on every port: only mutual TLS is accepted" };
  if (totals.plaintextRequests > 0 || totals.plaintextTcpBytes > 0) {
    const parts = [totals.plaintextRequests > 0 ? `${formatCount(totals.plaintextRequests)} plaintext request${totals.plaintextRequests === 1 ? "" : "s"}` : "", totals.plaintextTcpBytes > 0 ? `${formatCount(totals.plaintextTcpBytes)} bytes of plaintext TCP` : ""].filter(Boolean);
    return { verdict: "plaintext", reason: `Not ready: ${parts.join(" and ")} arrived in the window; STRICT would refuse them` };
  }
  if (totals.requests < MIN_REQUESTS && totals.tcpBytes < MIN_TCP_BYTES) {
    return { verdict: "too-little-traffic", reason: `No plaintext, but only ${formatCount(totals.requests)} request${totals.requests === 1 ? "" : "s"} arrived in the window; at least ${MIN_REQUESTS} are needed to judge (pick a longer window)` };
  }
  return { verdict: "ready", reason: "Safe to enforce STRICT: every request in the window used mutual TLS" };
}

function formatCount(value: number): string {
  return value >= 10 ? String(Math.round(value)) : String(Math.round(value * 10) / 10);
}

function clientTlsSettings(rule: { spec: { trafficPolicy?: { tls?: ClientTls; portLevelSettings: { port: { number?: number }; tls?: ClientTls }[] }; subsets: { name: string; trafficPolicy?: { tls?: ClientTls; portLevelSettings: { port: { number?: number }; tls?: ClientTls }[] } }[] } }) {
  const settings: { tls: ClientTls; path: string }[] = [];
  const add = (policy: { tls?: ClientTls; portLevelSettings: { tls?: ClientTls }[] } | undefined, prefix: string) => {
    if (!policy) return;
    if (policy.tls) settings.push({ tls: policy.tls, path: `${prefix}.tls.mode` });
    policy.portLevelSettings.forEach((setting, index) => {
      if (setting.tls) settings.push({ tls: setting.tls, path: `${prefix}.portLevelSettings[${index}].tls.mode` });
    });
  };
  add(rule.spec.trafficPolicy, "spec.trafficPolicy");
  rule.spec.subsets.forEach((subset, index) => add(subset.trafficPolicy, `spec.subsets[${index}].trafficPolicy`));
  return settings;
}

/**
 * DestinationRules that would break under STRICT: client TLS toward the services given is
 * `DISABLE` (plaintext) or `SIMPLE`/`MUTUAL` (TLS with the application's certificates, not Istio's),
 * which a STRICT server refuses. ISTIO_MUTUAL and no setting (auto mTLS) are fine.
 * https://istio.io/latest/docs/ops/configuration/traffic-management/tls-configuration/
 */
export function strictConflicts(destinationRules: readonly unknown[], services: readonly InventoryService[]): DestinationRuleConflict[] {
  const conflicts: DestinationRuleConflict[] = [];
  for (const raw of destinationRules) {
    const parsed = normalizedDestinationRuleSchema.safeParse(raw);
    if (!parsed.success) continue;
    const rule = parsed.data;
    const namespace = rule.metadata.namespace ?? "";
    if (!services.some((service) => hostAppliesToService(rule.spec.host, namespace, { namespace: service.namespace, service: service.name }))) continue;
    for (const { tls, path } of clientTlsSettings(rule)) {
      const mode = tls.mode ?? "";
      if (mode === "DISABLE" || mode === "SIMPLE" || mode === "MUTUAL") conflicts.push({ namespace, name: rule.metadata.name, host: rule.spec.host, tlsMode: mode, path });
    }
  }
  return conflicts.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name) || a.path.localeCompare(b.path));
}

function selects(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}

/** Readiness of one workload of the namespace. */
export function workloadReadiness(input: ReadinessInput, workload: InventoryWorkload): WorkloadReadiness {
  const samples = input.samples.filter((sample) => sample.destinationNamespace === workload.namespace && sample.destinationWorkload === workload.name);
  const effective = effectiveMtls(input.peerAuthentications, { namespace: workload.namespace, labels: workload.labels, rootNamespace: input.rootNamespace });
  const totals = totalsOf(samples);
  const services = input.services.filter((service) => service.namespace === workload.namespace && selects(service.selector, workload.labels));
  return {
    namespace: workload.namespace,
    workload: workload.name,
    labels: workload.labels,
    hasProxy: workload.hasProxy,
    effective,
    ...verdictOf(totals, effective, workload.hasProxy),
    totals,
    callers: plaintextCallers(samples, input.workloads),
    conflicts: strictConflicts(input.destinationRules, services),
    policy: input.policies.workloads.get(workload.name) ?? null,
  };
}

/**
 * Readiness of a namespace: its application workloads (those without a proxy are listed but do
 * not count: STRICT does not reach them), the traffic all of them received, and the mode a
 * namespace-wide policy gives (workload policies may override it: listed as exceptions).
 */
export function namespaceReadiness(input: ReadinessInput): NamespaceReadiness {
  const own = input.workloads.filter((workload) => workload.namespace === input.namespace && workload.application);
  const workloads = own.map((workload) => workloadReadiness(input, workload)).sort((a, b) => a.workload.localeCompare(b.workload));
  const samples = input.samples.filter((sample) => sample.destinationNamespace === input.namespace);
  const totals = totalsOf(samples);
  const effective = effectiveMtls(input.peerAuthentications, { namespace: input.namespace, rootNamespace: input.rootNamespace });
  const proxied = workloads.filter((workload) => workload.hasProxy);
  const exceptions = proxied.flatMap((workload) => {
    const { source, mode, ports } = workload.effective;
    const differing = ports.filter((port) => port.mode !== "STRICT").map((port) => port.port);
    if (source.scope !== "workload" || (mode === "STRICT" && differing.length === 0)) return [];
    return [{ workload: workload.workload, policy: source.name, mode, ports: differing }];
  });
  let verdict = verdictOf(totals, effective, proxied.length > 0 || own.length === 0);
  if (verdict.verdict === "enforced" && proxied.some((workload) => workload.verdict !== "enforced")) {
    // The namespace says STRICT, but a workload policy keeps some workload off it.
    verdict = verdictOf(totals, { ...effective, mode: "PERMISSIVE" }, true);
  }
  return {
    namespace: input.namespace,
    effective,
    ...verdict,
    totals,
    callers: plaintextCallers(samples, input.workloads),
    conflicts: strictConflicts(input.destinationRules, input.services.filter((service) => service.namespace === input.namespace)),
    policy: input.policies.namespace,
    workloads,
    exceptions,
  };
}
