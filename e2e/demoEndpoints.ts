/**
 * Where the demo started by the global setup is listening, for tests and fixtures.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { DemoEndpoints } from "../demo/orchestrate/demo";

/** One state folder per build folder, so test runs against parallel builds do not mix. */
const distDir = process.env.MESH_CONSOLE_DIST_DIR;
export const E2E_STATE_DIR = path.resolve(import.meta.dirname, "..", ".demo", distDir ? `e2e-${path.basename(distDir)}` : "e2e");

export function demoEndpoints(): DemoEndpoints & { console: string } {
  const endpoints = JSON.parse(readFileSync(path.join(E2E_STATE_DIR, "endpoints.json"), "utf8")) as DemoEndpoints;
  if (!endpoints.console) throw new Error("The e2e demo runs without a console");
  return { ...endpoints, console: endpoints.console };
}
