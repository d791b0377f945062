/**
 * The Node.js runtime settings the container image runs the console with (its Dockerfile's last
 * stage), so a benchmark measures the console as it is shipped rather than with Node's defaults.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { REPO_ROOT } from "@/demo/orchestrate/demo";

/** Settings that change how the Node.js process uses memory and CPU; the rest of the image's ENV is about where it listens. */
const RUNTIME_VARIABLES = ["NODE_OPTIONS", "MALLOC_ARENA_MAX", "UV_THREADPOOL_SIZE"];

/** `KEY=value` pairs of every ENV instruction in the Dockerfile's final stage (continuation lines joined). */
export function finalStageEnv(dockerfile: string): Record<string, string> {
  const instructions = dockerfile.replace(/\\\r?\n/g, " ").split(/\r?\n/);
  const lastFrom = instructions.findLastIndex((line) => /^\s*FROM\s/i.test(line));
  const env: Record<string, string> = {};
  for (const line of instructions.slice(lastFrom + 1)) {
    const match = /^\s*ENV\s+(.*)$/i.exec(line);
    if (!match?.[1]) continue;
    for (const pair of match[1].matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|\S*)/g)) {
      if (pair[1]) env[pair[1]] = pair[3] ?? pair[2] ?? "";
    }
  }
  return env;
}

export async function shippedRuntimeEnv(): Promise<Record<string, string>> {
  const env = finalStageEnv(await readFile(path.join(REPO_ROOT, "Dockerfile"), "utf8"));
  return Object.fromEntries(Object.entries(env).filter(([key]) => RUNTIME_VARIABLES.includes(key)));
}
