/**
 * One function per verb on a resource path: get, list (with watch), create, update, patch,
 * delete and deletecollection, translating query parameters and bodies into registry calls.
 * https://kubernetes.io/docs/reference/using-api/api-concepts/#api-verbs
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { parseJson, parseObjectBody, readBody, sendJson } from "./http-io";
import { isJsonObject, type KubeObject } from "./object";
import { patchTypeOf } from "./patch";
import type { Registry, WriteOptions } from "./registry";
import { apiVersionOf, type ResourceType, type Verb } from "./resources";
import { parseFieldSelector, parseLabelSelector, type ObjectFilter } from "./selectors";
import { badRequest, expired } from "./status";
import { toTable, wantsTable, type IncludeObject } from "./table";
import { parseFieldValidation } from "./validation";
import { startWatch, type WatchRegistry, type WatchSettings } from "./watch-stream";

export interface ResourceRequest {
  type: ResourceType;
  version: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  query: URLSearchParams;
  req: IncomingMessage;
  res: ServerResponse;
}

export interface HandlerContext {
  registry: Registry;
  watches: WatchRegistry;
  watchSettings: WatchSettings;
}

/** The verb RBAC would check for this request. */
export function verbOf(method: string, hasName: boolean, query: URLSearchParams): Verb | undefined {
  const watching = query.get("watch") === "true" || query.get("watch") === "1";
  switch (method) {
    case "GET":
      return hasName ? "get" : watching ? "watch" : "list";
    case "POST":
      return hasName ? undefined : "create";
    case "PUT":
      return hasName ? "update" : undefined;
    case "PATCH":
      return hasName ? "patch" : undefined;
    case "DELETE":
      return hasName ? "delete" : "deletecollection";
    default:
      return undefined;
  }
}

function versioned(object: KubeObject, apiVersion: string): KubeObject {
  return object.apiVersion === apiVersion ? object : { ...object, apiVersion };
}

function includeObjectOf(query: URLSearchParams): IncludeObject {
  const value = query.get("includeObject") ?? "Metadata";
  if (value === "None" || value === "Metadata" || value === "Object") return value;
  throw badRequest(`includeObject: invalid value "${value}"; expected None, Metadata or Object`);
}

function selectorOf(query: URLSearchParams): ObjectFilter {
  const labels = parseLabelSelector(query.get("labelSelector"));
  const fields = parseFieldSelector(query.get("fieldSelector"));
  return (object) => (labels ? labels(object) : true) && (fields ? fields(object) : true);
}

function writeOptions(query: URLSearchParams, subresource: string | undefined): WriteOptions {
  const dryRun = query.getAll("dryRun");
  if (dryRun.some((d) => d !== "All")) throw badRequest(`dryRun: Unsupported value: "${dryRun.join(",")}": supported values: "All"`);
  return { dryRun: dryRun.length > 0, fieldValidation: parseFieldValidation(query.get("fieldValidation")), ...(subresource === "status" ? { subresource: "status" } : {}) };
}

interface ContinueToken {
  rv: number;
  after: string;
}

function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify(token)).toString("base64url");
}

