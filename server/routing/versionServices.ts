/**
 * Version Services for Gateway API routing: one Service per version (`<service>-<version>`,
 * selecting `app` and `version`, the parent Service's ports), as Istio's Gateway API canary samples
 * route versions. The wizards create them before the HTTPRoute that names them and delete only the
 * ones they created (label `mesh-console.io/created-by`) after the route no longer does.
 *
 * Services are core objects, not Istio's, so they are written here with the same rules as the
 * console's one write path (server/kube/writes.ts): a server-side dry run first, deletes carry the
 * resourceVersion they were read at as a precondition, and conflicts read the same.
 */
import { z } from "zod";
import { versionService, type VersionServicePort } from "@/lib/routing/httpRoute";
import { kubeCall, KubeError, type KubeClients } from "@/server/kube";
import { changedBySomeoneElse } from "@/server/kube/writes";
import { CREATED_BY_LABEL, CREATED_BY_VALUE } from "./istioObjects";

export const serviceObjectSchema = z.object({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: z.looseObject({ name: z.string(), namespace: z.string().optional(), resourceVersion: z.string().optional(), labels: z.record(z.string(), z.string()).nullish() }),
  spec: z
    .looseObject({
      selector: z.record(z.string(), z.string()).nullish(),
      ports: z.array(z.object({ name: z.string().optional(), port: z.number(), targetPort: z.union([z.number(), z.string()]).optional(), protocol: z.string().optional(), appProtocol: z.string().optional() })).nullish(),
    })
    .nullish(),
});
export type ServiceObject = z.infer<typeof serviceObjectSchema>;

/** The Service of `version`, with the parent's ports; `app` is the parent's `app` selector, else its name. */
export function newVersionService(parent: ServiceObject, namespace: string, version: string): ServiceObject {
  const ports: VersionServicePort[] = (parent.spec?.ports ?? []).map((port) => ({
    ...(port.name ? { name: port.name } : {}),
    port: port.port,
    ...(port.targetPort !== undefined ? { targetPort: port.targetPort } : {}),
    ...(port.protocol ? { protocol: port.protocol } : {}),
    ...(port.appProtocol ? { appProtocol: port.appProtocol } : {}),
  }));
  return versionService({ namespace, service: parent.metadata.name, app: parent.spec?.selector?.app ?? parent.metadata.name, ports }, version, { [CREATED_BY_LABEL]: CREATED_BY_VALUE });
}

export async function writeService(clients: KubeClients, action: "create" | "delete", service: ServiceObject, options: { dryRun: boolean }): Promise<ServiceObject | undefined> {
  const namespace = String(service.metadata.namespace);
  const name = service.metadata.name;
  const ref = { kind: "Service", namespace, name };
  const dry = options.dryRun ? { dryRun: "All" } : {};
  const doing = `${options.dryRun ? "check " : ""}${action} Service ${namespace}/${name}`;
  try {
    if (action === "create") {
      const { resourceVersion: _stale, ...metadata } = service.metadata;
      const body = { ...service, metadata } as Parameters<KubeClients["core"]["createNamespacedService"]>[0]["body"];
      return serviceObjectSchema.parse(await kubeCall(clients, "create_service", doing, () => clients.core.createNamespacedService({ namespace, body, ...dry })));
    }
    const body = { preconditions: { resourceVersion: service.metadata.resourceVersion ?? "" }, ...(options.dryRun ? { dryRun: ["All"] } : {}) };
    await kubeCall(clients, "delete_service", doing, () => clients.core.deleteNamespacedService({ namespace, name, body, ...dry }));
    return undefined;
  } catch (error) {
    if (error instanceof KubeError && error.failure === "conflict") throw changedBySomeoneElse(ref, "changed");
    if (error instanceof KubeError && error.failure === "already-exists") throw new KubeError("already-exists", changedBySomeoneElse(ref, "created").message, 409);
    if (error instanceof KubeError && error.failure === "not-found" && action === "delete") throw changedBySomeoneElse(ref, "deleted");
    if (error instanceof KubeError && error.failure === "forbidden") throw new KubeError("forbidden", `Your account may not ${action} Services in ${namespace} (the Kubernetes API answered 403); the Gateway API wizards create one Service per version`, 403, error.causes);
    throw error;
  }
}
