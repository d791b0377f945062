/**
 * Reads the mesh from the Kubernetes API with client-node informers (list, then watch from the
 * list's resourceVersion). A watch that ends is resumed from the last resourceVersion seen; a
 * 410 Gone makes the informer relist; any other error restarts it after a backoff.
 * https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes
 */
import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  makeInformer,
  type Informer,
  type KubernetesListObject,
  type KubernetesObject,
  type ObjectCache,
} from "@kubernetes/client-node";
import type { z } from "zod";
import type { MeshObjects } from "./mesh";
import {
  authorizationPolicySchema,
  deploymentSchema,
  describeParseError,
  destinationRuleSchema,
  namespaceSchema,
  peerAuthenticationSchema,
  serviceSchema,
  virtualServiceSchema,
} from "./mesh-schemas";
import { gatewayClassSchema, gatewaySchema, grpcRouteSchema, httpRouteSchema, referenceGrantSchema } from "./gateway-api-schemas";
import { GATEWAY_API_GROUP } from "@/lib/gatewayApi/references";

export interface MeshSource {
  /** The objects currently known, parsed; objects that fail to parse are left out (and logged). */
  objects(): MeshObjects;
  stop(): Promise<void>;
}

export interface MeshSourceOptions {
  kubeconfigPath: string;
  /** Called (debounced) after any watched object changed. */
  onChange: () => void;
  log?: (message: string) => void;
  /** How long to wait for the first list of every kind. */
  syncTimeoutMs?: number;
}

type WatchedObjects = Omit<MeshObjects, "gatewayApi"> & NonNullable<MeshObjects["gatewayApi"]>;

interface WatchedKind<T> {
  kind: string;
  path: string;
  schema: z.ZodType<T>;
  list: () => Promise<KubernetesListObject<KubernetesObject>>;
}

/** Coalesces bursts of events; small enough that a change shows in the next 1 s tick. */
const DEBOUNCE_MS = 50;
const MAX_BACKOFF_MS = 10_000;

