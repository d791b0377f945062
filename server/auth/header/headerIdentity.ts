/**
 * Sign-in behind an authenticating proxy (MESH_CONSOLE_AUTH=header), as oauth2-proxy or an
 * Ingress' external authentication provide it: the proxy signs the person in and passes who they
 * are in request headers. Such headers prove nothing when anyone can send them, so they are
 * believed only from a socket whose peer is one of the configured proxies; the peer is the address
 * the console's own request gate stamped from the TCP socket (server/http/socketFacts.ts), never
 * X-Forwarded-For, which any client can write.
 *
 * Pure: the settings, the proxy check and the identity each take plain values, so every rule is
 * tested on its own (headerIdentity.test.ts).
 */
import type { BlockList } from "node:net";
import { addressBlockList, parseAddressBlock } from "@/server/http/addresses";
import { socketFactsOf } from "@/server/http/socketFacts";

export const DEFAULT_USER_HEADER = "X-Forwarded-User";
export const DEFAULT_GROUPS_HEADER = "X-Forwarded-Groups";

export interface HeaderAuthSettings {
  /** The header carrying the user name (compared without case, as HTTP header names are). */
  userHeader: string;
  /** The header carrying the groups, separated by commas. */
  groupsHeader: string;
  /** The proxies' addresses or CIDR blocks; only their requests are believed. */
  proxies: string[];
}

/** The person a request speaks for, as the console then impersonates them to Kubernetes. */
export interface ProxiedIdentity {
  user: string;
  groups: string[];
}

export type HeaderIdentityResult =
  | { ok: true; identity: ProxiedIdentity }
  | { ok: false; status: 401 | 403; reason: "not-from-proxy" | "no-identity" | "bad-identity"; message: string };

type Env = Record<string, string | undefined>;

/** RFC 9110 token characters: what a header name may be made of. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** The console stamps these itself; reading the identity from one would believe the console's own facts. */
const RESERVED_PREFIX = "x-mesh-console-";
/** Kubernetes reserves `system:` for its own users and groups (system:masters is every permission). */
const KUBERNETES_RESERVED = "system:";
const MAX_NAME_LENGTH = 256;
const MAX_GROUPS = 100;

function readHeaderName(env: Env, setting: string, fallback: string, problems: string[]): string {
  const raw = (env[setting] ?? "").trim() || fallback;
  if (!HEADER_NAME.test(raw)) {
    problems.push(`${setting}: expected an HTTP header name such as ${fallback}, got ${JSON.stringify(raw)}`);
  } else if (raw.toLowerCase().startsWith(RESERVED_PREFIX)) {
    problems.push(`${setting}: headers starting with X-Mesh-Console- are the console's own, got ${JSON.stringify(raw)}`);
  }
  return raw;
}

/**
 * The header mode's settings from the environment; problems are added to `problems` (the config
 * parser reports them all at once). Proxies are required: without them no request could be believed.
 */
export function readHeaderAuthSettings(env: Env, problems: string[]): HeaderAuthSettings {
  const userHeader = readHeaderName(env, "MESH_CONSOLE_AUTH_USER_HEADER", DEFAULT_USER_HEADER, problems);
  const groupsHeader = readHeaderName(env, "MESH_CONSOLE_AUTH_GROUPS_HEADER", DEFAULT_GROUPS_HEADER, problems);
  if (userHeader.toLowerCase() === groupsHeader.toLowerCase()) {
    problems.push(`MESH_CONSOLE_AUTH_GROUPS_HEADER: must differ from MESH_CONSOLE_AUTH_USER_HEADER (both are ${userHeader})`);
  }
  const proxies = (env.MESH_CONSOLE_AUTH_PROXIES ?? "").split(",").map((entry) => entry.trim()).filter(Boolean);
  if (proxies.length === 0) {
    problems.push("MESH_CONSOLE_AUTH_PROXIES: MESH_CONSOLE_AUTH=header needs the addresses or CIDR blocks of the authenticating proxy (e.g. 10.0.0.0/8), since only its requests may say who is calling");
  }
  for (const entry of proxies) {
    if (!parseAddressBlock(entry)) problems.push(`MESH_CONSOLE_AUTH_PROXIES: expected addresses or CIDR blocks separated by commas, got ${JSON.stringify(entry)}`);
  }
  return { userHeader, groupsHeader, proxies };
}

function nameProblem(what: string, name: string): string | undefined {
  if (name.length > MAX_NAME_LENGTH) return `${what} is longer than ${MAX_NAME_LENGTH} characters`;
  // A header value cannot carry them, and one that did would split the impersonation header.
  if (/[\x00-\x1f\x7f]/.test(name)) return `${what} holds control characters`;
  if (name.startsWith(KUBERNETES_RESERVED)) return `${what} ${JSON.stringify(name)} starts with "system:", which Kubernetes keeps for its own users and groups`;
  return undefined;
}

/** The comma-separated groups header as a list: trimmed, without empty entries or repeats. */
export function parseGroups(value: string | null): string[] {
  const groups = (value ?? "").split(",").map((group) => group.trim()).filter(Boolean);
  return [...new Set(groups)];
}

/** Whether the socket peer is one of the proxies (IPv4-mapped IPv6 counts as its IPv4 address). */
export function isFromProxy(peer: string | undefined, proxies: BlockList): boolean {
  if (!peer) return false;
  const plain = peer.toLowerCase().replace(/^\[|\]$/g, "").replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
  const family = plain.includes(":") ? "ipv6" : "ipv4";
  try {
    return proxies.check(plain, family);
  } catch {
    return false;
  }
}

/**
 * Who a request speaks for. Refused with 403 when its socket peer is not a configured proxy
 * (whatever headers it carries), with 401 when the proxy sent no user, and with 401 when a name
 * cannot be passed on to Kubernetes.
 */
export function identityFromRequest(headers: Headers, settings: HeaderAuthSettings, proxies: BlockList): HeaderIdentityResult {
  const peer = socketFactsOf(headers)?.peer;
  if (!isFromProxy(peer, proxies)) {
    return {
      ok: false,
      status: 403,
      reason: "not-from-proxy",
      message: `This console takes who you are only from its authenticating proxy, and this request came from ${peer ? peer : "an address the console could not tell"}, which is not one of MESH_CONSOLE_AUTH_PROXIES. Open the console through the proxy's address.`,
    };
  }
  const user = (headers.get(settings.userHeader) ?? "").trim();
  if (!user) {
    return { ok: false, status: 401, reason: "no-identity", message: `The authenticating proxy did not say who you are: the request has no ${settings.userHeader} header (MESH_CONSOLE_AUTH_USER_HEADER). Sign in through the proxy again.` };
  }
  const groups = parseGroups(headers.get(settings.groupsHeader));
  const problem = nameProblem("The user name", user) ?? (groups.length > MAX_GROUPS ? `The proxy sent more than ${MAX_GROUPS} groups` : undefined) ?? groups.map((group) => nameProblem("The group", group)).find(Boolean);
  if (problem) return { ok: false, status: 401, reason: "bad-identity", message: `${problem}; the console cannot act for this identity.` };
  return { ok: true, identity: { user, groups } };
}

/** The proxies as a BlockList, for identityFromRequest. */
export function proxyBlockList(settings: HeaderAuthSettings): BlockList {
  return addressBlockList(settings.proxies);
}
