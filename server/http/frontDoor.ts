/**
 * The checks every request passes before any page or route runs (proxy.ts calls this): whether it
 * is addressed to a name the console is served as (DNS rebinding, see servedHosts.ts), whether an
 * anonymous console is being reached on a socket other than loopback, and whether a change comes
 * from a page of the console's own origin. Pure over the request's headers, the settings and the
 * machine's addresses.
 */
import type { ConsoleConfig } from "@/server/config/schema";
import { anonymousOnOpenAddress, anonymousOpenAddressMessage } from "@/server/config/startup";
import { hostRefusalMessage, isServedHost, originMatches, servedHosts, type ServedHosts } from "./servedHosts";
import { socketFactsOf } from "./socketFacts";

export interface FrontDoorRefusal {
  status: number;
  reason: "host" | "open-address" | "origin";
  message: string;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface FrontDoor {
  check(request: { method: string; url: string; headers: Headers }): FrontDoorRefusal | undefined;
}

export function frontDoor(config: ConsoleConfig, interfaceAddresses: readonly string[]): FrontDoor {
  const served: ServedHosts = servedHosts({ listen: config.listen, allowedHosts: config.allowedHosts, interfaceAddresses });
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
