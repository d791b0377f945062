/**
 * What the authorization endpoints answer and accept (app/api/security/authorization): the ALLOW
 * policy proposed from a workload's observed callers with its preview, and the apply/rollback body.
 */
import { z } from "zod";
import { namespaceNameSchema, objectNameSchema } from "@/lib/kubeNames";

export const AUTHORIZATION_GRANULARITIES = ["principals", "namespaces"] as const;
export const authorizationGranularitySchema = z.enum(AUTHORIZATION_GRANULARITIES);
export type AuthorizationGranularity = z.infer<typeof authorizationGranularitySchema>;

const decisionSchema = z.object({ allowed: z.boolean(), reason: z.string(), policy: z.string().nullable(), uncertain: z.boolean() });

export const callerPreviewSchema = z.object({
  sourceWorkload: z.string(),
  sourceNamespace: z.string(),
  /** null: the caller had no mTLS identity (plain text, outside the mesh). */
  principal: z.string().nullable(),
  protocol: z.string(),
  requests: z.number(),
  /** Under the policies in force now. */
  now: decisionSchema,
  /** Under the same policies plus the proposal. */
  proposed: decisionSchema,
});
export type CallerPreview = z.infer<typeof callerPreviewSchema>;

const policyObjectSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.literal("AuthorizationPolicy"),
  metadata: z.looseObject({ name: z.string(), namespace: z.string().optional() }),
  spec: z.looseObject({}),
});

export const authorizationProposalSchema = z.object({
  namespace: z.string(),
  workload: z.string(),
  granularity: authorizationGranularitySchema,
  windowSeconds: z.number(),
  /** The principals or namespaces the policy admits. */
  sources: z.array(z.string()),
  policy: policyObjectSchema,
  yaml: z.string(),
  callers: z.array(callerPreviewSchema),
  totalRequests: z.number(),
  /** True when a caller allowed now would be denied by the proposal. */
  deniesObservedTraffic: z.boolean(),
  deniedObserved: z.object({ callers: z.number(), requests: z.number() }),
  /** What the proposal does to a caller the window never saw. */
  newcomer: decisionSchema.extend({ principal: z.string() }),
  notes: z.array(z.string()),
});
export type AuthorizationProposal = z.infer<typeof authorizationProposalSchema>;

/** GET /api/security/authorization: the proposal, and the console's policy as it stands. */
export const authorizationStateSchema = z.object({
  proposal: authorizationProposalSchema,
  /** The console's policy for this workload, when there is one. */
  current: z.object({ name: z.string(), resourceVersion: z.string(), yaml: z.string(), rollbackAvailable: z.boolean() }).nullable(),
  canWrite: z.boolean(),
  reason: z.string().optional(),
});
export type AuthorizationState = z.infer<typeof authorizationStateSchema>;

/** A principal as AuthorizationPolicy names it (`cluster.local/ns/NS/sa/SA`), or a namespace. */
const sourceValueSchema = z.string().min(1).max(512).regex(/^[A-Za-z0-9._\-/:]+$/, "expected a principal (cluster.local/ns/NS/sa/SA) or a namespace");

/** PUT /api/security/authorization: apply what was previewed (the sources shown), or roll back. */
export const authorizationChangeSchema = z.discriminatedUnion("action", [
  z.object({
    action: z.literal("apply"),
    namespace: namespaceNameSchema,
    workload: objectNameSchema,
    granularity: authorizationGranularitySchema,
    sources: z.array(sourceValueSchema).max(500),
    /** The console's policy's resourceVersion as previewed; absent when there was none. */
    resourceVersion: z.string().optional(),
    dryRun: z.boolean().default(false),
  }),
  z.object({ action: z.literal("rollback"), namespace: namespaceNameSchema, workload: objectNameSchema, resourceVersion: z.string(), dryRun: z.boolean().default(false) }),
]);
export type AuthorizationChange = z.infer<typeof authorizationChangeSchema>;

export const authorizationChangeResultSchema = z.object({
  action: z.enum(["create", "replace", "delete", "unchanged"]),
  dryRun: z.boolean(),
  name: z.string(),
  before: z.string().nullable(),
  after: z.string().nullable(),
});
export type AuthorizationChangeResult = z.infer<typeof authorizationChangeResultSchema>;

export function authorizationPath(query: { namespace: string; workload: string; window: string; granularity: AuthorizationGranularity }): string {
  return `/api/security/authorization?${new URLSearchParams(query)}`;
}
