/**
 * What the controllers have reported in a Gateway API object's `status`, read for people: the
 * conditions istiod writes on routes (`status.parents[].conditions`: Accepted, ResolvedRefs), on
 * Gateways and their listeners (Accepted, Programmed) and on GatewayClasses (Accepted). Which
 * conditions an object *should* get is decided elsewhere (conditions.ts); this module only reads
 * what was written, so the console shows the cluster's own verdict.
 * https://gateway-api.sigs.k8s.io/geps/gep-1364/ (status and conditions)
 */
import { z } from "zod";

/** A `metav1.Condition`: https://pkg.go.dev/k8s.io/apimachinery/pkg/apis/meta/v1#Condition */
const optionalText = z.string().nullish();
export const conditionSchema = z.object({ type: z.string(), status: z.string(), reason: optionalText, message: optionalText, observedGeneration: z.number().nullish(), lastTransitionTime: optionalText });
export type ReportedCondition = z.infer<typeof conditionSchema>;

const parentRefSchema = z.object({
  group: z.string().nullish(),
  kind: z.string().nullish(),
  namespace: z.string().nullish(),
  name: z.string(),
  sectionName: z.string().nullish(),
  port: z.number().nullish(),
});
export type ReportedParentRef = z.infer<typeof parentRefSchema>;

const reportedSchema = z.object({
  kind: z.string().optional(),
  metadata: z.object({ namespace: z.string().optional(), generation: z.number().optional() }).partial().optional(),
  status: z
    .object({
      conditions: z.array(conditionSchema).nullish(),
      parents: z.array(z.object({ parentRef: parentRefSchema, controllerName: z.string().nullish(), conditions: z.array(conditionSchema).nullish() })).nullish(),
      listeners: z.array(z.object({ name: z.string(), attachedRoutes: z.number().nullish(), conditions: z.array(conditionSchema).nullish() })).nullish(),
    })
    .nullish(),
});

/** The conditions that must be True for each kind to be working; anything else is a problem worth showing. */
const REQUIRED: Record<string, readonly string[]> = {
  GatewayClass: ["Accepted"],
  Gateway: ["Accepted", "Programmed"],
  listener: ["Accepted", "Programmed"],
  route: ["Accepted", "ResolvedRefs"],
};

export interface ConditionGroup {
  /** What the conditions are about: "Gateway", "listener http", "parent Gateway storefront/storefront-gateway". */
  readonly subject: string;
  readonly conditions: readonly ReportedCondition[];
  /** Required conditions that are not True (missing ones included, as status "Unknown"). */
  readonly failing: readonly ReportedCondition[];
}

export interface ReportedStatus {
  /** ok: every required condition True; problem: one is False or missing; pending: nothing reported yet. */
  readonly state: "ok" | "problem" | "pending";
  /** One line for lists: "Accepted", "Accepted, Programmed", "Accepted False: NotAllowedByListeners". */
  readonly summary: string;
  readonly groups: readonly ConditionGroup[];
}

/** "Gateway storefront/storefront-gateway (listener http)", "Service storefront/catalog:8080". */
export function describeParentRef(ref: ReportedParentRef, routeNamespace: string): string {
  const kind = ref.kind ?? "Gateway";
  const namespace = ref.namespace ?? routeNamespace;
  return `${kind} ${namespace}/${ref.name}${ref.port ? `:${ref.port}` : ""}${ref.sectionName ? ` (listener ${ref.sectionName})` : ""}`;
}

function group(subject: string, conditions: readonly ReportedCondition[], required: readonly string[]): ConditionGroup {
  const failing = required.flatMap((type): ReportedCondition[] => {
    const found = conditions.find((condition) => condition.type === type);
    if (!found) return [{ type, status: "Unknown", reason: "NotReported", message: `No ${type} condition has been written` }];
    return found.status === "True" ? [] : [found];
  });
  return { subject, conditions, failing };
}

/**
 * The status a Gateway API object carries, per subject, with the required conditions that fail.
 * `apiKind` is the object's own kind field (`Gateway`, `HTTPRoute`, …).
 */
export function reportedStatusOf(apiKind: string, raw: unknown): ReportedStatus {
  const parsed = reportedSchema.safeParse(raw);
  const status = parsed.success ? parsed.data.status : undefined;
  const namespace = parsed.success ? (parsed.data.metadata?.namespace ?? "") : "";
  const groups: ConditionGroup[] = [];
  if (apiKind === "GatewayClass" || apiKind === "Gateway") {
    const conditions = status?.conditions ?? [];
    if (conditions.length > 0) groups.push(group(apiKind, conditions, REQUIRED[apiKind]!));
    for (const listener of status?.listeners ?? []) groups.push(group(`listener ${listener.name}`, listener.conditions ?? [], REQUIRED.listener!));
  } else if (apiKind === "ReferenceGrant") {
    return { state: "ok", summary: "No status (a ReferenceGrant has none)", groups: [] };
  } else {
    for (const parent of status?.parents ?? []) groups.push(group(`parent ${describeParentRef(parent.parentRef, namespace)}`, parent.conditions ?? [], REQUIRED.route!));
  }
  if (groups.length === 0) return { state: "pending", summary: "No status reported yet", groups };
  const failing = groups.flatMap((entry) => entry.failing);
  if (failing.length === 0) {
    const required = apiKind === "GatewayClass" || apiKind === "Gateway" ? REQUIRED[apiKind]! : REQUIRED.route!;
    return { state: "ok", summary: required.join(", "), groups };
  }
  const first = failing[0]!;
  return { state: "problem", summary: `${first.type} ${first.status}${first.reason ? `: ${first.reason}` : ""}${failing.length > 1 ? ` (+${failing.length - 1} more)` : ""}`, groups };
}
