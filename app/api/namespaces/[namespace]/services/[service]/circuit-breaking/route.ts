import { circuitBreakingInputSchema } from "@/lib/routing/schemas";
import { applyCircuitBreaking } from "@/server/routing";
import { wizardRoute } from "@/server/routing/http";

export const dynamic = "force-dynamic";

/** Body: see circuitBreakingInputSchema; `dryRun: true` answers the diff without writing. */
export const PUT = wizardRoute("/api/namespaces/[namespace]/services/[service]/circuit-breaking", circuitBreakingInputSchema, applyCircuitBreaking);
