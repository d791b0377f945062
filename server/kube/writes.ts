/**
 * Changes to Istio objects from the config editor. Every write is optimistic-concurrency safe: a
 * replace carries the resourceVersion the object was read at and a delete the same as a
 * precondition, so the API server refuses (409) instead of overwriting someone else's change
 * (https://kubernetes.io/docs/reference/using-api/api-concepts/#conflicts). Each write is first
 * sent as a server-side dry run (https://kubernetes.io/docs/reference/using-api/api-concepts/#dry-run)
 * so admission and schema errors come back before anything is stored.
 */
import { parseAllDocuments } from "yaml";
import { ISTIO_KINDS, type IstioKind, type IstioKindInfo } from "@/lib/istioKinds";
import { isDns1123Subdomain } from "@/lib/kubeNames";
import { KubeError } from "./errors";
import { kubeCall, type KubeClients } from "./index";
import { checkIstioSchema, type FieldProblem } from "./istioSchema";

/** A refusal by the console itself, before the API server is asked. */
export class ConfigWriteError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 403 | 413 | 422,
    readonly reason: "view-only" | "unreadable-yaml" | "wrong-object" | "schema" | "too-large",
    readonly fields: FieldProblem[] = [],
  ) {
    super(message);
    this.name = "ConfigWriteError";
  }
}

export interface WriteContext {
  readonly clients: KubeClients;
  readonly viewOnly: boolean;
}

export interface IstioObjectRef {
  readonly kind: IstioKind;
  readonly namespace: string;
  readonly name: string;
}

export type IstioObject = Record<string, unknown> & { metadata: Record<string, unknown> };

export interface WriteResult {
  readonly object: IstioObject;
  /** True when only a dry run was made and nothing was stored. */
  readonly dryRun: boolean;
}

export const MAX_YAML_BYTES = 256 * 1024;
/** Aliases are rare in Kubernetes YAML; a low bound stops "billion laughs" documents from expanding. */
const MAX_ALIAS_COUNT = 50;
/** The API versions Istio serves these kinds at; the API server converts between them. */
const SERVED_VERSIONS: Record<string, readonly string[]> = {
  "networking.istio.io": ["v1", "v1beta1", "v1alpha3"],
  "security.istio.io": ["v1", "v1beta1"],
};