function decodeContinue(value: string, registry: Registry): ContinueToken {
  let token: unknown;
  try {
    token = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
  } catch {
    throw badRequest(`continue: the continue token "${value}" is not one this server issued`);
  }
  if (!isJsonObject(token) || typeof token.rv !== "number" || typeof token.after !== "string") {
    throw badRequest(`continue: the continue token "${value}" is not one this server issued`);
  }
  if (token.rv < registry.store.hub.oldestResumable()) {
    throw expired("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
  }
  return { rv: token.rv, after: token.after };
}

const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ""}/${o.metadata.name}`;

export function handleGet(ctx: HandlerContext, r: ResourceRequest): void {
  const object = versioned(ctx.registry.get(r.type, r.namespace, r.name ?? ""), apiVersionOf(r.type.group, r.version));
  if (wantsTable(r.req.headers.accept)) {
    sendJson(r.res, 200, toTable(r.type, [object], includeObjectOf(r.query), { resourceVersion: object.metadata.resourceVersion }));
  } else {
    sendJson(r.res, 200, object);
  }
}

/** Lists with selectors and limit/continue pagination, ordered by namespace and name. */
export function handleList(ctx: HandlerContext, r: ResourceRequest): void {
  const filter = selectorOf(r.query);
  const apiVersion = apiVersionOf(r.type.group, r.version);
  const limitParam = r.query.get("limit");
  const limit = limitParam ? Number(limitParam) : 0;
  if (!Number.isInteger(limit) || limit < 0) throw badRequest(`limit: Invalid value: "${limitParam}": must be a non-negative integer`);
  const continueParam = r.query.get("continue");
  const token = continueParam ? decodeContinue(continueParam, ctx.registry) : undefined;
  const all = ctx.registry.store.list(r.type, r.namespace);
  const listRv = token?.rv ?? ctx.registry.store.currentRevision();
  const hasSelector = Boolean(r.query.get("labelSelector") || r.query.get("fieldSelector"));
  let candidates: readonly KubeObject[] = all;
  if (token) candidates = all.filter((o) => keyOf(o) > token.after);
  const matching = hasSelector ? candidates.filter(filter) : candidates;
  const page = limit > 0 ? matching.slice(0, limit) : matching;
  const metadata: Record<string, unknown> = { resourceVersion: String(listRv) };
  const last = page[page.length - 1];
  if (limit > 0 && matching.length > limit && last) {
    metadata.continue = encodeContinue({ rv: listRv, after: keyOf(last) });
    if (!hasSelector) metadata.remainingItemCount = matching.length - limit;
  }
  const items = page.map((o) => versioned(o, apiVersion));
  if (wantsTable(r.req.headers.accept)) {
    sendJson(r.res, 200, toTable(r.type, items, includeObjectOf(r.query), metadata));
    return;
  }
  sendJson(r.res, 200, { kind: `${r.type.kind}List`, apiVersion, metadata, items });
}

export function handleWatch(ctx: HandlerContext, r: ResourceRequest): void {
  const timeoutParam = r.query.get("timeoutSeconds");
  // Without a timeout the API server picks one between 30 and 60 minutes.
  const timeoutSeconds = timeoutParam ? Number(timeoutParam) : 1800;
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds < 0) throw badRequest(`timeoutSeconds: Invalid value: "${timeoutParam}": must be a non-negative number`);
  startWatch(
    r.res,
    ctx.registry.store,
    {
      type: r.type,
      apiVersion: apiVersionOf(r.type.group, r.version),
      namespace: r.namespace,
      filter: selectorOf(r.query),
      resourceVersion: r.query.get("resourceVersion"),
      allowBookmarks: r.query.get("allowWatchBookmarks") === "true",
      sendInitialEvents: r.query.get("sendInitialEvents") === "true",
      timeoutSeconds,
      ...(wantsTable(r.req.headers.accept) ? { table: { include: includeObjectOf(r.query) } } : {}),
    },
    ctx.watchSettings,
    ctx.watches,
  );
}

export async function handleCreate(ctx: HandlerContext, r: ResourceRequest): Promise<void> {
  const body = parseObjectBody(await readBody(r.req), r.req.headers["content-type"]);
  const result = ctx.registry.create(r.type, r.version, r.namespace, body, writeOptions(r.query, undefined));
  sendJson(r.res, 201, versioned(result.object, apiVersionOf(r.type.group, r.version)), result.warnings);
}

export async function handleUpdate(ctx: HandlerContext, r: ResourceRequest): Promise<void> {
  const body = parseObjectBody(await readBody(r.req), r.req.headers["content-type"]);
  const result = ctx.registry.update(r.type, r.version, r.namespace, r.name ?? "", body, writeOptions(r.query, r.subresource));
  sendJson(r.res, 200, versioned(result.object, apiVersionOf(r.type.group, r.version)), result.warnings);
}

export async function handlePatch(ctx: HandlerContext, r: ResourceRequest): Promise<void> {
  const patchType = patchTypeOf(r.req.headers["content-type"], r.type);
  const text = await readBody(r.req);
  if (!text.trim()) throw badRequest("the patch body is empty");
  const result = ctx.registry.patch(r.type, r.namespace, r.name ?? "", patchType, parseJson(text), writeOptions(r.query, r.subresource));
  sendJson(r.res, 200, versioned(result.object, apiVersionOf(r.type.group, r.version)), result.warnings);
}

/** DeleteOptions may come in the body (kubectl) or the query (client libraries). */
async function deleteOptions(r: ResourceRequest): Promise<{ dryRun: boolean; resourceVersion?: string }> {
  const text = await readBody(r.req);
  const body = text.trim() ? parseJson(text) : {};
  const options = isJsonObject(body) ? body : {};
  const dryRun = r.query.getAll("dryRun").includes("All") || (Array.isArray(options.dryRun) && options.dryRun.includes("All"));
  const preconditions = isJsonObject(options.preconditions) ? options.preconditions : {};
  const resourceVersion = typeof preconditions.resourceVersion === "string" ? preconditions.resourceVersion : undefined;
  return { dryRun, ...(resourceVersion ? { resourceVersion } : {}) };
}

export async function handleDelete(ctx: HandlerContext, r: ResourceRequest): Promise<void> {
  const options = await deleteOptions(r);
  const deleted = ctx.registry.delete(r.type, r.namespace, r.name ?? "", options);
  sendJson(r.res, 200, versioned(deleted, apiVersionOf(r.type.group, r.version)));
}

export async function handleDeleteCollection(ctx: HandlerContext, r: ResourceRequest): Promise<void> {
  const options = await deleteOptions(r);
  const filter = selectorOf(r.query);
  const apiVersion = apiVersionOf(r.type.group, r.version);
  const targets = ctx.registry.store.list(r.type, r.namespace).filter(filter);
  const deleted = targets.map((o) => versioned(ctx.registry.delete(r.type, o.metadata.namespace, o.metadata.name, { dryRun: options.dryRun }), apiVersion));
  sendJson(r.res, 200, { kind: `${r.type.kind}List`, apiVersion, metadata: { resourceVersion: String(ctx.registry.store.currentRevision()) }, items: deleted });
}
