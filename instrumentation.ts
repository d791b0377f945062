/**
 * Runs once when the console's server starts, before it serves a request. The checks live in
 * Node-only modules so the Edge bundle never sees them.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { checkStartupConfig } = await import("./server/config/startup");
    checkStartupConfig();
    // Socket facts and the body limit, for every request before Next.js reads it.
    const { installRequestGate } = await import("./server/http/requestGate");
    installRequestGate();
    // The canary autopilot's loop: drives the rollouts whose Lease this replica holds.
    const { startRolloutLoop } = await import("./server/rollouts/loop");
    startRolloutLoop();
  }
}
