/**
 * Runs once when the console's server starts: a wrong setting stops it at once with a message that
 * names the setting, instead of failing on the first request.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { ConfigError, getConfig } = await import("./server/config");
  try {
    const config = getConfig();
    const loopback = ["127.0.0.1", "::1", "localhost"].includes(config.listen.address);
    if (config.auth.mode === "anonymous" && !loopback && !config.auth.allowAnonymousOnAnyAddress) {
      throw new ConfigError([
        `MESH_CONSOLE_AUTH: anonymous access is only allowed on a loopback address, but the console listens on ${config.listen.address}; use MESH_CONSOLE_AUTH=token, or set MESH_CONSOLE_ALLOW_ANONYMOUS_ON_ANY_ADDRESS=true if something in front of it authenticates users`,
      ]);
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  }
}
