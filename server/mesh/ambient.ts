/**
 * The ambient data plane's own health for the overview (lib/mesh.ts AmbientHealth), read with the
 * person's own token: ztunnel's pods in the mesh's root namespace, and the waypoints (Gateways of
 * class `istio-waypoint`) of the namespaces they may read, with the deployment istiod made for
 * each (labelled `gateway.networking.k8s.io/gateway-name`).
 */
import { z } from "zod";
import { WAYPOINT_GATEWAY_CLASS } from "@/lib/istio/ambient";
import { MESH_ROOT_NAMESPACE } from "@/lib/istio/rootNamespace";
import type { AmbientHealth } from "@/lib/mesh";
import { authorizedNamespaces } from "@/server/auth/namespaceAccess";
import { kube, kubeCall, KubeError } from "@/server/kube";
import { perNamespace } from "./objects";
import { summarizePod } from "./pods";

const gatewaySchema = z.object({
  metadata: z.object({ name: z.string(), namespace: z.string().optional() }),
  spec: z.looseObject({ gatewayClassName: z.string() }),
  status: z.object({ conditions: z.array(z.object({ type: z.string(), status: z.string() })).nullish() }).nullish(),
});
const deploymentSchema = z.object({
  metadata: z.object({ name: z.string(), namespace: z.string().optional(), labels: z.record(z.string(), z.string()).nullish() }),
  spec: z.object({ replicas: z.number().nullish() }).nullish(),
  status: z.object({ readyReplicas: z.number().nullish() }).nullish(),
});

const refused = (error: unknown) => error instanceof KubeError && (error.failure === "forbidden" || error.failure === "not-found");

export async function readAmbientHealth(namespaces: readonly string[]): Promise<AmbientHealth> {
  const clients = kube();
  const readable = await authorizedNamespaces(namespaces);
  const ztunnel = kubeCall(clients, "list_pods", `list ztunnel pods in ${MESH_ROOT_NAMESPACE}`, () => clients.core.listNamespacedPod({ namespace: MESH_ROOT_NAMESPACE, labelSelector: "app=ztunnel" }))
    .then((list) => {
      const pods = list.items.map(summarizePod);
      return { pods: pods.length, ready: pods.filter((pod) => pod.ready).length };
    })
    .catch((error: unknown) => (refused(error) ? null : Promise.reject(error)));
  const gatewayApi = { group: "gateway.networking.k8s.io", version: "v1", plural: "gateways" };
  const waypointsOf = async (where: string, list: () => Promise<unknown>) => {
    try {
      const raw = (await kubeCall(clients, "list_gateway_api", `list gateways ${where}`, list)) as { items?: unknown[] };
      return (raw.items ?? []).flatMap((item) => {
        const parsed = gatewaySchema.safeParse(item);
        return parsed.success && parsed.data.spec.gatewayClassName === WAYPOINT_GATEWAY_CLASS ? [{ ...parsed.data, namespace: parsed.data.metadata.namespace ?? "" }] : [];
      });
    } catch (error) {
      // No Gateway API in the cluster, or no right to read it there: no waypoint known.
      if (refused(error)) return [];
      throw error;
    }
  };
  const gateways = perNamespace(
    readable,
    () => waypointsOf("in every namespace", () => clients.custom.listClusterCustomObject(gatewayApi)),
    (namespace) => waypointsOf(`in ${namespace}`, () => clients.custom.listNamespacedCustomObject({ ...gatewayApi, namespace })),
  );
  const [ztunnelPods, waypoints] = await Promise.all([ztunnel, gateways]);
  const deployments = await Promise.all(
    [...new Set(waypoints.map((waypoint) => waypoint.namespace))].map(async (namespace) =>
      (await kubeCall(clients, "list_deployments", `list deployments in ${namespace}`, () => clients.apps.listNamespacedDeployment({ namespace, labelSelector: "gateway.networking.k8s.io/gateway-name" }))).items.map((item) => deploymentSchema.parse(item)),
    ),
  );
  const byGateway = new Map(deployments.flat().map((deployment) => [`${deployment.metadata.namespace ?? ""}/${deployment.metadata.labels?.["gateway.networking.k8s.io/gateway-name"] ?? ""}`, deployment]));
  return {
    ztunnel: ztunnelPods,
    waypoints: waypoints
      .map((waypoint) => {
        const deployment = byGateway.get(`${waypoint.namespace}/${waypoint.metadata.name}`);
        const programmed = waypoint.status?.conditions?.find((condition) => condition.type === "Programmed");
        return {
          namespace: waypoint.namespace,
          name: waypoint.metadata.name,
          programmed: programmed ? programmed.status === "True" : null,
          readyReplicas: deployment?.status?.readyReplicas ?? 0,
          desiredReplicas: deployment ? (deployment.spec?.replicas ?? 1) : 0,
        };
      })
      .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name)),
  };
}
