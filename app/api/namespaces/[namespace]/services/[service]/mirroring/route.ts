import { mirroringInputSchema } from "@/lib/routing/schemas";
import { applyMirroring } from "@/server/routing";
import { wizardRoute } from "@/server/routing/http";

export const dynamic = "force-dynamic";

/** Body: see mirroringInputSchema; `dryRun: true` answers the diff without writing. */
export const PUT = wizardRoute("/api/namespaces/[namespace]/services/[service]/mirroring", mirroringInputSchema, applyMirroring);
