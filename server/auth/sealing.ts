/**
 * Sealing and opening values the console hands the browser to keep for it (the session, the
 * sign-in flow's PKCE verifier): JWE compact serialisation, `dir` key management with A256GCM, so
 * the browser can neither read nor change them and any replica holding the keys can open them.
 * https://www.rfc-editor.org/rfc/rfc7516 and https://www.rfc-editor.org/rfc/rfc7518#section-4.5
 *
 * The protected header names the purpose (`cty`), so a value sealed for one use (the flow cookie)
 * is refused for another (the session), and the key (`kid`), so opening tries only that key.
 */
import { compactDecrypt, CompactEncrypt } from "jose";
import type { SessionKeyRing } from "./sessionKeys";

export type SealPurpose = "mesh-console-session" | "mesh-console-openid-flow";

export async function seal(purpose: SealPurpose, payload: unknown, ring: SessionKeyRing): Promise<string> {
  const [key] = ring.keys;
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader({ alg: "dir", enc: "A256GCM", kid: key.id, cty: purpose }).encrypt(key.secret);
}

const COMPACT_JWE = /^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

function headerOf(value: string): { kid?: unknown; cty?: unknown; alg?: unknown; enc?: unknown } | undefined {
  try {
    return JSON.parse(Buffer.from(value.slice(0, value.indexOf(".")), "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** The payload, or undefined for anything not sealed by one of the ring's keys for this purpose. */
export async function unseal(purpose: SealPurpose, value: string | undefined, ring: SessionKeyRing): Promise<unknown> {
  if (!value || value.length > 64 * 1024 || !COMPACT_JWE.test(value)) return undefined;
  const header = headerOf(value);
  if (!header || header.cty !== purpose || header.alg !== "dir" || header.enc !== "A256GCM") return undefined;
  const key = ring.keys.find((candidate) => candidate.id === header.kid);
  if (!key) return undefined;
  try {
    const { plaintext } = await compactDecrypt(value, key.secret, { keyManagementAlgorithms: ["dir"], contentEncryptionAlgorithms: ["A256GCM"] });
    return JSON.parse(new TextDecoder().decode(plaintext)) as unknown;
  } catch {
    return undefined;
  }
}
