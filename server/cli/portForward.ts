/**
 * `kubectl port-forward svc/NAME` done with client-node: find a Running, ready pod behind a
 * Service, then serve a local port where each accepted connection gets its own forward to the
 * pod over the API server's pods/portforward WebSocket.
 * https://kubernetes.io/docs/tasks/access-application-cluster/port-forward-access-application-cluster/
 */
import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { PortForward, type KubeConfig, type V1Pod, type V1Service } from "@kubernetes/client-node";
import { KubeError, kubeCall, type KubeClients } from "@/server/kube";

export interface ServiceBackend {
  namespace: string;
  service: string;
  pod: string;
  /** The pod's port the Service sends to. */
  podPort: number;
}

export class PortForwardError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PortForwardError";
  }
}

/** Ready in the sense Services use: phase Running and the Ready condition True, not being deleted. */
export function isRunningAndReady(pod: V1Pod): boolean {
  if (pod.metadata?.deletionTimestamp) return false;
  if (pod.status?.phase !== "Running") return false;
  return pod.status.conditions?.some((condition) => condition.type === "Ready" && condition.status === "True") ?? false;
}

/**
 * The pod port a Service port sends to: a number as is, a name looked up in the pod's containers,
 * none meaning the same as the Service port.
 * https://kubernetes.io/docs/concepts/services-networking/service/#field-spec-ports
 */
export function podPortFor(service: V1Service, pod: V1Pod, servicePort?: number | string): number {
  const ports = service.spec?.ports ?? [];
  const chosen = servicePort === undefined ? ports[0] : ports.find((port) => port.port === servicePort || port.name === servicePort);
  if (!chosen) {
    const known = ports.map((port) => `${port.name ?? "(unnamed)"}:${port.port}`).join(", ") || "none";
    throw new PortForwardError(`Service ${service.metadata?.namespace}/${service.metadata?.name} has no port ${servicePort ?? ""} (ports: ${known})`);
  }
  const target = chosen.targetPort ?? chosen.port;
  if (typeof target === "number") return target;
  if (/^\d+$/.test(target)) return Number(target);
  const named = pod.spec?.containers.flatMap((container) => container.ports ?? []).find((port) => port.name === target);
  if (!named) throw new PortForwardError(`pod ${pod.metadata?.name} declares no container port named ${JSON.stringify(target)} (Service ${service.metadata?.name} targets it)`);
  return named.containerPort;
}

/** Searches the namespaces in order for the Service, then picks a Running, ready pod it selects. */
export async function findServiceBackend(clients: KubeClients, namespaces: readonly string[], serviceName: string, servicePort?: number | string): Promise<ServiceBackend> {
  for (const namespace of namespaces) {
    let service: V1Service;
    try {
      service = await kubeCall(clients, "read-service", `read Service ${namespace}/${serviceName}`, () => clients.core.readNamespacedService({ namespace, name: serviceName }));
    } catch (error) {
      if (error instanceof KubeError && error.failure === "not-found") continue;
      throw error;
    }
    const selector = service.spec?.selector ?? {};
    if (Object.keys(selector).length === 0) throw new PortForwardError(`Service ${namespace}/${serviceName} selects no pods (it has no selector), so there is nothing to forward to`);
    const labelSelector = Object.entries(selector).map(([key, value]) => `${key}=${value}`).join(",");
    const pods = await kubeCall(clients, "list-pods", `list the pods of Service ${namespace}/${serviceName}`, () => clients.core.listNamespacedPod({ namespace, labelSelector }));
    const pod = pods.items.find(isRunningAndReady);
    if (!pod?.metadata?.name) {
      const seen = pods.items.map((item) => `${item.metadata?.name} (${item.status?.phase ?? "unknown"})`).join(", ");
      throw new PortForwardError(`Service ${namespace}/${serviceName} has no Running and ready pod${seen ? `: ${seen}` : ` matching ${labelSelector}`}`);
    }
    return { namespace, service: serviceName, pod: pod.metadata.name, podPort: podPortFor(service, pod, servicePort) };
  }
  throw new PortForwardError(`Service ${serviceName} was not found in namespace${namespaces.length === 1 ? "" : "s"} ${namespaces.join(", ")}; install it (kubectl apply -k deploy/overlays/token) or name its namespace with --namespace`);
}

export interface LocalForward {
  address: string;
  port: number;
  url: string;
  close(): Promise<void>;
}

export interface LocalForwardOptions {
  address: string;
  port: number;
  /** Called when a connection's forward fails, e.g. the pod went away; the next connection retries. */
  onForwardError?: (error: Error) => void;
  /** Finds the backend again after a failure (a restarted pod has a new name). */
  refresh?: () => Promise<ServiceBackend>;
}

function describeForwardFailure(error: unknown, backend: ServiceBackend): Error {
  const text = error instanceof Error ? error.message : (error as { message?: string } | undefined)?.message ?? String(error);
  const hint = / 403/.test(text) ? `: your account needs create on pods/portforward in ${backend.namespace}` : "";
  return new PortForwardError(`port-forward to pod ${backend.namespace}/${backend.pod}:${backend.podPort} failed (${text})${hint}`);
}

function listen(server: Server, address: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") reject(new PortForwardError(`port ${port} on ${address} is in use; choose another with --port, or --port 0 for any free one`));
      else if (error.code === "EADDRNOTAVAIL") reject(new PortForwardError(`address ${address} is not one of this machine's; use --address 127.0.0.1`));
      else reject(error);
    });
    server.listen(port, address, () => resolve());
  });
}

export async function startLocalForward(kubeConfig: KubeConfig, initial: ServiceBackend, options: LocalForwardOptions): Promise<LocalForward> {
  let backend = initial;
  const forwarder = new PortForward(kubeConfig);
  const sockets = new Set<Socket>();

  const forwardConnection = async (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    try {
      const opened = await forwarder.portForward(backend.namespace, backend.pod, [backend.podPort], socket, null, socket);
      const ws = typeof opened === "function" ? opened() : opened;
      if (!ws) throw new Error("the WebSocket closed before it opened");
      // client-node ends nothing when the pod side closes; end the local side so the browser sees it.
      ws.on("close", () => socket.end());
      ws.on("error", () => socket.destroy());
      socket.on("close", () => ws.close());
    } catch (error) {
      socket.destroy();
      options.onForwardError?.(describeForwardFailure(error, backend));
      if (options.refresh) backend = await options.refresh().catch(() => backend);
    }
  };

  const server = createServer((socket) => void forwardConnection(socket));
  await listen(server, options.address, options.port);
  const port = (server.address() as AddressInfo).port;
  const host = options.address.includes(":") ? `[${options.address}]` : options.address;
  return {
    address: options.address,
    port,
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
