import { rollback } from "@/lib/routing/wizards";
import { rollbackRouting } from "@/server/routing";
import { wizardRoute } from "@/server/routing/http";

export const dynamic = "force-dynamic";

/** `{resourceVersion?, dryRun?}`: restores the VirtualService spec from before the console's last change. */
export const POST = wizardRoute(rollback, rollbackRouting);
