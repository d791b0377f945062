/**
 * The one way the console writes an Istio object, for the config editor and every traffic wizard
 * (server/routing/apply.ts plans several writes and calls `writeIstioObject` for each).
 *
 * - View-only mode refuses before anything is asked, with one refusal (`viewOnlyRefusal`), the
 *   same the access guard answers.
 * - Every write is optimistic-concurrency safe: a replace carries the resourceVersion the object
 *   was read at and a delete the same as a precondition, so the API server refuses (409) instead of
 *   overwriting someone else's change (https://kubernetes.io/docs/reference/using-api/api-concepts/#conflicts).
 *   A refusal of that kind reads the same everywhere (`changedBySomeoneElse`).
 * - Each write is first sent as a server-side dry run (https://kubernetes.io/docs/reference/using-api/api-concepts/#dry-run)
 *   so admission and schema errors come back before anything is stored.
 */
import { parseAllDocuments } from "yaml";
import { GATEWAY_API_GROUP, ISTIO_KINDS, type IstioKind, type IstioKindInfo } from "@/lib/istioKinds";
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

/** The console's one view-only refusal: the access guard answers it, and every write checks it again. */
export const VIEW_ONLY_MESSAGE = "The console runs in view-only mode (MESH_CONSOLE_VIEW_ONLY): it changes nothing in the mesh, whoever is signed in";

export function viewOnlyRefusal(): ConfigWriteError {
  return new ConfigWriteError(VIEW_ONLY_MESSAGE, 403, "view-only");
}

export function refuseInViewOnly(viewOnly: boolean): void {
  if (viewOnly) throw viewOnlyRefusal();
}

/**
 * The one wording of "the object moved on since you read it" (409), whether the console noticed
 * (a resourceVersion the person opened with no longer matches) or the API server did.
 */
