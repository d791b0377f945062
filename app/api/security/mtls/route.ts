import { z } from "zod";
import { mtlsChangeRequestSchema } from "@/lib/api/mtls";
import { isDns1123Label, isDns1123Subdomain } from "@/lib/kubeNames";
import { TIME_WINDOWS } from "@/lib/timeWindows";
import { apiRoute } from "@/server/http/apiRoute";
import { jsonBody, mutationRoute } from "@/server/http/mutations";
import { namespacesParam } from "@/server/http/params";
import { changeMtls, mtlsReadiness } from "@/server/security";

export const dynamic = "force-dynamic";

const querySchema = z.object({ window: z.enum(TIME_WINDOWS).default("5m") });

/** mTLS readiness of the namespaces asked for (all the person may read when none), over the window. */
export const GET = apiRoute("/api/security/mtls", async (request) => {
  const url = new URL(request.url);
  const { window } = querySchema.parse({ window: url.searchParams.get("window") ?? undefined });
  // `namespace=` (one) is accepted as well as `namespaces=` (several).
  const single = url.searchParams.get("namespace");
  const namespaces = single ? namespacesParam(new URL(`http://x/?namespaces=${encodeURIComponent(single)}`)) : namespacesParam(url);
  return Response.json(await mtlsReadiness({ namespaces, window }));
});

const changeSchema = mtlsChangeRequestSchema.extend({
  namespace: z.string().refine(isDns1123Label, "must be a namespace name"),
  workload: z.string().refine(isDns1123Subdomain, "must be a workload name").optional(),
});

/** Enforce STRICT for a namespace or workload, or roll the console's change back; `dryRun` only checks. */
export const PUT = mutationRoute("/api/security/mtls", async (request) => Response.json(await changeMtls(await jsonBody(request, changeSchema))));
