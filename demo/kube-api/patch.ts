/**
 * The PATCH content types the API server accepts.
 * https://kubernetes.io/docs/tasks/manage-kubernetes-objects/update-api-object-kubectl-patch/
 * Strategic merge patch is approximated: JSON merge patch plus merging of the lists Kubernetes
 * keys by a field (containers by name, ports by port…), with `$patch` and `$setElementOrder`
 * directives understood. Custom resources have no strategy, so they get 415, as on a cluster.
 */
import jsonPatch, { type Operation } from "fast-json-patch";
import { isJsonObject, type JsonObject } from "./object";
import type { ResourceType } from "./resources";
import { ApiError, badRequest, unsupportedMediaType } from "./status";

export type PatchType = "merge" | "json" | "strategic";

export function patchTypeOf(contentType: string | undefined, type: ResourceType): PatchType {
  const mediaType = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  switch (mediaType) {
    case "application/merge-patch+json":
      return "merge";
    case "application/json-patch+json":
      return "json";
    case "application/strategic-merge-patch+json":
      if (type.custom) {
        throw new ApiError(
          415,
          "UnsupportedMediaType",
          `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
        );
      }
      return "strategic";
    default:
      throw unsupportedMediaType(mediaType);
  }
}

/** RFC 7386: objects merge recursively, null deletes, anything else replaces. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return patch;
  const result: JsonObject = isJsonObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

/** Merge keys of the lists Kubernetes merges element-wise (patchMergeKey in its Go types). */
const MERGE_KEYS: Readonly<Record<string, readonly string[]>> = {
  containers: ["name"],
  initContainers: ["name"],
  ephemeralContainers: ["name"],
  volumes: ["name"],
  env: ["name"],
  imagePullSecrets: ["name"],
  volumeMounts: ["mountPath"],
  // Container ports are keyed by containerPort, Service ports by port.
  ports: ["containerPort", "port"],
  conditions: ["type"],
  ownerReferences: ["uid"],
  hostAliases: ["ip"],
};

function mergeKeyFor(field: string, items: unknown[]): string | undefined {
  const candidates = MERGE_KEYS[field];
  if (!candidates) return undefined;
  return candidates.find((key) => items.some((item) => isJsonObject(item) && key in item));
}

function mergeList(field: string, current: unknown, patch: unknown[]): unknown[] {
  const existing = Array.isArray(current) ? current : [];
  const key = mergeKeyFor(field, [...patch, ...existing]);
  if (!key) return patch.map((item) => strategicMerge(undefined, item));
  if (patch.some((item) => isJsonObject(item) && item.$patch === "replace")) {
    return patch.filter((item) => !(isJsonObject(item) && item.$patch === "replace")).map((item) => strategicMerge(undefined, item));
  }
  const result = [...existing];
  for (const item of patch) {
    if (!isJsonObject(item)) continue;
    const index = result.findIndex((e) => isJsonObject(e) && e[key] === item[key]);
    if (item.$patch === "delete") {
      if (index >= 0) result.splice(index, 1);
    } else if (index >= 0) {
      result[index] = strategicMerge(result[index], item);
    } else {
      result.push(strategicMerge(undefined, item));
    }
  }
  return result;
}

function reorder(list: unknown[], order: unknown, field: string): unknown[] {
  if (!Array.isArray(order)) return list;
  const key = mergeKeyFor(field, [...order, ...list]);
  if (!key) return list;
  const position = (item: unknown) => {
    const i = order.findIndex((o) => isJsonObject(o) && isJsonObject(item) && o[key] === item[key]);
    return i < 0 ? order.length : i;
  };
  return [...list].sort((a, b) => position(a) - position(b));
}

/** Strategic merge patch (approximation; see the module comment). */
export function strategicMerge(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return patch;
  if (patch.$patch === "replace") {
    const { $patch: _directive, ...rest } = patch;
    return strategicMerge(undefined, rest);
  }
  const result: JsonObject = isJsonObject(target) ? { ...target } : {};
  const orders: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith("$setElementOrder/")) {
      orders[key.slice("$setElementOrder/".length)] = value;
      continue;
    }
    if (key.startsWith("$")) continue;
    if (value === null) delete result[key];
    else if (Array.isArray(value)) result[key] = mergeList(key, result[key], value);
    else if (isJsonObject(value) && value.$patch === "delete") delete result[key];
    else result[key] = strategicMerge(result[key], value);
  }
  for (const [field, order] of Object.entries(orders)) {
    const list = result[field];
    if (Array.isArray(list)) result[field] = reorder(list, order, field);
  }
  return result;
}

/** Applies a patch body to the current object; malformed patches are 400, unapplicable ones 422. */
export function applyPatch(patchType: PatchType, current: JsonObject, body: unknown): JsonObject {
  if (patchType === "json") {
    if (!Array.isArray(body)) throw badRequest("json patch: the request body must be a JSON array of operations");
    const invalidOp = jsonPatch.validate(body as Operation[]);
    if (invalidOp) throw badRequest(`json patch: ${invalidOp.message}`);
    try {
      const { newDocument } = jsonPatch.applyPatch(structuredClone(current), body as Operation[], true, false);
      if (!isJsonObject(newDocument)) throw badRequest("json patch: the result is not an object");
      return newDocument;
    } catch (error) {
      if (error instanceof ApiError) throw error;
      const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
      throw new ApiError(422, "Invalid", `the server rejected our request due to an error in our request: ${message}`, {
        causes: [{ reason: "FieldValueInvalid", field: "patch", message: message ?? "" }],
      });
    }
  }
  if (!isJsonObject(body)) throw badRequest(`${patchType} patch: the request body must be a JSON object`);
  const merged = patchType === "merge" ? applyMergePatch(current, body) : strategicMerge(current, body);
  return merged as JsonObject;
}
