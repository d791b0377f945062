import { wizards } from "@/lib/routing/wizards";
import { applyMirroring } from "@/server/routing";
import { wizardRoute } from "@/server/routing/http";

export const dynamic = "force-dynamic";

/** Body: see wizards.mirroring.inputSchema; `dryRun: true` answers the diff without writing. */
export const PUT = wizardRoute(wizards.mirroring, applyMirroring);
