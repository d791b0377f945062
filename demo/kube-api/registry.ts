/**
 * The write path of the API server for every kind: metadata the server owns (uid,
 * creationTimestamp, resourceVersion, generation), optimistic concurrency, namespace rules,
 * validation, dry runs and garbage collection of owned objects. Used by HTTP handlers and seeding.
 * https://kubernetes.io/docs/reference/using-api/api-concepts/
 */
import { randomUUID } from "node:crypto";
import { deepCopy, isJsonObject, objectEnvelopeSchema, type JsonObject, type KubeObject } from "./object";
import { applyPatch, type PatchType } from "./patch";
import { ResourceCatalog } from "./catalog";
import { apiVersionOf, GATEWAY_API_GROUP, qualifiedResource, RESOURCE_TYPES, type ResourceType } from "./resources";
import { alreadyExists, badRequest, conflict, invalid, notFound } from "./status";
import type { ObjectStore } from "./store";
import { validateForStorage, type FieldValidation } from "./validation";

export interface WriteOptions {
  dryRun: boolean;
  fieldValidation: FieldValidation;
  /** Writes to the /status subresource change only status; others leave status alone. */
  subresource?: "status";
}

export interface WriteResult {
  object: KubeObject;
  warnings: string[];
}

/** Reacts to stored changes the way controllers do (workload pods, endpoints). */
export type Controller = (registry: Registry, type: ResourceType, object: KubeObject, deleted: boolean) => void;

/** Fills in fields the API server defaults on the way in (cluster IPs, pod status…); `current` is set on updates. */
export type Defaulter = (registry: Registry, type: ResourceType, object: KubeObject, current: KubeObject | undefined) => void;

const NAMESPACE_TYPE = RESOURCE_TYPES.find((t) => t.kind === "Namespace");
const GENERATE_NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

export function randomSuffix(length = 5): string {
  let out = "";
  for (let i = 0; i < length; i++) out += GENERATE_NAME_ALPHABET[Math.floor(Math.random() * GENERATE_NAME_ALPHABET.length)];
  return out;
}

