/**
 * Rollout notifications: each timeline event a console writes is POSTed as JSON to every URL in
 * MESH_CONSOLE_ROLLOUT_WEBHOOKS (separated by spaces or commas). A delivery gets 5 s; a failure or
 * an answer other than 2xx is tried again after 1, 2 and 4 s, then given up and logged. Deliveries
 * never hold up the rollout. URLs are checked at start: http or https only, no credentials in them.
 */
import type { RolloutEvent, RolloutRecord } from "@/lib/rollouts/record";
import { currentCanaryWeight } from "@/lib/rollouts/record";

export const WEBHOOKS_SETTING = "MESH_CONSOLE_ROLLOUT_WEBHOOKS";
const TIMEOUT_MS = 5_000;
const BACKOFF_MS = [1_000, 2_000, 4_000];

/** The configured URLs; throws with the setting's name and the offending value's problem. */
export function parseRolloutWebhooks(value: string | undefined): URL[] {
  if (!value?.trim()) return [];
  return value
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((text) => {
      let url: URL;
      try {
        url = new URL(text);
      } catch {
        throw new Error(`${WEBHOOKS_SETTING}: ${JSON.stringify(text.slice(0, 200))} is not a URL`);
      }
      if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`${WEBHOOKS_SETTING}: ${url.protocol} URLs are not allowed, only http and https`);
      if (url.username || url.password) throw new Error(`${WEBHOOKS_SETTING}: a URL must not carry credentials (user:password@); put a token in the URL's path or query instead`);
      return url;
    });
}

/** The JSON body of one notification. */
export function notificationOf(record: RolloutRecord, event: RolloutEvent) {
  return {
    type: "mesh-console.rollout",
    namespace: record.namespace,
    service: record.service,
    route: record.route,
    stable: record.stable,
    canary: record.canary,
    phase: record.progress.phase,
    step: record.progress.stepIndex + 1,
    steps: record.plan.steps,
    canaryWeight: currentCanaryWeight(record),
    event,
  };
}

type Sleep = (ms: number) => Promise<void>;
const sleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** One URL, with retries; resolves true when delivered. */
export async function deliver(url: URL, body: unknown, options: { fetch?: typeof fetch; sleep?: Sleep } = {}): Promise<boolean> {
  const send = options.fetch ?? fetch;
  for (let attempt = 0; attempt <= BACKOFF_MS.length; attempt += 1) {
    try {
      const response = await send(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal: AbortSignal.timeout(TIMEOUT_MS), redirect: "error" });
      await response.body?.cancel();
      if (response.ok) return true;
    } catch {
      // Unreachable or timed out: tried again below.
    }
    const wait = BACKOFF_MS[attempt];
    if (wait === undefined) break;
    await (options.sleep ?? sleep)(wait);
  }
  console.warn(`rollout webhook ${url.origin}${url.pathname} did not accept a notification after ${BACKOFF_MS.length + 1} attempts`);
  return false;
}

let configured: URL[] | undefined;

/** Checks the setting once; called at start so a wrong URL stops the console there. */
export function rolloutWebhooks(): URL[] {
  configured ??= parseRolloutWebhooks(process.env[WEBHOOKS_SETTING]);
  return configured;
}

/** Sends the events to every configured URL in the background. */
export function notifyRolloutEvents(record: RolloutRecord, events: readonly RolloutEvent[]): void {
  const urls = rolloutWebhooks();
  for (const event of events) for (const url of urls) void deliver(url, notificationOf(record, event));
}
