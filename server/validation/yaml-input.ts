import { readdir, readFile, realpath, stat } from "node:fs/promises";
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

/**
 * Folders are walked following symbolic links, as `kubectl apply -R` does, but each real folder and
 * file is read once: a link back to an ancestor (a loop) or a second link to the same place would
 * otherwise recurse forever or report the same objects twice (as false duplicates).
 */
interface Walk {
  readonly files: string[];
  readonly errors: string[];
  readonly seen: Set<string>;
}

async function firstVisit(target: string, walk: Walk): Promise<boolean> {
  const real = await realpath(target).catch(() => target);
  if (walk.seen.has(real)) return false;
  walk.seen.add(real);
  return true;
}

async function collectFiles(target: string, walk: Walk, named: boolean): Promise<void> {
  let info;
  try {
    info = await stat(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (named || code === "ELOOP" || yamlExtensions.has(path.extname(target).toLowerCase())) walk.errors.push(`${target}: ${code === "ELOOP" ? "a loop of symbolic links" : "no such file or directory"}`);
    return;
  }
  if (!(await firstVisit(target, walk))) return;
  if (!info.isDirectory()) {
    if (named || yamlExtensions.has(path.extname(target).toLowerCase())) walk.files.push(target);
    return;
  }
  for (const entry of (await readdir(target)).sort()) await collectFiles(path.join(target, entry), walk, false);
}

/** Load every YAML document from files and folders (folders recursively, `.yaml`/`.yml`/`.json`, sorted by name). */
export async function loadYamlPaths(targets: readonly string[]): Promise<YamlLoadResult & { readonly files: string[] }> {
  const walk: Walk = { files: [], errors: [], seen: new Set() };
  for (const target of targets) await collectFiles(target, walk, true);
  const { files, errors } = walk;
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
