/**
 * The HTTP front: authentication, authorization, routing to discovery or resource handlers,
 * and every failure turned into a Status.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { handleSelfSubjectAccessReview } from "./access-review";
import { handleSelfSubjectReview } from "./self-subject-review";
import { mayAccess, type Authenticator, type User } from "./auth";
import * as discovery from "./discovery";
import { writeFaultSchema, type FaultInjector } from "./fault";
import {
  handleCreate,
  handleDelete,
  handleDeleteCollection,
  handleGet,
  handleList,
  handlePatch,
  handleUpdate,
  handleWatch,
  verbOf,
  type HandlerContext,
  type ResourceRequest,
} from "./handlers";
import { parseJson, readBody, sendError, sendJson } from "./http-io";
import { actingUser, grantsResolver, type ImpersonatedSubject } from "./impersonation";
import { handlePodLog, handlePodLogPush } from "./pod-log-endpoint";
import type { PodLogStore } from "./pod-logs";
import { parseApiPath } from "./request-path";
import { handleProxy, parseProxyPath } from "./service-proxy";
import { ApiError, badRequest, forbidden, methodNotAllowed, pathNotFound, unauthorized } from "./status";

export interface ServerDependencies extends HandlerContext {
  auth: Authenticator;
  faults: FaultInjector;
  /** Container logs behind pods/log, filled by POST /emulator/pod-logs. */
  podLogs: PodLogStore;
  /** Who an impersonated subject is to the authorizer (impersonation.ts); nobody with any grant when unset. */
  impersonate?: (subject: ImpersonatedSubject) => User;
  /** Called for each request when set (method, path, status), e.g. to log what kubectl asks for. */
  onRequest?: (method: string, url: string, status: number) => void;
}

const ANONYMOUS_PATHS = new Set(["version", "health"]);
const noGrants = grantsResolver([], []);

async function handleEmulatorAction(deps: ServerDependencies, action: string, req: IncomingMessage, res: ServerResponse, isAdmin: boolean): Promise<void> {
  if (action === "pod-logs") {
    if (req.method !== "POST") throw methodNotAllowed(req.method ?? "", "/emulator/pod-logs");
    if (!isAdmin) throw new ApiError(403, "Forbidden", "only the admin token may write pod logs");
    return handlePodLogPush(deps, req, res);
  }
  if (action !== "fail-next-write") throw pathNotFound();
  if (req.method !== "POST") throw methodNotAllowed(req.method ?? "", "/emulator/fail-next-write");
  if (!isAdmin) throw new ApiError(403, "Forbidden", "only the admin token may inject failures");
  const parsed = writeFaultSchema.safeParse(parseJson(await readBody(req)));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badRequest(`fail-next-write: ${issue?.path.join(".") || "(body)"}: ${issue?.message ?? "invalid"}`);
  }
  deps.faults.failNextWrite(parsed.data);
  sendJson(res, 201, { armed: parsed.data, pending: deps.faults.pending() });
}

async function route(deps: ServerDependencies, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://kube-api.local");
  const method = req.method ?? "GET";
  const apiPath = parseApiPath(url.pathname, deps.registry.catalog);
  const caller = await deps.auth.authenticateRequest(req.headers.authorization);
  if (!caller && !ANONYMOUS_PATHS.has(apiPath.kind)) throw unauthorized();
  // From here on the request is authorized as whom the caller impersonates, if anyone.
  const user = actingUser(caller, req, deps.impersonate ?? noGrants);
  const proxied = parseProxyPath(url.pathname);
  if (proxied) return handleProxy(deps, user, proxied, req, res);

  switch (apiPath.kind) {
    case "version":
      return sendJson(res, 200, discovery.SERVER_VERSION);
    case "health":
      res.writeHead(200, { "Content-Type": "text/plain" }).end("ok");
      return;
    case "coreVersions":
      return sendJson(res, 200, discovery.coreVersions());
    case "groupList":
      return sendJson(res, 200, discovery.groupList(deps.registry.catalog));
    case "group":
      return sendJson(res, 200, discovery.group(deps.registry.catalog, apiPath.group));
    case "resourceList":
      return sendJson(res, 200, discovery.resourceList(deps.registry.catalog, apiPath.group, apiPath.version));
    case "openapi": {
      const document = discovery.openApiV3(deps.registry.catalog, apiPath.path);
      if (!document) throw pathNotFound();
      return sendJson(res, 200, document);
    }
    case "emulator":
      return handleEmulatorAction(deps, apiPath.action, req, res, user?.role === "admin");
    case "selfSubjectAccessReview":
      if (!user) throw unauthorized();
      return handleSelfSubjectAccessReview(user, req, res);
    case "selfSubjectReview":
      if (!user) throw unauthorized();
      return handleSelfSubjectReview(user, req, res);
    case "notFound":
      throw pathNotFound();
    case "resource":
      break;
  }

  const { type, version, namespace, name, subresource } = apiPath;
  const verb = verbOf(method, name !== undefined, url.searchParams);
  if (!verb || (subresource === "status" && verb !== "get" && verb !== "update" && verb !== "patch")) {
    throw methodNotAllowed(method, url.pathname);
  }
  if (subresource === "log") {
    // pods/log is its own resource to RBAC (Kubernetes' `view` role grants `get` on it).
    const podLog = { ...type, plural: "pods/log" };
    if (verb !== "get") throw methodNotAllowed(method, url.pathname);
    if (user && !mayAccess(user, verb, podLog, namespace, name)) throw forbidden(user.name, verb, podLog, namespace, name);
    return handlePodLog(deps, namespace ?? "", name ?? "", url.searchParams, res);
  }
  if (user && !mayAccess(user, verb, type, namespace, name)) throw forbidden(user.name, verb, type, namespace, name);
  if (verb === "create" || verb === "update" || verb === "patch" || verb === "delete") {
    deps.faults.check(verb, type, namespace, name ?? "");
  }
  const request: ResourceRequest = { type, version, namespace, name, subresource, query: url.searchParams, req, res };
  switch (verb) {
    case "get":
      return handleGet(deps, request);
    case "list":
      return handleList(deps, request);
    case "watch":
      return handleWatch(deps, request);
    case "create":
      return handleCreate(deps, request);
    case "update":
      return handleUpdate(deps, request);
    case "patch":
      return handlePatch(deps, request);
    case "delete":
      return handleDelete(deps, request);
    case "deletecollection":
      return handleDeleteCollection(deps, request);
  }
}

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

export function createRequestListener(deps: ServerDependencies): RequestListener {
  return (req, res) => {
    if (deps.onRequest) {
      const log = deps.onRequest;
      res.on("finish", () => log(req.method ?? "", req.url ?? "", res.statusCode));
    }
    route(deps, req, res).catch((error: unknown) => {
      const apiError =
        error instanceof ApiError ? error : new ApiError(500, "InternalError", `Internal error occurred: ${error instanceof Error ? error.message : String(error)}`);
      // Drain any unread body so keep-alive connections stay usable after an early failure.
      req.resume();
      sendError(res, apiError);
    });
  };
}
