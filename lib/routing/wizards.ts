/**
 * The traffic wizards, listed once. Each entry names the wizard (its id is also the word the
 * routing history records and the last segment of its API path), its title, its endpoint under
 * /api/namespaces/{namespace}/services/{service}/, and the schema its body is parsed with. The
 * server's routes (app/api/…/route.ts via server/routing/http.ts `wizardRoute`), the wizard forms
 * (components/wizards/wizardForms.tsx) and the service page's toolbar all derive from it: a new
 * wizard is one entry here, its builder in server/routing, its form and its route file.
 */
import type { z } from "zod";
import {
  circuitBreakingInputSchema,
  faultInjectionInputSchema,
  mirroringInputSchema,
  requestRoutingInputSchema,
  rollbackInputSchema,
  timeoutsInputSchema,
  trafficShiftInputSchema,
} from "./schemas";

export interface RoutingWrite<Input = unknown> {
  /** Recorded in the routing history; kebab-case. */
  readonly id: string;
  readonly title: string;
  /** Below /api/namespaces/{namespace}/services/{service}/. */
  readonly path: string;
  readonly method: "PUT" | "POST";
  readonly inputSchema: z.ZodType<Input>;
}

function wizard<Input>(id: string, title: string, inputSchema: z.ZodType<Input>): RoutingWrite<Input> {
  return { id, title, path: id, method: "PUT", inputSchema };
}

/** In the order the service page offers them. */
export const wizards = {
  trafficShift: wizard("traffic-shift", "Traffic shifting", trafficShiftInputSchema),
  requestRouting: wizard("request-routing", "Request routing", requestRoutingInputSchema),
  faultInjection: wizard("fault-injection", "Fault injection", faultInjectionInputSchema),
  timeouts: wizard("timeouts", "Timeouts and retries", timeoutsInputSchema),
  circuitBreaking: wizard("circuit-breaking", "Circuit breaking", circuitBreakingInputSchema),
  mirroring: wizard("mirroring", "Mirroring", mirroringInputSchema),
} as const;

export type WizardKey = keyof typeof wizards;
export const WIZARD_KEYS = Object.keys(wizards) as WizardKey[];

/** Not a wizard of its own: restores what was there before the console's last change. */
export const rollback: RoutingWrite<z.infer<typeof rollbackInputSchema>> = { id: "rollback", title: "Roll back last change", path: "traffic-shift/rollback", method: "POST", inputSchema: rollbackInputSchema };

/** Recorded in the history when the console's routing is removed. */
export const REMOVE_HISTORY_ID = "remove";

/** The browser's URL for a service's routing endpoint (`rest` is a RoutingWrite's path, "routing" or "canary-analysis"). */
export function servicePath(namespace: string, service: string, rest: string): string {
  return `/api/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(service)}/${rest}`;
}

/** The route pattern Next.js and the console's metrics name an endpoint by. */
export function serviceRoutePattern(rest: string): string {
  return `/api/namespaces/[namespace]/services/[service]/${rest}`;
}
