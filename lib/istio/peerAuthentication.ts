/**
 * PeerAuthentication: its schemas and the rules every reader shares (the mTLS readiness view, the
 * enforce-STRICT change). https://istio.io/latest/docs/reference/config/security/peer_authentication/
 *
 * Which policy applies to a workload (Istio's precedence):
 * 1. a policy in the workload's namespace whose `selector` matches the workload's labels;
 * 2. else the namespace-wide policy (no selector) of its namespace;
 * 3. else the mesh-wide policy (no selector) in the root namespace (lib/istio/rootNamespace.ts);
 * 4. else PERMISSIVE.
 * A mode of `UNSET` (or none) inherits from the next scope down that list. Among several policies
 * of one scope Istio takes the oldest (creation time, then name). `portLevelMtls` is honoured only
 * on policies with a selector, per target port, and an `UNSET` port inherits the policy's own
 * (effective) mode.
 */
import { z } from "zod";
import { istioKindInfo } from "@/lib/istioKinds";
import { matchLabelsSchema, metadataSchema, section, writtenMetadataSchema } from "./fields";

export const PEER_AUTHENTICATION = istioKindInfo("PeerAuthentication");

export const MTLS_MODES = ["STRICT", "PERMISSIVE", "DISABLE"] as const;
export type MtlsMode = (typeof MTLS_MODES)[number];

// ---- As written (read-modify-write) -------------------------------------------------------

export const peerAuthenticationSchema = z.looseObject({
  apiVersion: z.string().default("security.istio.io/v1"),
  kind: z.literal("PeerAuthentication").default("PeerAuthentication"),
  metadata: writtenMetadataSchema,
  spec: z.looseObject({
    selector: z.looseObject({ matchLabels: z.record(z.string(), z.string()).nullish() }).nullish(),
    mtls: z.looseObject({ mode: z.string().optional() }).nullish(),
    portLevelMtls: z.record(z.string(), z.looseObject({ mode: z.string().optional() })).nullish(),
  }),
});
export type PeerAuthentication = z.infer<typeof peerAuthenticationSchema>;

// ---- Normalized (read only) -----------------------------------------------------------------

const mtlsSchema = section({ mode: z.string().optional() });

export const normalizedPeerAuthenticationSchema = z.looseObject({
  metadata: metadataSchema,
  spec: section({
    selector: matchLabelsSchema.optional(),
    mtls: mtlsSchema.optional(),
    portLevelMtls: z.preprocess((value) => value ?? {}, z.record(z.string(), mtlsSchema)),
  }),
});
export type NormalizedPeerAuthentication = z.infer<typeof normalizedPeerAuthenticationSchema>;

