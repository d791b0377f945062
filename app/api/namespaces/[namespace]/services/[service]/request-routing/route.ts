import { requestRoutingInputSchema } from "@/lib/routing/schemas";
import { applyRequestRouting } from "@/server/routing";
import { wizardRoute } from "@/server/routing/http";

export const dynamic = "force-dynamic";

/** Body: see requestRoutingInputSchema; `dryRun: true` answers the diff without writing. */
export const PUT = wizardRoute("/api/namespaces/[namespace]/services/[service]/request-routing", requestRoutingInputSchema, applyRequestRouting);
