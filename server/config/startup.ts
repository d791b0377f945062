/**
 * Start-time checks: a wrong setting stops the server at once with a message that names the
 * setting, instead of failing on the first request.
 */
import { ConfigError, getConfig } from "./index";

const LOOPBACK = ["127.0.0.1", "::1", "localhost"];

export function startupProblems(): string[] {
  try {
    const config = getConfig();
    if (config.auth.mode === "anonymous" && !LOOPBACK.includes(config.listen.address) && !config.auth.allowAnonymousOnAnyAddress) {
      return [
        `MESH_CONSOLE_AUTH: anonymous access is only allowed on a loopback address, but the console listens on ${config.listen.address}; use MESH_CONSOLE_AUTH=token, or set MESH_CONSOLE_ALLOW_ANONYMOUS_ON_ANY_ADDRESS=true if something in front of it authenticates users`,
      ];
    }
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
