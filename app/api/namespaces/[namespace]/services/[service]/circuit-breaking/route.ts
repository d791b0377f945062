import { wizards } from "@/lib/routing/wizards";
import { applyCircuitBreaking } from "@/server/routing";
import { wizardRoute } from "@/server/routing/http";

export const dynamic = "force-dynamic";

/** Body: see wizards.circuitBreaking.inputSchema; `dryRun: true` answers the diff without writing. */
export const PUT = wizardRoute(wizards.circuitBreaking, applyCircuitBreaking);
