/**
 * A readable summary of a Gateway API object for its config page: where a route attaches, which
 * hostnames it serves, and per rule its matches, filters and weighted backends with each backend's
 * share of the rule (a backendRef's weight defaults to 1, and the shares are weight over the rule's
 * total, as the specification defines: https://gateway-api.sigs.k8s.io/reference/spec/#httpbackendref).
 * Pure; the page renders it, nothing here decides routing.
 */
import { z } from "zod";
import { describeParentRef } from "./reportedStatus";

const backendSchema = z.object({ group: z.string().nullish(), kind: z.string().nullish(), name: z.string(), namespace: z.string().nullish(), port: z.number().nullish(), weight: z.number().nullish() });
const keyValue = z.object({ type: z.string().nullish(), name: z.string(), value: z.string().nullish() });
const matchSchema = z
  .object({
    path: z.object({ type: z.string().nullish(), value: z.string().nullish() }).nullish(),
    method: z.union([z.string(), z.object({ type: z.string().nullish(), service: z.string().nullish(), method: z.string().nullish() })]).nullish(),
    headers: z.array(keyValue).nullish(),
    queryParams: z.array(keyValue).nullish(),
  })
  .passthrough();
const ruleSchema = z.object({
  name: z.string().nullish(),
  matches: z.array(matchSchema).nullish(),
  filters: z.array(z.object({ type: z.string() }).passthrough()).nullish(),
  backendRefs: z.array(backendSchema).nullish(),
  timeouts: z.object({ request: z.string().nullish(), backendRequest: z.string().nullish() }).nullish(),
});
const objectSchema = z.object({
  kind: z.string(),
  metadata: z.object({ namespace: z.string().nullish() }).passthrough(),
  spec: z
    .object({
      controllerName: z.string().nullish(),
      gatewayClassName: z.string().nullish(),
      listeners: z.array(z.object({ name: z.string(), port: z.number(), protocol: z.string(), hostname: z.string().nullish(), allowedRoutes: z.object({ namespaces: z.object({ from: z.string().nullish() }).nullish() }).nullish() })).nullish(),
      parentRefs: z.array(z.object({ group: z.string().nullish(), kind: z.string().nullish(), namespace: z.string().nullish(), name: z.string(), sectionName: z.string().nullish(), port: z.number().nullish() })).nullish(),
      hostnames: z.array(z.string()).nullish(),
      rules: z.array(ruleSchema).nullish(),
      from: z.array(z.object({ group: z.string(), kind: z.string(), namespace: z.string() })).nullish(),
      to: z.array(z.object({ group: z.string(), kind: z.string(), name: z.string().nullish() })).nullish(),
    })
    .passthrough()
    .nullish(),
});

export interface BackendSummary {
  /** "Service storefront/catalog-v2:8080"; the kind only when it is not a Service. */
  readonly target: string;
  /** Link parts when the backend is a Service. */
  readonly service?: { readonly namespace: string; readonly name: string };
  readonly weight: number;
  /** Share of the rule's traffic, 0–100, rounded to one decimal; 0 when every weight is 0. */
  readonly percent: number;
}

export interface RuleSummary {
  readonly name?: string;
  /** "PathPrefix /", "Exact /api, header x-canary=true", "gRPC inventory.Inventory/Get"; any request when empty. */
  readonly matches: readonly string[];
  readonly filters: readonly string[];
  readonly backends: readonly BackendSummary[];
  readonly timeouts?: string;
}

export interface GatewayApiSummary {
  /** Lines of key facts: "Class istio", "Controller istio.io/gateway-controller", "Listener http: HTTP :80 shop.example.com". */
  readonly facts: readonly string[];
  readonly parents: readonly string[];
  readonly hostnames: readonly string[];
  readonly rules: readonly RuleSummary[];
}

function describeMatch(match: z.infer<typeof matchSchema>): string {
  const parts: string[] = [];
  if (match.path) parts.push(`${match.path.type ?? "PathPrefix"} ${match.path.value ?? "/"}`);
  if (typeof match.method === "string") parts.push(`method ${match.method}`);
  else if (match.method) parts.push(`gRPC ${match.method.service ?? "*"}/${match.method.method ?? "*"}${match.method.type === "RegularExpression" ? " (regex)" : ""}`);
  for (const header of match.headers ?? []) parts.push(`header ${header.name}${header.type === "RegularExpression" ? " ~ " : "="}${header.value ?? ""}`);
  for (const query of match.queryParams ?? []) parts.push(`query ${query.name}${query.type === "RegularExpression" ? " ~ " : "="}${query.value ?? ""}`);
  return parts.length ? parts.join(", ") : "any request";
}

/** One backend list with each backend's share, rounded to one decimal. */
export function backendShares(backends: readonly z.infer<typeof backendSchema>[], routeNamespace: string): BackendSummary[] {
  const weights = backends.map((backend) => backend.weight ?? 1);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return backends.map((backend, index) => {
    const kind = backend.kind ?? "Service";
    const namespace = backend.namespace ?? routeNamespace;
    const isService = kind === "Service" && !backend.group;
    const weight = weights[index]!;
    return {
      target: `${kind} ${namespace}/${backend.name}${backend.port ? `:${backend.port}` : ""}`,
      ...(isService ? { service: { namespace, name: backend.name } } : {}),
      weight,
      percent: total > 0 ? Math.round((weight / total) * 1000) / 10 : 0,
    };
  });
}

export function summarizeGatewayApiObject(raw: unknown): GatewayApiSummary | undefined {
  const parsed = objectSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const { kind, metadata, spec } = parsed.data;
  const namespace = metadata.namespace ?? "";
  const facts: string[] = [];
  if (spec?.controllerName) facts.push(`Controller ${spec.controllerName}`);
  if (spec?.gatewayClassName) facts.push(`Class ${spec.gatewayClassName}`);
  for (const listener of spec?.listeners ?? []) {
    facts.push(`Listener ${listener.name}: ${listener.protocol} :${listener.port}${listener.hostname ? ` ${listener.hostname}` : " any hostname"}, routes from ${listener.allowedRoutes?.namespaces?.from ?? "Same"} namespace${listener.allowedRoutes?.namespaces?.from === "All" ? "s" : ""}`);
  }
  for (const from of spec?.from ?? []) facts.push(`Allows ${from.kind}s in ${from.namespace}`);
  for (const to of spec?.to ?? []) facts.push(`to ${to.kind}${to.name ? ` ${namespace}/${to.name}` : `s in ${namespace}`}`);
  const rules = (spec?.rules ?? []).map((rule) => ({
    ...(rule.name ? { name: rule.name } : {}),
    matches: (rule.matches ?? []).map(describeMatch),
    filters: (rule.filters ?? []).map((filter) => filter.type),
    backends: backendShares(rule.backendRefs ?? [], namespace),
    ...(rule.timeouts?.request || rule.timeouts?.backendRequest
      ? { timeouts: [rule.timeouts.request ? `request ${rule.timeouts.request}` : "", rule.timeouts.backendRequest ? `backend request ${rule.timeouts.backendRequest}` : ""].filter(Boolean).join(", ") }
      : {}),
  }));
  return {
    facts: kind === "ReferenceGrant" ? [facts.filter((fact) => fact.startsWith("Allows")).join("; "), facts.filter((fact) => fact.startsWith("to")).join("; ")].filter(Boolean) : facts,
    parents: (spec?.parentRefs ?? []).map((ref) => describeParentRef(ref, namespace)),
    hostnames: spec?.hostnames ?? [],
    rules,
  };
}
