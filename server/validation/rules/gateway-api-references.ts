import { resolveBackendRefs, resolveParentRefs, type BackendRefResolution, type ParentRefResolution } from "@/lib/gatewayApi/references";
import type { ObjectRef } from "@/lib/validation/finding";
import { gatewayApiReads, gatewayApiWorld, routeObjects, routeOf, type RouteObject } from "../gateway-api";
import { mention, message } from "../mentions";
import { routeKindNames } from "../objects";
import { FindingSink, type Rule } from "../rule";

/**
 * What keeps a Gateway API route from working, judged the way istiod judges it
 * (lib/gatewayApi/references.ts), before istiod has written a status: a parentRef or backendRef to
 * something missing, a listener that will not take the route (sectionName, port, hostnames, namespace,
 * kind), a cross-namespace backendRef without a ReferenceGrant
 * (https://gateway-api.sigs.k8s.io/api-types/referencegrant/), an unsupported kind, and a backend
 * port the Service does not expose (istiod routes it anyway; the requests then fail).
 */

function parentRefPath(resolution: ParentRefResolution): string {
  return `spec.parentRefs[${resolution.index}]`;
}

function targetRef(kind: string, namespace: string, name: string): ObjectRef {
  return { kind: kind === "Gateway" ? "K8sGateway" : kind, namespace, name };
}

function reportParent(sink: FindingSink, route: RouteObject, resolution: ParentRefResolution): void {
  const path = parentRefPath(resolution);
  const { target } = resolution;
  if (resolution.parentKind === "Unsupported") {
    sink.report("MC1011", route, `${path}.kind`, `${resolution.message}; Istio attaches routes to a Gateway (group gateway.networking.k8s.io) or a Service (group "").`);
    return;
  }
  if (!resolution.found) {
    const noun = resolution.parentKind === "Gateway" ? "Gateway" : "Service";
    sink.report("IST0101", route, `${path}.name`, message`Referenced ${noun} not found: "${target.namespace}/${target.name}" (the parentRef names no such ${noun}, so the route attaches nowhere)`);
    return;
  }
  if (resolution.accepted || !resolution.managed) return;
  const parent = mention(resolution.parentKind === "Gateway" ? "Gateway" : "Service", [targetRef(resolution.parentKind, target.namespace, target.name)]);
  const why = `${resolution.message} (${resolution.reason})`;
  if (resolution.reason === "NoMatchingListenerHostname") {
    sink.report("MC1012", route, route.spec.hostnames.length > 0 ? "spec.hostnames" : path, message`No listener of ${parent} accepts the route's hostnames: ${why}.`);
  } else if (resolution.parentRef.sectionName !== undefined && resolution.listeners.every((binding) => binding.reason === "NoMatchingParent")) {
    sink.report("MC1012", route, `${path}.sectionName`, message`Not attached to ${parent}: ${why}.`);
  } else if (resolution.parentRef.port !== undefined && resolution.reason === "NoMatchingParent") {
    sink.report("MC1012", route, `${path}.port`, message`Not attached to ${parent}: ${why}.`);
  } else {
    sink.report("MC1012", route, path, message`Not attached to ${parent}: ${why}.`);
  }
}

function reportBackend(sink: FindingSink, route: RouteObject, resolution: BackendRefResolution): void {
  const path = `spec.rules[${resolution.ruleIndex}].backendRefs[${resolution.backendIndex}]`;
  const { target } = resolution;
  const service = mention("Service", [{ kind: "Service", namespace: target.namespace, name: target.name }]);
  switch (resolution.reason) {
    case "RefNotPermitted":
      sink.report(
        "MC1010",
        route,
        `${path}.namespace`,
        message`${service} is in another namespace and no ReferenceGrant in "${target.namespace}" lets ${route.kind}s from "${route.ref.namespace}" refer to it, so istiod drops this backend (RefNotPermitted).`,
      );
      return;
    case "BackendNotFound":
      sink.report("IST0101", route, `${path}.name`, `Referenced backend not found: "${resolution.host}" (no ${target.kind} "${target.name}" in namespace "${target.namespace}"; istiod reports BackendNotFound and requests routed to it fail with 500)`);
      return;
    case "InvalidKind":
      sink.report("MC1011", route, `${path}.kind`, `${resolution.message}; Istio routes to a Service (group "") or an Istio Hostname (group networking.istio.io).`);
      return;
    case "InvalidDestination":
      sink.report("MC1011", route, resolution.message.startsWith("port") ? `${path}.port` : `${path}.name`, `The backendRef is not usable: ${resolution.message}`);
      return;
    case "ResolvedRefs":
      if (resolution.portNotExposed && resolution.service) {
        const ports = (resolution.service.spec?.ports ?? []).map((port) => port.port);
        sink.report("MC1009", route, `${path}.port`, message`${service} does not expose port ${target.port ?? 0} (it exposes ${ports.join(", ") || "no ports"}); requests routed here fail.`);
      }
  }
}

export const gatewayApiReferencesRule: Rule = {
  id: "gateway-api-references",
  description: "Gateway API routes attach to their parents and their references resolve.",
  reads: [...routeKindNames, ...gatewayApiReads],
  codes: ["IST0101", "MC1009", "MC1010", "MC1011", "MC1012"],
  check(snapshot) {
    const sink = new FindingSink();
    const world = gatewayApiWorld(snapshot);
    for (const route of routeObjects(snapshot)) {
      const resolvable = routeOf(route);
      for (const resolution of resolveParentRefs(resolvable, world)) reportParent(sink, route, resolution);
      for (const resolution of resolveBackendRefs(resolvable, world)) reportBackend(sink, route, resolution);
    }
    return sink.findings;
  },
};
