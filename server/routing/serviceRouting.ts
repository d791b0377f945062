/**
 * Everything a wizard starts from, read fresh from the API server: the Service, the versions of
 * the workloads it selects (their `version` label, which subsets select on), and the service's
 * VirtualService and DestinationRule if they exist.
 */
import { z } from "zod";
import { kubeCall, KubeError, type KubeClients } from "@/server/kube";
import { BadRequestError } from "@/server/http/errors";
import { selectorMatches } from "@/server/mesh/pods";
import { findServiceDestinationRule } from "./destinationRule";
import { DESTINATION_RULE, destinationRuleSchema, VIRTUAL_SERVICE, virtualServiceSchema, type DestinationRule, type ServiceRef, type VirtualService } from "./istioObjects";
import { findServiceVirtualService } from "./virtualService";

export interface ServiceVersion {
  readonly name: string;
  readonly workloads: string[];
}

export interface RoutingContext {
  readonly ref: ServiceRef;
  readonly versions: ServiceVersion[];
  readonly virtualService?: VirtualService;
  readonly destinationRule?: DestinationRule;
}

const serviceSchema = z.object({ spec: z.object({ selector: z.record(z.string(), z.string()).nullish() }).nullish() });
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

async function readSelector(clients: KubeClients, ref: ServiceRef, missingStatus: number): Promise<Record<string, string>> {
  try {
    const service = serviceSchema.parse(await kubeCall(clients, "read_service", `read service ${ref.namespace}/${ref.service}`, () => clients.core.readNamespacedService({ name: ref.service, namespace: ref.namespace })));
    return service.spec?.selector ?? {};
  } catch (error) {
    if (error instanceof KubeError && error.failure === "not-found") throw new UnknownServiceError(ref, missingStatus);
    throw error;
  }
}

export async function readRoutingContext(clients: KubeClients, ref: ServiceRef, options: { missingServiceStatus?: number } = {}): Promise<RoutingContext> {
  const { namespace } = ref;
  const [selector, deployments, virtualServices, destinationRules] = await Promise.all([
    readSelector(clients, ref, options.missingServiceStatus ?? 404),
    kubeCall(clients, "list_deployments", `list deployments in ${namespace}`, () => clients.apps.listNamespacedDeployment({ namespace })),
    kubeCall(clients, "list_istio", `list virtualservices in ${namespace}`, () => clients.custom.listNamespacedCustomObject({ ...VIRTUAL_SERVICE, namespace })),
    kubeCall(clients, "list_istio", `list destinationrules in ${namespace}`, () => clients.custom.listNamespacedCustomObject({ ...DESTINATION_RULE, namespace })),
  ]);

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
  };
}
