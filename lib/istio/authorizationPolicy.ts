/**
 * AuthorizationPolicy: its schemas and the one evaluator of Istio's authorization semantics, for
 * every reader (the policy proposal, the demo's simulated enforcement, the graph's "a policy would
 * deny this edge"). https://istio.io/latest/docs/reference/config/security/authorization-policy/
 *
 * - `authorizationPolicySchema`, as written: absent fields stay absent and unknown ones pass
 *   through, so a read-modify-write hands back everything it did not mean to change;
 * - `normalizedAuthorizationPolicySchema`, for the evaluator: absent, null and empty read as empty.
 *
 * What the evaluator follows (Istio's own order, pilot/pkg/security/authz):
 * 1. A policy applies to a workload when it sits in the workload's namespace, or in the root
 *    namespace (mesh-wide), and its `selector.matchLabels` all equal the workload's labels (no
 *    selector: every workload there). A policy with `targetRefs` applies where the named Service's
 *    waypoint (or gateway) enforces it, never at a sidecar: here, when a targetRef names one of the
 *    workload's Services.
 * 2. CUSTOM first: a matching CUSTOM policy hands the request to an external authorizer whose
 *    answer the console cannot know (`uncertain`). Then DENY: any match denies. Then ALLOW: with no
 *    ALLOW policy the request is allowed; with some, it must match one of their rules. AUDIT never
 *    decides.
 * 3. A policy without rules matches nothing (an ALLOW policy without rules is "allow nothing"); an
 *    empty rule matches everything. Within a rule, `from`, `to` and `when` must all match; one
 *    entry of `from` (or `to`) is enough; within an entry every field set must match; within a field
 *    one value is enough and the `not` list must not match.
 * 4. Principals and namespaces come from the peer's mTLS certificate: a plain-text request has
 *    neither, so `principals` and `namespaces` never match it, and `notPrincipals`/`notNamespaces`
 *    always do (https://istio.io/latest/news/security/istio-security-2021-004/).
 * 5. Values match exactly, by prefix (`abc*`), by suffix (`*abc`), or by presence (`*`).
 * A field or condition the evaluator cannot check (JWT request principals, IP blocks, hosts,
 * headers, path templates) makes its rule not match, and the reason says which field it was.
 */
import { z } from "zod";
import { istioKindInfo } from "@/lib/istioKinds";
import { list, matchLabelsSchema, metadataSchema, section, writtenMetadataSchema } from "./fields";
import { MESH_ROOT_NAMESPACE } from "./rootNamespace";

export const AUTHORIZATION_POLICY = istioKindInfo("AuthorizationPolicy");

export const AUTHORIZATION_ACTIONS = ["ALLOW", "DENY", "AUDIT", "CUSTOM"] as const;
export type AuthorizationAction = (typeof AUTHORIZATION_ACTIONS)[number];

// ---- As written (read-modify-write) -------------------------------------------------------

export const authorizationPolicySchema = z.looseObject({
  apiVersion: z.string().default("security.istio.io/v1"),
  kind: z.literal("AuthorizationPolicy").default("AuthorizationPolicy"),
  metadata: writtenMetadataSchema,
  spec: z.looseObject({
    selector: z.looseObject({ matchLabels: z.record(z.string(), z.string()).optional() }).optional(),
    action: z.string().optional(),
    rules: z.array(z.record(z.string(), z.unknown())).optional(),
  }),
});
export type AuthorizationPolicy = z.infer<typeof authorizationPolicySchema>;

// ---- Normalized (read only) -----------------------------------------------------------------

const values = list(z.string());

const sourceSchema = section({
  principals: values,
  notPrincipals: values,
  namespaces: values,
  notNamespaces: values,
  requestPrincipals: values,
  notRequestPrincipals: values,
  ipBlocks: values,
  notIpBlocks: values,
  remoteIpBlocks: values,
  notRemoteIpBlocks: values,
  serviceAccounts: values,
  notServiceAccounts: values,
});

const operationSchema = section({
  hosts: values,
  notHosts: values,
  ports: values,
  notPorts: values,
  methods: values,
  notMethods: values,
  paths: values,
  notPaths: values,
});

