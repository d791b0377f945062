/**
 * The checks every request passes before any page or route runs (proxy.ts calls this): whether it
 * is addressed to a name the console is served as (DNS rebinding, see servedHosts.ts), whether an
 * anonymous console is being reached on a socket other than loopback, whether a request to a
 * console behind an authenticating proxy (MESH_CONSOLE_AUTH=header) came from that proxy and says
 * who is calling, and whether a change comes from a page of the console's own origin. Pure over the request's headers, the settings and the
 * machine's addresses.
 */
import type { ConsoleConfig } from "@/server/config/schema";
import { identityFromRequest, proxyBlockList } from "@/server/auth/header/headerIdentity";
import { anonymousOnOpenAddress, anonymousOpenAddressMessage } from "@/server/config/startup";
import { hostRefusalMessage, isServedHost, originMatches, servedHosts, type ServedHosts } from "./servedHosts";
import { socketFactsOf } from "./socketFacts";

export interface FrontDoorRefusal {
  status: number;
  reason: "host" | "open-address" | "origin" | "not-from-proxy" | "no-identity" | "bad-identity";
  message: string;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** kubelet probes these from the node, not through the proxy; they say nothing about anyone's data. */
const PROBE_PATHS = new Set(["/api/health", "/api/ready"]);

export interface FrontDoor {
  check(request: { method: string; url: string; headers: Headers }): FrontDoorRefusal | undefined;
}

function withoutBasePath(pathname: string, basePath: string): string {
  return basePath && pathname.startsWith(`${basePath}/`) ? pathname.slice(basePath.length) : pathname;
}

export function frontDoor(config: ConsoleConfig, interfaceAddresses: readonly string[]): FrontDoor {
  const served: ServedHosts = servedHosts({ listen: config.listen, allowedHosts: config.allowedHosts, interfaceAddresses });
  const headerAuth = config.auth.mode === "header" && config.auth.header ? { settings: config.auth.header, proxies: proxyBlockList(config.auth.header) } : undefined;
  return {
    check(request) {
      const host = request.headers.get("host");
      const defaultPort = new URL(request.url).protocol === "https:" ? 443 : 80;
      if (!isServedHost(host, served, defaultPort)) return { status: 403, reason: "host", message: hostRefusalMessage(host) };

      if (config.auth.mode === "anonymous" && !config.auth.allowAnonymousOnAnyAddress) {
        const socket = socketFactsOf(request.headers);
        // Without the stamp the arriving socket is unknown; anonymous mode then answers nobody.
        const local = socket?.local ?? "an address the console could not tell";
        if (anonymousOnOpenAddress(config, local)) return { status: 403, reason: "open-address", message: anonymousOpenAddressMessage(local) };
      }

      if (headerAuth && !PROBE_PATHS.has(withoutBasePath(new URL(request.url).pathname, config.basePath))) {
        const identity = identityFromRequest(request.headers, headerAuth.settings, headerAuth.proxies);
        if (!identity.ok) return { status: identity.status, reason: identity.reason, message: identity.message };
      }

      const origin = request.headers.get("origin");
      if (!SAFE_METHODS.has(request.method.toUpperCase()) && origin !== null && !originMatches(origin, host, config.allowedHosts)) {
        return {
          status: 403,
          reason: "origin",
          message: `Changes are only accepted from the console's own pages: this one came from ${JSON.stringify(origin)}, not from the host it is addressed to. Behind a proxy that rewrites the Host header, add the public name to MESH_CONSOLE_ALLOWED_HOSTS.`,
        };
      }
      return undefined;
    },
  };
}