/** Policies as read from the API or a cache; what does not parse is left out (the validation reports it). */
export function readPeerAuthentications(raw: readonly unknown[]): NormalizedPeerAuthentication[] {
  return raw.flatMap((item) => {
    const parsed = normalizedPeerAuthenticationSchema.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}

// ---- Rules -----------------------------------------------------------------------------------

export type PolicyScope = "workload" | "namespace" | "mesh";

/** Where the effective mode came from: a named policy, or Istio's default. */
export type ModeSource = { scope: PolicyScope; namespace: string; name: string } | { scope: "default" };

export interface PortMode {
  port: number;
  mode: MtlsMode;
}

export interface EffectiveMtls {
  mode: MtlsMode;
  source: ModeSource;
  /** Per-port overrides of the workload's selector policy, already resolved (UNSET ports inherit). */
  ports: PortMode[];
}

function explicitMode(mode: string | undefined): MtlsMode | undefined {
  return (MTLS_MODES as readonly string[]).includes(mode ?? "") ? (mode as MtlsMode) : undefined;
}

function selectorOf(policy: NormalizedPeerAuthentication): Record<string, string> {
  return policy.spec.selector?.matchLabels ?? {};
}

function hasSelector(policy: NormalizedPeerAuthentication): boolean {
  return Object.keys(selectorOf(policy)).length > 0;
}

function selects(policy: NormalizedPeerAuthentication, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(selectorOf(policy)).every(([key, value]) => labels[key] === value);
}

function created(policy: NormalizedPeerAuthentication): string {
  // Loose metadata keeps the creation time as the API sent it (a string, or a Date from client-node).
  const value: unknown = policy.metadata.creationTimestamp;
  return value instanceof Date ? value.toISOString() : typeof value === "string" ? value : "";
}

/** The oldest first, then by name: the one Istio applies among policies of one scope. */
function oldestFirst(a: NormalizedPeerAuthentication, b: NormalizedPeerAuthentication): number {
  return created(a).localeCompare(created(b)) || a.metadata.name.localeCompare(b.metadata.name);
}

export interface MtlsTarget {
  namespace: string;
  /** The workload's pod labels; absent for "the namespace as a whole" (no workload policy applies). */
  labels?: Readonly<Record<string, string>>;
  rootNamespace: string;
}

/** The policy of each scope that applies to the target (at most one per scope). */
export function applicablePolicies(policies: readonly NormalizedPeerAuthentication[], target: MtlsTarget): Partial<Record<PolicyScope, NormalizedPeerAuthentication>> {
  const inNamespace = (namespace: string) => policies.filter((policy) => policy.metadata.namespace === namespace).sort(oldestFirst);
  const local = inNamespace(target.namespace);
  const labels = target.labels;
  return {
    workload: labels ? local.find((policy) => hasSelector(policy) && selects(policy, labels)) : undefined,
    namespace: local.find((policy) => !hasSelector(policy)),
    mesh: inNamespace(target.rootNamespace).find((policy) => !hasSelector(policy)),
  };
}

/** The mode a workload (or, without labels, the namespace as a whole) accepts, and why. */
export function effectiveMtls(policies: readonly NormalizedPeerAuthentication[], target: MtlsTarget): EffectiveMtls {
  const applicable = applicablePolicies(policies, target);
  let mode: MtlsMode = "PERMISSIVE";
  let source: ModeSource = { scope: "default" };
  for (const scope of ["workload", "namespace", "mesh"] as const) {
    const policy = applicable[scope];
    const explicit = explicitMode(policy?.spec.mtls?.mode);
    if (policy && explicit) {
      mode = explicit;
      source = { scope, namespace: policy.metadata.namespace ?? target.namespace, name: policy.metadata.name };
      break;
    }
  }
  const ports: PortMode[] = [];
  const workloadPolicy = applicable.workload;
  if (workloadPolicy) {
    for (const [port, setting] of Object.entries(workloadPolicy.spec.portLevelMtls)) {
      const number = Number(port);
      if (!Number.isInteger(number) || number <= 0) continue;
      ports.push({ port: number, mode: explicitMode(setting.mode) ?? mode });
    }
  }
  return { mode, source, ports: ports.sort((a, b) => a.port - b.port) };
}

/** True when every port of the target accepts only mutual TLS. */
export function isStrictEverywhere(effective: EffectiveMtls): boolean {
  return effective.mode === "STRICT" && effective.ports.every((port) => port.mode === "STRICT");
}

/** The name of the console's workload policy for a workload: `<workload>-strict`. */
export function workloadPolicyName(workload: string): string {
  return `${workload.slice(0, 63 - "-strict".length).replace(/-+$/, "")}-strict`;
}

/** The name Istio's docs and `istioctl` use for a namespace-wide policy. */
export const NAMESPACE_POLICY_NAME = "default";

/**
 * The spec that makes the target STRICT: namespace-wide (`default`, no selector) or for one
 * workload (a selector on the labels given). Port-level overrides of an existing policy are
 * dropped: STRICT means every port.
 */
export function strictSpec(selector?: Readonly<Record<string, string>>): PeerAuthentication["spec"] {
  return { ...(selector && Object.keys(selector).length > 0 ? { selector: { matchLabels: { ...selector } } } : {}), mtls: { mode: "STRICT" } };
}