const conditionSchema = section({ key: z.string().default(""), values, notValues: values });

const ruleSchema = section({
  from: list(section({ source: sourceSchema })),
  to: list(section({ operation: operationSchema })),
  when: list(conditionSchema),
});
export type AuthorizationRule = z.infer<typeof ruleSchema>;

const targetRefSchema = section({ group: z.string().default(""), kind: z.string().default(""), name: z.string().default(""), namespace: z.string().optional() });

export const normalizedAuthorizationPolicySchema = z.looseObject({
  metadata: metadataSchema,
  spec: section({
    selector: matchLabelsSchema.optional(),
    targetRef: targetRefSchema.optional(),
    targetRefs: list(targetRefSchema),
    action: z.preprocess((value) => value ?? "ALLOW", z.string()),
    rules: z.preprocess((value) => value ?? undefined, z.array(ruleSchema).optional()),
  }),
});
export type NormalizedAuthorizationPolicy = z.infer<typeof normalizedAuthorizationPolicySchema>;

// ---- The request and the decision -------------------------------------------------------------

/** The workload a request arrives at. `services`: the Services selecting it, for policies with targetRefs (waypoints). */
export interface AuthorizationWorkload {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly services?: readonly string[];
}

/**
 * What is known of one request. `sourcePrincipal` is the peer's mTLS identity (with or without
 * `spiffe://`); absent, empty or `unknown` means plain text. Leave method, path or port out when
 * they are not known: a rule that needs them then does not match, and says so.
 */
export interface AuthorizationRequest {
  readonly sourcePrincipal?: string;
  readonly sourceNamespace?: string;
  readonly method?: string;
  readonly path?: string;
  readonly port?: number;
}

export interface PolicyRef {
  readonly namespace: string;
  readonly name: string;
  readonly action: AuthorizationAction;
  /** The index of the rule that matched (Envoy names its RBAC policy `ns[N]-policy[P]-rule[R]`). */
  readonly rule?: number;
}

export interface AuthorizationDecision {
  readonly allowed: boolean;
  /** The policy that decided, when one did (none: no ALLOW policy applies, or none matched). */
  readonly policy?: PolicyRef;
  readonly reason: string;
  /** True when an external authorizer (CUSTOM) or a field the console cannot check had a say. */
  readonly uncertain?: boolean;
}

/** `cluster.local/ns/NS/sa/SA` from a SPIFFE ID or principal; undefined for plain text. */
export function principalOf(value: string | undefined): string | undefined {
  if (!value || value === "unknown") return undefined;
  return value.startsWith("spiffe://") ? value.slice("spiffe://".length) : value;
}

/** The namespace inside a principal (`…/ns/NS/sa/SA`). */
export function namespaceOfPrincipal(principal: string | undefined): string | undefined {
  return principal ? /(?:^|\/)ns\/([^/]+)\/sa\//.exec(principal)?.[1] : undefined;
}

/** Istio's string match: exact, `abc*` prefix, `*abc` suffix, `*` presence. An absent value matches nothing. */
export function matchesValue(pattern: string, value: string | undefined): boolean {
  if (value === undefined || value === "") return false;
  if (pattern === "*") return true;
  if (pattern.endsWith("*")) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith("*")) return value.endsWith(pattern.slice(1));
  return pattern === value;
}

// ---- Rule matching ------------------------------------------------------------------------------

/** A field the console cannot check for this request, named for the reason. */
class Unknowable {
  constructor(readonly field: string) {}
}

type Match = boolean | Unknowable;

interface Facts {
  principal: string | undefined;
  namespace: string | undefined;
  method: string | undefined;
  path: string | undefined;
  port: string | undefined;
}

/** One field with its `not` twin: set values must match one, `not` values must match none. */
function field(name: string, positive: readonly string[], negative: readonly string[], value: string | undefined, known = true): Match {
  if (positive.length === 0 && negative.length === 0) return true;
  if (!known) return new Unknowable(name);
  if (positive.length > 0 && !positive.some((pattern) => matchesValue(pattern, value))) return false;
  return !negative.some((pattern) => matchesValue(pattern, value));
}

