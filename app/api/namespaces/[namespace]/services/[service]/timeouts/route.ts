import { wizards } from "@/lib/routing/wizards";
import { applyTimeouts } from "@/server/routing";
import { wizardRoute } from "@/server/routing/http";

export const dynamic = "force-dynamic";

/** Body: see wizards.timeouts.inputSchema; `dryRun: true` answers the diff without writing. */
export const PUT = wizardRoute(wizards.timeouts, applyTimeouts);
