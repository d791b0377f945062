import { wizards } from "@/lib/routing/wizards";
import { applyRequestRouting } from "@/server/routing";
import { wizardRoute } from "@/server/routing/http";

export const dynamic = "force-dynamic";

/** Body: see wizards.requestRouting.inputSchema; `dryRun: true` answers the diff without writing. */
export const PUT = wizardRoute(wizards.requestRouting, applyRequestRouting);