export async function watchMesh(options: MeshSourceOptions): Promise<MeshSource> {
  const log = options.log ?? ((message: string) => console.error(message));
  const kubeConfig = new KubeConfig();
  try {
    kubeConfig.loadFromFile(options.kubeconfigPath);
  } catch (error) {
    throw new Error(`--kubeconfig ${options.kubeconfigPath}: cannot load: ${(error as Error).message}`);
  }
  const server = kubeConfig.getCurrentCluster()?.server ?? "(no current cluster)";
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const apps = kubeConfig.makeApiClient(AppsV1Api);
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  const customList = (group: string, version: string, plural: string) => () =>
    custom.listClusterCustomObject({ group, version, plural }) as Promise<KubernetesListObject<KubernetesObject>>;

  const kinds = {
    namespaces: { kind: "Namespace", path: "/api/v1/namespaces", schema: namespaceSchema, list: () => core.listNamespace() },
    services: { kind: "Service", path: "/api/v1/services", schema: serviceSchema, list: () => core.listServiceForAllNamespaces() },
    deployments: { kind: "Deployment", path: "/apis/apps/v1/deployments", schema: deploymentSchema, list: () => apps.listDeploymentForAllNamespaces() },
    virtualServices: { kind: "VirtualService", path: "/apis/networking.istio.io/v1/virtualservices", schema: virtualServiceSchema, list: customList("networking.istio.io", "v1", "virtualservices") },
    destinationRules: { kind: "DestinationRule", path: "/apis/networking.istio.io/v1/destinationrules", schema: destinationRuleSchema, list: customList("networking.istio.io", "v1", "destinationrules") },
    peerAuthentications: { kind: "PeerAuthentication", path: "/apis/security.istio.io/v1/peerauthentications", schema: peerAuthenticationSchema, list: customList("security.istio.io", "v1", "peerauthentications") },
    authorizationPolicies: { kind: "AuthorizationPolicy", path: "/apis/security.istio.io/v1/authorizationpolicies", schema: authorizationPolicySchema, list: customList("security.istio.io", "v1", "authorizationpolicies") },
    gatewayClasses: { kind: "GatewayClass", path: `/apis/${GATEWAY_API_GROUP}/v1/gatewayclasses`, schema: gatewayClassSchema, list: customList(GATEWAY_API_GROUP, "v1", "gatewayclasses") },
    gateways: { kind: "Gateway", path: `/apis/${GATEWAY_API_GROUP}/v1/gateways`, schema: gatewaySchema, list: customList(GATEWAY_API_GROUP, "v1", "gateways") },
    httpRoutes: { kind: "HTTPRoute", path: `/apis/${GATEWAY_API_GROUP}/v1/httproutes`, schema: httpRouteSchema, list: customList(GATEWAY_API_GROUP, "v1", "httproutes") },
    grpcRoutes: { kind: "GRPCRoute", path: `/apis/${GATEWAY_API_GROUP}/v1/grpcroutes`, schema: grpcRouteSchema, list: customList(GATEWAY_API_GROUP, "v1", "grpcroutes") },
    referenceGrants: { kind: "ReferenceGrant", path: `/apis/${GATEWAY_API_GROUP}/v1/referencegrants`, schema: referenceGrantSchema, list: customList(GATEWAY_API_GROUP, "v1", "referencegrants") },
  } satisfies { [K in keyof WatchedObjects]: WatchedKind<WatchedObjects[K][number]> };

  let debounce: NodeJS.Timeout | undefined;
  let stopped = false;
  const changed = () => {
    if (stopped || debounce) return;
    debounce = setTimeout(() => {
      debounce = undefined;
      if (!stopped) options.onChange();
    }, DEBOUNCE_MS);
  };

  const reportedParseErrors = new Set<string>();
  const synced = new Set<string>();
  const notServed = new Set<string>();
  const informers: Array<Informer<KubernetesObject> & ObjectCache<KubernetesObject>> = [];
  const restarts = new Set<NodeJS.Timeout>();

  const informersByKind = new Map<string, Informer<KubernetesObject> & ObjectCache<KubernetesObject>>();
  for (const watched of Object.values(kinds) as Array<WatchedKind<unknown>>) {
    let backoffMs = 500;
    // The Gateway API kinds are served only where their CRDs are installed: without them the mesh
    // simply has no such objects, and the watch keeps asking (quietly) until they appear.
    const optional = watched.path.startsWith(`/apis/${GATEWAY_API_GROUP}/`);
    const informer = makeInformer<KubernetesObject>(kubeConfig, watched.path, async () => {
      let list: KubernetesListObject<KubernetesObject>;
      try {
        list = await watched.list();
      } catch (error) {
        if (optional && (error as { code?: number } | undefined)?.code === 404) {
          if (!notServed.has(watched.kind)) log(`${watched.kind}: not served by ${server}; none until its CRD is installed`);
          notServed.add(watched.kind);
          synced.add(watched.kind);
        }
        throw error;
      }
      notServed.delete(watched.kind);
      synced.add(watched.kind);
      backoffMs = 500;
      return list;
    });
    informer.on("add", changed);
    informer.on("update", changed);
    informer.on("delete", changed);
    informer.on("error", (error: unknown) => {
      if (stopped) return;
      const status = (error as { statusCode?: number; code?: number } | undefined)?.statusCode;
      if (!notServed.has(watched.kind)) log(`watch ${watched.kind} at ${server}: ${(error as Error | undefined)?.message ?? String(error)}${status ? ` (HTTP ${status})` : ""}; retrying in ${backoffMs} ms`);
      const timer = setTimeout(() => {
        restarts.delete(timer);
        if (!stopped) void informer.start();
      }, backoffMs);
      restarts.add(timer);
      backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    });
    informers.push(informer);
    informersByKind.set(watched.kind, informer);
  }
  const stopAll = async () => {
    stopped = true;
    if (debounce) clearTimeout(debounce);
    for (const timer of restarts) clearTimeout(timer);
    await Promise.all(informers.map((informer) => informer.stop()));
  };
  await Promise.all(informers.map((informer) => informer.start()));

  const deadline = Date.now() + (options.syncTimeoutMs ?? 30_000);
  while (synced.size < informers.length) {
    if (Date.now() > deadline) {
      const missing = Object.values(kinds).map((k) => k.kind).filter((k) => !synced.has(k));
      await stopAll();
      throw new Error(`Kubernetes API ${server}: could not list ${missing.join(", ")} (check --kubeconfig and that the API serves networking.istio.io/v1, security.istio.io/v1 and ${GATEWAY_API_GROUP}/v1)`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const parseAll = <T>(watched: WatchedKind<T>, informer: ObjectCache<KubernetesObject> | undefined): T[] => {
    const result: T[] = [];
    for (const raw of informer?.list() ?? []) {
      const parsed = watched.schema.safeParse(raw);
      if (parsed.success) {
        result.push(parsed.data);
        continue;
      }
      const key = `${watched.kind}/${raw.metadata?.namespace}/${raw.metadata?.name}@${raw.metadata?.resourceVersion}`;
      if (!reportedParseErrors.has(key)) {
        reportedParseErrors.add(key);
        log(`ignoring ${describeParseError(watched.kind, raw, parsed.error)}`);
      }
    }
    return result;
  };

  const read = <T>(watched: WatchedKind<T>): T[] => parseAll(watched, informersByKind.get(watched.kind));
  return {
    objects: () => ({
      namespaces: read(kinds.namespaces),
      services: read(kinds.services),
      deployments: read(kinds.deployments),
      virtualServices: read(kinds.virtualServices),
      destinationRules: read(kinds.destinationRules),
      peerAuthentications: read(kinds.peerAuthentications),
      authorizationPolicies: read(kinds.authorizationPolicies),
      gatewayApi: {
        gatewayClasses: read(kinds.gatewayClasses),
        gateways: read(kinds.gateways),
        httpRoutes: read(kinds.httpRoutes),
        grpcRoutes: read(kinds.grpcRoutes),
        referenceGrants: read(kinds.referenceGrants),
      },
    }),
    stop: stopAll,
  };
}
