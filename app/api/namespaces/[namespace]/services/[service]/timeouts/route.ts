import { timeoutsInputSchema } from "@/lib/routing/schemas";
import { applyTimeouts } from "@/server/routing";
import { wizardRoute } from "@/server/routing/http";

export const dynamic = "force-dynamic";

/** Body: see timeoutsInputSchema; `dryRun: true` answers the diff without writing. */
export const PUT = wizardRoute("/api/namespaces/[namespace]/services/[service]/timeouts", timeoutsInputSchema, applyTimeouts);
