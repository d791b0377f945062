/**
 * Canary autopilot: rollouts stored next to their route (store.ts), driven by exactly one replica
 * through a Lease (loop.ts, lease.ts, driver.ts), started and steered by people with their own
 * identity (actions.ts), announced to webhooks (webhooks.ts).
 */
export { commandRollout, rolloutOf, rolloutSummaries, startRollout } from "./actions";
export { startRolloutLoop } from "./loop";