/** RFC 3339 with second precision, as Kubernetes serialises metav1.Time. */
export function kubeTimestamp(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function specOf(object: JsonObject): string {
  // Everything but metadata and status counts as spec for generation (ConfigMap data, Service spec…).
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = object;
  return JSON.stringify(rest);
}

export class Registry {
  private readonly controllers: Controller[] = [];
  private readonly defaulters: Defaulter[] = [];

  constructor(
    readonly store: ObjectStore,
    readonly catalog: ResourceCatalog = new ResourceCatalog(),
  ) {}

  addController(controller: Controller): void {
    this.controllers.push(controller);
  }

  addDefaulter(defaulter: Defaulter): void {
    this.defaulters.push(defaulter);
  }

  private applyDefaults(type: ResourceType, object: KubeObject, current: KubeObject | undefined): void {
    for (const defaulter of this.defaulters) defaulter(this, type, object, current);
  }

  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const object = this.store.get(type, namespace, name);
    if (!object) throw notFound(type, name);
    return object;
  }

  private requireNamespace(type: ResourceType, namespace: string | undefined): void {
    if (!type.namespaced || !NAMESPACE_TYPE || namespace === undefined) return;
    if (!this.store.get(NAMESPACE_TYPE, undefined, namespace)) throw notFound(NAMESPACE_TYPE, namespace);
  }

  /** Parses a request body into an object of `type`, checking kind, apiVersion and namespace against the URL. */
  private parseBody(type: ResourceType, version: string, namespace: string | undefined, body: unknown): KubeObject {
    if (!isJsonObject(body)) throw badRequest(`the request body must be a JSON object (a ${type.kind})`);
    const envelope = objectEnvelopeSchema.safeParse(body);
    if (!envelope.success) {
      const issue = envelope.error.issues[0];
      throw badRequest(`invalid object: ${issue?.path.join(".") ?? ""}: ${issue?.message ?? "malformed"}`);
    }
    const kind = envelope.data.kind ?? type.kind;
    if (kind !== type.kind) throw badRequest(`the body kind "${kind}" does not match the resource ${qualifiedResource(type)} (kind ${type.kind})`);
    const apiVersion = envelope.data.apiVersion ?? apiVersionOf(type.group, version);
    const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
    const bodyVersion = apiVersion.slice(apiVersion.indexOf("/") + 1);
    if (group !== type.group || !type.versions.includes(bodyVersion)) {
      throw badRequest(`the API version in the data (${apiVersion}) does not match the expected API version (${apiVersionOf(type.group, version)})`);
    }
    const metadata = { ...(envelope.data.metadata ?? {}) } as JsonObject;
    for (const key of Object.keys(metadata)) if (metadata[key] === null) delete metadata[key];
    if (type.namespaced) {
      const bodyNamespace = typeof metadata.namespace === "string" && metadata.namespace ? metadata.namespace : undefined;
      // https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-uris: the URL decides.
      if (bodyNamespace !== undefined && namespace !== undefined && bodyNamespace !== namespace) {
        throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
      }
      metadata.namespace = namespace ?? bodyNamespace;
      if (!metadata.namespace) throw badRequest(`metadata.namespace: a namespace is required to create a ${type.kind}`);
    } else {
      delete metadata.namespace;
    }
    return { ...(body as JsonObject), apiVersion: apiVersionOf(type.group, type.storageVersion), kind: type.kind, metadata } as KubeObject;
  }

  create(type: ResourceType, version: string, namespace: string | undefined, body: unknown, options: WriteOptions): WriteResult {
    const object = this.parseBody(type, version, namespace, body);
    const meta = object.metadata as JsonObject;
    if (!meta.name) {
      if (typeof meta.generateName === "string" && meta.generateName) meta.name = `${meta.generateName}${randomSuffix()}`;
      else throw invalid(type, "", [{ reason: "FieldValueRequired", field: "metadata.name", message: "Required value: name or generateName is required" }]);
    }
    this.requireNamespace(type, object.metadata.namespace);
    if (this.store.get(type, object.metadata.namespace, object.metadata.name)) throw alreadyExists(type, object.metadata.name);
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    meta.uid = randomUUID();
    meta.creationTimestamp = kubeTimestamp();
    if (type.tracksGeneration) meta.generation = 1;
    else delete meta.generation;
    // A custom resource with a status subresource is created without status; status is written
    // through /status. (Istio's kinds keep the emulator's older leniency.)
    if (type.statusSubresource && (type.crd !== undefined || type.group === GATEWAY_API_GROUP)) delete (object as JsonObject).status;
    const { object: validated, warnings } = validateForStorage(type, object, options.fieldValidation, { version });
    this.applyDefaults(type, validated, undefined);
    if (options.dryRun) {
      const { resourceVersion: _rv, ...dryRunMeta } = validated.metadata;
      return { object: { ...validated, metadata: dryRunMeta as KubeObject["metadata"] }, warnings };
    }
    return { object: this.commit(type, validated, "ADDED"), warnings };
  }

  update(type: ResourceType, version: string, namespace: string | undefined, name: string, body: unknown, options: WriteOptions): WriteResult {
    const current = this.get(type, namespace, name);
    const object = this.parseBody(type, version, namespace, body);
    if (object.metadata.name !== undefined && object.metadata.name !== name) {
      throw badRequest(`the name of the object (${String(object.metadata.name)}) does not match the name on the URL (${name})`);
    }
    const sentVersion = object.metadata.resourceVersion;
    if (sentVersion) {
      if (sentVersion !== current.metadata.resourceVersion) throw conflict(type, name);
    } else if (type.custom) {
      // Custom resources refuse unconditional updates: https://github.com/kubernetes/kubernetes/issues/58995
      throw invalid(type, name, [{ reason: "FieldValueInvalid", field: "metadata.resourceVersion", message: "Invalid value: 0x0: must be specified for an update" }]);
    }
    return this.replace(type, current, object, options, version);
  }

  patch(type: ResourceType, namespace: string | undefined, name: string, patchType: PatchType, body: unknown, options: WriteOptions): WriteResult {
    const current = this.get(type, namespace, name);
    const patched = applyPatch(patchType, deepCopy(current) as unknown as JsonObject, body);
    const patchedMeta = isJsonObject(patched.metadata) ? patched.metadata : {};
    if (patchedMeta.resourceVersion !== undefined && patchedMeta.resourceVersion !== current.metadata.resourceVersion) {
      throw conflict(type, name);
    }
    if (patchedMeta.name !== undefined && patchedMeta.name !== name) {
      throw badRequest(`metadata.name: the patch changes the name from "${name}" to "${String(patchedMeta.name)}", which is immutable`);
    }
    const version = current.apiVersion.slice(current.apiVersion.indexOf("/") + 1);
    const object = this.parseBody(type, version, namespace, { ...patched, apiVersion: current.apiVersion, kind: current.kind });
    return this.replace(type, current, object, options, version);
  }

  /** Shared tail of update and patch: server-owned fields carried over, generation bumped on spec change. */
  private replace(type: ResourceType, current: KubeObject, next: KubeObject, options: WriteOptions, version: string): WriteResult {
    const meta = next.metadata as JsonObject;
    meta.name = current.metadata.name;
    meta.uid = current.metadata.uid;
    meta.creationTimestamp = current.metadata.creationTimestamp;
    meta.resourceVersion = current.metadata.resourceVersion;
    if (options.subresource === "status") {
      // The status subresource ignores everything but status: https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#status-subresource
      next = { ...deepCopy(current), status: next.status };
    } else if (type.statusSubresource) {
      if (current.status === undefined) delete next.status;
      else next.status = current.status;
    }
    const nextMeta = next.metadata as JsonObject;
    if (type.tracksGeneration) {
      const generation = current.metadata.generation ?? 1;
      nextMeta.generation = specOf(next) !== specOf(current) ? generation + 1 : generation;
    } else {
      delete nextMeta.generation;
    }
    const { object: validated, warnings } = validateForStorage(type, next, options.fieldValidation, { version, current });
    this.applyDefaults(type, validated, current);
    if (options.dryRun) return { object: validated, warnings };
    if (JSON.stringify(validated) === JSON.stringify(current)) return { object: current, warnings };
    return { object: this.commit(type, validated, "MODIFIED"), warnings };
  }

  delete(type: ResourceType, namespace: string | undefined, name: string, options: { dryRun: boolean; resourceVersion?: string }): KubeObject {
    const current = this.get(type, namespace, name);
    if (options.resourceVersion && options.resourceVersion !== current.metadata.resourceVersion) throw conflict(type, name);
    if (options.dryRun) return current;
    if (type.kind === "Namespace") this.deleteNamespaceContents(name);
    const deleted = this.store.remove(type, namespace, name);
    if (!deleted) throw notFound(type, name);
    this.collectDependents(deleted);
    for (const controller of this.controllers) controller(this, type, deleted, true);
    return deleted;
  }

  /** Stores an object the system itself produced (controllers, seeding) without admission checks. */
  systemPut(type: ResourceType, object: KubeObject): KubeObject {
    const existing = this.store.get(type, object.metadata.namespace, object.metadata.name);
    const meta = object.metadata as JsonObject;
    meta.uid = existing?.metadata.uid || object.metadata.uid || randomUUID();
    meta.creationTimestamp = existing?.metadata.creationTimestamp || object.metadata.creationTimestamp || kubeTimestamp();
    this.applyDefaults(type, object, existing);
    if (existing) {
      meta.resourceVersion = existing.metadata.resourceVersion;
      // Controllers rewrite what they own on every pass; only real changes reach watchers.
      if (JSON.stringify(object) === JSON.stringify(existing)) return existing;
    }
    return this.commit(type, object, existing ? "MODIFIED" : "ADDED");
  }

  systemDelete(type: ResourceType, namespace: string | undefined, name: string): void {
    if (!this.store.get(type, namespace, name)) return;
    this.delete(type, namespace, name, { dryRun: false });
  }

  private commit(type: ResourceType, object: KubeObject, eventType: "ADDED" | "MODIFIED"): KubeObject {
    const stored = this.store.put(type, object, eventType);
    for (const controller of this.controllers) controller(this, type, stored, false);
    return stored;
  }

  /** Namespace deletion removes everything in it (immediately here; a cluster finalizes asynchronously). */
  private deleteNamespaceContents(namespace: string): void {
    for (const type of this.catalog.all()) {
      if (!type.namespaced) continue;
      for (const object of [...this.store.list(type, namespace)]) {
        if (this.store.get(type, namespace, object.metadata.name)) this.store.remove(type, namespace, object.metadata.name);
      }
    }
  }

  /**
   * Background cascading deletion of objects owned by the deleted one (a Deployment's ReplicaSets
   * and their Pods). https://kubernetes.io/docs/concepts/architecture/garbage-collection/
   */
  private collectDependents(owner: KubeObject): void {
    const namespace = owner.metadata.namespace;
    // Only workloads own objects in this emulator; skipping the rest keeps mass deletes cheap.
    if (namespace === undefined || owner.apiVersion !== "apps/v1") return;
    for (const type of this.catalog.all()) {
      if (!type.namespaced) continue;
      for (const object of [...this.store.list(type, namespace)]) {
        if (object.metadata.ownerReferences?.some((ref) => ref.uid === owner.metadata.uid)) {
          this.systemDelete(type, namespace, object.metadata.name);
        }
      }
    }
  }
}
