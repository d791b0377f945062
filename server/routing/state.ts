/**
 * What the wizards open with: the service's subsets, the configured split, the objects' YAML and
 * resourceVersions, the history, and whether this console may write at all. Write access is
 * checked with a server-side dry run of a write the wizard could make, which goes through the same
 * authorization as the real one (https://kubernetes.io/docs/reference/using-api/api-concepts/#dry-run-authorization).
 */
import type { RoutingState } from "@/lib/routing/schemas";
import { kubeCall, KubeError, type KubeClients } from "@/server/kube";
import { yamlOf } from "./apply";
import { CREATED_SUBSETS_ANNOTATION, createdByConsole, listAnnotation, MANAGED_POLICY_ANNOTATION, VIRTUAL_SERVICE, withoutServerFields, type ServiceRef } from "./istioObjects";
import { readHistory, readPreviousSpec } from "./history";
import { subsetNames } from "./destinationRule";
import { readRoutingContext, type RoutingContext } from "./serviceRouting";
import { configuredWeights, hasConsoleRouting, withDefaultRoute } from "./virtualService";
import type { RoutingDeps } from "./wizards";

async function writeAccess(clients: KubeClients, context: RoutingContext): Promise<{ canWrite: boolean; reason?: string }> {
  const { ref } = context;
  const coordinates = { ...VIRTUAL_SERVICE, namespace: ref.namespace };
  try {
    await kubeCall(clients, "check_write_access", `check write access to VirtualServices in ${ref.namespace}`, () =>
      context.virtualService
        ? clients.custom.replaceNamespacedCustomObject({ ...coordinates, name: context.virtualService.metadata.name, body: context.virtualService, dryRun: "All" })
        : clients.custom.createNamespacedCustomObject({ ...coordinates, body: withoutServerFields(withDefaultRoute(undefined, ref).vs), dryRun: "All" }),
    );
    return { canWrite: true };
  } catch (error) {
    if (error instanceof KubeError && (error.failure === "forbidden" || error.failure === "unauthorized")) {
      return { canWrite: false, reason: `Your account may not change VirtualServices in ${ref.namespace} (the Kubernetes API answered ${error.httpStatus}); the wizards need write access to networking.istio.io` };
    }
    // Anything else (a conflict, a schema complaint about the probe) says nothing about permission.
    return { canWrite: true };
  }
}

export async function routingState(deps: RoutingDeps, ref: ServiceRef): Promise<RoutingState> {
  const context = await readRoutingContext(deps.clients, ref);
  const { virtualService: vs, destinationRule: dr } = context;
  const access = deps.viewOnly ? { canWrite: false, reason: "The console runs in view-only mode (MESH_CONSOLE_VIEW_ONLY); the traffic wizards are disabled" } : await writeAccess(deps.clients, context);
  const inDr = new Set(subsetNames(dr));
  const versions = new Map(context.versions.map((version) => [version.name, version.workloads]));
  const names = [...new Set([...versions.keys(), ...inDr])];
  return {
    namespace: ref.namespace,
    service: ref.service,
    host: `${ref.service}.${ref.namespace}.svc.cluster.local`,
    subsets: names.map((name) => ({ name, inDestinationRule: inDr.has(name), workloads: versions.get(name) ?? [] })),
    weights: configuredWeights(vs, ref),
    virtualService: vs ? { name: vs.metadata.name, resourceVersion: vs.metadata.resourceVersion ?? "", createdByConsole: createdByConsole(vs) } : null,
    destinationRule: dr ? { name: dr.metadata.name, resourceVersion: dr.metadata.resourceVersion ?? "", createdByConsole: createdByConsole(dr) } : null,
    yaml: { virtualService: yamlOf(vs), destinationRule: yamlOf(dr) },
    ...access,
    history: readHistory(vs),
    rollbackAvailable: readPreviousSpec(vs) !== undefined,
    consoleRouting: hasConsoleRouting(vs) || (!!dr && (createdByConsole(dr) || listAnnotation(dr, CREATED_SUBSETS_ANNOTATION).length > 0 || listAnnotation(dr, MANAGED_POLICY_ANNOTATION).length > 0)),
  };
}
