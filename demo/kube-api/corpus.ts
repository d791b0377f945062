/**
 * The Gateway API release's CRDs (v1.6.1 standard channel) next to the repository, in
 * `../shared/corpus/gateway-api-crds` relative to its root: CI has them, a fresh machine may not,
 * and then the emulator's built-in Gateway API kinds serve instead.
 */
import { existsSync } from "node:fs";
import path from "node:path";

const REPO_ROOT = path.resolve(import.meta.dirname, "..", "..");

export const GATEWAY_API_CRDS_DIR = path.resolve(REPO_ROOT, "..", "shared", "corpus", "gateway-api-crds");

/** The CRDs' folder when it is there; undefined otherwise. */
export function gatewayApiCrdsDir(): string | undefined {
  return existsSync(GATEWAY_API_CRDS_DIR) ? GATEWAY_API_CRDS_DIR : undefined;
}
