/**
 * Plays istiod's Gateway API controller against the Kubernetes API: deploys each Gateway of its
 * class (gateway-deployment.ts) and writes the status istiod writes (lib/gatewayApi/conditions.ts)
 * on GatewayClasses, Gateways, HTTPRoutes and GRPCRoutes through their `/status` subresource, only
 * when it differs from what the object carries. Runs after every change the watch reports; runs
 * never overlap, and a change during a run triggers one more.
 */
import { AppsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig } from "@kubernetes/client-node";
import { gatewayClassStatus, gatewayStatus, routeStatus, statusEqual, type RouteWithStatus } from "@/lib/gatewayApi/conditions";
import { gatewayIsIstio, GATEWAY_API_GROUP } from "@/lib/gatewayApi/references";
import { gatewayManifests } from "./gateway-deployment";
import type { MeshObjects } from "./mesh";

export interface StatusWrite {
  plural: "gatewayclasses" | "gateways" | "httproutes" | "grpcroutes";
  namespace?: string;
  name: string;
  /** The object as read, with the new status: written with its resourceVersion, so a stale read gets 409. */
  body: Record<string, unknown>;
}

/** RFC 3339 in whole seconds, as metav1.Time serialises. */
export function statusTime(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, "Z");
}

/** The status writes istiod would make for these objects now; pure. */
export function pendingStatusWrites(objects: MeshObjects, now: string): StatusWrite[] {
  const gatewayApi = objects.gatewayApi;
  if (!gatewayApi) return [];
  const world = {
    gateways: gatewayApi.gateways,
    gatewayClasses: gatewayApi.gatewayClasses,
    services: objects.services.map((service) => ({ metadata: service.metadata, spec: { ports: service.spec?.ports ?? [] } })),
    namespaces: objects.namespaces,
    referenceGrants: gatewayApi.referenceGrants,
  };
  const routes: Array<{ plural: "httproutes" | "grpcroutes"; route: RouteWithStatus }> = [
    ...gatewayApi.httpRoutes.map((route) => ({ plural: "httproutes" as const, route: { ...route, kind: "HTTPRoute" as const } as RouteWithStatus })),
    ...gatewayApi.grpcRoutes.map((route) => ({ plural: "grpcroutes" as const, route: { ...route, kind: "GRPCRoute" as const } as RouteWithStatus })),
  ];
  const writes: StatusWrite[] = [];
  const consider = (plural: StatusWrite["plural"], object: { metadata?: { name?: string; namespace?: string }; status?: unknown }, status: unknown) => {
    if (status === undefined || statusEqual(object.status ?? {}, status)) return;
    writes.push({ plural, name: object.metadata?.name ?? "", ...(object.metadata?.namespace ? { namespace: object.metadata.namespace } : {}), body: { ...object, status } });
  };
  for (const gatewayClass of gatewayApi.gatewayClasses) consider("gatewayclasses", gatewayClass, gatewayClassStatus(gatewayClass, now));
  for (const gateway of gatewayApi.gateways) consider("gateways", gateway, gatewayStatus(gateway, { ...world, routes: routes.map((r) => r.route) }, now));
  for (const { plural, route } of routes) {
    const status = routeStatus(route, world, now);
    // A route no parent of istiod's names keeps whatever status it has.
    if (status.parents.length === 0 && (route.status?.parents ?? []).length === 0) continue;
    // The route as read already carries this `kind`; the body is the object as read.
    consider(plural, route, status);
  }
  return writes;
}

function statusCode(error: unknown): number | undefined {
  const candidate = error as { code?: unknown; statusCode?: unknown } | undefined;
  if (typeof candidate?.code === "number") return candidate.code;
  if (typeof candidate?.statusCode === "number") return candidate.statusCode;
  return undefined;
}

export interface GatewayController {
  /** Brings the cluster in line with these objects (deployments, then status). */
  reconcile(objects: () => MeshObjects): void;
  /** Resolves when no run is in progress or pending. */
  idle(): Promise<void>;
}

export function createGatewayController(kubeconfigPath: string, log: (message: string) => void): GatewayController {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(kubeconfigPath);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const apps = kubeConfig.makeApiClient(AppsV1Api);
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  const reported = new Set<string>();
  const report = (key: string, message: string) => {
    if (reported.has(key)) return;
    reported.add(key);
    log(message);
  };

  const createIfMissing = async (what: string, create: () => Promise<unknown>) => {
    try {
      await create();
      log(`gateway controller: created ${what}`);
    } catch (error) {
      if (statusCode(error) !== 409) report(`create ${what}`, `gateway controller: creating ${what} failed: ${(error as Error).message}`);
    }
  };

  const deploy = async (objects: MeshObjects) => {
    const gatewayApi = objects.gatewayApi;
    if (!gatewayApi) return;
    for (const gateway of gatewayApi.gateways) {
      if (!gatewayIsIstio(gateway, gatewayApi.gatewayClasses)) continue;
      const manifests = gatewayManifests(gateway);
      const namespace = gateway.metadata?.namespace ?? "default";
      const name = (manifests.deployment.metadata as { name: string }).name;
      const has = (list: ReadonlyArray<{ metadata: { name: string; namespace?: string } }>) => list.some((o) => o.metadata.name === name && o.metadata.namespace === namespace);
      // ServiceAccounts are not watched: creating one that exists is a harmless 409.
      if (!has(objects.deployments)) {
        await createIfMissing(`ServiceAccount ${namespace}/${name}`, () => core.createNamespacedServiceAccount({ namespace, body: manifests.serviceAccount as never }));
        await createIfMissing(`Deployment ${namespace}/${name}`, () => apps.createNamespacedDeployment({ namespace, body: manifests.deployment as never }));
      }
      if (!has(objects.services)) await createIfMissing(`Service ${namespace}/${name}`, () => core.createNamespacedService({ namespace, body: manifests.service as never }));
    }
  };

  const writeStatus = async (objects: MeshObjects) => {
    for (const write of pendingStatusWrites(objects, statusTime(new Date()))) {
      const target = { group: GATEWAY_API_GROUP, version: "v1", plural: write.plural, name: write.name, body: write.body };
      try {
        if (write.namespace === undefined) await custom.replaceClusterCustomObjectStatus(target);
        else await custom.replaceNamespacedCustomObjectStatus({ ...target, namespace: write.namespace });
      } catch (error) {
        // 409: the object changed since it was read; its watch event brings another run.
        if (statusCode(error) !== 409) report(`status ${write.plural}/${write.namespace}/${write.name}`, `gateway controller: writing the status of ${write.plural} ${write.namespace ?? ""}/${write.name} failed: ${(error as Error).message}`);
      }
    }
  };

  let running: Promise<void> | undefined;
  let again = false;
  let latest: (() => MeshObjects) | undefined;
  const run = async () => {
    do {
      again = false;
      const read = latest;
      if (!read) return;
      await deploy(read());
      // Read again: the deployment's Service decides whether the Gateway is Programmed.
      await writeStatus(read());
    } while (again);
  };
  return {
    reconcile(objects) {
      latest = objects;
      if (running) {
        again = true;
        return;
      }
      running = run().finally(() => {
        running = undefined;
      });
    },
    idle: async () => {
      while (running) await running;
    },
  };
}