export function changedBySomeoneElse(ref: { kind: string; namespace: string; name: string }, how: "changed" | "created" | "deleted"): KubeError {
  return new KubeError("conflict", `${describe(ref)} was ${how} by someone else since you opened it; reload to see the new version`, 409);
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
/** Gateway API v1.6.1 (standard channel) still serves v1beta1 for these; the routes added later only v1. */
const GATEWAY_API_V1BETA1: readonly string[] = ["GatewayClass", "Gateway", "HTTPRoute", "ReferenceGrant"];

function servedVersions(info: IstioKindInfo): readonly string[] {
  if (info.group === GATEWAY_API_GROUP) return GATEWAY_API_V1BETA1.includes(info.apiKind) ? ["v1", "v1beta1"] : ["v1"];
  return SERVED_VERSIONS[info.group] ?? [info.version];
}

/** "HTTPRoute storefront/catalog"; a cluster-scoped object (namespace "") by its name alone. */
function describe(ref: { kind: string; namespace: string; name: string }): string {
  return ref.namespace ? `${ref.kind} ${ref.namespace}/${ref.name}` : `${ref.kind} ${ref.name}`;
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
 * The edited object must be the one the URL names (kind, group, namespace, name) and fit its kind's
 * schema (Istio's, or the Gateway API's). Returns the kind's API coordinates at the version the
 * object is written in. A cluster-scoped kind (GatewayClass) is named with namespace "".
 */
export function checkEditedObject(object: IstioObject, expected: { kind: IstioKind; namespace: string; name?: string }): IstioKindInfo & { writeVersion: string } {
  const info = ISTIO_KINDS.find((candidate) => candidate.kind === expected.kind) as IstioKindInfo;
  const wrong = (field: string, message: string) => new ConfigWriteError(`${field}: ${message}`, 400, "wrong-object", [{ field, message }]);
  if (object.kind !== info.apiKind) throw wrong("kind", `must be ${info.apiKind}, the kind being edited; found ${JSON.stringify(object.kind)}`);
  const apiVersion = typeof object.apiVersion === "string" ? object.apiVersion : "";
  const [group, version] = apiVersion.split("/");
  const served = servedVersions(info);
  if (group !== info.group || !version || !served.includes(version)) {
    const others = served.filter((candidate) => candidate !== info.version);
    throw wrong("apiVersion", `must be ${info.group}/${info.version}${others.length ? ` (or another version the API serves: ${others.join(", ")})` : ""}; found ${JSON.stringify(object.apiVersion)}`);
  }
  const metadata = object.metadata;
  if (!info.namespaced) {
    if (metadata.namespace !== undefined && metadata.namespace !== "") throw wrong("metadata.namespace", `must be left out: ${info.apiKind} is cluster-scoped`);
    delete metadata.namespace;
  } else {
    metadata.namespace ??= expected.namespace;
    if (metadata.namespace !== expected.namespace) throw wrong("metadata.namespace", `must be ${expected.namespace}; moving an object to another namespace is a create and a delete`);
  }
  if (expected.name !== undefined && metadata.name !== expected.name) throw wrong("metadata.name", `must be ${expected.name}; renaming an object is a create and a delete`);
  if (typeof metadata.name !== "string" || !isDns1123Subdomain(metadata.name)) {
    throw wrong("metadata.name", "must be a DNS-1123 subdomain: lower-case letters, digits, '-' and '.'");
  }
  const problems = checkIstioSchema(expected.kind, object);
  if (problems.length > 0) {
    const first = problems[0]!;
    const schema = info.group === GATEWAY_API_GROUP ? "the Gateway API schema" : "the Istio schema";
    throw new ConfigWriteError(`${describe({ kind: expected.kind, namespace: expected.namespace, name: metadata.name })} does not match ${schema}: ${first.field} ${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ""}`, 422, "schema", problems);
  }
  return { ...info, writeVersion: version };
}

/** One write of one Istio object; replaces and deletes carry the resourceVersion the object was read at. */
export type IstioWrite =
  | { readonly action: "create"; readonly kind: IstioKind; readonly namespace: string; readonly object: IstioObject; readonly version?: string; readonly strict?: boolean }
  | { readonly action: "replace"; readonly kind: IstioKind; readonly namespace: string; readonly name: string; readonly object: IstioObject; readonly resourceVersion: string; readonly version?: string; readonly strict?: boolean }
  | { readonly action: "delete"; readonly kind: IstioKind; readonly namespace: string; readonly name: string; readonly resourceVersion: string };

function kindInfo(kind: IstioKind): IstioKindInfo {
  return ISTIO_KINDS.find((candidate) => candidate.kind === kind) as IstioKindInfo;
}

function refOf(write: IstioWrite): IstioObjectRef {
  return { kind: write.kind, namespace: write.namespace, name: write.action === "create" ? String(write.object.metadata.name) : write.name };
}

/** Turns the API server's refusals of a write into what the person can do about them. */
function explainWriteError(error: unknown, write: IstioWrite): unknown {
  if (!(error instanceof KubeError)) return error;
  const ref = refOf(write);
  if (error.failure === "conflict") return changedBySomeoneElse(ref, "changed");
  // The object a replace or delete names is gone: someone deleted it after it was read.
  if (error.failure === "not-found" && write.action !== "create") return changedBySomeoneElse(ref, "deleted");
  if (error.failure === "already-exists") return new KubeError("already-exists", changedBySomeoneElse(ref, "created").message, 409);
  if (error.failure === "forbidden") {
    const info = kindInfo(write.kind);
    const where = write.namespace ? ` in ${write.namespace}` : " (cluster-scoped)";
    return new KubeError("forbidden", `Your account may not change ${info.plural}.${info.group}${where} (the Kubernetes API answered 403); ask for write access to ${info.group} or use an account that has it`, 403, error.causes);
  }
  return error;
}

/**
 * Sends one write, as a dry run when asked (nothing is stored, admission still sees it). Answers
 * the object as the API server stored (or would store) it; undefined after a delete.
 */
export async function writeIstioObject(clients: KubeClients, write: IstioWrite, options: { dryRun: boolean }): Promise<IstioObject | undefined> {
  const info = kindInfo(write.kind);
  const group = { group: info.group, version: write.action === "delete" ? info.version : (write.version ?? info.version), plural: info.plural };
  const coordinates = { ...group, namespace: write.namespace };
  const dry = options.dryRun ? { dryRun: "All" } : {};
  const doing = `${options.dryRun ? "check " : ""}${write.action} ${describe(refOf(write))}`;
  const { custom } = clients;
  try {
    switch (write.action) {
      case "create": {
        const { resourceVersion: _stale, ...metadata } = write.object.metadata;
        const body = { ...write.object, metadata: info.namespaced ? { ...metadata, namespace: write.namespace } : metadata };
        const validation = write.strict ? { fieldValidation: "Strict" } : {};
        const create = info.namespaced ? () => custom.createNamespacedCustomObject({ ...coordinates, body, ...validation, ...dry }) : () => custom.createClusterCustomObject({ ...group, body, ...validation, ...dry });
        return (await kubeCall(clients, "create_istio", doing, create)) as IstioObject;
      }
      case "replace": {
        const body = { ...write.object, metadata: { ...write.object.metadata, resourceVersion: write.resourceVersion } };
        const validation = write.strict ? { fieldValidation: "Strict" } : {};
        const replace = info.namespaced
          ? () => custom.replaceNamespacedCustomObject({ ...coordinates, name: write.name, body, ...validation, ...dry })
          : () => custom.replaceClusterCustomObject({ ...group, name: write.name, body, ...validation, ...dry });
        return (await kubeCall(clients, "replace_istio", doing, replace)) as IstioObject;
      }
      case "delete": {
        const body = { preconditions: { resourceVersion: write.resourceVersion }, ...(options.dryRun ? { dryRun: ["All"] } : {}) };
        const remove = info.namespaced
          ? () => custom.deleteNamespacedCustomObject({ ...coordinates, name: write.name, body, ...dry })
          : () => custom.deleteClusterCustomObject({ ...group, name: write.name, body, ...dry });
        await kubeCall(clients, "delete_istio", doing, remove);
        return undefined;
      }
    }
  } catch (error) {
    throw explainWriteError(error, write);
  }
}

/** A dry run, then (unless only the check was asked for) the write itself. */
async function checkThenWrite(clients: KubeClients, write: IstioWrite, dryRun: boolean): Promise<WriteResult> {
  const checked = await writeIstioObject(clients, write, { dryRun: true });
  if (dryRun) return { object: checked as IstioObject, dryRun: true };
  return { object: (await writeIstioObject(clients, write, { dryRun: false })) as IstioObject, dryRun: false };
}

/** Replace an object with the edited YAML, at the resourceVersion it was read at; `dryRun` only checks. */
export async function replaceIstioObject(context: WriteContext, ref: IstioObjectRef, yaml: string, resourceVersion: string, options: { dryRun?: boolean } = {}): Promise<WriteResult> {
  refuseInViewOnly(context.viewOnly);
  const object = parseEditedYaml(yaml);
  const info = checkEditedObject(object, ref);
  return checkThenWrite(context.clients, { action: "replace", ...ref, object, resourceVersion, version: info.writeVersion, strict: true }, options.dryRun ?? false);
}

/** Create an object from YAML in a namespace; `dryRun` only checks. */
export async function createIstioObject(context: WriteContext, target: { kind: IstioKind; namespace: string }, yaml: string, options: { dryRun?: boolean } = {}): Promise<WriteResult> {
  refuseInViewOnly(context.viewOnly);
  const object = parseEditedYaml(yaml);
  const info = checkEditedObject(object, target);
  return checkThenWrite(context.clients, { action: "create", ...target, object, version: info.writeVersion, strict: true }, options.dryRun ?? false);
}

/** Delete an object only if it is still at the resourceVersion the person saw. */
export async function deleteIstioObject(context: WriteContext, ref: IstioObjectRef, resourceVersion: string): Promise<void> {
  refuseInViewOnly(context.viewOnly);
  await writeIstioObject(context.clients, { action: "delete", ...ref, resourceVersion }, { dryRun: false });
}
