/**
 * Which API the wizards write for a service: the one already routing it, or, for a service with
 * no routing, the person's choice (the console's default preselected).
 *
 * When both a VirtualService and a mesh HTTPRoute (parentRef the Service) route the same service,
 * Istio uses the HTTPRoute for mesh traffic to it and ignores the VirtualService for that host
 * (https://istio.io/latest/docs/tasks/traffic-management/ingress/gateway-api/#mesh-traffic), so
 * that is the one the wizards edit.
 */
import type { RoutingApi } from "./schemas";

export interface RoutingApiDecision {
  readonly api: RoutingApi;
  /** True while nothing routes the service: the person may pick either API. */
  readonly choosable: boolean;
  /** Said when both kinds route the service. */
  readonly note?: string;
  /** Set when the request asked for the API that is not in force. */
  readonly refusal?: string;
}

export const ROUTING_API_TITLES: Record<RoutingApi, string> = {
  virtualservice: "Istio VirtualService + DestinationRule",
  "gateway-api": "Gateway API HTTPRoute + version Services",
};

export function decideRoutingApi(input: { service: string; virtualService?: string; httpRoute?: string; requested?: RoutingApi; configuredDefault: RoutingApi }): RoutingApiDecision {
  const { service, virtualService, httpRoute, requested } = input;
  if (httpRoute) {
    const note = virtualService
      ? `Both VirtualService ${virtualService} and HTTPRoute ${httpRoute} route ${service}. For mesh traffic Istio uses the HTTPRoute (a Gateway API route whose parent is the Service takes precedence over VirtualServices for that host), so the wizards edit HTTPRoute ${httpRoute}.`
      : undefined;
    const refusal = requested === "virtualservice" ? `${service} is routed by HTTPRoute ${httpRoute}; Istio would ignore a VirtualService for its mesh traffic, so the wizards edit the HTTPRoute` : undefined;
    return { api: "gateway-api", choosable: false, ...(note ? { note } : {}), ...(refusal ? { refusal } : {}) };
  }
  if (virtualService) {
    const refusal = requested === "gateway-api" ? `${service} is routed by VirtualService ${virtualService}; change it there, or remove it before routing ${service} with an HTTPRoute` : undefined;
    return { api: "virtualservice", choosable: false, ...(refusal ? { refusal } : {}) };
  }
  return { api: requested ?? input.configuredDefault, choosable: true };
}