/** Every result must be true; a false wins over an unknowable (the rule cannot match either way). */
function all(results: readonly Match[]): Match {
  if (results.includes(false)) return false;
  return results.find((result) => result instanceof Unknowable) ?? true;
}

/** One of the entries must match; an empty list matches. */
function any(results: readonly Match[]): Match {
  if (results.length === 0 || results.includes(true)) return true;
  return results.find((result) => result instanceof Unknowable) ?? false;
}

/** JWT identities and addresses are not in the metrics; `serviceAccounts` (newer Istio) is left to a later change. */
const UNCHECKED_SOURCE_FIELDS = ["requestPrincipals", "notRequestPrincipals", "ipBlocks", "notIpBlocks", "remoteIpBlocks", "notRemoteIpBlocks", "serviceAccounts", "notServiceAccounts"] as const;

function sourceMatches(source: AuthorizationRule["from"][number]["source"], facts: Facts): Match {
  return all([
    field("principals", source.principals, source.notPrincipals, facts.principal),
    field("namespaces", source.namespaces, source.notNamespaces, facts.namespace),
    ...UNCHECKED_SOURCE_FIELDS.map((name) => field(`source.${name}`, source[name], [], undefined, false)),
  ]);
}

function operationMatches(operation: AuthorizationRule["to"][number]["operation"], facts: Facts): Match {
  return all([
    field("to.operation.methods", operation.methods, operation.notMethods, facts.method, facts.method !== undefined),
    field("to.operation.paths", operation.paths, operation.notPaths, facts.path, facts.path !== undefined && ![...operation.paths, ...operation.notPaths].some((path) => path.includes("{"))),
    field("to.operation.ports", operation.ports, operation.notPorts, facts.port, facts.port !== undefined),
    field("to.operation.hosts", operation.hosts, operation.notHosts, undefined, false),
  ]);
}

/** The `when` keys the console can check; any other key is unknowable. */
function conditionMatches(condition: AuthorizationRule["when"][number], facts: Facts): Match {
  const value: Record<string, string | undefined> = { "source.principal": facts.principal, "source.namespace": facts.namespace, "destination.port": facts.port };
  if (!(condition.key in value)) return new Unknowable(`when ${condition.key}`);
  const known = condition.key === "destination.port" ? facts.port !== undefined : true;
  return field(`when ${condition.key}`, condition.values, condition.notValues, value[condition.key], known);
}

function ruleMatches(rule: AuthorizationRule, facts: Facts): Match {
  return all([
    any(rule.from.map((entry) => sourceMatches(entry.source, facts))),
    any(rule.to.map((entry) => operationMatches(entry.operation, facts))),
    all(rule.when.map((condition) => conditionMatches(condition, facts))),
  ]);
}

/** Whether a policy's rules match, and the first rule that does; no rules never matches. */
function policyMatches(policy: NormalizedAuthorizationPolicy, facts: Facts): { match: Match; rule?: number } {
  const results = (policy.spec.rules ?? []).map((rule) => ruleMatches(rule, facts));
  const rule = results.indexOf(true);
  if (rule >= 0) return { match: true, rule };
  return { match: results.find((result) => result instanceof Unknowable) ?? false };
}

// ---- Which policies apply -----------------------------------------------------------------------

function targetRefsOf(policy: NormalizedAuthorizationPolicy) {
  return [...(policy.spec.targetRef ? [policy.spec.targetRef] : []), ...policy.spec.targetRefs];
}

/** Whether `policy` applies to the workload (namespace or root namespace, selector or targetRefs). */
export function appliesToWorkload(policy: NormalizedAuthorizationPolicy, workload: AuthorizationWorkload): boolean {
  const namespace = policy.metadata.namespace;
  if (namespace !== workload.namespace && namespace !== MESH_ROOT_NAMESPACE) return false;
  const targetRefs = targetRefsOf(policy);
  if (targetRefs.length > 0) {
    return targetRefs.some((ref) => ref.kind === "Service" && (ref.group === "" || ref.group === "core") && (ref.namespace ?? namespace) === workload.namespace && (workload.services ?? []).includes(ref.name));
  }
  const matchLabels = policy.spec.selector?.matchLabels ?? {};
  return Object.entries(matchLabels).every(([key, value]) => workload.labels[key] === value);
}

