/**
 * Seed data: multi-document YAML files applied at start through the same write path as API
 * requests (so seeds are validated like anything a client sends). Namespaces go first, as
 * `kubectl apply` of a directory would need them to.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { isJsonObject } from "./object";
import type { Registry } from "./registry";
import { ApiError } from "./status";

export interface SeedDocument {
  source: string;
  object: Record<string, unknown>;
}

async function yamlFilesIn(target: string): Promise<string[]> {
  const info = await stat(target).catch(() => undefined);
  if (!info) throw new Error(`seed path ${target} does not exist; pass a YAML file or a directory of YAML files`);
  if (info.isFile()) return [target];
  const entries = await readdir(target, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(target, entry.name);
    if (entry.isDirectory()) files.push(...(await yamlFilesIn(full)));
    else if (/\.ya?ml$/.test(entry.name)) files.push(full);
  }
  return files;
}

export async function readSeedDocuments(paths: readonly string[]): Promise<SeedDocument[]> {
  const documents: SeedDocument[] = [];
  for (const target of paths) {
    for (const file of await yamlFilesIn(target)) {
      const text = await readFile(file, "utf8");
      parseAllDocuments(text).forEach((doc, index) => {
        if (doc.errors.length > 0) throw new Error(`${file} document ${index + 1}: ${doc.errors[0]?.message}`);
        const object: unknown = doc.toJS();
        if (object === null || object === undefined) return;
        if (!isJsonObject(object)) throw new Error(`${file} document ${index + 1}: expected a Kubernetes object (a YAML mapping)`);
        documents.push({ source: `${file} document ${index + 1}`, object });
      });
    }
  }
  return documents;
}

/** Refuses documents that are not CustomResourceDefinitions (for the CRD option, which must not seed objects). */
export function crdDocuments(documents: readonly SeedDocument[]): SeedDocument[] {
  for (const { source, object } of documents) {
    if (object.apiVersion !== "apiextensions.k8s.io/v1" || object.kind !== "CustomResourceDefinition") {
      throw new Error(`${source}: expected an apiextensions.k8s.io/v1 CustomResourceDefinition, got ${String(object.apiVersion)} ${String(object.kind)}`);
    }
  }
  return [...documents];
}

/** Applies documents in order, namespaces first; a failure names the file and document. */
export function applySeed(registry: Registry, documents: readonly SeedDocument[]): number {
  // CustomResourceDefinitions first (the kinds they define must be served before their objects come), then Namespaces.
  const rank = (object: Record<string, unknown>) => (object.kind === "CustomResourceDefinition" ? 2 : object.kind === "Namespace" ? 1 : 0);
  const ordered = [...documents].sort((a, b) => rank(b.object) - rank(a.object));
  for (const { source, object } of ordered) {
    const apiVersion = typeof object.apiVersion === "string" ? object.apiVersion : "";
    const kind = typeof object.kind === "string" ? object.kind : "";
    const type = registry.catalog.findByKind(apiVersion, kind);
    if (!type) throw new Error(`${source}: ${apiVersion || "(no apiVersion)"} ${kind || "(no kind)"} is not a kind this API server serves`);
    const version = apiVersion.includes("/") ? apiVersion.slice(apiVersion.indexOf("/") + 1) : apiVersion;
    const metadata = isJsonObject(object.metadata) ? object.metadata : {};
    const namespace = type.namespaced ? (typeof metadata.namespace === "string" ? metadata.namespace : "default") : undefined;
    try {
      registry.create(type, version, namespace, object, { dryRun: false, fieldValidation: "Strict" });
    } catch (error) {
      const message = error instanceof ApiError ? `${error.code} ${error.reason}: ${error.message}` : String(error);
      throw new Error(`${source}: ${message}`);
    }
  }
  return ordered.length;
}
