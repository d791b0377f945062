/**
 * Runs once when the console's server starts. The checks live in a Node-only module so the Edge
 * bundle never sees them.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { checkStartupConfig } = await import("./server/config/startup");
    checkStartupConfig();
  }
}
