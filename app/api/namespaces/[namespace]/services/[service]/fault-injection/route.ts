import { faultInjectionInputSchema } from "@/lib/routing/schemas";
import { applyFaultInjection } from "@/server/routing";
import { wizardRoute } from "@/server/routing/http";

export const dynamic = "force-dynamic";

/** Body: see faultInjectionInputSchema; `dryRun: true` answers the diff without writing. */
export const PUT = wizardRoute("/api/namespaces/[namespace]/services/[service]/fault-injection", faultInjectionInputSchema, applyFaultInjection);
