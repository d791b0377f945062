/**
 * The loop every console replica runs: every 5 s it lists the stored rollouts, and for each that
 * needs a driver it takes or renews the rollout's Lease (15 s), and drives it only while it holds
 * it. The Lease is `mesh-console-rollout-<service>` in the rollout's namespace, beside its ConfigMap:
 * whoever may see the rollout may see which replica drives it (`kubectl get lease -n NS`), and
 * deleting the namespace leaves nothing behind. A replica that stops renewing (killed, partitioned)
 * loses its rollouts to another within 15 s; the newcomer continues from the stored record.
 */
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { needsDriver } from "@/lib/rollouts/record";
import { getConfig } from "@/server/config";
import { consoleKube } from "@/server/kube";
import { prometheus } from "@/server/prometheus";
import { sharedMetricNames } from "@/server/telemetry";
import { driveRollout, type DriverDeps } from "./driver";
import { holdLease } from "./lease";
import { listRollouts, rolloutObjectName } from "./store";
import { notifyRolloutEvents, rolloutWebhooks } from "./webhooks";

export const LEASE_DURATION_SECONDS = 15;
export const TICK_MS = 5_000;
/** After a failed pass (no access, API down) the loop waits this long, so a console that may not drive does not spin. */
const BACKOFF_MS = 60_000;
export const DRIVER_SETTING = "MESH_CONSOLE_ROLLOUT_DRIVER";

const loopKey = Symbol.for("mesh-console.rollout-loop");
type GlobalWithLoop = typeof globalThis & { [loopKey]?: { holder: string; timer: NodeJS.Timeout } };

/** This process' name in Leases: the pod's name in a cluster (HOSTNAME), made unique per process. */
export function holderIdentity(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
}

async function pass(deps: DriverDeps, holder: string): Promise<void> {
  const rollouts = await listRollouts(deps.clients);
  for (const stored of rollouts) {
    if (!needsDriver(stored.record)) continue;
    const { namespace, service } = stored.record;
    try {
      const lease = await holdLease(deps.clients, { namespace, name: rolloutObjectName(service), holder, durationSeconds: LEASE_DURATION_SECONDS }, new Date(deps.now()));
      if (!lease.held) continue;
      await driveRollout(deps, stored, lease.tookOverFrom ? { tookOverFrom: lease.tookOverFrom } : {});
    } catch (error) {
      console.warn(`rollout ${namespace}/${service}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/**
 * Starts the loop once per process (not in view-only mode, nor with MESH_CONSOLE_ROLLOUT_DRIVER=false,
 * for replicas that should never write). Checks the webhook setting first, so a wrong URL stops the start.
 */
export function startRolloutLoop(): void {
  rolloutWebhooks();
  const holderGlobal = globalThis as GlobalWithLoop;
  if (holderGlobal[loopKey]) return;
  const setting = process.env[DRIVER_SETTING]?.trim().toLowerCase();
  if (setting !== undefined && setting !== "" && setting !== "true" && setting !== "false") throw new Error(`${DRIVER_SETTING}: expected true or false, got ${JSON.stringify(setting)}`);
  if (setting === "false" || getConfig().viewOnly) return;
  const holder = holderIdentity();
  let running = false;
  let pausedUntil = 0;
  const tick = () => {
    if (running || Date.now() < pausedUntil) return;
    running = true;
    const clients = consoleKube();
    const deps: DriverDeps = {
      clients,
      routing: { clients, viewOnly: false, defaultRoutingApi: getConfig().defaultRoutingApi, by: "rollout autopilot" },
      prometheus: prometheus(),
      metricNames: sharedMetricNames,
      now: Date.now,
      notify: notifyRolloutEvents,
    };
    pass(deps, holder)
      .catch((error: unknown) => {
        pausedUntil = Date.now() + BACKOFF_MS;
        console.warn(`rollouts: cannot list the stored rollouts (${error instanceof Error ? error.message : String(error)}); trying again in ${BACKOFF_MS / 1000} s`);
      })
      .finally(() => {
        running = false;
      });
  };
  const timer = setInterval(tick, TICK_MS);
  timer.unref();
  holderGlobal[loopKey] = { holder, timer };
}
