/**
 * The keys that seal session cookies, read from a directory (a mounted Kubernetes Secret: one file
 * per key). Every replica mounting the same Secret can open every other replica's cookies, so a
 * person's requests may land on any replica and a restart signs nobody out.
 *
 * Rotation, as a Secret with two keys allows: the file whose name sorts first seals new cookies;
 * every key opens. To rotate, add the new key under a name that sorts first (e.g. `0-2026-12`)
 * beside the old one, let the replicas pick it up, and remove the old key after the longest
 * session (8 hours): cookies sealed with it then have all expired. Each key file holds at least 32
 * bytes of secret (for example `openssl rand -base64 48`); its SHA-256 is the AES-256 key, so any
 * encoding of enough random bytes works. Without a directory the console makes a random key at
 * start: one replica only, and a restart signs everyone out.
 */
import { createHash, randomBytes } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

export interface SessionKey {
  /** Names the key in a cookie's header (a digest, never the key), so opening tries the right one. */
  readonly id: string;
  readonly secret: Uint8Array;
}

/** The first key seals; all of them open. */
export interface SessionKeyRing {
  readonly keys: readonly [SessionKey, ...SessionKey[]];
}

/** At least this many bytes of secret per key file. */
export const MIN_KEY_BYTES = 32;

export function sessionKeyFrom(material: Uint8Array): SessionKey {
  const secret = new Uint8Array(createHash("sha256").update(material).digest());
  const id = createHash("sha256").update("mesh-console-session-key-id").update(secret).digest("base64url").slice(0, 12);
  return { id, secret };
}

/** Kubernetes mounts a Secret's keys as files beside `..data` links and dot-folders; only plain names are keys. */
function isKeyFileName(name: string): boolean {
  return !name.startsWith(".");
}

/** Builds the ring from (file name, content) pairs; pure, so the rules are tested without files. */
export function keyRingFrom(files: readonly { name: string; content: Uint8Array }[], where: string): SessionKeyRing {
  const usable = files.filter((file) => isKeyFileName(file.name)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const problems: string[] = [];
  const keys: SessionKey[] = [];
  for (const file of usable) {
    const material = new TextDecoder().decode(file.content).trim();
    if (Buffer.byteLength(material) < MIN_KEY_BYTES) problems.push(`${file.name} holds ${Buffer.byteLength(material)} bytes, at least ${MIN_KEY_BYTES} are needed`);
    else keys.push(sessionKeyFrom(Buffer.from(material)));
  }
  if (problems.length > 0) throw new Error(`MESH_CONSOLE_SESSION_KEYS_DIR ${where}: ${problems.join("; ")}`);
  const [first, ...rest] = keys;
  if (!first) throw new Error(`MESH_CONSOLE_SESSION_KEYS_DIR ${where}: no key file found (put one or two files of ${MIN_KEY_BYTES}+ random bytes there)`);
  return { keys: [first, ...rest] };
}

export async function readKeyRing(directory: string): Promise<SessionKeyRing> {
  const entries = await readdir(directory, { withFileTypes: true });
  const files: { name: string; content: Uint8Array }[] = [];
  for (const entry of entries) {
    if (!isKeyFileName(entry.name) || entry.isDirectory()) continue;
    files.push({ name: entry.name, content: await readFile(path.join(directory, entry.name)) });
  }
  return keyRingFrom(files, directory);
}

export function randomKeyRing(): SessionKeyRing {
  return { keys: [sessionKeyFrom(randomBytes(32))] };
}

/** How long a read ring is used before the directory is read again, so a rotated Secret is picked up. */
export const KEY_RING_REFRESH_MS = 60_000;

const globalKey = Symbol.for("mesh-console.session-keys");
type Holder = typeof globalThis & { [globalKey]?: { directory: string | undefined; readAt: number; ring: Promise<SessionKeyRing> } };

/** The ring for MESH_CONSOLE_SESSION_KEYS_DIR (re-read every minute), or one random key per process. */
export function sessionKeyRing(directory: string | undefined, now: number = Date.now()): Promise<SessionKeyRing> {
  const holder = globalThis as Holder;
  const cached = holder[globalKey];
  if (cached && cached.directory === directory && (!directory || now - cached.readAt < KEY_RING_REFRESH_MS)) return cached.ring;
  const ring = directory ? readKeyRing(directory) : Promise.resolve(randomKeyRing());
  // A failed re-read keeps the last good ring rather than signing everyone out.
  const kept = cached && cached.directory === directory ? ring.catch(() => cached.ring) : ring;
  holder[globalKey] = { directory, readAt: now, ring: kept };
  return kept;
}
