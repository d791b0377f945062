/**
 * The Istio config that applies to a service, workload or app: VirtualServices that route to its
 * host, DestinationRules for it, the Gateways those VirtualServices are bound to, and the
 * PeerAuthentications and AuthorizationPolicies that select its workloads (by selector, by
 * namespace, or mesh-wide from the root namespace). In ambient mode, the waypoint that serves it
 * and the policies that reach it there: those attached with `targetRefs` to the waypoint's Gateway
 * or to its Service, which the waypoint enforces (a `selector` does not reach a waypoint).
 * https://istio.io/latest/docs/reference/config/security/peer_authentication/
 * https://istio.io/latest/docs/ambient/usage/l7-features/#targeting-policies-or-routing-rules
 */
import { z } from "zod";
import { normalizedDestinationRuleSchema } from "@/lib/istio/destinationRule";
import { hostsIntersect, toFqdn } from "@/lib/istio/host";
import { destinationUses, gatewayRefs, normalizedVirtualServiceSchema } from "@/lib/istio/virtualService";
import { isEmptySelector, selectorMatches } from "@/server/validation/labels";

const objectSchema = z.object({
  kind: z.string(),
  metadata: z.object({ name: z.string(), namespace: z.string().default("") }),
  spec: z.record(z.string(), z.unknown()).nullish(),
});

const selectorSpec = z.object({ selector: z.object({ matchLabels: z.record(z.string(), z.string()).nullish() }).nullish() });

const targetRefSchema = z.object({ group: z.string().nullish(), kind: z.string(), name: z.string(), namespace: z.string().nullish() });
const targetRefsSpec = z.object({ targetRef: targetRefSchema.nullish(), targetRefs: z.array(targetRefSchema).nullish() });

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
  /** Names of its Services, which a waypoint policy may target. */
  serviceNames?: string[];
  /** The waypoints (Gateways of class istio-waypoint) that serve it. */
  waypoints?: { namespace: string; name: string }[];
}

/**
 * Why a policy's `targetRefs` reach this object (the waypoint's Gateway, or one of its Services);
 * null when they name something else; undefined when the policy has none (its selector decides).
 */
function targetedBy(raw: unknown, namespace: string, input: RelatedConfigInput): string | null | undefined {
  const spec = targetRefsSpec.safeParse((raw as { spec?: unknown }).spec ?? {});
  if (!spec.success) return undefined;
  const refs = [...(spec.data.targetRef ? [spec.data.targetRef] : []), ...(spec.data.targetRefs ?? [])];
  if (refs.length === 0) return undefined;
  for (const ref of refs) {
    const refNamespace = ref.namespace || namespace;
    if (ref.kind === "Gateway" && (ref.group ?? "gateway.networking.k8s.io") === "gateway.networking.k8s.io") {
      const waypoint = input.waypoints?.find((candidate) => candidate.namespace === refNamespace && candidate.name === ref.name);
      if (waypoint) return `attached to waypoint ${waypoint.name}, which serves it`;
    }
    if (ref.kind === "Service" && !ref.group && refNamespace === input.namespace && input.serviceNames?.includes(ref.name)) {
      return input.waypoints?.length ? `targets Service ${ref.name} (enforced by its waypoint)` : `targets Service ${ref.name}, but no waypoint serves it to enforce it`;
    }
  }
  return null;
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
      const vs = normalizedVirtualServiceSchema.safeParse(raw);
      if (!vs.success) continue;
      const { spec } = vs.data;
      const forHost = spec.hosts.some((host) => host !== "*" && touchesService(host, namespace));
      const routesTo = destinationUses(spec).some((use) => use.destination?.host !== undefined && touchesService(use.destination.host, namespace));
      if (!forHost && !routesTo) continue;
      related.push({ kind: "VirtualService", namespace, name, reason: forHost ? "routes requests for this host" : "routes traffic to this host" });
      for (const gateway of gatewayRefs(spec.gateways, namespace)) boundGateways.set(`${gateway.namespace}/${gateway.name}`, name);
    } else if (object.kind === "DestinationRule") {
      const rule = normalizedDestinationRuleSchema.safeParse(raw);
      if (rule.success && touchesService(rule.data.spec.host, namespace)) related.push({ kind: "DestinationRule", namespace, name, reason: "sets traffic policy and subsets for this host" });
    } else if (object.kind === "PeerAuthentication" || object.kind === "AuthorizationPolicy") {
      const targeted = targetedBy(raw, namespace, input);
      if (targeted !== undefined) {
        // A policy with targetRefs applies where they point, never by its (absent) selector.
        if (targeted) related.push({ kind: object.kind, namespace, name, reason: targeted });
        continue;
      }
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
  for (const waypoint of input.waypoints ?? []) related.push({ kind: "K8sGateway", namespace: waypoint.namespace, name: waypoint.name, reason: "waypoint: applies its L7 routing and policies in ambient mode" });
  return related.sort((a, b) => a.kind.localeCompare(b.kind) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

