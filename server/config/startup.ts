/**
 * Start-time checks: a wrong setting stops the server at once with a message that names the
 * setting, instead of failing on the first request.
 */
import { isLoopbackAddress } from "@/server/http/addresses";
import { ConfigError, getConfig } from "./index";
import type { ConsoleConfig } from "./schema";

/**
 * Anonymous mode lends the console's own Kubernetes identity to whoever connects, so it is for a
 * console only this machine can reach. Checked here against the address the settings bind, and
 * per request against the socket each request really arrived on (proxy.ts), so a server started
 * some other way is held to the same rule.
 */
export function anonymousOnOpenAddress(config: ConsoleConfig, address: string): boolean {
  return config.auth.mode === "anonymous" && !config.auth.allowAnonymousOnAnyAddress && !isLoopbackAddress(address);
}

export function anonymousOpenAddressMessage(address: string): string {
  return `MESH_CONSOLE_AUTH: anonymous access is only allowed on a loopback address, but the console listens on ${address}; use MESH_CONSOLE_AUTH=token, or set MESH_CONSOLE_ALLOW_ANONYMOUS_ON_ANY_ADDRESS=true if something in front of it authenticates users`;
}

export function startupProblems(): string[] {
  try {
    const config = getConfig();
    if (anonymousOnOpenAddress(config, config.listen.address)) return [anonymousOpenAddressMessage(config.listen.address)];
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

export function checkStartupConfig(): void {
  const problems = startupProblems();
  if (problems.length === 0) return;
  console.error(new ConfigError(problems).message);
  process.exit(2);
}
