import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { parseAllDocuments } from "yaml";

/**
 * Reading Kubernetes YAML safely: a size bound per file, a bound on alias expansion (a "billion
 * laughs" document otherwise explodes in memory), and only the core schema (no custom tags).
 */

export const maxFileBytes = 16 * 1024 * 1024;
const maxAliasCount = 1000;

export interface YamlLoadResult {
  readonly objects: unknown[];
  /** Problems that make input unreadable: a path that cannot be read, a document that cannot be parsed. */
  readonly errors: string[];
}

/** Parse a multi-document YAML (or JSON) text into plain values; empty documents are skipped. */
export function parseYamlDocuments(text: string, source: string): YamlLoadResult {
  const objects: unknown[] = [];
  const errors: string[] = [];
  if (Buffer.byteLength(text, "utf8") > maxFileBytes) {
    return { objects, errors: [`${source}: larger than ${maxFileBytes} bytes; split it into smaller files`] };
  }
  const documents = parseAllDocuments(text, { customTags: [], schema: "core", prettyErrors: true, uniqueKeys: false });
  const list = Array.isArray(documents) ? documents : [documents];
  list.forEach((document, index) => {
    if (document.errors.length > 0) {
      errors.push(`${source}: document ${index + 1}: ${document.errors[0]?.message.split("\n")[0] ?? "unreadable YAML"}`);
      return;
    }
    try {
      const value: unknown = document.toJS({ maxAliasCount });
      if (value !== null && value !== undefined) objects.push(value);
    } catch (error) {
      errors.push(`${source}: document ${index + 1}: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  return { objects, errors };
}

const yamlExtensions = new Set([".yaml", ".yml", ".json"]);

async function collectFiles(target: string, out: string[], errors: string[]): Promise<void> {
  let info;
  try {
    info = await stat(target);
  } catch {
    errors.push(`${target}: no such file or directory`);
    return;
  }
  if (info.isDirectory()) {
    const entries = (await readdir(target)).sort();
    for (const entry of entries) {
      const child = path.join(target, entry);
      const childInfo = await stat(child).catch(() => undefined);
      if (childInfo?.isDirectory()) await collectFiles(child, out, errors);
      else if (yamlExtensions.has(path.extname(entry).toLowerCase())) out.push(child);
    }
  } else {
    out.push(target);
  }
}

/** Load every YAML document from files and folders (folders recursively, `.yaml`/`.yml`/`.json`, sorted by name). */
export async function loadYamlPaths(targets: readonly string[]): Promise<YamlLoadResult & { readonly files: string[] }> {
  const files: string[] = [];
  const errors: string[] = [];
  for (const target of targets) await collectFiles(target, files, errors);
  const objects: unknown[] = [];
  for (const file of files) {
    const info = await stat(file);
    if (info.size > maxFileBytes) {
      errors.push(`${file}: larger than ${maxFileBytes} bytes; split it into smaller files`);
      continue;
    }
    const result = parseYamlDocuments(await readFile(file, "utf8"), file);
    objects.push(...result.objects);
    errors.push(...result.errors);
  }
  return { objects, errors, files };
}