function describe(ref: { kind: string; namespace: string; name: string }): string {
  return `${ref.kind} ${ref.namespace}/${ref.name}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * One YAML (or JSON) document from the editor into a plain object: bounded in size and alias
 * expansion, core schema only, and no tags the core schema does not know.
 */
export function parseEditedYaml(text: string): IstioObject {
  if (Buffer.byteLength(text, "utf8") > MAX_YAML_BYTES) {
    throw new ConfigWriteError(`The YAML is larger than ${MAX_YAML_BYTES / 1024} KiB; an Istio object is never that big`, 413, "too-large");
  }
  const documents = parseAllDocuments(text, { schema: "core", customTags: [], uniqueKeys: true, prettyErrors: true });
  const list = (Array.isArray(documents) ? documents : [documents]).filter((document) => document.contents !== null);
  if (list.length !== 1) throw new ConfigWriteError(`Expected exactly one YAML document, found ${list.length}`, 400, "unreadable-yaml");
  const document = list[0]!;
  const problem = document.errors[0] ?? document.warnings[0];
  if (problem) throw new ConfigWriteError(`The YAML cannot be read: ${problem.message.split("\n")[0]}`, 400, "unreadable-yaml");
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw new ConfigWriteError(`The YAML cannot be read: ${error instanceof Error ? error.message : String(error)}`, 400, "unreadable-yaml");
  }
  if (!isRecord(value)) throw new ConfigWriteError("The YAML must be one object (a mapping with apiVersion, kind, metadata and spec)", 400, "unreadable-yaml");
  if (!isRecord(value.metadata)) throw new ConfigWriteError("The object has no metadata", 400, "wrong-object", [{ field: "metadata", message: "Required value" }]);
  return value as IstioObject;
}

/**
 * The edited object must be the one the URL names (kind, group, namespace, name) and fit Istio's
 * schema. Returns the kind's API coordinates at the version the object is written in.
 */
export function checkEditedObject(object: IstioObject, expected: { kind: IstioKind; namespace: string; name?: string }): IstioKindInfo & { writeVersion: string } {
  const info = ISTIO_KINDS.find((candidate) => candidate.kind === expected.kind) as IstioKindInfo;
  const wrong = (field: string, message: string) => new ConfigWriteError(`${field}: ${message}`, 400, "wrong-object", [{ field, message }]);
  if (object.kind !== expected.kind) throw wrong("kind", `must be ${expected.kind}, the kind being edited; found ${JSON.stringify(object.kind)}`);
  const apiVersion = typeof object.apiVersion === "string" ? object.apiVersion : "";
  const [group, version] = apiVersion.split("/");
  if (group !== info.group || !version || !SERVED_VERSIONS[info.group]?.includes(version)) {
    throw wrong("apiVersion", `must be ${info.group}/${info.version} (or another version Istio serves: ${SERVED_VERSIONS[info.group]?.join(", ")}); found ${JSON.stringify(object.apiVersion)}`);
  }
  const metadata = object.metadata;
  metadata.namespace ??= expected.namespace;
  if (metadata.namespace !== expected.namespace) throw wrong("metadata.namespace", `must be ${expected.namespace}; moving an object to another namespace is a create and a delete`);
  if (expected.name !== undefined && metadata.name !== expected.name) throw wrong("metadata.name", `must be ${expected.name}; renaming an object is a create and a delete`);
  if (typeof metadata.name !== "string" || !isDns1123Subdomain(metadata.name)) {
    throw wrong("metadata.name", "must be a DNS-1123 subdomain: lower-case letters, digits, '-' and '.'");
  }
  const problems = checkIstioSchema(expected.kind, object);
  if (problems.length > 0) {
    const first = problems[0]!;
    throw new ConfigWriteError(`${describe({ kind: expected.kind, namespace: expected.namespace, name: metadata.name })} does not match the Istio schema: ${first.field} ${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ""}`, 422, "schema", problems);
  }
  return { ...info, writeVersion: version };
}

function refuseInViewOnly(context: WriteContext, doing: string): void {
  if (context.viewOnly) throw new ConfigWriteError(`The console runs in view-only mode (MESH_CONSOLE_VIEW_ONLY); it does not ${doing}`, 403, "view-only");
}

/** A 409 on a write with a resourceVersion means the stored object moved on since it was read. */
function explainConflict(error: unknown, ref: IstioObjectRef): never {
  if (error instanceof KubeError && error.failure === "conflict") {
    throw new KubeError("conflict", `${describe(ref)} was changed by someone else since you opened it; reload to see the new version`, 409);
  }
  throw error;
}

/** Replace an object with the edited YAML, at the resourceVersion it was read at; `dryRun` only checks. */
export async function replaceIstioObject(context: WriteContext, ref: IstioObjectRef, yaml: string, resourceVersion: string, options: { dryRun?: boolean } = {}): Promise<WriteResult> {
  refuseInViewOnly(context, `change ${describe(ref)}`);
  const object = parseEditedYaml(yaml);
  const info = checkEditedObject(object, ref);
  object.metadata.resourceVersion = resourceVersion;
  const { clients } = context;
  const request = { group: info.group, version: info.writeVersion, plural: info.plural, namespace: ref.namespace, name: ref.name, body: object, fieldValidation: "Strict" };
  try {
    const checked = await kubeCall(clients, "replace_istio", `check the change to ${describe(ref)}`, () => clients.custom.replaceNamespacedCustomObject({ ...request, dryRun: "All" }));
    if (options.dryRun) return { object: checked as IstioObject, dryRun: true };
    const stored = await kubeCall(clients, "replace_istio", `save ${describe(ref)}`, () => clients.custom.replaceNamespacedCustomObject(request));
    return { object: stored as IstioObject, dryRun: false };
  } catch (error) {
    explainConflict(error, ref);
  }
}

/** Create an object from YAML in a namespace; `dryRun` only checks. */
export async function createIstioObject(context: WriteContext, target: { kind: IstioKind; namespace: string }, yaml: string, options: { dryRun?: boolean } = {}): Promise<WriteResult> {
  refuseInViewOnly(context, `create ${target.kind} objects`);
  const object = parseEditedYaml(yaml);
  const info = checkEditedObject(object, target);
  delete object.metadata.resourceVersion;
  const ref = { kind: target.kind, namespace: target.namespace, name: String(object.metadata.name) };
  const { clients } = context;
  const request = { group: info.group, version: info.writeVersion, plural: info.plural, namespace: target.namespace, body: object, fieldValidation: "Strict" };
  const checked = await kubeCall(clients, "create_istio", `check the new ${describe(ref)}`, () => clients.custom.createNamespacedCustomObject({ ...request, dryRun: "All" }));
  if (options.dryRun) return { object: checked as IstioObject, dryRun: true };
  const stored = await kubeCall(clients, "create_istio", `create ${describe(ref)}`, () => clients.custom.createNamespacedCustomObject(request));
  return { object: stored as IstioObject, dryRun: false };
}

/** Delete an object only if it is still at the resourceVersion the person saw. */
export async function deleteIstioObject(context: WriteContext, ref: IstioObjectRef, resourceVersion: string): Promise<void> {
  refuseInViewOnly(context, `delete ${describe(ref)}`);
  const info = ISTIO_KINDS.find((candidate) => candidate.kind === ref.kind) as IstioKindInfo;
  const { clients } = context;
  try {
    await kubeCall(clients, "delete_istio", `delete ${describe(ref)}`, () =>
      clients.custom.deleteNamespacedCustomObject({ group: info.group, version: info.version, plural: info.plural, namespace: ref.namespace, name: ref.name, body: { preconditions: { resourceVersion } } }),
    );
  } catch (error) {
    explainConflict(error, ref);
  }
}