function refOf(policy: NormalizedAuthorizationPolicy, rule?: number): PolicyRef {
  return { namespace: policy.metadata.namespace ?? "", name: policy.metadata.name, action: policy.spec.action as AuthorizationAction, ...(rule === undefined ? {} : { rule }) };
}

function describePolicy(policy: NormalizedAuthorizationPolicy): string {
  return `${policy.spec.action} policy ${policy.metadata.namespace}/${policy.metadata.name}`;
}

/** Policies as read from the API (any shape): the ones that parse, normalized. */
export function normalizePolicies(policies: readonly unknown[]): NormalizedAuthorizationPolicy[] {
  return policies.flatMap((policy) => {
    const parsed = normalizedAuthorizationPolicySchema.safeParse(policy);
    return parsed.success ? [parsed.data] : [];
  });
}

/**
 * Istio's decision for one request at one workload: CUSTOM, then DENY, then ALLOW. `policies` may
 * be every policy of the mesh; the ones that do not apply to the workload are skipped.
 */
export function authorizationDecision(policies: readonly NormalizedAuthorizationPolicy[], workload: AuthorizationWorkload, request: AuthorizationRequest): AuthorizationDecision {
  const principal = principalOf(request.sourcePrincipal);
  const facts: Facts = {
    principal,
    // The namespace is read from the peer certificate, so plain text has none.
    namespace: principal ? (namespaceOfPrincipal(principal) ?? request.sourceNamespace) : undefined,
    method: request.method?.toUpperCase(),
    path: request.path,
    port: request.port === undefined ? undefined : String(request.port),
  };
  const applying = policies.filter((policy) => appliesToWorkload(policy, workload));
  const byAction = (action: AuthorizationAction) => applying.filter((policy) => policy.spec.action === action);
  const unknowable: string[] = [];
  /** The matched policy's ref (with its rule), or undefined; unknowable fields are remembered for the reason. */
  const evaluate = (policy: NormalizedAuthorizationPolicy): PolicyRef | undefined => {
    const { match, rule } = policyMatches(policy, facts);
    if (match instanceof Unknowable) unknowable.push(`${describePolicy(policy)} has ${match.field}, which the console cannot check`);
    return match === true ? refOf(policy, rule) : undefined;
  };

  for (const policy of byAction("CUSTOM")) {
    const matched = evaluate(policy);
    if (matched) return { allowed: true, policy: matched, uncertain: true, reason: `${describePolicy(policy)} matches: its external authorizer decides, which the console cannot predict` };
  }
  for (const policy of byAction("DENY")) {
    const matched = evaluate(policy);
    if (matched) return { allowed: false, policy: matched, reason: `denied by ${describePolicy(policy)}` };
  }
  const allowPolicies = byAction("ALLOW");
  const caveat = (): Pick<AuthorizationDecision, "uncertain"> & { note: string } =>
    unknowable.length > 0 ? { uncertain: true, note: `; ${unknowable.join("; ")} (read as not matching)` } : { note: "" };
  if (allowPolicies.length === 0) {
    const { note, ...rest } = caveat();
    return { allowed: true, reason: `no ALLOW policy applies to this workload, so every request not denied is allowed${note}`, ...rest };
  }
  for (const policy of allowPolicies) {
    const matched = evaluate(policy);
    if (matched) {
      const { note, ...rest } = caveat();
      return { allowed: true, policy: matched, reason: `allowed by ${describePolicy(policy)}${note}`, ...rest };
    }
  }
  const { note, ...rest } = caveat();
  const who = principal ? `caller ${principal}` : "a caller without an mTLS identity (plain text or outside the mesh)";
  return { allowed: false, reason: `no ALLOW policy matches ${who}: ${allowPolicies.map(describePolicy).join(", ")}${note}`, ...rest };
}

/** `authorizationDecision` over policies in any shape (as read from the API or a YAML file). */
export function evaluateRequest(policies: readonly unknown[], workload: AuthorizationWorkload, request: AuthorizationRequest): AuthorizationDecision {
  return authorizationDecision(normalizePolicies(policies), workload, request);
}
