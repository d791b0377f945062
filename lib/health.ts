/**
 * Health from error rates, shared by the graph and the overview so a service is called "failing"
 * by the same rule everywhere. The thresholds follow the defaults Kiali users know: any error share
 * at or above 0.1 % degrades, 20 % or more fails.
 */

export const HEALTH_STATES = ["healthy", "degraded", "failing", "no-traffic"] as const;
export type Health = (typeof HEALTH_STATES)[number];

/** Error shares (0..1) at which health changes; a share equal to a threshold is already the worse state. */
export const ERROR_RATE_THRESHOLDS = { degraded: 0.001, failing: 0.2 } as const;

/**
 * `requestsPerSecond` of which `errorsPerSecond` failed. Without requests there is nothing to judge:
 * an idle service is "no-traffic", not healthy.
 */
export function healthFromErrorRate(requestsPerSecond: number, errorsPerSecond: number): Health {
  if (!(requestsPerSecond > 0)) return "no-traffic";
  const share = errorsPerSecond / requestsPerSecond;
  if (share >= ERROR_RATE_THRESHOLDS.failing) return "failing";
  if (share >= ERROR_RATE_THRESHOLDS.degraded) return "degraded";
  return "healthy";
}

/** Words for people and screen readers, so health is never told by colour alone. */
export const HEALTH_LABELS: Record<Health, string> = {
  healthy: "Healthy",
  degraded: "Degraded",
  failing: "Failing",
  "no-traffic": "No traffic",
};
