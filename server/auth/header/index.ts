/**
 * MESH_CONSOLE_AUTH=header for the request being served: who the authenticating proxy says is
 * calling (headerIdentity.ts), and the clients that impersonate them (impersonation.ts). The front
 * door (server/http/frontDoor.ts) already refused requests that are not from the proxy; the check is
 * repeated here so an API route never runs for a request the proxy did not vouch for.
 * server/auth/identity.ts calls this for the header mode.
 */
import type { BlockList } from "node:net";
import { getConfig } from "@/server/config";
import { consoleKube, type KubeClients } from "@/server/kube";
import { jsonError } from "@/server/http/errors";
import { identityFromRequest, proxyBlockList, type HeaderAuthSettings } from "./headerIdentity";
import { identityKey, ImpersonatedClients } from "./impersonation";

export type HeaderPerson = { kind: "person"; key: string; clients: KubeClients; cookies: string[] } | { kind: "refused"; response: Response };

interface HeaderAuthState {
  settings: HeaderAuthSettings;
  proxies: BlockList;
  people: ImpersonatedClients;
}

const globalKey = Symbol.for("mesh-console.header-auth");
type GlobalWithHeaderAuth = typeof globalThis & { [globalKey]?: HeaderAuthState };

/** One per process, on globalThis because Next.js loads this module in each route's bundle. */
function headerAuthState(): HeaderAuthState {
  const holder = globalThis as GlobalWithHeaderAuth;
  if (!holder[globalKey]) {
    const settings = getConfig().auth.header;
    if (!settings) throw new Error("MESH_CONSOLE_AUTH=header without its settings: the config parser should have refused this start");
    holder[globalKey] = { settings, proxies: proxyBlockList(settings), people: new ImpersonatedClients(consoleKube) };
  }
  return holder[globalKey];
}

export function headerPerson(request: Request): HeaderPerson {
  const state = headerAuthState();
  const result = identityFromRequest(request.headers, state.settings, state.proxies);
  if (!result.ok) return { kind: "refused", response: jsonError(result.status, { message: result.message, reason: result.reason }) };
  return { kind: "person", key: `header:${identityKey(result.identity)}`, clients: state.people.for(result.identity), cookies: [] };
}
