import { z } from "zod";
import { getConfig } from "@/server/config";
import { kube } from "@/server/kube";
import { createIstioObject } from "@/server/kube/writes";
import { jsonBody, mutationRoute } from "@/server/http/mutations";
import { configTargetSchema } from "@/server/mesh/istioObject";

export const dynamic = "force-dynamic";

/** Create from `{yaml}`; `?dryRun=true` only checks. A cluster-scoped kind is created at `/_cluster/<kind>`. */
export const POST = mutationRoute("/api/istio-config/[namespace]/[kind]", async (request, context: { params: Promise<Record<string, string>> }) => {
  const target = configTargetSchema.parse(await context.params);
  const body = await jsonBody(request, z.object({ yaml: z.string() }));
  const dryRun = new URL(request.url).searchParams.get("dryRun") === "true";
  const result = await createIstioObject({ clients: kube(), viewOnly: getConfig().viewOnly }, target, body.yaml, { dryRun });
  return Response.json(result, { status: dryRun ? 200 : 201 });
});
