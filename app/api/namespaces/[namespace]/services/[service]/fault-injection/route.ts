import { wizards } from "@/lib/routing/wizards";
import { applyFaultInjection } from "@/server/routing";
import { wizardRoute } from "@/server/routing/http";

export const dynamic = "force-dynamic";

/** Body: see wizards.faultInjection.inputSchema; `dryRun: true` answers the diff without writing. */
export const PUT = wizardRoute(wizards.faultInjection, applyFaultInjection);
