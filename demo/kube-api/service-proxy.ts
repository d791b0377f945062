/**
 * The `services/proxy` and `pods/proxy` subresources: the API server relays an HTTP request to a
 * port of a Service or pod, e.g. istiod's debug endpoint:
 *   GET /api/v1/namespaces/istio-system/services/https:istiod:15014/proxy/debug/syncz
 *   GET /api/v1/namespaces/istio-system/pods/istiod-5d8f-x2v9k:15014/proxy/debug/syncz
 * The name segment is `[scheme:]name[:port]`; everything after `proxy` is the upstream path.
 * https://kubernetes.io/docs/tasks/access-application-cluster/access-cluster-services/#manually-constructing-apiserver-proxy-urls
 *
 * Emulated Services and pods listen nowhere, so, as for port-forward (portforward.ts), an
 * annotation names the loopback address their ports stand for:
 *   demo.mesh-console.io/forward-to: "127.0.0.1:PORT"
 * on the pod, or on a Service that selects the pod (a Service's annotation covers its pods). Every
 * port of the object goes to that one address; the demo's simulator sets it on istio-system/istiod.
 *
 * RBAC: `get` (for GET; create/update/patch/delete for the other methods) on services/proxy or
 * pods/proxy. Kubernetes' built-in `view` role grants neither, so only the admin role may proxy.
 * https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles
 */
import { request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import { mayAccess, type User } from "./auth";
import { FORWARD_TO_ANNOTATION, forwardTarget } from "./portforward";
import type { Registry } from "./registry";
import { RESOURCE_TYPES, type ResourceType, type Verb } from "./resources";
import { mapSelectorMatches } from "./selectors";
import { ApiError, forbidden, methodNotAllowed, unauthorized } from "./status";

const PROXY_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/(services|pods)\/([^/]+)\/proxy(\/.*)?$/;
const METHOD_VERBS: Record<string, Verb> = { GET: "get", HEAD: "get", POST: "create", PUT: "update", PATCH: "patch", DELETE: "delete" };
/** Hop-by-hop and credential headers the API server does not pass upstream. */
const DROPPED_HEADERS = new Set(["authorization", "connection", "host", "upgrade", "keep-alive", "transfer-encoding"]);

const SERVICES = RESOURCE_TYPES.find((type) => type.group === "" && type.kind === "Service");
const PODS = RESOURCE_TYPES.find((type) => type.group === "" && type.kind === "Pod");

export interface ProxyRequest {
  namespace: string;
  kind: "services" | "pods";
  name: string;
  /** Upstream path, always starting with "/". */
  path: string;
}

/**
 * The proxy request a URL path names, or undefined when it is not a proxy path. Segments are
 * decoded first, as the API server matches the decoded path (client-node encodes the upstream
 * path's slashes as %2F).
 */
export function parseProxyPath(pathname: string): ProxyRequest | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  const match = PROXY_PATH.exec(decoded);
  if (!match) return undefined;
  const [, namespace = "", kind, nameSegment = "", rest] = match;
  // `[scheme:]name[:port]`: the name is the part that is neither a scheme nor a port.
  const parts = nameSegment.split(":");
  const name = (parts.length === 3 ? parts[1] : parts.length === 2 && (parts[0] === "http" || parts[0] === "https") ? parts[1] : parts[0]) ?? "";
  return { namespace, kind: kind === "pods" ? "pods" : "services", name, path: rest ?? "/" };
}

type Annotated = { metadata: { annotations?: unknown; labels?: unknown } };
const annotationOf = (object: Annotated): string | undefined => (object.metadata.annotations as Record<string, string> | undefined)?.[FORWARD_TO_ANNOTATION];

function noEndpoints(kind: string, namespace: string, name: string): ApiError {
  return new ApiError(503, "ServiceUnavailable", `no endpoints available for ${kind === "pods" ? "pod" : "service"} "${name}" in ${namespace} (the emulator needs a ${FORWARD_TO_ANNOTATION}: "127.0.0.1:PORT" annotation)`);
}

/** Where the request goes: the object's annotation, or for a pod the annotation of a Service selecting it. */
export function proxyTarget(registry: Registry, target: ProxyRequest): { host: string; port: number } {
  const type = target.kind === "pods" ? PODS : SERVICES;
  if (!type || !SERVICES) throw noEndpoints(target.kind, target.namespace, target.name);
  const object = registry.get(type, target.namespace, target.name);
  let annotation = annotationOf(object);
  if (annotation === undefined && target.kind === "pods") {
    const labels = object.metadata.labels as Record<string, string> | undefined;
    const selecting = registry.store.list(SERVICES, target.namespace).find((service) => {
      const selector = (service.spec as { selector?: Record<string, string> } | undefined)?.selector;
      return selector !== undefined && Object.keys(selector).length > 0 && mapSelectorMatches(selector, labels) && annotationOf(service) !== undefined;
    });
    annotation = selecting ? annotationOf(selecting) : undefined;
  }
  const forward = forwardTarget(annotation);
  if (!forward) throw noEndpoints(target.kind, target.namespace, target.name);
  return forward;
}

function relay(req: IncomingMessage, res: ServerResponse, url: URL, proxied: ProxyRequest, to: { host: string; port: number }): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(req.headers)) if (value !== undefined && !DROPPED_HEADERS.has(key)) headers[key] = value;
  return new Promise((resolve, reject) => {
    const upstream = httpRequest({ host: to.host, port: to.port, method: req.method, path: `${proxied.path}${url.search}`, headers }, (answer) => {
      const passed: Record<string, string | string[]> = {};
      for (const [key, value] of Object.entries(answer.headers)) if (value !== undefined && !DROPPED_HEADERS.has(key)) passed[key] = value;
      res.writeHead(answer.statusCode ?? 502, passed);
      answer.pipe(res);
      answer.on("end", () => resolve());
      answer.on("error", reject);
    });
    upstream.on("error", (error) =>
      reject(new ApiError(503, "ServiceUnavailable", `error trying to reach ${proxied.kind === "pods" ? "pod" : "service"}: dial tcp ${to.host}:${to.port}: ${error.message}`)),
    );
    req.pipe(upstream);
  });
}

/** Serves a proxy request; the caller has matched the path with parseProxyPath. */
export async function handleProxy(deps: { registry: Registry }, user: User | undefined, proxied: ProxyRequest, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!user) throw unauthorized();
  const url = new URL(req.url ?? "/", "http://kube-api.local");
  const verb = METHOD_VERBS[req.method ?? ""];
  if (!verb) throw methodNotAllowed(req.method ?? "", url.pathname);
  const base = proxied.kind === "pods" ? PODS : SERVICES;
  if (!base) throw noEndpoints(proxied.kind, proxied.namespace, proxied.name);
  const subresource: ResourceType = { ...base, plural: `${proxied.kind}/proxy` };
  if (user.role !== "admin" || !mayAccess(user, verb, subresource, proxied.namespace, proxied.name)) throw forbidden(user.name, verb, subresource, proxied.namespace, proxied.name);
  await relay(req, res, url, proxied, proxyTarget(deps.registry, proxied));
}
