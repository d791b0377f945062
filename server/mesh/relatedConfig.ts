/**
 * The Istio config that applies to a service, workload or app: VirtualServices that route to its
 * host, DestinationRules for it, the Gateways those VirtualServices are bound to, and the
 * PeerAuthentications and AuthorizationPolicies that select its workloads (by selector, by
 * namespace, or mesh-wide from the root namespace).
 * https://istio.io/latest/docs/reference/config/security/peer_authentication/
 */
import { z } from "zod";
import { hostsIntersect, toFqdn } from "@/server/validation/hosts";
import { isEmptySelector, selectorMatches } from "@/server/validation/labels";

const objectSchema = z.object({
  kind: z.string(),
  metadata: z.object({ name: z.string(), namespace: z.string().default("") }),
  spec: z.record(z.string(), z.unknown()).nullish(),
});

const destinationSchema = z.object({ host: z.string() });
const virtualServiceSpec = z.object({
  hosts: z.array(z.string()).default([]),
  gateways: z.array(z.string()).default([]),
  http: z.array(z.object({ route: z.array(z.object({ destination: destinationSchema })).nullish(), mirror: destinationSchema.nullish() })).default([]),
  tcp: z.array(z.object({ route: z.array(z.object({ destination: destinationSchema })).nullish() })).default([]),
  tls: z.array(z.object({ route: z.array(z.object({ destination: destinationSchema })).nullish() })).default([]),
});
const destinationRuleSpec = z.object({ host: z.string() });
const selectorSpec = z.object({ selector: z.object({ matchLabels: z.record(z.string(), z.string()).nullish() }).nullish() });

export interface RelatedObject {
  kind: string;
  namespace: string;
  name: string;
  /** Why it applies, in a few words. */
  reason: string;
}

export interface RelatedConfigInput {
  /** Hosts (FQDN) of the services in question. */
  serviceHosts: string[];
  /** The namespace of the object the page is about. */
  namespace: string;
  /** Label sets of its workloads' pods. */
  workloadLabels: Record<string, string>[];
  rootNamespace: string;
  istioObjects: unknown[];
}

function parsed(raw: unknown) {
  const result = objectSchema.safeParse(raw);
  return result.success ? result.data : undefined;
}

export function relatedConfig(input: RelatedConfigInput): RelatedObject[] {
  const related: RelatedObject[] = [];
  const boundGateways = new Map<string, string>();
  const touchesService = (host: string, namespace: string) => input.serviceHosts.some((serviceHost) => hostsIntersect(toFqdn(host, namespace), serviceHost));

  for (const raw of input.istioObjects) {
    const object = parsed(raw);
    if (!object) continue;
    const { name, namespace } = object.metadata;
    if (object.kind === "VirtualService") {
      const spec = virtualServiceSpec.safeParse(object.spec ?? {});
      if (!spec.success) continue;
      const routeHosts = [...spec.data.http.flatMap((rule) => [...(rule.route ?? []).map((route) => route.destination.host), ...(rule.mirror ? [rule.mirror.host] : [])]), ...[...spec.data.tcp, ...spec.data.tls].flatMap((rule) => (rule.route ?? []).map((route) => route.destination.host))];
      const forHost = spec.data.hosts.some((host) => host !== "*" && touchesService(host, namespace));
      const routesTo = routeHosts.some((host) => touchesService(host, namespace));
      if (!forHost && !routesTo) continue;
      related.push({ kind: "VirtualService", namespace, name, reason: forHost ? "routes requests for this host" : "routes traffic to this host" });
      for (const gateway of spec.data.gateways) {
        if (gateway === "mesh") continue;
        const [gatewayNamespace, gatewayName] = gateway.includes("/") ? (gateway.split("/") as [string, string]) : [namespace, gateway];
        boundGateways.set(`${gatewayNamespace}/${gatewayName}`, name);
      }
    } else if (object.kind === "DestinationRule") {
      const spec = destinationRuleSpec.safeParse(object.spec ?? {});
      if (spec.success && touchesService(spec.data.host, namespace)) related.push({ kind: "DestinationRule", namespace, name, reason: "sets traffic policy and subsets for this host" });
    } else if (object.kind === "PeerAuthentication" || object.kind === "AuthorizationPolicy") {
      const spec = selectorSpec.safeParse(object.spec ?? {});
      if (!spec.success) continue;
      const selector = spec.data.selector?.matchLabels ?? {};
      if (isEmptySelector(selector)) {
        if (namespace === input.rootNamespace) related.push({ kind: object.kind, namespace, name, reason: "applies mesh-wide" });
        else if (namespace === input.namespace) related.push({ kind: object.kind, namespace, name, reason: "applies to the whole namespace" });
      } else if (namespace === input.namespace && input.workloadLabels.some((labels) => selectorMatches(selector, labels))) {
        related.push({ kind: object.kind, namespace, name, reason: "selects these workloads" });
      }
    }
  }

  for (const raw of input.istioObjects) {
    const object = parsed(raw);
    if (object?.kind !== "Gateway") continue;
    const via = boundGateways.get(`${object.metadata.namespace}/${object.metadata.name}`);
    if (via) related.push({ kind: "Gateway", namespace: object.metadata.namespace, name: object.metadata.name, reason: `receives traffic for it through VirtualService ${via}` });
  }
  return related.sort((a, b) => a.kind.localeCompare(b.kind) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

