/**
 * The answers of /api/security/mtls: mTLS readiness per namespace and workload, and the result of
 * enforcing STRICT (or rolling it back). Built by server/security/, read by components/security/.
 */
import { z } from "zod";
import { MTLS_MODES } from "@/lib/istio/peerAuthentication";

export const mtlsModeSchema = z.enum(MTLS_MODES);

export const modeSourceSchema = z.union([
  z.object({ scope: z.enum(["workload", "namespace", "mesh"]), namespace: z.string(), name: z.string() }),
  z.object({ scope: z.literal("default") }),
]);

export const effectiveMtlsSchema = z.object({
  mode: mtlsModeSchema,
  source: modeSourceSchema,
  ports: z.array(z.object({ port: z.number(), mode: mtlsModeSchema })),
});

/**
 * Who sent plaintext:
 * - `unidentified`: the receiving proxy could not name the caller (`source_workload="unknown"`): a
 *   client outside the mesh, or a pod without a proxy whose identity the mesh does not look up;
 * - `no-proxy`: a workload the mesh names that runs without an Istio proxy;
 * - `meshed`: a workload with a proxy that still sent plaintext (its DestinationRule disables TLS).
 */
export const callerKindSchema = z.enum(["unidentified", "no-proxy", "meshed"]);
export type CallerKind = z.infer<typeof callerKindSchema>;

export const plaintextCallerSchema = z.object({
  kind: callerKindSchema,
  sourceWorkload: z.string().nullable(),
  sourceNamespace: z.string().nullable(),
  destinationWorkload: z.string(),
  destinationNamespace: z.string(),
  requests: z.number(),
  tcpBytes: z.number(),
});
export type PlaintextCaller = z.infer<typeof plaintextCallerSchema>;

export const destinationRuleConflictSchema = z.object({
  namespace: z.string(),
  name: z.string(),
  host: z.string(),
  tlsMode: z.string(),
  /** Where in the rule: `spec.trafficPolicy.tls.mode`, a port-level or a subset setting. */
  path: z.string(),
});
export type DestinationRuleConflict = z.infer<typeof destinationRuleConflictSchema>;

/**
 * - `ready`: no plaintext arrived in the window and enough traffic did to judge: safe to enforce STRICT;
 * - `plaintext`: some inbound traffic was plaintext: STRICT would refuse it;
 * - `too-little-traffic`: no plaintext, but too few requests in the window to be sure;
 * - `enforced`: already STRICT on every port;
 * - `no-proxy`: the workload runs no proxy, so no PeerAuthentication applies to it.
 */
export const mtlsVerdictSchema = z.enum(["ready", "plaintext", "too-little-traffic", "enforced", "no-proxy"]);
export type MtlsVerdict = z.infer<typeof mtlsVerdictSchema>;

export const trafficTotalsSchema = z.object({
  requests: z.number(),
  plaintextRequests: z.number(),
  tcpBytes: z.number(),
  plaintextTcpBytes: z.number(),
});
export type TrafficTotals = z.infer<typeof trafficTotalsSchema>;

/** The console's own policy for the target, when there is one, and whether it can be rolled back. */
export const consolePolicySchema = z.object({
  namespace: z.string(),
  name: z.string(),
  mode: z.string().nullable(),
  createdByConsole: z.boolean(),
  /** The console kept the spec before its change (or that there was none): rollback restores it. */
  rollbackAvailable: z.boolean(),
});
export type ConsolePolicy = z.infer<typeof consolePolicySchema>;

const readinessFields = {
  namespace: z.string(),
  effective: effectiveMtlsSchema,
  verdict: mtlsVerdictSchema,
  reason: z.string(),
  totals: trafficTotalsSchema,
  callers: z.array(plaintextCallerSchema),
  conflicts: z.array(destinationRuleConflictSchema),
  policy: consolePolicySchema.nullable(),
};

export const workloadReadinessSchema = z.object({
  ...readinessFields,
  workload: z.string(),
  labels: z.record(z.string(), z.string()),
  hasProxy: z.boolean(),
});
export type WorkloadReadiness = z.infer<typeof workloadReadinessSchema>;

export const namespaceReadinessSchema = z.object({
  ...readinessFields,
  workloads: z.array(workloadReadinessSchema),
  /** Workload policies that keep a workload off the namespace's mode (a namespace-wide STRICT will not reach them). */
  exceptions: z.array(z.object({ workload: z.string(), policy: z.string(), mode: mtlsModeSchema, ports: z.array(z.number()) })),
});
export type NamespaceReadiness = z.infer<typeof namespaceReadinessSchema>;

export const mtlsReadinessResponseSchema = z.object({
  window: z.string(),
  /** The fewest requests (HTTP and gRPC) in the window to judge; TCP-only targets need MIN_TCP_BYTES instead. */
  minRequests: z.number(),
  minTcpBytes: z.number(),
  namespaces: z.array(namespaceReadinessSchema),
  /** Application workloads without a proxy in the namespaces read: candidates for an unidentified plaintext caller. */
  workloadsWithoutProxy: z.array(z.object({ namespace: z.string(), name: z.string() })),
  /** Whether the mesh-wide policy in the root namespace could be read; when not, "default" may hide it. */
  meshPolicyReadable: z.boolean(),
});
export type MtlsReadinessResponse = z.infer<typeof mtlsReadinessResponseSchema>;

// ---- Enforcing STRICT --------------------------------------------------------------------------

export const mtlsChangeRequestSchema = z.object({
  action: z.enum(["enforce", "rollback"]),
  namespace: z.string(),
  /** Absent: the namespace-wide policy; present: a policy selecting this workload's pods. */
  workload: z.string().optional(),
  dryRun: z.boolean().default(false),
});
export type MtlsChangeRequest = z.infer<typeof mtlsChangeRequestSchema>;

export const mtlsChangeResponseSchema = z.object({
  action: z.enum(["create", "replace", "delete", "unchanged"]),
  dryRun: z.boolean(),
  namespace: z.string(),
  name: z.string(),
  before: z.string().nullable(),
  after: z.string().nullable(),
  /** DestinationRules whose client TLS settings STRICT would break. */
  conflicts: z.array(destinationRuleConflictSchema),
});
export type MtlsChangeResponse = z.infer<typeof mtlsChangeResponseSchema>;
