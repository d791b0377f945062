/**
 * What the lists and detail pages need to say which data plane a workload has (lib/mesh.ts
 * decides): its namespace's labels (`istio.io/dataplane-mode`, `istio.io/use-waypoint`), the
 * Services that select it (their `istio.io/use-waypoint`), and which Gateways are waypoints (class
 * `istio-waypoint`), read with the person's own token. A namespace or Gateway they may not read
 * leaves that part unknown rather than failing the list.
 */
import { z } from "zod";
import { WAYPOINT_GATEWAY_CLASS } from "@/lib/istio/ambient";
import type { ServiceSummary } from "@/lib/mesh";
import { kube, kubeCall, KubeError } from "@/server/kube";
import { listNamespaces } from "./namespaces";

export interface DataPlaneFacts {
  /** Labels of each namespace, by name. */
  namespaceLabels: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** "namespace/name" of the Gateways of the waypoint class. */
  waypointGateways: ReadonlySet<string>;
  services: readonly ServiceSummary[];
}

const gatewayListSchema = z.object({
  items: z.array(z.object({ metadata: z.object({ name: z.string(), namespace: z.string().optional() }), spec: z.object({ gatewayClassName: z.string() }).passthrough() })),
});

const tolerated = (error: unknown) => error instanceof KubeError && (error.failure === "forbidden" || error.failure === "not-found");

async function waypointGatewaysOf(namespaces: readonly string[]): Promise<Set<string>> {
  const clients = kube();
  const lists = await Promise.all(
    namespaces.map(async (namespace) => {
      try {
        const raw = await kubeCall(clients, "list_istio", `list gateways.gateway.networking.k8s.io in ${namespace}`, () =>
          clients.custom.listNamespacedCustomObject({ group: "gateway.networking.k8s.io", version: "v1", plural: "gateways", namespace }),
        );
        return gatewayListSchema.parse(raw).items;
      } catch (error) {
        // No Gateway API in the cluster, or no right to read it here: no waypoint known there.
        if (tolerated(error)) return [];
        throw error;
      }
    }),
  );
  return new Set(lists.flat().filter((gateway) => gateway.spec.gatewayClassName === WAYPOINT_GATEWAY_CLASS).map((gateway) => `${gateway.metadata.namespace ?? ""}/${gateway.metadata.name}`));
}

export async function readDataPlaneFacts(namespaces: readonly string[], services: readonly ServiceSummary[]): Promise<DataPlaneFacts> {
  const shown = namespaces.length ? namespaces : [...new Set(services.map((service) => service.namespace))];
  const [all, waypointGateways] = await Promise.all([listNamespaces().catch((error: unknown) => (tolerated(error) ? [] : Promise.reject(error))), waypointGatewaysOf(shown)]);
  return { namespaceLabels: new Map(all.map((namespace) => [namespace.name, namespace.labels])), waypointGateways, services };
}
