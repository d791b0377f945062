/**
 * The wizards' API routes share this: path parameters checked as Kubernetes names before they
 * reach a URL or a query, the same-origin and JSON checks of every mutating route, and the
 * console's Kubernetes clients and view-only setting.
 */
import { z } from "zod";
import { namespaceNameSchema } from "@/lib/kubeNames";
import { serviceRoutePattern, type RoutingWrite } from "@/lib/routing/wizards";
import { getConfig } from "@/server/config";
import { apiRoute } from "@/server/http/apiRoute";
import { jsonBody, mutationRoute } from "@/server/http/mutations";
import { kube } from "@/server/kube";
import type { ServiceRef } from "./istioObjects";
import type { RoutingDeps } from "./wizards";

/** Next's route context for /api/namespaces/[namespace]/services/[service]/… */
export type ServiceRouteContext = { params: Promise<Record<string, string>> };

/** Services are DNS-1123 labels, like namespaces. */
const serviceParamsSchema = z.object({ namespace: namespaceNameSchema, service: namespaceNameSchema });

export async function serviceRefOf(context: ServiceRouteContext): Promise<ServiceRef> {
  return serviceParamsSchema.parse(await context.params);
}

export function routingDeps(): RoutingDeps {
  const config = getConfig();
  return { clients: kube(), viewOnly: config.viewOnly, defaultRoutingApi: config.defaultRoutingApi };
}

/** A read route for one service; `rest` follows /api/namespaces/[namespace]/services/[service]/. */
export function serviceReadRoute<T>(rest: string, read: (request: Request, ref: ServiceRef, deps: RoutingDeps) => Promise<T>) {
  return apiRoute(serviceRoutePattern(rest), async (request, context: ServiceRouteContext) => {
    const ref = await serviceRefOf(context);
    return Response.json(await read(request, ref, routingDeps()), { headers: { "cache-control": "no-store" } });
  });
}

/** A wizard's write route (lib/routing/wizards.ts entry): its JSON body parsed with the entry's schema and handed to `apply`. */
export function wizardRoute<T>(wizard: RoutingWrite<T>, apply: (deps: RoutingDeps, ref: ServiceRef, input: T) => Promise<unknown>) {
  return mutationRoute(serviceRoutePattern(wizard.path), async (request, context: ServiceRouteContext) => {
    const ref = await serviceRefOf(context);
    const input = await jsonBody(request, wizard.inputSchema);
    return Response.json(await apply(routingDeps(), ref, input), { headers: { "cache-control": "no-store" } });
  });
}
