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
import { findByKind } from "./resources";
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

/** Applies documents in order, namespaces first; a failure names the file and document. */
export function applySeed(registry: Registry, documents: readonly SeedDocument[]): number {
  const ordered = [...documents].sort((a, b) => Number(b.object.kind === "Namespace") - Number(a.object.kind === "Namespace"));
  for (const { source, object } of ordered) {
    const apiVersion = typeof object.apiVersion === "string" ? object.apiVersion : "";
    const kind = typeof object.kind === "string" ? object.kind : "";
    const type = findByKind(apiVersion, kind);
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
