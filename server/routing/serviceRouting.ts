/**
 * Everything a wizard starts from, read fresh from the API server: the Service, the versions of
 * the workloads it selects (their `version` label, which subsets select on), the service's
 * VirtualService and DestinationRule if they exist, and for the Gateway API its mesh HTTPRoute
 * and the namespace's Services (where the version Services are).
 */
import { z } from "zod";
import { kubeCall, KubeError, type KubeClients } from "@/server/kube";
import { BadRequestError } from "@/server/http/errors";
import { selectorMatches } from "@/server/mesh/pods";
import { findServiceDestinationRule } from "./destinationRule";
import { DESTINATION_RULE, destinationRuleSchema, VIRTUAL_SERVICE, virtualServiceSchema, type DestinationRule, type ServiceRef, type VirtualService } from "./istioObjects";
import { findServiceVirtualService } from "./virtualService";
import { findServiceHttpRoute } from "@/lib/routing/httpRoute";
import { HTTP_ROUTE, parseHttpRoutes, type HttpRouteObject } from "./httpRouteObjects";
import { serviceObjectSchema, type ServiceObject } from "./versionServices";

export interface ServiceVersion {
  readonly name: string;
  readonly workloads: string[];
}

export interface RoutingContext {
  readonly ref: ServiceRef;
  readonly versions: ServiceVersion[];
  readonly virtualService?: VirtualService;
  readonly destinationRule?: DestinationRule;
  /** The Service itself (its selector and ports). */
  readonly service: ServiceObject;
  /** The mesh (GAMMA) HTTPRoute whose parent is the Service. */
  readonly httpRoute?: HttpRouteObject;
  /** The namespace's Services by name, for the version Services. */
  readonly services: ReadonlyMap<string, ServiceObject>;
}

const deploymentListSchema = z.object({
  items: z.array(z.object({ metadata: z.object({ name: z.string() }), spec: z.object({ template: z.object({ metadata: z.object({ labels: z.record(z.string(), z.string()).nullish() }).nullish() }) }).nullish() })),
});
const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

/** Thrown when the service does not exist; a write answers 422, a read 404. */
export class UnknownServiceError extends BadRequestError {
  constructor(ref: ServiceRef, status: number) {
    super(`Service ${ref.namespace}/${ref.service} does not exist; check the namespace and service name`, status);
  }
}

async function readService(clients: KubeClients, ref: ServiceRef, missingStatus: number): Promise<ServiceObject> {
  try {
    return serviceObjectSchema.parse(await kubeCall(clients, "read_service", `read service ${ref.namespace}/${ref.service}`, () => clients.core.readNamespacedService({ name: ref.service, namespace: ref.namespace })));
  } catch (error) {
    if (error instanceof KubeError && error.failure === "not-found") throw new UnknownServiceError(ref, missingStatus);
    throw error;
  }
}

/** A cluster without the Gateway API CRDs answers 404 for the kind: no HTTPRoutes then. */
async function listHttpRoutes(clients: KubeClients, namespace: string): Promise<HttpRouteObject[]> {
  try {
    const list = (await kubeCall(clients, "list_gateway_api", `list httproutes in ${namespace}`, () => clients.custom.listNamespacedCustomObject({ ...HTTP_ROUTE, namespace }))) as { items?: unknown[] };
    return parseHttpRoutes(list.items ?? []);
  } catch (error) {
    if (error instanceof KubeError && error.failure === "not-found") return [];
    throw error;
  }
}

export async function readRoutingContext(clients: KubeClients, ref: ServiceRef, options: { missingServiceStatus?: number } = {}): Promise<RoutingContext> {
  const { namespace } = ref;
  const [service, deployments, virtualServices, destinationRules, httpRoutes, services] = await Promise.all([
    readService(clients, ref, options.missingServiceStatus ?? 404),
    kubeCall(clients, "list_deployments", `list deployments in ${namespace}`, () => clients.apps.listNamespacedDeployment({ namespace })),
    kubeCall(clients, "list_istio", `list virtualservices in ${namespace}`, () => clients.custom.listNamespacedCustomObject({ ...VIRTUAL_SERVICE, namespace })),
    kubeCall(clients, "list_istio", `list destinationrules in ${namespace}`, () => clients.custom.listNamespacedCustomObject({ ...DESTINATION_RULE, namespace })),
    listHttpRoutes(clients, namespace),
    kubeCall(clients, "list_services", `list services in ${namespace}`, () => clients.core.listNamespacedService({ namespace })),
  ]);
  const selector = service.spec?.selector ?? {};

  const byVersion = new Map<string, string[]>();
  for (const deployment of deploymentListSchema.parse(deployments).items) {
    const labels = deployment.spec?.template.metadata?.labels ?? {};
    if (!labels.version || !selectorMatches(selector, labels)) continue;
    byVersion.set(labels.version, [...(byVersion.get(labels.version) ?? []), deployment.metadata.name].sort());
  }
  const versions = [...byVersion.entries()].map(([name, workloads]) => ({ name, workloads })).sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));

  return {
    ref,
    versions,
    virtualService: findServiceVirtualService(listOf(virtualServiceSchema).parse(virtualServices).items, ref),
    destinationRule: findServiceDestinationRule(listOf(destinationRuleSchema).parse(destinationRules).items, ref),
    service,
    httpRoute: findServiceHttpRoute(httpRoutes, ref),
    services: new Map(listOf(serviceObjectSchema).parse(services).items.map((item) => [item.metadata.name, item])),
  };
}
